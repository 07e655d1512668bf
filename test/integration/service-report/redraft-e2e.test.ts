/**
 * The O&M head sends a monthly service report back, as its users meet it through the HTTP API
 * (only what /openapi.json and the case response publish): "request changes" with a comment
 * moves the report back to drafting, where its drafter is told with the comment and has a redraft
 * task; the period's data is corrected meanwhile, and once the redraft is done the figures are
 * frozen again and a second approval round opens. Approved, it is distributed, and the archive
 * holds the figures of the approved round — the same document on every render. A rejection
 * still closes the report `not_approved`, with nothing mailed.
 */
import request from 'supertest';
import { upsertSystem } from '../../../db/api-master-data';
import { upsertCaseProjection } from '../../../db/cases';
import { eventually } from '../../support/db';
import { startHarness, type Harness } from '../api/harness';

type Schema = Record<string, unknown>;

const run = Math.random().toString(36).slice(2, 8);
const list = `sr-redraft-${run}`;
const system = `sr-redraft-${run}`;
const change = `CHG-SRR-${run}`;
const missedEmergency = `EMG-SRR-${run}`;

let h: Harness;
let engineer: string;
let opsHead: string;
let pmo: string;
const reports: string[] = [];

const base = {
  version: 1,
  priority: 'normal',
  system,
  assignees: [],
  dueAt: null,
  overdue: false,
};

beforeAll(async () => {
  h = await startHarness();
  engineer = await h.user('srr-engineer', ['ops_engineer']);
  opsHead = await h.user('srr-head', ['ops_head']);
  pmo = await h.user('srr-pmo', ['pmo']);
  const admin = await h.user('srr-admin', ['admin']);
  const stored = await request(h.app)
    .put(`/api/v1/admin/service-report-lists/${list}`)
    .set('Authorization', await h.bearer(admin))
    .send({ members: [pmo] });
  expect(stored.status).toBe(200);
  await h.db('users').where({ id: admin }).update({ active: false });
  await upsertSystem(h.db, {
    id: system,
    name: 'redraft test',
    ownerDepartmentId: null,
    vendorId: null,
    active: true,
  });
  // The month as first drafted: one change on the system.
  await upsertCaseProjection(h.db, {
    ...base,
    caseId: change,
    process: 'change',
    title: '调整批处理窗口',
    requester: engineer,
    state: 'closed',
    stage: 'closed',
    createdAt: '2026-04-02T01:00:00Z',
    updatedAt: '2026-04-09T01:00:00Z',
    closedAt: '2026-04-09T01:00:00Z',
    fields: { changeType: 'normal', outcome: 'succeeded' },
  });
}, 120_000);

afterAll(async () => {
  for (const id of reports) {
    await h.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  }
  await h.db('service_report_snapshots').whereIn('case_id', reports).delete();
  await h.db('cases').whereIn('case_id', [change, missedEmergency]).delete();
  await h.db('service_report_distribution').where({ list_id: list }).delete();
  await h.db('systems').where({ id: system }).delete();
  await h.db('users').whereIn('id', [engineer, opsHead, pmo]).update({ active: false });
  await h?.close();
});

async function view(caseId: string, as = opsHead) {
  const res = await request(h.app)
    .get(`/api/v1/cases/${caseId}`)
    .set('Authorization', await h.bearer(as));
  expect(res.status).toBe(200);
  return res.body;
}

async function draftReport(): Promise<string> {
  const started = await request(h.app)
    .post('/api/v1/cases/service-report')
    .set('Authorization', await h.bearer(engineer))
    .send({ month: '2026-04', system, distributionList: list });
  expect(started.status).toBe(201);
  reports.push(started.body.caseId);
  return started.body.caseId;
}

/** The first pending step once it is the one named, as the case response shows it. */
async function pendingStep(caseId: string, step: string) {
  return eventually(
    async () => {
      const body = await view(caseId);
      const found = (body.pendingSteps ?? []).find((s: { step: string }) => s.step === step);
      return found ? { body, step: found } : null;
    },
    `${caseId} to wait at ${step}`,
    60_000,
  );
}

/** The decisions the decide operation accepts, read from the published contract. */
async function publishedDecisions(): Promise<string[]> {
  const doc = (await request(h.app).get('/openapi.json')).body as Schema;
  const resolve = (s: Schema): Schema =>
    typeof s.$ref === 'string'
      ? resolve((doc.components as { schemas: Record<string, Schema> }).schemas[s.$ref.split('/').pop()!])
      : s;
  const op = (doc.paths as Record<string, Record<string, Schema>>)['/api/v1/cases/{id}/decisions'].post;
  const body = resolve(
    (op.requestBody as { content: Record<string, { schema: Schema }> }).content['application/json'].schema,
  );
  return (body.properties as Record<string, Schema>).decision.enum as string[];
}

test('request changes → back to drafting with the comment → redrafted over corrected data → round 2 approved → distributed with those figures', async () => {
  expect(await publishedDecisions()).toEqual(
    expect.arrayContaining(['approve', 'reject', 'request_changes']),
  );
  const caseId = await draftReport();

  const first = await pendingStep(caseId, 'reportApproval');
  expect(first.step).toMatchObject({ action: 'decide', assignees: ['role:ops_head'] });
  expect(first.body.fields.draft).toMatchObject({ draft: 1, coveredCases: 1, emergencies: 0 });

  const comment = '4月3日的应急事件漏报了，请补录后重新出具 The 3 April outage is missing';
  const sentBack = await request(h.app)
    .post(`/api/v1/cases/${caseId}/decisions`)
    .set('Authorization', await h.bearer(opsHead))
    .send({ step: first.step.step, decision: 'request_changes', comment });
  expect(sentBack.status).toBe(200);

  // Back to drafting: not closed, the drafter holds a redraft task whose form is published.
  const redraft = await pendingStep(caseId, 'redraftReport');
  expect(redraft.body).toMatchObject({ status: 'open', stage: 'drafting' });
  expect(redraft.step).toMatchObject({ action: 'complete', assignees: [engineer] });
  const doc = (await request(h.app).get('/openapi.json')).body;
  expect(redraft.step.formRef).toBe('service-report.redraftReport');
  expect(doc.components.schemas['service-report.redraftReport']).toMatchObject({ required: ['corrections'] });
  // …and is told, with the head's comment.
  const told = await eventually(
    async () =>
      (
        await h.db('notification_outbox').where({ case_id: caseId, template: 'service-report-returned' })
      )[0] ?? null,
    'the drafter to be told',
  );
  expect(told).toMatchObject({
    recipient_user_id: engineer,
    data: expect.objectContaining({ comments: [comment] }),
  });

  // The period's data is corrected: the missed emergency is recorded (recovered after 50 minutes).
  await upsertCaseProjection(h.db, {
    ...base,
    caseId: missedEmergency,
    process: 'emergency',
    title: '批处理中断',
    priority: 'III',
    requester: engineer,
    state: 'closed',
    stage: 'closed',
    createdAt: '2026-04-03T02:00:00Z',
    updatedAt: '2026-04-03T02:50:00Z',
    closedAt: '2026-04-03T02:50:00Z',
    fields: { milestones: { recovered: { at: '2026-04-03T02:50:00Z', outcome: 'met' } } },
  });
  const done = await request(h.app)
    .post(`/api/v1/cases/${caseId}/tasks/${encodeURIComponent(redraft.step.step)}/complete`)
    .set('Authorization', await h.bearer(engineer))
    .send({ form: { corrections: `补录 ${missedEmergency}` } });
  expect(done.status).toBe(200);

  // A second approval round over the refrozen figures.
  const second = await pendingStep(caseId, 'reportApproval#2');
  expect(second.step).toMatchObject({ action: 'decide', assignees: ['role:ops_head'] });
  expect(second.body.stage).toBe('reportApproval');
  expect(second.body.fields.draft).toMatchObject({ draft: 2, coveredCases: 2, emergencies: 1 });
  expect(second.body.fields.redrafts).toEqual([
    expect.objectContaining({
      draft: 2,
      comments: [comment],
      corrections: `补录 ${missedEmergency}`,
      by: engineer,
    }),
  ]);
  const approved = await request(h.app)
    .post(`/api/v1/cases/${caseId}/decisions`)
    .set('Authorization', await h.bearer(opsHead))
    .send({ step: second.step.step, decision: 'approve', comment: '同意' });
  expect(approved.status).toBe(200);

  const closed = await eventually(
    async () => {
      const body = await view(caseId);
      return body.status === 'closed' ? body : null;
    },
    'the report to be distributed',
    60_000,
  );
  expect(closed.outcome).toBe('distributed');
  expect(closed.fields.approval).toMatchObject({ outcome: 'approved', by: opsHead, draft: 2 });
  expect(closed.fields.distributedTo).toEqual([pmo]);

  // The archive is the approved round's document, and renders the same each time.
  const archived = async (format: 'json' | 'html') =>
    request(h.app)
      .get(`/api/v1/reports/service/${caseId}?format=${format}`)
      .set('Authorization', await h.bearer(opsHead));
  const json = await archived('json');
  expect(json.status).toBe(200);
  expect(json.body.figures.emergencies).toEqual([
    expect.objectContaining({ caseId: missedEmergency, recoveryMinutes: 50 }),
  ]);
  const [once, twice] = [await archived('html'), await archived('html')];
  expect(once.status).toBe(200);
  expect(once.text).toContain(missedEmergency);
  expect(twice.text).toBe(once.text);
  // The first draft is kept beside it, numbered.
  const drafts = await h.db('service_report_snapshots').where({ case_id: caseId }).orderBy('draft');
  expect(
    drafts.map((d: { draft: number; covered_cases: string[] }) => [d.draft, d.covered_cases.length]),
  ).toEqual([
    [1, 1],
    [2, 2],
  ]);
}, 240_000);

test('a rejection still closes the report not approved, and nothing is mailed', async () => {
  const caseId = await draftReport();
  const step = await pendingStep(caseId, 'reportApproval');
  const rejected = await request(h.app)
    .post(`/api/v1/cases/${caseId}/decisions`)
    .set('Authorization', await h.bearer(opsHead))
    .send({ step: step.step.step, decision: 'reject', comment: '本月报告作废' });
  expect(rejected.status).toBe(200);
  const closed = await eventually(
    async () => {
      const body = await view(caseId);
      return body.status === 'closed' ? body : null;
    },
    'the report to close',
    60_000,
  );
  expect(closed.outcome).toBe('not_approved');
  expect(
    await h
      .db('notification_outbox')
      .where({ case_id: caseId })
      .whereIn('template', ['service-report-distributed', 'service-report-returned']),
  ).toEqual([]);
}, 120_000);
