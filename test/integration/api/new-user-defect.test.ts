/**
 * A new user's script for the defect process: registered, confirmed, handled, retested and closed
 * through the HTTP API using only what `/openapi.json` and `GET /cases/{id}` publish (the request
 * from `defect.request`, each task's form from the schema its pending step carries and names by
 * `formRef`; test/support/new-user.ts); then the
 * month's guarantees and a recurrence, both found in the published document. The only answers
 * given by name are a person's choices: the title, the system, what they saw, "yes, confirmed".
 */
import request from 'supertest';
import { upsertSystem } from '../../../db/api-master-data';
import { newUser, roleHolders, type PendingStep } from '../../support/new-user';
import { startHarness, type Harness } from './harness';

let h: Harness;
const tag = `d${Date.now().toString(36)}`;
const people: Record<string, string> = {};
const system = `si-${tag}`;
let vendor = '';

const answers: Record<string, unknown> = {
  title: `${tag} 退休待遇核定结果错误`,
  system,
  module: 'retirement benefits',
  stepsToReproduce: 'Approve the retirement of insured person 5120 with 2026 indexation',
  expectedResult: 'monthly benefit 4 210 CNY',
  actualResult: 'monthly benefit 4 100 CNY',
  confirmed: true,
};

beforeAll(async () => {
  h = await startHarness();
  vendor = await h.vendor('si-vendor');
  await upsertSystem(h.db, {
    id: system,
    name: 'Social insurance',
    ownerDepartmentId: null,
    vendorId: vendor,
    active: true,
  });
  people.user = await h.user('nd-user', ['requester']);
  people.pm = await h.user('nd-pm', ['vendor_pm'], { vendorId: vendor });
  people.engineer = await h.user('nd-engineer', ['vendor_engineer'], { vendorId: vendor });
});

afterAll(async () => {
  await h?.db('systems').where({ id: system }).delete();
  await h?.close();
});

test('a defect that cannot be understood is refused at the door, naming the fields, and no case starts', async () => {
  const auth = await h.bearer(people.user);
  const vague = await request(h.app).post('/api/v1/cases/defect').set('Authorization', auth).send({
    kind: 'defect',
    defectClass: 'routine',
    title: 'it is broken',
    system,
    module: 'x',
    evidenceRefs: [],
  });
  expect(vague.status).toBe(400);
  const paths = (vague.body.errors as Array<{ path: string }>).map((e) => e.path);
  expect(paths).toEqual(
    expect.arrayContaining(['/stepsToReproduce', '/expectedResult', '/actualResult', '/evidenceRefs']),
  );

  const elsewhere = await request(h.app)
    .post('/api/v1/cases/defect')
    .set('Authorization', auth)
    .send({
      ...answers,
      confirmed: undefined,
      kind: 'defect',
      defectClass: 'routine',
      system: `nowhere-${tag}`,
      evidenceRefs: ['log://1'],
      ownerId: `nobody-${tag}`,
    });
  expect(elsewhere.status).toBe(400);
  expect(elsewhere.body.errors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ path: '/system' }),
      expect.objectContaining({ path: '/ownerId' }),
    ]),
  );
  expect(await h.db('cases').where({ process: 'defect', requester: people.user })).toEqual([]);
});

test('a new user drives a defect to its close, reads the month guarantees and reopens it on recurrence, from the published contract alone', async () => {
  const user = await newUser(h.app, h.bearer, answers);
  const paths = user.doc.paths as Record<string, Record<string, unknown>>;
  const as = (userId: string) => h.bearer(userId);
  const caseId = await user.start('defect', people.user);

  const toClose = {
    reader: people.user,
    actor: roleHolders(people),
    // Every step of a defect is a form the case publishes.
    check: (step: PendingStep) => {
      expect(step).toMatchObject({ action: 'complete', formRef: expect.stringMatching(/^defect\./) });
      expect(user.schema(step.formRef!)).toBeDefined();
    },
  };
  const { view: closed, acted } = await user.drive(caseId, toClose);
  expect(closed).toMatchObject({ outcome: 'fixed' });
  // Nobody was named owner: the vendor's project manager took it.
  expect(acted).toEqual(['confirmation', 'acceptance', 'resolution', 'verification']);
  expect(closed.fields).toMatchObject({ vendorId: vendor, ownerId: people.pm, reopenCount: 0, onTime: true });

  // The month's guarantees: the report the document lists under reports, for this month.
  const report = Object.keys(paths).find((p) => p.includes('defect-guarantees'))!;
  const month = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
  })
    .format(new Date())
    .slice(0, 7);
  const figures = await request(h.app)
    .get(report)
    .query({ month, vendor })
    .set('Authorization', await as(people.pm));
  expect(figures.status).toBe(200);
  expect(figures.body.total.handling).toMatchObject({
    problems: [caseId],
    handled: [caseId],
    rate: 1,
    met: true,
  });

  // The defect comes back: reopened through the command the document publishes.
  const reopen = Object.keys(paths).find((p) => p.endsWith('/reopen'))!;
  const reopened = await request(h.app)
    .post(reopen.replace('{id}', caseId))
    .set('Authorization', await as(people.engineer))
    .send({ reason: 'Person 5133 shows the same wrong benefit', link: 'INC-42' });
  expect(reopened.status).toBe(200);
  expect(reopened.body).toMatchObject({ status: 'open', stage: 'inProgress' });
  const back = await user.drive(caseId, toClose);
  expect(back.view.fields).toMatchObject({ reopenCount: 1 });
  expect(back.acted).toEqual(['resolution#2', 'verification#2']);
});

test('reopening is for a closed defect only, and the month must be a month', async () => {
  const auth = await h.bearer(people.user);
  const started = await request(h.app)
    .post('/api/v1/cases/defect')
    .set('Authorization', auth)
    .send({
      kind: 'defect',
      defectClass: 'routine',
      title: `${tag} open one`,
      system,
      module: 'contributions',
      stepsToReproduce: 'Open the monthly contribution list for 2026-11',
      expectedResult: '120 rows',
      actualResult: 'an empty list',
      evidenceRefs: ['screenshot://contrib-empty.png'],
    });
  expect(started.status).toBe(201);
  const caseId = started.body.caseId as string;
  const early = await request(h.app)
    .post(`/api/v1/cases/${caseId}/reopen`)
    .set('Authorization', auth)
    .send({ reason: 'it is still open' });
  expect(early.status).toBe(409);
  expect(early.body.code).toBe('NOT_REOPENABLE');

  const outsider = await h.user('nd-outsider', ['requester']);
  const hidden = await request(h.app)
    .post(`/api/v1/cases/${caseId}/reopen`)
    .set('Authorization', await h.bearer(outsider))
    .send({ reason: 'curious' });
  expect(hidden.status).toBe(404);

  const badMonth = await request(h.app)
    .get('/api/v1/reports/defect-guarantees')
    .query({ month: '2026-13' })
    .set('Authorization', auth);
  expect(badMonth.status).toBe(400);
  expect(JSON.stringify(badMonth.body)).toContain('month');
});
