/** Temporal for tests: the time-skipping test server from .tools, workers on the shared bundle. */
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { Client } from '@temporalio/client';
import { createActivities } from '../../activities';
import { testDb } from './db';
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

export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: {
      executable: {
        type: 'existing-path',
        path: path.join(toolsDir, 'temporal-test-server', 'temporal-test-server'),
      },
    },
  });
  // The Java test server starts without Opsflow's search attributes; the kernel upserts them.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      opsSearchAttributes.map((key) => [key.name, indexedValueType[key.type]]),
    ),
  });
  return env;
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
