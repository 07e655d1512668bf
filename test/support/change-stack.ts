/**
 * For a change test file: the time-skipping server, a database of its own with the change
 * directory (people, departments) seeded, and a worker on its own task queue — started before
 * the file's tests, stopped after them. `startAt` moves server time before the worker starts.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { givenChangeDirectory } from './change-cases';
import { isolatedChangeDb, type IsolatedDb } from './change-db';
import { createTestWorker, timeSkippingEnvironment } from './temporal';

export interface ChangeStack {
  env: TestWorkflowEnvironment;
  db: Knex;
  taskQueue: string;
}

export function useChangeStack(label: string, startAt?: number): ChangeStack {
  const stack = { taskQueue: `change-${label}` } as ChangeStack;
  let own: IsolatedDb | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    stack.env = await timeSkippingEnvironment();
    own = await isolatedChangeDb(label);
    stack.db = own.db;
    await givenChangeDirectory(stack.db);
    if (startAt !== undefined) await stack.env.sleep(startAt - (await stack.env.currentTimeMs()));
    worker = await createTestWorker({
      connection: stack.env.nativeConnection,
      taskQueue: stack.taskQueue,
      db: stack.db,
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await own?.drop();
    await stack.env?.teardown();
  });
  return stack;
}
