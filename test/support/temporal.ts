/** Temporal for tests: the time-skipping test server from .tools, workers on the shared bundle. */
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { Client } from '@temporalio/client';
import { createActivities } from '../../activities';
import { testDb } from './db';
import { freePort } from '../../db/embedded-postgres';
import { toolsDir } from '../../runtime/project-root';
import { opsSearchAttributes } from '../../workflows/contracts/search-attributes';

let runtimeInstalled = false;

// temporal.api.enums.v1.IndexedValueType
const indexedValueType = {
  TEXT: 1,
  KEYWORD: 2,
  INT: 3,
  DOUBLE: 4,
  BOOL: 5,
  DATETIME: 6,
  KEYWORD_LIST: 7,
} as const;

/** Keeps the SDK's own logging to warnings so test output stays readable. */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/** `startAt` (epoch ms) starts the server's clock at that instant, also in the past (`TestServerAt.java`). */
export async function timeSkippingEnvironment(
  options: { startAt?: number } = {},
): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await startTimeSkippingServer(options.startAt);
  // The Java test server starts without Opsflow's search attributes; the kernel upserts them.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      opsSearchAttributes.map((key) => [key.name, indexedValueType[key.type]]),
    ),
  });
  return env;
}

/**
 * The Java time-skipping server, started here rather than by the SDK: the SDK gives it 5 s to
 * listen, and a JVM on a busy 2-core machine can take several times that. The environment is
 * then built over it as the SDK builds its own (`createTimeSkipping` = `create` with a server).
 */
async function startTimeSkippingServer(startAt?: number): Promise<TestWorkflowEnvironment> {
  const port = await freePort();
  const launcher = path.join(toolsDir, 'temporal-test-server', 'temporal-test-server');
  const child =
    startAt === undefined
      ? spawn(launcher, [String(port)], { stdio: 'ignore' })
      : spawn(
          'java',
          [
            '-cp',
            path.join(toolsDir, 'temporal-test-server', 'lib', '*'),
            path.join(__dirname, 'TestServerAt.java'),
            String(port),
            String(startAt),
          ],
          { stdio: 'ignore' },
        );
  let exited = false;
  child.once('exit', () => (exited = true));
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (!(await listening(port))) {
    if (exited) throw new Error(`the time-skipping server (${launcher}) exited during start-up`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the time-skipping server did not listen on ${address} within 120 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const env = await (TestWorkflowEnvironment as unknown as SdkEnvironmentFactory).create({
    server: { type: 'existing' },
    address,
    namespace: 'default',
    supportsTimeSkipping: true,
  });
  const closeConnections = env.teardown.bind(env);
  // The SDK stops only servers it started itself; this one is ours to stop.
  env.teardown = async () => {
    await closeConnections();
    if (!exited) child.kill('SIGKILL');
  };
  return env;
}

/** `TestWorkflowEnvironment.create`, which `createTimeSkipping` calls but the typings do not publish. */
interface SdkEnvironmentFactory {
  create(options: {
    server: { type: 'existing' };
    address: string;
    namespace: string;
    supportsTimeSkipping: boolean;
  }): Promise<TestWorkflowEnvironment>;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A connection to the dev server the integration layer started. */
export async function devServerConnection(): Promise<NativeConnection> {
  quietRuntime();
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run this test in the integration project');
  return NativeConnection.connect({ address });
}

export function workflowBundlePath(): string {
  const bundle = process.env.OPSFLOW_TEST_BUNDLE;
  if (!bundle) throw new Error('OPSFLOW_TEST_BUNDLE is not set: the global setup bundles the workflows');
  return bundle;
}

export async function createTestWorker(options: {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  db: Knex;
}): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    workflowBundle: { codePath: workflowBundlePath() },
    activities: createActivities(options.db),
  });
}

export interface DevServerContext {
  db: Knex;
  connection: NativeConnection;
  client: Client;
  taskQueue: string;
}

/**
 * For a test file on the dev server: a database pool, a client, and a real worker on a task
 * queue of its own, started before the file's tests and stopped after them.
 */
export function useDevServerWorker(taskQueue: string): DevServerContext {
  const context = { taskQueue } as DevServerContext;
  let worker: Worker;
  let running: Promise<void>;
  beforeAll(async () => {
    context.db = testDb();
    context.connection = await devServerConnection();
    context.client = new Client({ connection: context.connection });
    worker = await createTestWorker({ connection: context.connection, taskQueue, db: context.db });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await context.connection?.close();
    await context.db?.destroy();
  });
  return context;
}

/**
 * The Java test server sometimes keeps a time-skipping lock after a Workflow Update ends or
 * settles its workflow, and then never skips time again (a sleep of days waits days). A probe
 * tells: a minute's sleep returns at once when time may skip; if it hangs, the stray lock is
 * released. Call before a sleep that must skip, in a file whose earlier tests used Updates.
 */
export async function releaseStrayTimeSkippingLock(env: TestWorkflowEnvironment): Promise<void> {
  const service = env.connection.testService;
  if (!service) throw new Error('not a time-skipping server');
  const probe = env.sleep(60_000);
  const skipped = await Promise.race([
    probe.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 3_000)),
  ]);
  if (skipped) return;
  await service.unlockTimeSkipping({});
  await probe;
}
