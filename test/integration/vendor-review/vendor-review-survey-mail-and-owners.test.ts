/**
 * Two things a person of a vendor review notices, through the HTTP API and a real SMTP server:
 * the head of a surveyed department gets exactly one mail for the survey — the one that asks for
 * it and carries its single-use link — not a survey mail plus a "task assigned" mail for the same
 * thing; and the O&M center cannot give a corrective action to someone the directory does not know
 * as an active user (a task nobody would be told of or could close): the scoring form is refused
 * 422 naming each such owner, and the case still waits for its scoring.
 */
import request from 'supertest';
import { upsertSystem } from '../../../db/api-master-data';
import { setDepartmentHead } from '../../../db/directory';
import { startDevMailSink, type DevMailSink, type ReceivedMail } from '../../../runtime/dev-mail-sink';
import { createLogger } from '../../../runtime/logger';
import { MailDispatcher } from '../../../runtime/mail-dispatcher';
import { eventually } from '../../support/db';
import { startHarness, type Harness } from '../api/harness';

jest.setTimeout(240_000);

let h: Harness;
let sink: DevMailSink;
let dispatcher: MailDispatcher | null = null;
let caseId = '';
const people: Record<string, string> = {};

beforeAll(async () => {
  sink = await startDevMailSink({ dir: null });
  h = await startHarness({ SMTP_URL: sink.smtpUrl });
  const vendorId = await h.vendor('sm-vendor');
  people.vendorId = vendorId;
  people.ops = await h.user('sm-ops', ['ops_engineer']);
  people.opsHead = await h.user('sm-ops-head', ['ops_head']);
  people.pm = await h.user('sm-pm', ['vendor_pm'], { vendorId });
  people.engineer = await h.user('sm-engineer', ['vendor_engineer'], { vendorId });
  people.gone = await h.user('sm-gone', ['vendor_engineer'], { vendorId, active: false });
  const department = await h.department('sm-claims');
  people.head = await h.user('sm-head', ['department_head'], { departmentId: department });
  await setDepartmentHead(h.db, department, { head: people.head });
  await upsertSystem(h.db, {
    id: `${vendorId}-sys`,
    name: 'claims system',
    ownerDepartmentId: department,
    vendorId,
    active: true,
  });
});

afterAll(async () => {
  await dispatcher?.stop();
  if (caseId && h)
    await request(h.app)
      .post(`/api/v1/cases/${caseId}/cancel`)
      .set('Authorization', await h.bearer(people.opsHead))
      .send({ reason: 'test over' });
  await h?.close();
  await sink?.stop();
});

const as = async (user: string) => ({ Authorization: await h.bearer(user) });
const mailsTo = (user: string): ReceivedMail[] =>
  sink.messages.filter((m) => m.envelopeTo.includes(`${user}@example.invalid`) && m.subject.includes(caseId));
const pendingStep = async (step: string) =>
  eventually(
    async () => {
      const view = await request(h.app)
        .get(`/api/v1/cases/${caseId}`)
        .set(await as(people.ops));
      return view.body.pendingSteps?.some((s: { step: string }) => s.step === step) ? view.body : null;
    },
    `step ${step} waiting`,
    90_000,
  );

test('the surveyed head gets one mail with the survey link; an unknown or inactive corrective-action owner is refused', async () => {
  const started = await request(h.app)
    .post('/api/v1/cases/vendor-review')
    .set(await as(people.ops))
    .send({ vendorId: people.vendorId, periodKind: 'monthly', periodStart: '2026-07-01' });
  expect(started.status).toBe(201);
  caseId = started.body.caseId;
  dispatcher = new MailDispatcher({
    db: h.db,
    config: h.config,
    log: createLogger('survey-mail-test', 'silent'),
    caseIdPrefix: caseId,
    pollIntervalMs: 100,
  });
  dispatcher.start();

  // --- the survey: everything the case queued for the head has gone out over SMTP, and it is one mail
  await pendingStep('satisfactionSurvey');
  await pendingStep('vendorReport');
  const queued = await eventually(
    async () => {
      const rows = await h
        .db('notification_outbox')
        .where({ case_id: caseId, recipient_user_id: people.head });
      return rows.length > 0 && rows.every((r: { status: string }) => r.status === 'sent') ? rows : null;
    },
    "the head's mails sent",
    60_000,
  );
  const received = await eventually(
    async () => (mailsTo(people.head).length >= queued.length ? mailsTo(people.head) : null),
    "the head's mails received",
  );
  expect(received).toHaveLength(1);
  // It says what is asked, of which vendor and period, in the head's language.
  const vendorName = (await h.db('vendors').where({ id: people.vendorId }).first()).name;
  expect(received[0].subject).toContain(`Rate the service of ${vendorName} in 2026-07`);
  const link = /http:\/\/\S+\/links\/survey\?t=\S+/.exec(received[0].text)?.[0];
  expect(link).toBeDefined();

  // The one mail is enough: the head answers through its link.
  const url = new URL(link!);
  const page = await request(h.app).get(`${url.pathname}${url.search}`);
  expect(page.status).toBe(200);
  const formToken = /name="form" value="([^"]+)"/.exec(page.text)?.[1];
  const answered = await request(h.app)
    .post(url.pathname)
    .type('form')
    .send({
      t: url.searchParams.get('t'),
      form: formToken,
      overall: '4',
      responsiveness: '4',
      quality: '3',
      communication: '5',
      comment: '',
    });
  expect(answered.status).toBe(200);

  const filed = await request(h.app)
    .post(`/api/v1/cases/${caseId}/tasks/vendorReport/complete`)
    .set(await as(people.pm))
    .send({ form: { reference: 'DOC-SM-2026-07', summary: 'Monthly service report' } });
  expect(filed.status).toBe(200);

  // --- scoring: a corrective action needs an owner the directory knows as an active user
  await pendingStep('scoring');
  const score = { score: 70, comment: 'as measured' };
  const scoring = (owners: string[]) => ({
    form: {
      projectManagement: score,
      technicalCapability: score,
      serviceQuality: score,
      staffing: score,
      summary: 'One non-conformity per owner',
      nonConformities: owners.map((owner) => ({
        finding: 'Reports filed late',
        dimension: 'projectManagement',
        correctiveAction: 'File the monthly report by the 5th',
        owner,
        dueAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
      })),
    },
  });
  const refused = await request(h.app)
    .post(`/api/v1/cases/${caseId}/tasks/scoring/complete`)
    .set(await as(people.ops))
    .send(scoring(['sm-nobody-at-all', people.gone, people.engineer]));
  expect(refused.status).toBe(422);
  expect(refused.body.code).toBe('FORM_REFUSED');
  expect(refused.body.errors).toEqual([
    { path: '/nonConformities/0/owner', message: 'no active user sm-nobody-at-all' },
    { path: '/nonConformities/1/owner', message: `no active user ${people.gone}` },
  ]);
  // Nothing reached the case: it still waits for its scoring.
  const still = await request(h.app)
    .get(`/api/v1/cases/${caseId}`)
    .set(await as(people.ops));
  expect(still.body.pendingSteps.map((s: { step: string }) => s.step)).toEqual(['scoring']);
  expect(still.body.fields.scoring).toBeUndefined();

  const accepted = await request(h.app)
    .post(`/api/v1/cases/${caseId}/tasks/scoring/complete`)
    .set(await as(people.ops))
    .send(scoring([people.engineer]));
  expect(accepted.status).toBe(200);
  expect(accepted.body.fields.scoring.nonConformities).toEqual([
    expect.objectContaining({ owner: people.engineer }),
  ]);
});
