/**
 * /readyz includes the worker: a stack whose task queue no worker polls is not ready, because a
 * case started there would open but none of its steps would.
 */
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { createApp } from '../../../api/app';
import { createReadiness } from '../../../api/readiness';
import { loadConfig } from '../../../runtime/config';
import { createLogger } from '../../../runtime/logger';
import { uniqueProcess } from '../../support/cases';
import { eventually, testDb } from '../../support/db';
import { createTestWorker, devServerConnection } from '../../support/temporal';

let db: Knex;
let connection: Connection;
let app: Express;
const taskQueue = uniqueProcess('readiness-queue');

beforeAll(async () => {
  db = testDb();
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS as string });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.DATABASE_URL,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'silent',
  });
  app = createApp({
    readiness: createReadiness({ connection, namespace: 'default', taskQueue, db }),
    client: new Client({ connection }),
    db,
    config,
    log: createLogger('readiness-test', 'silent'),
    environment: 'test',
  });
});

afterAll(async () => {
  await connection?.close();
  await db?.destroy();
});

test('not ready (503) while no worker polls the task queue, ready (200) once one does', async () => {
  const before = await request(app).get('/readyz');
  expect(before.status).toBe(503);
  expect(before.body.ready).toBe(false);
  expect(before.body.checks.temporal).toEqual({ ok: true });
  expect(before.body.checks.postgres).toEqual({ ok: true });
  expect(before.body.checks.worker).toEqual({
    ok: false,
    error: `no worker polls task queue ${taskQueue}`,
  });

  const workerConnection = await devServerConnection();
  const worker = await createTestWorker({ connection: workerConnection, taskQueue, db });
  const running = worker.run();
  try {
    const after = await eventually(async () => {
      const res = await request(app).get('/readyz');
      return res.status === 200 ? res : null;
    }, 'the worker to be seen polling');
    // Holiday-data warnings other tests leave behind do not make it unready.
    expect(after.body).toMatchObject({
      ready: true,
      checks: { temporal: { ok: true }, postgres: { ok: true }, worker: { ok: true } },
    });
  } finally {
    worker.shutdown();
    await running;
    await workerConnection.close();
  }
});
