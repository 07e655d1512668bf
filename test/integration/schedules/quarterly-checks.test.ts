/**
 * The quarterly checks (001 §36(3)(4)) opened by their schedules, on the dev server with a
 * database of their own: the documentation check lists, per case closed in the last quarter,
 * the required forms and attachments it lacks, as the checklist task of the responsible role
 * (PMO); the security section's check is a task of its own.
 */
import { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { upsertPeriodicJob } from '../../../db/periodic-jobs';
import { ensureSchedules } from '../../../runtime/schedules';
import { previousQuarter, quarterRange } from '../../../workflows/contracts/periods';
import { localDateOf } from '../../../workflows/contracts/working-day';
import { uniqueProcess } from '../../support/cases';
import { ChangeDriver } from '../../support/change-cases';
import { isolatedChangeDb, type IsolatedDb } from '../../support/change-db';
import { eventually } from '../../support/db';
import { createTestWorker, devServerConnection } from '../../support/temporal';

const taskQueue = uniqueProcess('qck-queue');
const documentationJob = uniqueProcess('qck-docs');
const securityJob = uniqueProcess('qck-sec');
const year = new Date().getUTCFullYear();
const pmo = { id: 'qck-pmo', roles: ['pmo'] };
const security = { id: 'qck-security', roles: ['security_officer'] };

let own: IsolatedDb;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let client: Client;
const opened: string[] = [];

beforeAll(async () => {
  own = await isolatedChangeDb('qck');
  await own.db('case_number_counters').insert({
    prefix: 'QCK',
    year,
    last_value: 100_000_000 + Math.floor(Math.random() * 800_000_000),
  });
  connection = await devServerConnection();
  client = new Client({ connection });
  worker = await createTestWorker({ connection, taskQueue, db: own.db });
  running = worker.run();
});

afterAll(async () => {
  for (const id of [documentationJob, securityJob]) {
    await client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  }
  for (const id of opened) {
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

/** A closed case as the read model holds it. */
function closedCase(caseId: string, process: string, closedAt: string, fields: Record<string, unknown>) {
  return {
    case_id: caseId,
    version: 1,
    process,
    title: `${process} ${caseId}`,
    state: 'closed',
    stage: 'closed',
    priority: 'normal',
    requester: 'qck-requester',
    created_at: closedAt,
    updated_at: closedAt,
    closed_at: closedAt,
    fields: JSON.stringify(fields),
  };
}

async function openedBy(jobId: string): Promise<ChangeDriver> {
  const schedule = client.schedule.getHandle(jobId);
  await schedule.trigger();
  const action = await eventually(async () => (await schedule.describe()).info.recentActions[0], 'a run');
  const { caseId } = (await client.workflow.getHandle(action.action.workflow.workflowId).result()) as {
    caseId: string;
  };
  opened.push(caseId);
  return new ChangeDriver(client.workflow.getHandle(caseId), own.db);
}

test('the last quarter’s documentation gaps per case, as the PMO’s checklist; the security check as its own task', async () => {
  const quarter = previousQuarter(localDateOf(Date.now(), 'Asia/Shanghai'));
  const inQuarter = `${quarterRange(quarter).from}T10:00:00+08:00`;
  const complete = {
    urgency: 'normal',
    outcome: 'succeeded',
    goalMet: true,
    assessment: { riskLevel: 'low' },
    plan: { implementationSteps: ['x'] },
    testReport: { passed: true },
    securityPreReview: { cleared: true },
    userTestConfirmation: { confirmed: true },
    window: { windowStart: inQuarter, windowEnd: inQuarter },
    implementation: { result: 'succeeded' },
    confirmedBy: 'qck-head',
  };
  const { testReport: _t, confirmedBy: _c, ...lacking } = complete;
  await own.db('cases').insert([
    closedCase(`CHG-${year}-000000101`, 'change', inQuarter, complete),
    closedCase(`CHG-${year}-000000102`, 'change', inQuarter, lacking),
    closedCase(`CHG-${year}-000000103`, 'change', inQuarter, { urgency: 'normal', outcome: 'rejected' }),
    closedCase(`EMG-${year}-000000104`, 'emergency', inQuarter, {
      outcome: 'recovered',
      recoveryReport: {},
    }),
  ]);
  await upsertPeriodicJob(own.db, {
    id: documentationJob,
    kind: 'quarterly-check',
    title: 'Documentation completeness (test)',
    spec: { cron: '0 9 10 1,4,7,10 *' },
    args: { checkType: 'documentation', responsibleRole: 'pmo' },
  });
  await upsertPeriodicJob(own.db, {
    id: securityJob,
    kind: 'quarterly-check',
    title: 'Security check (test)',
    spec: { cron: '0 9 10 1,4,7,10 *' },
    args: { checkType: 'security' },
  });
  expect(
    (await ensureSchedules(client, own.db, taskQueue, { jobIds: [documentationJob, securityJob] })).sort(),
  ).toEqual([documentationJob, securityJob].sort());

  const docs = await openedBy(documentationJob);
  const view = await docs.pending('documentationCheck');
  expect(view.title).toBe(`Documentation completeness ${quarter}`);
  expect(view.pendingSteps[0].assignees).toEqual(['role:pmo']);
  expect(view.fields.completeness).toMatchObject({
    checked: 3, // the rejected change owes nothing
    complete: 1,
    incomplete: [
      {
        caseId: `CHG-${year}-000000102`,
        missing: ['signed test report', 'department head confirmation'],
      },
      { caseId: `EMG-${year}-000000104`, missing: ['summary report'] },
    ],
  });
  await docs.complete('documentationCheck', pmo, {
    conclusion: 'gaps_found',
    remarks: 'two cases lack documents',
    rectifications: [
      { caseId: `CHG-${year}-000000102`, action: 'test center signs the report by the 20th' },
      { caseId: `EMG-${year}-000000104`, action: 'handler writes the summary report' },
    ],
  });
  expect((await docs.closed()).outcome).toBe('gaps_found');

  const sec = await openedBy(securityJob);
  const secView = await sec.pending('securityCheck');
  expect(secView.title).toBe(`Security check ${quarter}`);
  expect(secView.pendingSteps[0].assignees).toEqual(['role:security_officer']);
  await sec.complete('securityCheck', security, {
    scope: 'access rights of the quarter’s changes',
    findings: 'none',
    result: 'no_findings',
    measures: [],
  });
  expect((await sec.closed()).outcome).toBe('no_findings');
});
