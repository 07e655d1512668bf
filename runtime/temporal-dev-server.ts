/**
 * Starts a Temporal dev server (`temporal server start-dev`) for `npm start` and the
 * integration tests. The binary comes from PATH or `.tools/bin` (built there by
 * `scripts/tools/ensure-tools.mjs`); without one, @temporalio/testing downloads the CLI,
 * which needs internet access. Opsflow's search attributes are registered at start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { opsSearchAttributes } from '../workflows/contracts/search-attributes';
import { freePort } from '../db/embedded-postgres';
import { toolsDir } from './project-root';

export interface TemporalDevServer {
  address: string;
  uiUrl: string | null;
  /** How the server was obtained, for the start-up banner. */
  source: string;
  /** OS process id of the server, when this process started it (benchmarks read its memory). */
  pid?: number;
  stop(): Promise<void>;
  /** A crash: SIGKILL, no shutdown; resolves once the process is gone (the fault suite uses it). */
  kill(): Promise<void>;
}

export interface TemporalDevServerOptions {
  /** SQLite file that keeps workflows across restarts; null for an in-memory server. */
  dbFile: string | null;
  /** gRPC port; a free one when omitted. */
  port?: number;
  /** Web UI port; null runs headless. */
  uiPort: number | null;
  namespace?: string;
  onLog?: (line: string) => void;
}

const cliTypeName: Record<string, string> = {
  KEYWORD: 'Keyword',
  KEYWORD_LIST: 'KeywordList',
  DATETIME: 'Datetime',
  BOOL: 'Bool',
  TEXT: 'Text',
  INT: 'Int',
  DOUBLE: 'Double',
};

export function searchAttributeFlags(): string[] {
  return opsSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${cliTypeName[key.type]}`]);
}

/** PATH first, then the project's own `.tools/bin`. */
export function findTemporalBinary(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'temporal');
    if (existsSync(candidate)) return candidate;
  }
  const local = path.join(toolsDir, 'bin', 'temporal');
  return existsSync(local) ? local : null;
}

/**
 * The CLI picks its HTTP API and metrics ports itself ("a random free port") and binds them
 * later, so on a busy machine another process can take one in between and the server exits with
 * "address already in use". That is retried, with a fresh gRPC port unless one was asked for.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (attempt >= 4 || !/address already in use/.test((err as Error).message)) throw err;
    }
  }
}

async function startOnce(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const namespace = options.namespace ?? 'default';
  const port = options.port ?? (await freePort());
  const binary = findTemporalBinary();
  if (!binary) return startWithSdkDownload(options, port, namespace);

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace];
  args.push('--log-level', 'warn', ...searchAttributeFlags());
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));

  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  let exited = false;
  child.once('exit', () => (exited = true));
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 30) tail.shift();
        options.onLog?.(line);
      }
    });
  }
  const address = `127.0.0.1:${port}`;
  await waitUntilServing(address, namespace, () => exited, tail, child);
  return {
    address,
    uiUrl: options.uiPort === null ? null : `http://localhost:${options.uiPort}`,
    source: binary,
    pid: child.pid,
    stop: () => stopChild(child, () => exited),
    kill: () => killChild(child, () => exited),
  };
}

async function startWithSdkDownload(
  options: TemporalDevServerOptions,
  port: number,
  namespace: string,
): Promise<TemporalDevServer> {
  // Only here, so that a machine with the CLI never loads the testing package.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port,
      namespace,
      dbFilename: options.dbFile ?? undefined,
      ui: options.uiPort !== null,
      uiPort: options.uiPort ?? undefined,
      searchAttributes: opsSearchAttributes,
      extraArgs: ['--log-level', 'warn'],
    },
  });
  return {
    address: env.connection.options.address,
    uiUrl: options.uiPort === null ? null : `http://localhost:${options.uiPort}`,
    source: 'downloaded by @temporalio/testing',
    stop: () => env.teardown(),
    kill: () => Promise.reject(new Error('a dev server started by @temporalio/testing cannot be killed')),
  };
}

async function waitUntilServing(
  address: string,
  namespace: string,
  exited: () => boolean,
  tail: string[],
  child: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited()) throw new Error(`Temporal dev server exited during start-up:\n${tail.join('\n')}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Temporal dev server did not answer on ${address} within 60 s:\n${tail.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export async function killChild(child: ChildProcess, exited: () => boolean): Promise<void> {
  if (exited()) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await done;
}

async function stopChild(child: ChildProcess, exited: () => boolean): Promise<void> {
  if (exited()) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}
