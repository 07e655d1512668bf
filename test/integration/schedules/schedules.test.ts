/**
 * Periodic jobs on Temporal Schedules, on the dev server: the seeded jobs become schedules once
 * however often the worker starts; a job whose slots come while no worker polls runs once when a
 * worker comes back (overlap SKIP), not once per missed slot; an admin pauses it through the API,
 * a paused schedule starts nothing, a restart keeps it paused, and who paused it is on record.
 */
import type { NativeConnection, Worker } from '@temporalio/worker';
import request from 'supertest';
import { upsertPeriodicJob } from '../../../db/periodic-jobs';
import { ensureSchedules } from '../../../runtime/schedules';
import { uniqueProcess } from '../../support/cases';
import { eventually } from '../../support/db';
import { createTestWorker, devServerConnection } from '../../support/temporal';
import { startHarness, type Harness } from '../api/harness';

let h: Harness;
const jobId = uniqueProcess('sch-catchup');
const downQueue = uniqueProcess('sch-down');
const seeded = ['daily-inspection', 'annual-inspection', 'weekly-change-plan-review'];
const seededQueue = uniqueProcess('sch-seeded');
let extra: { connection: NativeConnection; worker: Worker; running: Promise<void> } | undefined;
const opened: string[] = [];

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  for (const id of [jobId, ...seeded]) {
    await h.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  }
  for (const id of opened) {
    await h.client.workflow
      .getHandle(id)
      .terminate('test done')
      .catch(() => undefined);
  }
  await h.db('periodic_jobs').where({ id: jobId }).delete();
  extra?.worker.shutdown();
  await extra?.running;
  await extra?.connection.close();
  await h.close();
});

const scheduleCount = async (id: string) => {
  let n = 0;
  for await (const s of h.client.schedule.list()) if (s.scheduleId === id) n += 1;
  return n;
};

test('the seeded periodic jobs are schedules after a worker start, and a second start duplicates none', async () => {
  const first = await ensureSchedules(h.client, h.db, seededQueue, { jobIds: seeded });
  const second = await ensureSchedules(h.client, h.db, seededQueue, { jobIds: seeded });
  expect(first.sort()).toEqual([...seeded].sort());
  expect(second.sort()).toEqual([...seeded].sort());
  for (const id of seeded) {
    await eventually(async () => (await scheduleCount(id)) === 1, `${id} listed once`);
    const d = await h.client.schedule.getHandle(id).describe();
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    expect(d.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 86_400_000 });
  }
  const daily = await h.client.schedule.getHandle('daily-inspection').describe();
  expect(daily.info.nextActionTimes[0].getUTCHours()).toBe(0); // 08:30 in Shanghai
  expect(daily.info.nextActionTimes[0].getUTCMinutes()).toBe(30);
});

test('slots missed while no worker polls run once; a paused schedule fires nothing, also after a restart', async () => {
  const admin = await h.user('sch-admin', ['admin']);
  const engineer = await h.user('sch-engineer', ['ops_engineer']);
  await upsertPeriodicJob(h.db, {
    id: jobId,
    kind: 'change-plan-review',
    title: 'Every two seconds (test)',
    spec: { calendar: { second: { start: 0, end: 58, step: 2 }, minute: '*', hour: '*' } },
    overlap: 'SKIP',
    catchupWindowSeconds: 60,
  });
  // The worker of this task queue is down: slots come and go.
  expect(await ensureSchedules(h.client, h.db, downQueue, { jobIds: [jobId] })).toEqual([jobId]);
  const schedule = h.client.schedule.getHandle(jobId);
  const missed = await eventually(
    async () => {
      const d = await schedule.describe();
      return d.info.numActionsSkippedOverlap >= 3 ? d : null;
    },
    'three slots skipped while the first run waits for a worker',
    30_000,
  );
  expect(missed.info.recentActions).toHaveLength(1);

  // An admin pauses it (a non-admin may not), with the reason on record.
  const refused = await request(h.app)
    .post(`/api/v1/admin/schedules/${jobId}/pause`)
    .set('Authorization', await h.bearer(engineer))
    .send({ reason: 'maintenance' });
  expect(refused.status).toBe(403);
  const noReason = await request(h.app)
    .post(`/api/v1/admin/schedules/${jobId}/pause`)
    .set('Authorization', await h.bearer(admin))
    .send({});
  expect(noReason.status).toBe(400);
  const paused = await request(h.app)
    .post(`/api/v1/admin/schedules/${jobId}/pause`)
    .set('Authorization', await h.bearer(admin))
    .send({ reason: 'calendar migration over the weekend' });
  expect(paused.status).toBe(200);
  expect(paused.body).toMatchObject({
    id: jobId,
    paused: true,
    temporal: { paused: true },
    events: [{ actor: admin, action: 'paused', reason: 'calendar migration over the weekend' }],
  });

  // The worker comes back: the one waiting run opens one case, however many slots were missed.
  const connection = await devServerConnection();
  const worker = await createTestWorker({ connection, taskQueue: downQueue, db: h.db });
  extra = { connection, worker, running: worker.run() };
  const run = h.client.workflow.getHandle(missed.info.recentActions[0].action.workflow.workflowId);
  const { caseId } = (await run.result()) as { caseId: string };
  opened.push(caseId);
  expect(caseId).toMatch(/^CPR-/);

  // Paused, and a restart (the worker applying master data again) does not unpause it.
  expect(await ensureSchedules(h.client, h.db, downQueue, { jobIds: [jobId] })).toEqual([jobId]);
  await new Promise((r) => setTimeout(r, 6_000));
  const quiet = await schedule.describe();
  expect(quiet.state.paused).toBe(true);
  expect(quiet.info.recentActions).toHaveLength(1);
  const cases = await h
    .db('cases')
    .where({ requester: `schedule:${jobId}` })
    .select('case_id');
  expect(cases.map((c: { case_id: string }) => c.case_id)).toEqual([caseId]);

  const listed = await request(h.app)
    .get('/api/v1/admin/schedules')
    .set('Authorization', await h.bearer(admin));
  expect(listed.status).toBe(200);
  expect(listed.body.items).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ id: jobId, kind: 'change-plan-review', paused: true, overlap: 'SKIP' }),
    ]),
  );

  // Resumed: it fires again from its next slot.
  const resumed = await request(h.app)
    .post(`/api/v1/admin/schedules/${jobId}/unpause`)
    .set('Authorization', await h.bearer(admin))
    .send({ reason: 'migration done' });
  expect(resumed.body).toMatchObject({ paused: false, temporal: { paused: false } });
  expect(resumed.body.events.map((e: { action: string }) => e.action)).toEqual(['paused', 'unpaused']);
  const again = await eventually(async () => {
    const d = await schedule.describe();
    return d.info.recentActions.length >= 2 ? d : null;
  }, 'a run after resuming');
  await schedule.pause('test over');
  for (const a of again.info.recentActions.slice(1)) {
    const result = (await h.client.workflow.getHandle(a.action.workflow.workflowId).result()) as {
      caseId: string;
    };
    opened.push(result.caseId);
  }
});
