/**
 * The monthly service report runs from its periodic job: a `service-report` job becomes a Temporal
 * Schedule (cron in Asia/Shanghai) and, when it fires, drafts last month's report as a case of its
 * own that waits for the O&M head. The job here is this file's own, on a system of its own.
 */
import request from 'supertest';
import { upsertPeriodicJob } from '../../../db/periodic-jobs';
import { ensureSchedules } from '../../../runtime/schedules/ensure';
import { localDateOf } from '../../../workflows/contracts/working-day';
import { monthBefore } from '../../../workflows/service-report/request-form';
import { eventually } from '../../support/db';
import { startHarness, type Harness } from '../api/harness';

let h: Harness;
const run = Math.random().toString(36).slice(2, 8);
const jobId = `sr-monthly-${run}`;
const system = `sr-sched-${run}`;
let opened: string | null = null;
let opsHead = '';

beforeAll(async () => {
  h = await startHarness();
}, 120_000);

afterAll(async () => {
  await h.client.schedule
    .getHandle(jobId)
    .delete()
    .catch(() => undefined);
  if (opened) {
    await h.client.workflow
      .getHandle(opened)
      .terminate('test over')
      .catch(() => undefined);
    await h.db('service_report_snapshots').where({ case_id: opened }).delete();
  }
  await h.db('periodic_jobs').where({ id: jobId }).delete();
  if (opsHead) await h.db('users').where({ id: opsHead }).update({ active: false });
  await h.close();
});

test('the monthly job is a schedule that drafts last month’s report for the O&M head', async () => {
  opsHead = await h.user('sr-sched-head', ['ops_head']);
  await upsertPeriodicJob(h.db, {
    id: jobId,
    kind: 'service-report',
    title: '月度服务报告 Monthly service report',
    spec: { cron: '0 9 1 * *' },
    timeZone: 'Asia/Shanghai',
    args: { system, distributionList: `sr-none-${run}` },
  });
  expect(await ensureSchedules(h.client, h.db, h.config.temporal.taskQueue, { jobIds: [jobId] })).toEqual([
    jobId,
  ]);
  const handle = h.client.schedule.getHandle(jobId);
  const described = await handle.describe();
  expect(described.spec.timezone).toBe('Asia/Shanghai');

  await handle.trigger();
  const firedOn = localDateOf(Date.now(), 'Asia/Shanghai');
  const row = await eventually(
    async () => h.db('cases').where({ process: 'service-report', system }).first(),
    'the scheduled report case',
    60_000,
  );
  opened = row.case_id as string;
  expect(row.fields).toMatchObject({ month: monthBefore(firedOn), system });
  const view = await eventually(
    async () => {
      const res = await request(h.app)
        .get(`/api/v1/cases/${opened}`)
        .set('Authorization', await h.bearer(opsHead));
      return res.body.pendingSteps?.[0]?.step === 'reportApproval' ? res.body : null;
    },
    'the report to wait for the O&M head',
    60_000,
  );
  expect(view.requester).toBe(`schedule:${jobId}`);
}, 180_000);
