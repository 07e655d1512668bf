/**
 * The weekly change-plan review on the dev server, started by its Temporal Schedule: two standard
 * changes scheduled on the same system next Saturday night are listed for the O&M head with
 * system, window, risk, who scheduled and who implements, and their clash; a comment on one goes
 * back to that change's audit trail. A database of its own: the plan is read from the read model,
 * which must hold this file's changes only.
 */
import { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { upsertStandardChange } from '../../../db/change-catalogue';
import { upsertPeriodicJob } from '../../../db/periodic-jobs';
import { ensureSchedules } from '../../../runtime/schedules';
import { addDays, localDateOf } from '../../../workflows/contracts/working-day';
import { isoWeekday } from '../../../workflows/contracts/working-time';
import { caseEvents, uniqueProcess } from '../../support/cases';
import { ChangeDriver, changeRequest, forms, givenChangeDirectory, people } from '../../support/change-cases';
import { isolatedChangeDb, type IsolatedDb } from '../../support/change-db';
import { eventually } from '../../support/db';
import { createTestWorker, devServerConnection } from '../../support/temporal';

const taskQueue = uniqueProcess('cpr-queue');
const jobId = uniqueProcess('cpr-weekly');
const system = uniqueProcess('cpr-core');
const template = uniqueProcess('std-restart');
const year = new Date().getUTCFullYear();
const serial = () => 100_000_000 + Math.floor(Math.random() * 800_000_000);

let own: IsolatedDb;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let client: Client;
const started: string[] = [];

beforeAll(async () => {
  own = await isolatedChangeDb('cpr');
  await givenChangeDirectory(own.db);
  // Case numbers far from the shared database's, on the shared dev server.
  await own.db('case_number_counters').insert({ prefix: 'CPR', year, last_value: serial() });
  await upsertStandardChange(own.db, {
    id: template,
    name: 'Restart the batch scheduler service',
    changeType: 'configuration_change',
    systems: [system],
    implementationSteps: ['stop scheduler', 'start scheduler'],
    rollbackSteps: ['start previous scheduler binary'],
    approvedBy: 'chg-it-head',
    approvedAt: '2026-01-15T10:00:00+08:00',
    active: true,
  });
  connection = await devServerConnection();
  client = new Client({ connection });
  worker = await createTestWorker({ connection, taskQueue, db: own.db });
  running = worker.run();
});

afterAll(async () => {
  await client.schedule
    .getHandle(jobId)
    .delete()
    .catch(() => undefined);
  for (const id of started) {
    await client.workflow
      .getHandle(id)
      .terminate('test done')
      .catch(() => undefined);
  }
  worker?.shutdown();
  await running;
  await connection?.close();
  await own?.drop();
});

/** A standard change scheduled in the window, waiting for its implementation. */
async function scheduledChange(window: { windowStart: string; windowEnd: string }): Promise<ChangeDriver> {
  const caseId = `CHG-${year}-${serial()}`;
  const request = changeRequest({
    changeType: 'configuration_change',
    standardChangeId: template,
    affectedSystems: [system],
  });
  const handle = await client.workflow.start('changeProcess', {
    taskQueue,
    workflowId: caseId,
    args: [
      {
        caseId,
        process: 'change',
        title: request.title,
        requester: people.requester.id,
        priority: request.urgency,
        system,
        fields: { ...request },
      },
    ],
  });
  started.push(caseId);
  const c = new ChangeDriver(handle, own.db);
  await c.complete('scheduling', people.opsEngineer, forms.schedule(window));
  // A scheduled change waits for its window before the implementation opens (re-checked at go-live).
  await eventually(
    async () => (await own.db('cases').where({ case_id: caseId, stage: 'scheduled' }).first()) ?? null,
    `${caseId} waiting for its window`,
  );
  return c;
}

test('the weekly schedule opens the review of next week’s changes; a comment goes back to the change', async () => {
  const today = localDateOf(Date.now(), 'Asia/Shanghai');
  const monday = isoWeekday(today) === 1 ? today : addDays(today, 8 - isoWeekday(today));
  const saturday = addDays(monday, 5);
  const window = {
    windowStart: `${saturday}T22:00:00+08:00`,
    windowEnd: `${addDays(saturday, 1)}T01:00:00+08:00`,
  };
  const first = await scheduledChange(window);
  const second = await scheduledChange(window);
  await eventually(async () => {
    const rows = await own.db('cases').whereIn('case_id', started).whereRaw("fields->'window' IS NOT NULL");
    return rows.length === 2;
  }, 'both windows in the read model');

  // The job as master data, made a schedule twice (two worker starts): one schedule.
  await upsertPeriodicJob(own.db, {
    id: jobId,
    kind: 'change-plan-review',
    title: 'Weekly change-plan review (test)',
    spec: { cron: '0 9 * * 5' },
  });
  expect(await ensureSchedules(client, own.db, taskQueue, { jobIds: [jobId] })).toEqual([jobId]);
  expect(await ensureSchedules(client, own.db, taskQueue, { jobIds: [jobId] })).toEqual([jobId]);
  const schedule = client.schedule.getHandle(jobId);
  const described = await schedule.describe();
  expect(described.info.nextActionTimes[0].getUTCDay()).toBe(5); // Friday
  expect(described.info.nextActionTimes[0].getUTCHours()).toBe(1); // 09:00 in Shanghai

  await schedule.trigger();
  const action = await eventually(async () => (await schedule.describe()).info.recentActions[0], 'a run');
  const { caseId } = (await client.workflow.getHandle(action.action.workflow.workflowId).result()) as {
    caseId: string;
  };
  expect(caseId).toMatch(/^CPR-\d{4}-\d{6,}$/);
  started.push(caseId);
  const review = new ChangeDriver(client.workflow.getHandle(caseId), own.db);
  const view = await review.pending('planReview');
  expect(view.title).toBe(`Change plan for the week of ${monday}`);
  const [a, b] = [first.handle.workflowId, second.handle.workflowId];
  expect(view.fields.changes).toEqual([
    expect.objectContaining({
      caseId: expect.any(String),
      systems: [system],
      windowStart: window.windowStart,
      windowEnd: window.windowEnd,
      riskLevel: 'low',
      scheduledBy: people.opsEngineer.id,
      // Nobody holds the implementation before it opens at its window: the review names the
      // O&M engineers' queue it will open to, what the head weighs the week's resources against.
      implementer: ['role:ops_engineer'],
    }),
    expect.objectContaining({ systems: [system], implementer: ['role:ops_engineer'] }),
  ]);
  const listed = (view.fields.changes as Array<{ caseId: string; conflicts: string[] }>).map((c) => [
    c.caseId,
    c.conflicts,
  ]);
  expect(listed).toEqual(
    expect.arrayContaining([
      [a, [b]],
      [b, [a]],
    ]),
  );

  // A comment on a change not in the plan would reach no one: refused, naming the field.
  const refused = await review.refusal(
    review.complete('planReview', people.opsHead, {
      resourcesAdequate: true,
      conclusion: 'plan_approved',
      opinion: 'ok',
      comments: [{ caseId: `CHG-${year}-000000001`, comment: 'which one?' }],
    }),
  );
  expect(refused).toMatchObject({
    code: 'FORM_REFUSED',
    message: expect.stringContaining("is not a change of this week's plan"),
  });

  await review.complete('planReview', people.opsHead, {
    resourcesAdequate: false,
    conclusion: 'plan_needs_changes',
    opinion: 'Two restarts of the same scheduler in one window: one vendor engineer only',
    comments: [{ caseId: a, comment: 'Move to Sunday night; the vendor engineer is booked on Saturday' }],
  });
  const closed = await review.closed();
  expect(closed.outcome).toBe('plan_needs_changes');

  const note = await eventually(
    async () => (await caseEvents(own.db, a)).find((e) => e.type === 'case.note'),
    'the note on the change',
  );
  expect(note).toMatchObject({
    actor: people.opsHead.id,
    channel: 'system',
    data: {
      text: 'Move to Sunday night; the vendor engineer is booked on Saturday',
      fromCaseId: caseId,
      fromStep: 'planReview',
    },
  });
  expect((await caseEvents(own.db, b)).some((e) => e.type === 'case.note')).toBe(false);
});
