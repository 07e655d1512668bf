/**
 * What every benchmark starts for itself: a throw-away PostgreSQL and Temporal dev server on free
 * ports, the worker as its own process (scripts/bench/bench-worker.ts, settings from the
 * environment as in production), and the API in this process. Memory of each process is read
 * from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Knex } from 'knex';
import { createApp } from '../../api/app';
import { issueToken } from '../../api/auth';
import { createReadiness } from '../../api/readiness';
import { createDb } from '../../db/connection';
import { setDepartmentHead, upsertDepartment, upsertUser } from '../../db/directory';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded-postgres';
import { migrateLatest } from '../../db/migrate';
import { loadConfig, workerNodeOptions, type Config } from '../../runtime/config';
import { createLogger } from '../../runtime/logger';
import { workerPolls } from '../../runtime/task-queue-pollers';
import { startTemporalDevServer, type TemporalDevServer } from '../../runtime/temporal-dev-server';

export const TASK_QUEUE = 'bench';

export interface BenchStack {
  root: string;
  pg: EmbeddedPostgres;
  temporal: TemporalDevServer;
  db: Knex;
  client: Client;
  config: Config;
  /** The worker process; `restartWorker` replaces it with one on other settings. */
  worker: ChildProcess;
  workerMetricsUrl: string;
  restartWorker(env?: Record<string, string>): Promise<void>;
  /** POSTs JSON to the in-process API as `userId`; resolves with the status and parsed body. */
  post(userId: string, route: string, body: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export const say = (line: string) => process.stdout.write(`${line}\n`);

/** Resident memory of a process, in MiB (0 once it has gone). */
export function rssMiB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

export async function startBenchStack(workerEnv: Record<string, string> = {}): Promise<BenchStack> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'opsflow-bench-'));
  chmodSync(root, 0o755);
  say(`Starting PostgreSQL and a Temporal dev server (throw-away data in ${root})…`);
  const [pg, temporal] = await Promise.all([
    startEmbeddedPostgres({ dataDir: path.join(root, 'pg') }),
    startTemporalDevServer({ dbFile: null, uiPort: null }),
  ]);
  const db = createDb(pg.url, 20);
  await migrateLatest(db);
  await seedBenchPeople(db);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    LOG_LEVEL: 'silent',
  });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const app = createApp({
    readiness: createReadiness({ connection, namespace: 'default', taskQueue: TASK_QUEUE, db }),
    client,
    db,
    config,
    log: createLogger('bench', 'silent'),
    environment: 'production',
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const apiPort = (server.address() as { port: number }).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const tokens = new Map<string, string>();

  const metricsPort = await freePort();
  const launchWorker = async (env: Record<string, string>): Promise<ChildProcess> => {
    const settings = loadConfig({ NODE_ENV: 'test', ...process.env, ...env }).worker;
    const child = spawn(
      process.execPath,
      [...workerNodeOptions(settings), path.join(__dirname, 'bench-worker.js')],
      {
        env: {
          PATH: process.env.PATH,
          // The worker's settings come from the environment this benchmark was started with.
          ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('WORKER_'))),
          // Test mode, as the API above: the benchmark's own throw-away keys, never production's.
          NODE_ENV: 'test',
          DATABASE_URL: pg.url,
          TEMPORAL_ADDRESS: temporal.address,
          TEMPORAL_TASK_QUEUE: TASK_QUEUE,
          LOG_LEVEL: 'warn',
          WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
          ...env,
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    // A fresh dev server has never seen a poller, so this waits for this worker.
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the bench worker exited with ${child.exitCode}`);
      if (await workerPolls(connection.workflowService, 'default', TASK_QUEUE).catch(() => false)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    return child;
  };
  const stopWorker = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  };

  const stack: BenchStack = {
    root,
    pg,
    temporal,
    db,
    client,
    config,
    worker: await launchWorker(workerEnv),
    workerMetricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    async restartWorker(env = {}) {
      await stopWorker(stack.worker);
      stack.worker = await launchWorker(env);
    },
    async post(userId, route, body) {
      let token = tokens.get(userId);
      if (!token) tokens.set(userId, (token = await issueToken(config, userId)));
      const json = JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: apiPort,
            agent,
            method: 'POST',
            path: route,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(json),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: JSON.parse(Buffer.concat(chunks).toString() || 'null'),
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(json);
      });
    },
    async stop() {
      await stopWorker(stack.worker).catch(() => undefined);
      agent.destroy();
      await new Promise((r) => server.close(r));
      await connection.close();
      await db.destroy();
      await Promise.all([temporal.stop(), pg.stop()]);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return stack;
}

/**
 * The benchmarks' people: a requester and the head of their department, as the directory says,
 * so the department-head step goes to that head and the head may read the case
 * (db/case-access.ts); and an O&M head, who reads every case.
 */
export async function seedBenchPeople(db: Knex): Promise<void> {
  await upsertDepartment(db, { id: 'bench-dept', name: 'Bench department' });
  for (const [id, role] of [
    ['bench-requester', 'requester'],
    ['bench-head', 'department_head'],
    ['bench-ops-head', 'ops_head'],
  ] as const) {
    await upsertUser(db, {
      id,
      displayName: id,
      email: `${id}@bench.test`,
      locale: 'en',
      roles: [role],
      departmentId: role === 'ops_head' ? null : 'bench-dept',
    });
  }
  await setDepartmentHead(db, 'bench-dept', { head: 'bench-head' });
}
