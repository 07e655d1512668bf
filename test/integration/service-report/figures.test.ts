/**
 * The monthly service report's figures against a hand count: a month (March 2026, Asia/Shanghai)
 * of changes, a release, emergencies, defects and SLA events seeded into the read model and the
 * audit trail on a system of this file's own, read through the API as JSON — organisation-wide,
 * and through the case-access rule for a requester and for the system's vendor. Sections whose
 * process has no case in scope say "no data" (null), never 0. An archived report keeps its
 * figures and renders the same document twice.
 */
import request from 'supertest';
import { appendCaseEvents } from '../../../db/audit';
import { upsertCaseProjection } from '../../../db/cases';
import { upsertSystem } from '../../../db/api-master-data';
import { freezeServiceReport } from '../../../db/service-report-snapshots';
import type { CaseEventRecord } from '../../../workflows/contracts/case-records';
import { startHarness, type Harness } from '../api/harness';

let h: Harness;
let system: string;
let vendorId: string;
let opsHead: string;
let requester: string;
let vendorStaff: string;
const run = Math.random().toString(36).slice(2, 8);
const ids: string[] = [];

/** A read-model row of the system under test. */
async function seedCase(
  caseId: string,
  process: string,
  created: string,
  closed: string | null,
  fields: Record<string, unknown> = {},
  extra: { requester?: string; priority?: string; title?: string } = {},
) {
  ids.push(caseId);
  await upsertCaseProjection(h.db, {
    caseId,
    version: 1,
    process,
    title: extra.title ?? `${process} ${caseId}`,
    state: closed ? 'closed' : 'open',
    stage: closed ? 'closed' : 'working',
    priority: extra.priority ?? 'normal',
    system,
    requester: extra.requester ?? `someone-${run}`,
    assignees: [],
    dueAt: null,
    overdue: false,
    createdAt: created,
    updatedAt: closed ?? created,
    closedAt: closed,
    fields,
  });
}

/** Audit events of a case, hash-chained as the workflow would write them. */
async function seedEvents(
  caseId: string,
  events: Array<[type: string, at: string, data: Record<string, unknown>]>,
) {
  const records: CaseEventRecord[] = events.map(([type, occurredAt, data], i) => ({
    caseId,
    seq: i + 1,
    type,
    occurredAt,
    actor: null,
    channel: 'system',
    data,
  }));
  await h.db.transaction((trx) => appendCaseEvents(trx, caseId, records));
}

const id = (name: string) => `${name}-${run}`;

beforeAll(async () => {
  h = await startHarness();
  vendorId = await h.vendor('sr-vendor');
  system = id('sr-sys');
  await upsertSystem(h.db, { id: system, name: 'SI core', ownerDepartmentId: null, vendorId, active: true });
  opsHead = await h.user('sr-opshead', ['ops_head']);
  requester = await h.user('sr-requester', ['requester']);
  vendorStaff = await h.user('sr-vendor-pm', ['vendor_pm'], { vendorId });

  // Changes: C1 opened and closed in March; C2 opened in February, closed (rolled back) in March; C3 open.
  await seedCase(
    id('C1'),
    'change',
    '2026-03-02T01:00:00Z',
    '2026-03-10T08:00:00Z',
    { changeType: 'normal', outcome: 'succeeded' },
    { requester },
  );
  await seedCase(id('C2'), 'change', '2026-02-20T01:00:00Z', '2026-03-05T08:00:00Z', {
    changeType: 'emergency',
    outcome: 'rolled_back',
  });
  await seedCase(id('C3'), 'change', '2026-03-25T01:00:00Z', null, { changeType: 'normal' });
  // A release opened in January, in formal operation since March.
  await seedCase(id('R1'), 'release', '2026-01-10T01:00:00Z', '2026-03-15T08:00:00Z', {
    outcome: 'formal_operation',
  });
  // Emergencies: E1 recovered in 270 minutes (its recovery report), E2 still open.
  await seedCase(
    id('E1'),
    'emergency',
    '2026-03-03T02:00:00Z',
    '2026-03-06T02:00:00Z',
    {
      milestones: { recovered: { at: '2026-03-03T06:30:00Z', outcome: 'met' } },
      recoveryReport: { recoveryMinutes: 270 },
      outcome: 'recovered',
    },
    { priority: 'II', title: '社保核心宕机' },
  );
  await seedCase(id('E2'), 'emergency', '2026-03-20T14:00:00Z', null, {}, { priority: 'IV' });
  // 2026-03-01 00:30 in Shanghai is still 28 February in UTC: it belongs to March.
  await seedCase(id('E3'), 'emergency', '2026-02-28T16:30:00Z', null, {}, { priority: 'IV' });
  // Defects (003 (九)): D3 carried over from February, D4 still open, D5 all in February.
  await seedCase(id('D1'), 'defect', '2026-03-01T02:00:00Z', '2026-03-04T02:00:00Z', {
    confirmedAt: '2026-03-01T03:00:00Z',
    defectClass: 'routine',
    vendorId,
    codeChange: true,
    onTime: true,
    resolvedAt: '2026-03-03T02:00:00Z',
  });
  await seedCase(id('D2'), 'defect', '2026-03-05T02:00:00Z', '2026-03-13T02:00:00Z', {
    confirmedAt: '2026-03-05T03:00:00Z',
    defectClass: 'corrective',
    vendorId,
    codeChange: true,
    onTime: false,
    resolvedAt: '2026-03-12T02:00:00Z',
  });
  await seedCase(id('D3'), 'defect', '2026-02-25T02:00:00Z', '2026-03-02T08:00:00Z', {
    confirmedAt: '2026-02-25T03:00:00Z',
    defectClass: 'perfective',
    vendorId,
    codeChange: true,
    onTime: true,
    resolvedAt: '2026-03-02T02:00:00Z',
  });
  await seedCase(id('D4'), 'defect', '2026-03-28T02:00:00Z', null, {
    confirmedAt: '2026-03-28T03:00:00Z',
    defectClass: 'routine',
    vendorId,
    codeChange: false,
  });
  await seedCase(id('D5'), 'defect', '2026-02-01T02:00:00Z', '2026-02-11T02:00:00Z', {
    confirmedAt: '2026-02-01T03:00:00Z',
    defectClass: 'routine',
    vendorId,
    codeChange: true,
    onTime: true,
    resolvedAt: '2026-02-10T02:00:00Z',
  });

  // SLA: on C1 the assessment was in time, the head's approval breached (escalated twice);
  // on E1 the response came in time; C2's approval was in time but in February.
  await seedEvents(id('C1'), [
    ['case.opened', '2026-03-02T01:00:00Z', {}],
    [
      'step.opened',
      '2026-03-02T01:00:00Z',
      { step: 'departmentHeadApproval', dueAt: '2026-03-02T09:00:00Z' },
    ],
    [
      'sla.overdue',
      '2026-03-02T09:00:00Z',
      { step: 'departmentHeadApproval', dueAt: '2026-03-02T09:00:00Z' },
    ],
    ['sla.escalated', '2026-03-02T09:00:00Z', { step: 'departmentHeadApproval', level: 1 }],
    ['sla.escalated', '2026-03-03T09:00:00Z', { step: 'departmentHeadApproval', level: 2 }],
    [
      'step.decided',
      '2026-03-04T02:00:00Z',
      { step: 'departmentHeadApproval', decision: 'approve', outcome: 'approved' },
    ],
    ['step.opened', '2026-03-04T02:00:00Z', { step: 'opsAssessment', dueAt: '2026-03-05T02:00:00Z' }],
    ['task.completed', '2026-03-04T06:00:00Z', { step: 'opsAssessment', form: {} }],
  ]);
  await seedEvents(id('C2'), [
    ['case.opened', '2026-02-20T01:00:00Z', {}],
    [
      'step.opened',
      '2026-02-20T01:00:00Z',
      { step: 'departmentHeadApproval', dueAt: '2026-02-20T09:00:00Z' },
    ],
    [
      'step.decided',
      '2026-02-20T03:00:00Z',
      { step: 'departmentHeadApproval', decision: 'approve', outcome: 'approved' },
    ],
  ]);
  await seedEvents(id('E1'), [
    ['case.opened', '2026-03-03T02:00:00Z', {}],
    ['step.opened', '2026-03-03T02:00:00Z', { step: 'responded', dueAt: '2026-03-03T02:15:00Z' }],
    ['task.completed', '2026-03-03T02:10:00Z', { step: 'responded', form: {} }],
  ]);
}, 120_000);

afterAll(async () => {
  await h.db('service_report_snapshots').whereIn('case_id', ids).delete();
  await h.db('case_events').whereIn('case_id', ids).delete();
  await h.db('case_participants').whereIn('case_id', ids).delete();
  await h.db('cases').whereIn('case_id', ids).delete();
  await h.db('systems').where({ id: system }).delete();
  await h.close();
});

const march = () => `/api/v1/reports/service?month=2026-03&system=${system}`;

test('the March report matches the hand count, figure by figure', async () => {
  const res = await request(h.app)
    .get(march())
    .set('Authorization', await h.bearer(opsHead));
  expect(res.status).toBe(200);
  const f = res.body;
  expect(f.period).toMatchObject({
    month: '2026-03',
    timeZone: 'Asia/Shanghai',
    system,
    from: '2026-02-28T16:00:00.000Z',
    to: '2026-03-31T16:00:00.000Z',
  });
  expect(f.casesByProcess).toEqual([
    { process: 'change', opened: 2, closed: 2 },
    { process: 'defect', opened: 3, closed: 3 },
    { process: 'emergency', opened: 3, closed: 1 },
    { process: 'release', opened: 0, closed: 1 },
  ]);
  expect(f.trend).toEqual([
    { month: '2025-10', opened: 0, closed: 0 },
    { month: '2025-11', opened: 0, closed: 0 },
    { month: '2025-12', opened: 0, closed: 0 },
    { month: '2026-01', opened: 1, closed: 0 },
    { month: '2026-02', opened: 3, closed: 1 },
    { month: '2026-03', opened: 8, closed: 7 },
  ]);
  expect(f.sla).toEqual({
    met: 2,
    breached: 1,
    attainment: 0.6667,
    stages: [
      { process: 'change', step: 'departmentHeadApproval', met: 0, breached: 1, attainment: 0 },
      { process: 'change', step: 'opsAssessment', met: 1, breached: 0, attainment: 1 },
      { process: 'emergency', step: 'responded', met: 1, breached: 0, attainment: 1 },
    ],
    breaches: [
      {
        caseId: id('C1'),
        process: 'change',
        step: 'departmentHeadApproval',
        dueAt: '2026-03-02T09:00:00Z',
        overdueAt: '2026-03-02T09:00:00.000Z',
        doneAt: '2026-03-04T02:00:00.000Z',
        escalationLevel: 2,
      },
    ],
  });
  // March's problems are the defects confirmed in it — D1, D2, D4 (D3 and D5 were February's) —
  // of which D1 and D2 are resolved; of the three code changes resolved in March, two on time.
  expect(f.guarantees).toEqual({
    handling: { toHandle: 3, handled: 2, rate: 0.6667, target: 1, met: false },
    onTime: { codeChanges: 3, onTime: 2, rate: 0.6667, target: 0.85, met: false },
  });
  // One rule: the defect process's own guarantee report (db/defect-guarantees.ts) counts the same
  // cases for the same system and month — the service report is counted by it.
  const rule = await request(h.app)
    .get(`/api/v1/reports/defect-guarantees?month=2026-03&system=${system}`)
    .set('Authorization', await h.bearer(opsHead));
  expect(rule.status).toBe(200);
  expect(rule.body.total.handling).toMatchObject({
    problems: [id('D1'), id('D2'), id('D4')],
    handled: [id('D1'), id('D2')],
    rate: f.guarantees.handling.rate,
    met: f.guarantees.handling.met,
  });
  expect(rule.body.total.onTime).toMatchObject({
    codeChanges: [id('D1'), id('D2'), id('D3')],
    onTime: [id('D1'), id('D3')],
    rate: f.guarantees.onTime.rate,
    met: f.guarantees.onTime.met,
  });
  expect(f.defectsByClass).toEqual([
    { defectClass: 'corrective', raised: 1, resolved: 1 },
    { defectClass: 'perfective', raised: 0, resolved: 1 },
    { defectClass: 'routine', raised: 2, resolved: 1 },
  ]);
  expect(f.emergencies).toEqual([
    {
      caseId: id('E3'),
      title: `emergency ${id('E3')}`,
      level: 'IV',
      state: 'open',
      occurredAt: '2026-02-28T16:30:00.000Z',
      recoveredAt: null,
      recoveryMinutes: null,
      recoveryClock: null,
    },
    {
      caseId: id('E1'),
      title: '社保核心宕机',
      level: 'II',
      state: 'closed',
      occurredAt: '2026-03-03T02:00:00.000Z',
      recoveredAt: '2026-03-03T06:30:00Z',
      recoveryMinutes: 270,
      recoveryClock: 'met',
    },
    expect.objectContaining({ caseId: id('E2'), level: 'IV', recoveredAt: null, recoveryMinutes: null }),
  ]);
  expect(f.changes).toEqual({
    opened: 2,
    closed: 2,
    byOutcome: [
      { value: 'rolled_back', count: 1 },
      { value: 'succeeded', count: 1 },
    ],
    byType: [
      { value: 'emergency', count: 1 },
      { value: 'normal', count: 1 },
    ],
  });
  expect(f.releases).toEqual({ opened: 0, closed: 1, byOutcome: [{ value: 'formal_operation', count: 1 }] });
  // No vendor review on this system yet: no data, not "0 open actions".
  expect(f.correctiveActions).toBeNull();
  expect(f.sources.correctiveActions).toContain("process 'vendor-review'");
});

test('a vendor review with an open corrective action shows it; done ones are not listed', async () => {
  await seedCase(id('V1'), 'vendor-review', '2026-03-28T02:00:00Z', null, {
    correctiveActions: [
      // As the vendor review writes them (workflows/vendor-review on main).
      {
        finding: '巡检记录不全',
        correctiveAction: '补充巡检记录 complete the inspection ledger',
        owner: 'u-pm',
        dueAt: '2026-04-15',
        status: 'open',
        closedAt: null,
      },
      {
        finding: 'late report',
        correctiveAction: 'already fixed',
        owner: 'u-pm',
        dueAt: '2026-03-20',
        status: 'closed',
        closedAt: '2026-03-19T02:00:00Z',
      },
    ],
  });
  const res = await request(h.app)
    .get(march())
    .set('Authorization', await h.bearer(opsHead));
  expect(res.body.correctiveActions).toEqual([
    {
      caseId: id('V1'),
      action: '补充巡检记录 complete the inspection ledger',
      owner: 'u-pm',
      dueAt: '2026-04-15',
    },
  ]);
});

test('a requester counts only the cases they may read; a month without defects has no guarantees, not 0 %', async () => {
  const res = await request(h.app)
    .get(march())
    .set('Authorization', await h.bearer(requester));
  expect(res.status).toBe(200);
  expect(res.body.casesByProcess).toEqual([{ process: 'change', opened: 1, closed: 1 }]);
  expect(res.body.guarantees).toBeNull();
  expect(res.body.defectsByClass).toBeNull();
  expect(res.body.emergencies).toEqual([]);
  expect(res.body.sla).toMatchObject({ met: 1, breached: 1 });
});

test("the vendor's staff read the figures of their vendor's system, and a vendor filter picks them", async () => {
  const byVendor = await request(h.app)
    .get(`/api/v1/reports/service?month=2026-03&vendor=${vendorId}`)
    .set('Authorization', await h.bearer(vendorStaff));
  expect(byVendor.status).toBe(200);
  expect(byVendor.body.guarantees.handling).toMatchObject({ toHandle: 3, handled: 2 });
  expect(byVendor.body.casesByProcess).toEqual(
    expect.arrayContaining([{ process: 'change', opened: 2, closed: 2 }]),
  );
});

test('an archived report keeps its figures, renders the same document twice, and is read with the permissions of its cases', async () => {
  const caseId = `RPT-2026-${String(Date.now() % 1_000_000).padStart(6, '0')}`;
  await freezeServiceReport(h.db, { caseId, month: '2026-03', timeZone: 'Asia/Shanghai', system });
  // Later data does not change the frozen report.
  await seedCase(id('C4'), 'change', '2026-03-30T01:00:00Z', '2026-03-30T03:00:00Z', {
    changeType: 'standard',
    outcome: 'succeeded',
  });
  const json = await request(h.app)
    .get(`/api/v1/reports/service/${caseId}`)
    .set('Authorization', await h.bearer(opsHead));
  expect(json.status).toBe(200);
  expect(json.body.figures.changes).toMatchObject({ opened: 2, closed: 2 });
  expect(json.body.coveredCases).toEqual(expect.arrayContaining([id('C1'), id('D3'), id('E1')]));
  ids.push(caseId);

  const html = async () =>
    (
      await request(h.app)
        .get(`/api/v1/reports/service/${caseId}?format=html`)
        .set('Authorization', await h.bearer(opsHead))
    ).text;
  const first = await html();
  expect(first).toContain('月度服务报告 Monthly service report');
  expect((first.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(4);
  expect(await html()).toBe(first);

  // CSV of a table, by the Accept header.
  const csv = await request(h.app)
    .get(`/api/v1/reports/service/${caseId}?table=slaBreaches`)
    .set('Accept', 'text/csv')
    .set('Authorization', await h.bearer(opsHead));
  expect(csv.status).toBe(200);
  expect(csv.headers['content-type']).toMatch(/^text\/csv/);
  expect(csv.text.split('\r\n')[1]).toBe(
    `${id('C1')},change,departmentHeadApproval,2026-03-02T09:00:00Z,2026-03-02T09:00:00.000Z,2026-03-04T02:00:00.000Z,2`,
  );

  // The requester may not read every case it counts: not found, as for a case.
  const hidden = await request(h.app)
    .get(`/api/v1/reports/service/${caseId}`)
    .set('Authorization', await h.bearer(requester));
  expect(hidden.status).toBe(404);
  expect(hidden.body.code).toBe('REPORT_NOT_FOUND');
  // The vendor's staff read every case on their vendor's system.
  const vendor = await request(h.app)
    .get(`/api/v1/reports/service/${caseId}`)
    .set('Authorization', await h.bearer(vendorStaff));
  expect(vendor.status).toBe(200);
});

test('bad input is a 400 naming the field', async () => {
  const res = await request(h.app)
    .get('/api/v1/reports/service?month=2026-13')
    .set('Authorization', await h.bearer(opsHead));
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.body)).toContain('/query/month');
  const csv = await request(h.app)
    .get(`${march()}&format=csv`)
    .set('Authorization', await h.bearer(opsHead));
  expect(csv.status).toBe(400);
  expect(JSON.stringify(csv.body)).toContain('/query/table');
});
