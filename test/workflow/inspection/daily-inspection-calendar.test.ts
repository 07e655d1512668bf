/**
 * The daily inspection follows China's official working calendar: across the 2026 Mid-autumn and
 * National Day holidays the daily job fires every morning at 08:30, and a case is opened only on
 * working days — not on the holidays (25 Sep, 1–7 Oct) nor on Sunday, but yes on the make-up
 * Saturday 10 Oct (调休). A check not done by its due time escalates; done late, the ledger says so.
 *
 * The time-skipping server starts on 24 Sep 2026 (its clock set by `TestServerAt.java`); it runs
 * no Temporal Schedules, so the test fires the job's workflow each morning as the schedule would,
 * with the same arguments (`runtime/schedules/`), and the run reads the day from its start time.
 */
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { syncOfficialHolidays } from '../../../db/official-holidays';
import type { ScheduledStart } from '../../../workflows/contracts/scheduled-start';
import type { InspectionJob } from '../../../workflows/inspection/request-form';
import { caseEvents } from '../../support/cases';
import { ChangeDriver } from '../../support/change-cases';
import { isolatedChangeDb, type IsolatedDb } from '../../support/change-db';
import {
  createTestWorker,
  releaseStrayTimeSkippingLock,
  timeSkippingEnvironment,
} from '../../support/temporal';

const taskQueue = 'inspection-calendar';
const engineer = { id: 'ins-engineer', roles: ['ops_engineer'] };
const allOk = { businessNodes: 'ok', tableSpace: 'ok', diskSpace: 'ok', logs: 'ok', services: 'ok' };
const job: ScheduledStart<InspectionJob> = {
  scheduled: {
    jobId: 'daily-inspection',
    kind: 'inspection',
    timeZone: 'Asia/Shanghai',
    args: { scope: 'daily', calendarId: 'default', dueBy: '12:00', systems: ['si-core', 'si-hr'] },
  },
};

let env: TestWorkflowEnvironment;
let own: IsolatedDb;
let worker: Worker;
let running: Promise<void>;
let client: Client;

beforeAll(async () => {
  env = await timeSkippingEnvironment({ startAt: Date.parse('2026-09-24T00:00:00+08:00') });
  own = await isolatedChangeDb('inspection');
  await syncOfficialHolidays(own.db);
  worker = await createTestWorker({ connection: env.nativeConnection, taskQueue, db: own.db });
  running = worker.run();
  // A plain client: waiting for a result must not let the server skip time past the morning.
  client = new Client({ connection: env.connection });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await own?.drop();
  await env?.teardown();
});

async function morningOf(date: string): Promise<{ opened: boolean; caseId?: string; date: string }> {
  const at = Date.parse(`${date}T08:30:00+08:00`);
  await env.sleep(at - (await env.currentTimeMs()));
  const handle = await client.workflow.start('routineInspection', {
    taskQueue,
    workflowId: `daily-inspection-opening-${date}`,
    args: [job],
  });
  return handle.result();
}

const releaseClosingUpdateLock = () => releaseStrayTimeSkippingLock(env);

async function checkAll(caseId: string): Promise<ChangeDriver> {
  const c = new ChangeDriver(client.workflow.getHandle(caseId), own.db);
  const view = await c.pending('dailyCheck');
  for (const step of view.pendingSteps.map((s) => s.step)) await c.complete(step, engineer, allOk);
  return c;
}

test('a daily inspection on every working day of the holiday fortnight, on the make-up Saturday, and not on a holiday', async () => {
  const days = [
    '2026-09-24',
    '2026-09-25',
    '2026-09-26',
    '2026-09-27',
    '2026-09-28',
    '2026-09-29',
    '2026-09-30',
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
    '2026-10-08',
    '2026-10-09',
    '2026-10-10',
    '2026-10-11',
  ];
  const opened: string[] = [];
  for (const date of days) {
    const run = await morningOf(date);
    expect(run.date).toBe(date);
    if (!run.opened) continue;
    opened.push(date);
    if (date === '2026-10-10') {
      // The make-up Saturday's round: nobody checks by noon, so it escalates; done at 14:00, it is late.
      const c = new ChangeDriver(client.workflow.getHandle(run.caseId!), own.db);
      const view = await c.pending('dailyCheck');
      expect(view.pendingSteps.map((s) => s.title).sort()).toEqual([
        'Daily inspection: si-core',
        'Daily inspection: si-hr',
      ]);
      expect(view.pendingSteps[0].dueAt).toBe('2026-10-10T04:00:00.000Z');
      await env.sleep(Date.parse('2026-10-10T14:00:00+08:00') - (await env.currentTimeMs()));
      const types = (await caseEvents(own.db, run.caseId!)).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['sla.overdue', 'sla.escalated']));
      await checkAll(run.caseId!);
      const closed = await c.closed();
      await releaseClosingUpdateLock();
      expect(closed.outcome).toBe('normal');
      expect(closed.fields.lateChecks).toEqual(['si-core', 'si-hr']);
    } else {
      const closed = await (await checkAll(run.caseId!)).closed();
      await releaseClosingUpdateLock();
      expect(closed.fields.lateChecks).toEqual([]);
    }
  }
  expect(opened).toEqual([
    '2026-09-24',
    '2026-09-28',
    '2026-09-29',
    '2026-09-30',
    '2026-10-08',
    '2026-10-09',
    '2026-10-10',
  ]);
  const cases = await own
    .db('cases')
    .where({ process: 'inspection' })
    .orderBy('case_id')
    .select('title', 'requester');
  expect(cases.map((c: { title: string }) => c.title)).toEqual(opened.map((d) => `Daily inspection ${d}`));
  expect(cases.every((c: { requester: string }) => c.requester === 'schedule:daily-inspection')).toBe(true);
}, 600_000);

test('the annual comprehensive inspection ends in a formal inspection report the O&M head accepts', async () => {
  await env.sleep(Date.parse('2026-12-01T09:00:00+08:00') - (await env.currentTimeMs()));
  const handle = await client.workflow.start('routineInspection', {
    taskQueue,
    workflowId: 'annual-inspection-opening-2026',
    args: [
      {
        scheduled: {
          jobId: 'annual-inspection',
          kind: 'inspection',
          timeZone: 'Asia/Shanghai',
          args: { scope: 'annual', systems: ['si-core', 'si-hr'] },
        },
      },
    ],
  });
  const run = (await handle.result()) as { opened: boolean; date: string; caseId: string };
  expect(run).toMatchObject({ opened: true, date: '2026-12-01' });
  const c = new ChangeDriver(client.workflow.getHandle(run.caseId), own.db);
  const view = await c.pending('annualCheck');
  expect(view.title).toBe('Annual comprehensive inspection 2026');
  for (const step of view.pendingSteps.map((s) => s.step)) {
    await c.complete(step, engineer, {
      tableSpaceUsagePercent: 71,
      diskUsagePercent: 64,
      obsoleteLogsDeleted: true,
      servicesRestarted: true,
      findings: 'table space USERS at 71 %',
      result: 'findings',
    });
  }
  await c.complete('inspectionReport', engineer, {
    summary: 'Both systems inspected in full',
    findings: 'Table space USERS at 71 % on si-core',
    recommendations: 'Extend USERS before the year-end batch',
    reportRef: 'ARCH-2026-INS-12',
  });
  await c.decide(
    'inspectionReportAcceptance',
    { id: 'ins-ops-head', roles: ['ops_head'] },
    'approve',
    'accepted',
  );
  const closed = await c.closed();
  await releaseClosingUpdateLock();
  expect(closed.outcome).toBe('report_accepted');
  expect(closed.fields.systemChecks).toEqual([
    expect.objectContaining({ system: 'si-core', checkedBy: engineer.id, tableSpaceUsagePercent: 71 }),
    expect.objectContaining({ system: 'si-hr', checkedBy: engineer.id }),
  ]);
  expect(closed.fields.report).toMatchObject({ reportRef: 'ARCH-2026-INS-12' });
}, 300_000);
