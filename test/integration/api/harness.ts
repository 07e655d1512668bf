/**
 * The API under test, wired as in production: the real dev server, real PostgreSQL, and a real
 * worker running the product workflows on a task queue of its own, which the app starts cases on.
 */
import { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { createApp } from '../../../api/app';
import { issueToken } from '../../../api/auth';
import { createReadiness } from '../../../api/readiness';
import { liveViewsInFlight } from '../../../api/routes/cases';
import { upsertDepartment, upsertUser, upsertVendor, type Role } from '../../../db/directory';
import { loadConfig, type Config } from '../../../runtime/config';
import { createLogger } from '../../../runtime/logger';
import { uniqueProcess } from '../../support/cases';
import { createDb } from '../../../db/connection';
import { testDb } from '../../support/db';
import { createTestWorker, devServerConnection } from '../../support/temporal';

export const OLD_SECRET = 'api-test-old-secret-0123456789abcdefghijkl';
export const NEW_SECRET = 'api-test-new-secret-0123456789abcdefghijkl';

export interface Harness {
  app: Express;
  db: Knex;
  client: Client;
  config: Config;
  /** Creates a user with these roles (ids unique to this file) and returns its id. */
  user(
    name: string,
    roles: Role[],
    extra?: { vendorId?: string | null; departmentId?: string | null; active?: boolean },
  ): Promise<string>;
  /** Creates a department (id unique to this file) and returns its id. */
  department(name: string): Promise<string>;
  /** Creates a vendor (id unique to this file) and returns its id. */
  vendor(name: string): Promise<string>;
  token(userId: string): Promise<string>;
  bearer(userId: string): Promise<string>;
  close(): Promise<void>;
}

/** `env.DATABASE_URL` points the whole harness (API and worker) at another database. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const db = env.DATABASE_URL ? createDb(env.DATABASE_URL, 4) : testDb();
  const taskQueue = uniqueProcess('api-queue');
  const suffix = uniqueProcess('u').slice(2);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.DATABASE_URL,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: taskQueue,
    JWT_SECRETS: `${NEW_SECRET},${OLD_SECRET}`,
    API_BODY_LIMIT: '4kb',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const connection = await Connection.connect({ address: config.temporal.address as string });
  const client = new Client({ connection });
  const workerConnection: NativeConnection = await devServerConnection();
  const worker: Worker = await createTestWorker({ connection: workerConnection, taskQueue, db });
  const running = worker.run();
  const app = createApp({
    readiness: createReadiness({ connection, namespace: 'default', taskQueue, db }),
    client,
    db,
    config,
    log: createLogger('api-test', 'silent'),
    environment: 'test',
  });
  return {
    app,
    db,
    client,
    config,
    async user(name, roles, extra = {}) {
      const id = `${name}-${suffix}`;
      await upsertUser(db, {
        id,
        displayName: name,
        email: `${id}@example.invalid`,
        locale: 'en',
        roles,
        ...extra,
      });
      return id;
    },
    async department(name) {
      const id = `${name}-${suffix}`;
      await upsertDepartment(db, { id, name });
      return id;
    },
    async vendor(name) {
      const id = `${name}-${suffix}`;
      await upsertVendor(db, { id, name });
      return id;
    },
    token: (userId) => issueToken(config, userId),
    bearer: async (userId) => `Bearer ${await issueToken(config, userId)}`,
    async close() {
      // A live view the API asked for may still be running (a request whose client went away):
      // it needs the worker to answer, and closing the connection under it would throw from its
      // retry's timer.
      for (const deadline = Date.now() + 40_000; liveViewsInFlight() > 0 && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 50));
      worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
      await db.destroy();
    },
  };
}
