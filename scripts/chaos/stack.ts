/**
 * The servers of one fault-suite run, each on a free loopback port with throw-away data, and each
 * able to crash (SIGKILL) and come back: PostgreSQL on the same data directory and port, the
 * Temporal dev server on the same SQLite file and port, the compiled worker and API as an operator
 * runs them (production mode, keys of their own). Worker and API are also restarted whenever they
 * exit on their own (e.g. a worker that cannot reach Temporal at start), as `npm start` does.
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { createDb } from '../../db/connection';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded-postgres';
import { migrateLatest } from '../../db/migrate';
import { projectRoot } from '../../runtime/project-root';
import { startTemporalDevServer, type TemporalDevServer } from '../../runtime/temporal-dev-server';
import { loadConfig, workerNodeOptions } from '../../runtime/config';

export type ComponentName = 'worker' | 'api' | 'temporal' | 'postgres';

export interface Component {
  name: ComponentName;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

export interface ChaosStack {
  dir: string;
  databaseUrl: string;
  temporalAddress: string;
  apiUrl: string;
  jwtSecret: string;
  linkSecret: string;
  commandSecret: string;
  taskQueue: string;
  components: Record<ComponentName, Component>;
  stop(): Promise<void>;
}

const compiled = (...p: string[]) => path.join(projectRoot, 'dist', ...p);

async function retry<T>(what: string, attempt: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > until) throw new Error(`${what}: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** A compiled entry point, restarted a second after it dies unless the stack is stopping. */
class Supervised implements Component {
  private child: ChildProcess | null = null;
  private stopping = false;

  constructor(
    readonly name: ComponentName,
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: WriteStream,
    private readonly nodeOptions: string[] = [],
  ) {}

  launch(): void {
    const child = spawn(process.execPath, [...this.nodeOptions, this.entry], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    child.once('exit', () => {
      if (this.child !== child || this.stopping) return;
      this.child = null;
      setTimeout(() => {
        if (!this.stopping && this.child === null) this.launch();
      }, 1000);
    });
  }

  async kill(): Promise<void> {
    const child = this.child;
    this.child = null; // the exit handler must not restart a child we killed on purpose
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }

  async restart(): Promise<void> {
    if (!this.child) this.launch();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
}

export async function startChaosStack(dir: string, smtpUrl: string): Promise<ChaosStack> {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755); // PostgreSQL runs as its own OS user when this runs as root
  const log = createWriteStream(path.join(dir, 'processes.log'));
  const pgDir = path.join(dir, 'pg');
  const pgPort = await freePort();
  const temporalPort = await freePort();
  const sqlite = path.join(dir, 'temporal.sqlite');

  let postgres: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort });
  let temporal: TemporalDevServer = await startTemporalDevServer({
    dbFile: sqlite,
    port: temporalPort,
    uiPort: null,
  });
  const migrator = createDb(postgres.url, 1);
  await migrateLatest(migrator);
  await migrator.destroy();

  const apiPort = await freePort();
  const jwtSecret = randomBytes(24).toString('hex');
  const linkSecret = randomBytes(24).toString('hex');
  const commandSecret = randomBytes(24).toString('hex');
  const taskQueue = 'chaos';
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    JWT_SECRETS: jwtSecret,
    LINK_SECRETS: linkSecret,
    COMMAND_SECRETS: commandSecret,
    DATABASE_URL: postgres.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PORT: String(apiPort),
    PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
    SMTP_URL: smtpUrl,
    LOG_LEVEL: 'error',
    // Every client of the run is 127.0.0.1: no client here is guessing credentials.
    AUTH_FAILURES_PER_MINUTE: '1000000',
  };
  const worker = new Supervised(
    'worker',
    compiled('runtime', 'worker.js'),
    env,
    log,
    workerNodeOptions(loadConfig(env).worker),
  );
  const api = new Supervised('api', compiled('api', 'server.js'), env, log);

  const components: Record<ComponentName, Component> = {
    worker,
    api,
    temporal: {
      name: 'temporal',
      kill: () => temporal.kill(),
      restart: async () => {
        temporal = await retry('Temporal dev server restart', () =>
          startTemporalDevServer({ dbFile: sqlite, port: temporalPort, uiPort: null }),
        );
      },
    },
    postgres: {
      name: 'postgres',
      kill: () => postgres.kill(),
      // The killed postmaster's backends leave within moments; until then the data directory is busy.
      restart: async () => {
        postgres = await retry('PostgreSQL restart', () =>
          startEmbeddedPostgres({ dataDir: pgDir, port: pgPort }),
        );
      },
    },
  };
  worker.launch();
  api.launch();

  return {
    dir,
    databaseUrl: postgres.url,
    temporalAddress: temporal.address,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    jwtSecret,
    linkSecret,
    commandSecret,
    taskQueue,
    components,
    async stop() {
      await Promise.all([worker.stop(), api.stop()]);
      await temporal.stop().catch(() => undefined);
      await postgres.stop().catch(() => undefined);
      log.end();
    },
  };
}
