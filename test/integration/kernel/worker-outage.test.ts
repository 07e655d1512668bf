/**
 * On the dev server in real time: the time-skipping server does not skip past a workflow task
 * no worker is there to take, so an outage cannot be simulated on it. Second-long policies
 * stand in for hours.
 */
import { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import {
  caseEvents,
  caseInput,
  eventsOfType,
  givenPolicy,
  startAccessRequest,
  uniqueProcess,
} from '../../support/cases';
import { testDb } from '../../support/db';
import { createTestWorker, devServerConnection } from '../../support/temporal';

const at = (row: { occurred_at: Date }) => row.occurred_at.getTime();
const scheduled = (row: { data: Record<string, unknown> }) => Date.parse(row.data.scheduledAt as string);

test('a worker down across the due time fires every missed level once, in order, when it returns', async () => {
  const db: Knex = testDb();
  const connection: NativeConnection = await devServerConnection();
  const client = new Client({ connection });
  const taskQueue = uniqueProcess('outage-queue');
  const process = uniqueProcess('outage');
  await givenPolicy(db, process, {
    duration: 'PT4S',
    warnRatio: 0.75,
    escalation: [
      { level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] },
      { level: 2, after: 'PT2S', notify: [{ role: 'it_head' }] },
    ],
  });
  let worker: Worker = await createTestWorker({ connection, taskQueue, db });
  let running = worker.run();
  try {
    const handle = await startAccessRequest(client, taskQueue, caseInput(process));
    const [opened] = await eventsOfType(db, handle.workflowId, 'step.opened');
    worker.shutdown();
    await running;

    // Warning (+3 s), due (+4 s), level 1 (+4 s) and level 2 (+6 s) all pass with no worker.
    await new Promise((r) => setTimeout(r, 8000));
    expect((await caseEvents(db, handle.workflowId)).filter((e) => e.type.startsWith('sla.'))).toEqual([]);

    worker = await createTestWorker({ connection, taskQueue, db });
    running = worker.run();
    await eventsOfType(db, handle.workflowId, 'sla.escalated', 2);
    const sla = (await caseEvents(db, handle.workflowId)).filter((e) => e.type.startsWith('sla.'));
    expect(sla.map((e) => [e.type, e.data.level ?? null])).toEqual([
      ['sla.warning', null],
      ['sla.overdue', null],
      ['sla.escalated', 1],
      ['sla.escalated', 2],
    ]);
    expect(sla.map((e) => scheduled(e) - at(opened))).toEqual([3000, 4000, 4000, 6000]);
    // Fired late, on the worker's return, never early.
    for (const e of sla) expect(at(e)).toBeGreaterThanOrEqual(at(opened) + 8000);
    await handle.terminate('test over');
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await db.destroy();
  }
});
