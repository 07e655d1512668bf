/**
 * On the dev server in real time: the worker is stopped across the on-site response's due time
 * (15 minutes in the seed; four seconds here, under a level of the test's own so no other case
 * sees the policy), and the missed warning, overdue and both escalation levels fire once each,
 * in order, when it is back.
 */
import { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { upsertSlaPolicy } from '../../../db/sla-policies';
import { caseEvents, eventsOfType, uniqueProcess } from '../../support/cases';
import { testDb } from '../../support/db';
import { emergencyEvent, givenEmergencyDirectory, startEmergency } from '../../support/emergency-cases';
import { createTestWorker, devServerConnection } from '../../support/temporal';

const at = (row: { occurred_at: Date }) => row.occurred_at.getTime();
const scheduled = (row: { data: Record<string, unknown> }) => Date.parse(row.data.scheduledAt as string);

test('a worker down across the on-site response due time fires the missed ladder once, in order, on its return', async () => {
  const db: Knex = testDb();
  const connection: NativeConnection = await devServerConnection();
  const client = new Client({ connection });
  const taskQueue = uniqueProcess('emg-outage-queue');
  const level = `T${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
  const rank = 1000 + Math.floor(Math.random() * 1_000_000);
  await givenEmergencyDirectory(db);
  await db('emergency_levels').insert({
    code: level,
    rank,
    name_en: 'Test level',
    name_zh: '测试级',
    convenes_command_group: false,
  });
  await upsertSlaPolicy(db, {
    id: `emergency.onsiteResponse.${level}`,
    process: 'emergency',
    stage: 'onsiteResponse',
    priority: level,
    basis: 'elapsed',
    duration: 'PT4S',
    warnRatio: 0.75,
    calendarId: null,
    escalation: [
      { level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }, { role: 'vendor_pm' }] },
      { level: 2, after: 'PT2S', notify: [{ role: 'it_head' }] },
    ],
    active: true,
  });
  let worker: Worker = await createTestWorker({ connection, taskQueue, db });
  let running = worker.run();
  try {
    const handle = await startEmergency(client, taskQueue, emergencyEvent({ serviceMode: 'onsite', level }));
    const opened = await eventsOfType(db, handle.workflowId, 'step.opened', 5);
    const responded = opened.find((e) => e.data.step === 'responded')!;
    worker.shutdown();
    await running;

    // Warning (+3 s), due (+4 s), level 1 (+4 s) and level 2 (+6 s) all pass with no worker.
    await new Promise((r) => setTimeout(r, 8000));
    expect((await caseEvents(db, handle.workflowId)).filter((e) => e.type.startsWith('sla.'))).toEqual([]);

    worker = await createTestWorker({ connection, taskQueue, db });
    running = worker.run();
    await eventsOfType(db, handle.workflowId, 'sla.escalated', 2, 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    const sla = (await caseEvents(db, handle.workflowId)).filter((e) => e.type.startsWith('sla.'));
    expect(sla.map((e) => [e.data.step, e.type, e.data.level ?? null])).toEqual([
      ['responded', 'sla.warning', null],
      ['responded', 'sla.overdue', null],
      ['responded', 'sla.escalated', 1],
      ['responded', 'sla.escalated', 2],
    ]);
    expect(sla.map((e) => scheduled(e) - Date.parse(responded.data.dueAt as string))).toEqual([
      -1000, 0, 0, 2000,
    ]);
    for (const e of sla) expect(at(e)).toBeGreaterThanOrEqual(at(responded) + 8000);
    // Each level told its people once (an O&M head another test left on the shared database is
    // told as well: the ladder names a role, not these people).
    const told = await db('notification_outbox')
      .where({ case_id: handle.workflowId, template: 'sla-escalation' })
      .whereIn('recipient_user_id', ['emg-it-head', 'emg-ops-head', 'emg-vendor-pm'])
      .pluck('recipient_user_id');
    expect(told.sort()).toEqual(['emg-it-head', 'emg-ops-head', 'emg-vendor-pm']);
    await handle.terminate('test over');
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await db('sla_policies')
      .where({ id: `emergency.onsiteResponse.${level}` })
      .delete();
    await db('emergency_levels').where({ code: level }).delete();
    await db.destroy();
  }
});
