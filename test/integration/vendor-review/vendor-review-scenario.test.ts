/**
 * A quarterly vendor review from its Schedule to its corrective actions, through the HTTP API as a
 * new user reads it from /openapi.json and the case responses: the review of Q3 2026 counts the
 * seeded quarter as a hand count does and drills down to the right cases (a clock with no
 * emergency shows no data); two of three business departments answer the satisfaction survey
 * through the single-use links of their one survey mail each, the third is reminded; the O&M center scores, the O&M head
 * signs off, the vendor PM acknowledges; the corrective action runs past its date and escalates,
 * and the next review shows it open.
 */
import request from 'supertest';
import { upsertSystem } from '../../../db/api-master-data';
import { setDepartmentHead } from '../../../db/directory';
import { upsertSlaPolicy } from '../../../db/sla-policies';
import { surveyLinkFor } from '../../../api/links/survey-token';
import { ensureSchedules } from '../../../runtime/schedules';
import { vendorReviewJobId } from '../../../runtime/schedules/vendor-review';
import { uniqueProcess } from '../../support/cases';
import { eventually } from '../../support/db';
import { handCount, Q3, recordIds, seedVendorQuarter } from '../../support/vendor-review-records';
import { periodBefore, reviewPeriod } from '../../../db/vendor-review';
import { startHarness, type Harness } from '../api/harness';

jest.setTimeout(420_000);

let h: Harness;
const run = uniqueProcess('vr')
  .replace(/[^A-Za-z0-9]/g, '')
  .slice(-10);
const stages = [
  'vendorReport',
  'satisfactionSurvey',
  'surveyReminder',
  'surveyClose',
  'scoring',
  'signOff',
  'acknowledgement',
  'correctiveAction',
];
const policyIds = stages.map((s) => `vendor-review.test-${run}.${s}`);
let scheduleId = '';
let vendorId = '';
const opened: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  // Seconds instead of working days for this file's cases (priority `normal` wins over the seeded `*`).
  const durations: Record<string, string> = { surveyReminder: 'PT40S', surveyClose: 'PT30S' };
  for (const [i, stage] of stages.entries()) {
    await upsertSlaPolicy(h.db, {
      id: policyIds[i],
      process: 'vendor-review',
      stage,
      priority: 'normal',
      basis: 'elapsed',
      duration: durations[stage] ?? 'PT1H',
      warnRatio: null,
      calendarId: null,
      escalation:
        stage === 'correctiveAction'
          ? [
              { level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] },
              { level: 2, after: 'PT3S', notify: [{ role: 'it_head' }] },
            ]
          : [],
      active: true,
    });
  }
});

afterAll(async () => {
  const opsHead = await h.user('vr-ops-head', ['ops_head']);
  for (const caseId of opened) {
    await request(h.app)
      .post(`/api/v1/cases/${caseId}/cancel`)
      .set('Authorization', await h.bearer(opsHead))
      .send({ reason: 'test over' });
  }
  if (scheduleId)
    await h.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
  await h.db('vendor_review_settings').where({ vendor_id: vendorId }).delete();
  await h.db('periodic_jobs').where({ id: scheduleId }).delete();
  await h.db('sla_policies').whereIn('id', policyIds).delete();
  await h.close();
});

test('a quarterly review from its Schedule: figures, drill-down, survey by link, sign-off, corrective action chased onto the next review', async () => {
  // --- master data: the vendor, its three systems owned by three departments, the people
  vendorId = await h.vendor('vr-vendor');
  const otherVendor = await h.vendor('vr-other-vendor');
  const ops = await h.user('vr-ops', ['ops_engineer']);
  const opsHead = await h.user('vr-ops-head', ['ops_head']);
  const pm = await h.user('vr-pm', ['vendor_pm'], { vendorId });
  const engineer = await h.user('vr-ve', ['vendor_engineer'], { vendorId });
  const bankEngineer = await h.user('vr-be', ['ops_engineer']);
  const departments = [
    await h.department('vr-claims'),
    await h.department('vr-pensions'),
    await h.department('vr-cards'),
  ];
  const heads: string[] = [];
  const systems: string[] = [];
  for (const [i, d] of departments.entries()) {
    const head = await h.user(`vr-head-${i}`, ['department_head'], { departmentId: d });
    await setDepartmentHead(h.db, d, { head });
    heads.push(head);
    const system = `${vendorId}-sys-${i}`;
    await upsertSystem(h.db, { id: system, name: system, ownerDepartmentId: d, vendorId, active: true });
    systems.push(system);
  }
  const otherSystem = `${otherVendor}-sys`;
  await upsertSystem(h.db, {
    id: otherSystem,
    name: otherSystem,
    ownerDepartmentId: null,
    vendorId: otherVendor,
    active: true,
  });
  // The schedule reviews the quarter just ended: the records of "Q3 2026", moved into that quarter.
  const reviewed = reviewPeriod(
    'quarterly',
    periodBefore('quarterly', new Date().toISOString(), 'Asia/Shanghai'),
    'Asia/Shanghai',
  );
  const ids = await seedVendorQuarter(
    h.db,
    run,
    {
      vendorId,
      systems: [systems[0], systems[1], systems[2]],
      otherSystem,
      vendorEngineer: engineer,
      bankEngineer,
    },
    Date.parse(reviewed.from) - Date.parse(Q3.from),
  );
  expect(recordIds(run).e1).toBe(ids.e1);
  const as = async (user: string) => ({ Authorization: await h.bearer(user) });

  // --- what a new user learns from /openapi.json
  const spec = (await request(h.app).get('/openapi.json')).body;
  expect(spec.paths['/api/v1/vendor-reviews/{id}/figures'].get.operationId).toBe('vendorReviewFigures');
  expect(spec.paths['/api/v1/vendor-reviews/{id}/figures/{figure}/cases'].get.operationId).toBe(
    'vendorReviewFigureCases',
  );
  expect(spec.paths['/api/v1/cases/{process}'] ?? spec.paths['/api/v1/cases/vendor-review']).toBeDefined();
  const scoringSchema = spec.components.schemas['vendor-review.scoring'];
  expect(scoringSchema.required).toEqual(
    expect.arrayContaining([
      'projectManagement',
      'technicalCapability',
      'serviceQuality',
      'staffing',
      'nonConformities',
    ]),
  );

  // --- the Schedule: quarterly, opening the review of the quarter just ended
  await h.db('vendor_review_settings').insert({ vendor_id: vendorId, period: 'quarterly', requester: ops });
  const taskQueue = h.config.temporal.taskQueue;
  scheduleId = vendorReviewJobId(vendorId);
  const ensure = () =>
    ensureSchedules(h.client, h.db, taskQueue, { kinds: ['vendor-review'], jobIds: [scheduleId] });
  expect(await ensure()).toEqual([scheduleId]);
  // Idempotent: a second worker start finds it and changes nothing.
  expect(await ensure()).toEqual([scheduleId]);
  const schedule = h.client.schedule.getHandle(scheduleId);
  // 09:00 Shanghai on the first day of the next quarter.
  expect((await schedule.describe()).info.nextActionTimes[0].toISOString()).toMatch(
    /-(01|04|07|10)-01T01:00:00\.000Z$/,
  );
  await schedule.trigger();
  const action = await eventually(
    async () => (await schedule.describe()).info.recentActions[0],
    'a scheduled run',
  );
  const { caseId } = (await h.client.workflow.getHandle(action.action.workflow.workflowId).result()) as {
    caseId: string;
  };
  opened.push(caseId);
  expect(caseId).toMatch(/^VRV-\d{4}-\d{6}$/);

  // --- the figures of the quarter just ended, against the hand count
  const figures = await eventually(
    async () => {
      const res = await request(h.app)
        .get(`/api/v1/vendor-reviews/${caseId}/figures`)
        .set(await as(ops));
      return res.status === 200 && res.body.figures.length > 0 ? res.body : null;
    },
    'figures of the review',
    90_000,
  );
  expect(figures.period).toMatchObject({ kind: 'quarterly', label: reviewed.label, from: reviewed.from });
  const byKey = Object.fromEntries(figures.figures.map((f: { key: string }) => [f.key, f]));
  for (const [key, expected] of Object.entries(handCount(ids)))
    expect([key, byKey[key]]).toMatchObject([key, expected]);
  // No emergency had a diagnosis clock: no data, not 100 %.
  expect(byKey['emergency.responseWindow.diagnosis']).toMatchObject({
    value: null,
    missing: expect.stringMatching(/no emergency/),
  });
  // Drill-down: the late remote response is E2's.
  const drill = await request(h.app)
    .get(`/api/v1/vendor-reviews/${caseId}/figures/emergency.responseWindow.remoteResponse/cases`)
    .set(await as(ops));
  expect(drill.status).toBe(200);
  expect(drill.body.cases).toEqual([
    expect.objectContaining({ caseId: ids.e2, process: 'emergency', shortfall: true }),
  ]);
  // A department head may read the review once surveyed (the survey step opens after the
  // figures) but not the vendor's defects.
  const headView = await eventually(
    async () => {
      const res = await request(h.app)
        .get(`/api/v1/vendor-reviews/${caseId}/figures/defect.onTime.routine/cases`)
        .set(await as(heads[0]));
      return res.status === 200 ? res : null;
    },
    'the surveyed head reads the review',
    60_000,
  );
  expect(headView.body).toMatchObject({ cases: [], hiddenCases: 2 });
  const unknownFigure = await request(h.app)
    .get(`/api/v1/vendor-reviews/${caseId}/figures/no.such/cases`)
    .set(await as(ops));
  expect(unknownFigure.status).toBe(404);

  // --- the satisfaction survey: one mail per head, the survey step's own, with its link; two answered
  const sent = await eventually(async () => {
    const rows = (
      await h.db('notification_outbox').where({ case_id: caseId, template: 'task-assigned' })
    ).filter((r: { data: { step: string } }) => r.data.step.startsWith('satisfactionSurvey'));
    return rows.length === 3 ? rows : null;
  }, 'three survey mails');
  expect(
    await h.db('notification_outbox').where({ case_id: caseId, template: 'vendor-survey-request' }),
  ).toEqual([]);
  const stepOf = (user: string) =>
    String(sent.find((r: { recipient_user_id: string }) => r.recipient_user_id === user).data.step);
  expect(sent.map((r: { recipient_user_id: string }) => r.recipient_user_id).sort()).toEqual(
    [...heads].sort(),
  );
  for (const [i, head] of heads.slice(0, 2).entries()) {
    const link = new URL(surveyLinkFor(h.config, caseId, stepOf(head), head));
    const page = await request(h.app).get(`${link.pathname}${link.search}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="overall"');
    const formToken = /name="form" value="([^"]+)"/.exec(page.text)?.[1];
    const answer = await request(h.app)
      .post(link.pathname)
      .type('form')
      .send({
        t: link.searchParams.get('t'),
        form: formToken,
        overall: String(4 + i),
        responsiveness: '4',
        quality: '3',
        communication: '5',
        comment: i === 0 ? 'quick on the phone' : '',
      });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('id="result"');
    // Single use: the same link again changes nothing.
    const again = await request(h.app).get(`${link.pathname}${link.search}`);
    expect(again.status).toBe(409);
  }
  // A damaged link shows a page and changes nothing.
  expect((await request(h.app).get('/links/survey?t=s1.nokey.nopayload.nosig')).status).toBe(400);
  // The vendor PM files the vendor's own report.
  const reportStep = await eventually(async () => {
    const res = await request(h.app)
      .get(`/api/v1/cases/${caseId}`)
      .set(await as(pm));
    return res.body.pendingSteps?.find((s: { step: string }) => s.step === 'vendorReport') ?? null;
  }, 'vendor report step');
  expect(reportStep.formRef).toBe('vendor-review.vendorReport');
  const filed = await request(h.app)
    .post(`/api/v1/cases/${caseId}/tasks/vendorReport/complete`)
    .set(await as(pm))
    .send({ form: { reference: 'DOC-VR-2026-Q3', summary: 'Quarterly service report of the vendor' } });
  expect(filed.status).toBe(200);

  // The third department is reminded, once, by a mail with its link; then the survey closes.
  const reminded = await eventually(
    async () => {
      const rows = await h
        .db('notification_outbox')
        .where({ case_id: caseId, template: 'vendor-survey-reminder' });
      return rows.length > 0 ? rows : null;
    },
    'the reminder',
    120_000,
  );
  expect(reminded.map((r: { recipient_user_id: string }) => r.recipient_user_id)).toEqual([heads[2]]);
  const scoringView = await eventually(
    async () => {
      const res = await request(h.app)
        .get(`/api/v1/cases/${caseId}`)
        .set(await as(ops));
      return res.body.pendingSteps?.some((s: { step: string }) => s.step === 'scoring') ? res.body : null;
    },
    'scoring step after the survey closed',
    150_000,
  );
  expect(scoringView.fields.satisfaction).toMatchObject({
    surveyed: 3,
    answered: 2,
    responseRate: 0.6667,
    unanswered: [departments[2]],
    averages: { overall: 4.5, quality: 3 },
  });
  expect(scoringView.fields.vendorReport).toMatchObject({ reference: 'DOC-VR-2026-Q3', filedBy: pm });
  expect(scoringView.fields.scorecard.serviceQuality).toEqual(
    expect.arrayContaining([expect.objectContaining({ key: 'satisfaction.responseRate', value: 0.6667 })]),
  );
  const events = (
    await request(h.app)
      .get(`/api/v1/cases/${caseId}/events`)
      .set(await as(ops))
  ).body;
  const types = events.items.map((e: { type: string }) => e.type);
  expect(types).toEqual(
    expect.arrayContaining(['vendor-review.survey-reminded', 'vendor-review.survey-unanswered']),
  );

  // --- scoring (the form as /openapi.json publishes it), sign-off, acknowledgement
  const dueAt = new Date(Date.now() + 8_000).toISOString();
  const score = (n: number, comment: string) => ({ score: n, comment });
  const scored = await request(h.app)
    .post(`/api/v1/cases/${caseId}/tasks/scoring/complete`)
    .set(await as(ops))
    .send({
      form: {
        projectManagement: score(80, 'one summary report never filed'),
        technicalCapability: score(70, 'one rollback in three changes'),
        serviceQuality: score(65, 'remote response late; code-change on-time 50 % against 85 %'),
        staffing: score(85, 'on-site engineer present as contracted'),
        summary: 'Acceptable with one non-conformity',
        nonConformities: [
          {
            finding: 'Code-change defects on time 50 %, contract 85 % (003 (九) 2)',
            dimension: 'serviceQuality',
            correctiveAction: 'Add a second developer to code-change defects',
            owner: engineer,
            dueAt,
          },
        ],
      },
    });
  expect(scored.status).toBe(200);
  const signed = await request(h.app)
    .post(`/api/v1/cases/${caseId}/decisions`)
    .set(await as(opsHead))
    .send({ step: 'signOff', decision: 'approve', comment: 'signed' });
  expect(signed.status).toBe(200);
  const ack = await request(h.app)
    .post(`/api/v1/cases/${caseId}/tasks/acknowledgement/complete`)
    .set(await as(pm))
    .send({ form: { acknowledged: true, comment: 'we will add a developer' } });
  expect(ack.status).toBe(200);

  // --- the corrective action passes its date and escalates
  const chased = await eventually(
    async () => {
      const rows = await h.db('case_events').where({ case_id: caseId, type: 'sla.escalated' });
      return rows.some(
        (r: { data: { step: string; level: number } }) =>
          r.data.step === 'correctiveAction' && r.data.level === 2,
      )
        ? rows
        : null;
    },
    'corrective action escalated to level 2',
    90_000,
  );
  expect(chased.length).toBeGreaterThanOrEqual(2);
  const afterDue = (
    await request(h.app)
      .get(`/api/v1/cases/${caseId}`)
      .set(await as(ops))
  ).body;
  expect(afterDue.fields.correctiveActions).toEqual([
    expect.objectContaining({ owner: engineer, status: 'open', overdue: true, step: 'correctiveAction' }),
  ]);
  expect(afterDue.pendingSteps).toEqual([
    expect.objectContaining({ step: 'correctiveAction', overdue: true }),
  ]);

  // --- the next review (opened by hand for the next quarter) shows it open
  const next = await request(h.app)
    .post('/api/v1/cases/vendor-review')
    .set(await as(ops))
    .send({ vendorId, periodKind: 'quarterly', periodStart: nextQuarterStart(figures.period.start) });
  expect(next.status).toBe(201);
  opened.push(next.body.caseId);
  const nextFigures = await eventually(
    async () => {
      const res = await request(h.app)
        .get(`/api/v1/vendor-reviews/${next.body.caseId}/figures`)
        .set(await as(ops));
      return res.status === 200 && res.body.figures.length > 0 ? res.body : null;
    },
    'figures of the next review',
    90_000,
  );
  expect(nextFigures.openCorrectiveActions).toEqual([
    expect.objectContaining({ reviewCaseId: caseId, owner: engineer, overdue: true, escalationLevel: 2 }),
  ]);
  expect(nextFigures.scorecard ?? {}).toBeDefined();

  // Bad input: an unknown vendor is a 400 naming the field, no case started.
  const bad = await request(h.app)
    .post('/api/v1/cases/vendor-review')
    .set(await as(ops))
    .send({ vendorId: 'no-such-vendor', periodKind: 'quarterly', periodStart: '2026-04-01' });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('/vendorId');
  const badQuarter = await request(h.app)
    .post('/api/v1/cases/vendor-review')
    .set(await as(ops))
    .send({ vendorId, periodKind: 'quarterly', periodStart: '2026-05-01' });
  expect(badQuarter.status).toBe(400);
});

function nextQuarterStart(start: string): string {
  const [y, m] = start.split('-').map(Number);
  return m === 10 ? `${y + 1}-01-01` : `${y}-${String(m + 3).padStart(2, '0')}-01`;
}
