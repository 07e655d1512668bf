/**
 * A new user's script for the handover: a project team hands a system to the O&M center through
 * the HTTP API alone, using only what `/openapi.json` and `GET /cases/{id}` publish. The start form
 * is filled from `handover.request`, every task from the schema its pending step carries and names
 * by `formRef` (test/support/new-user.ts; the
 * deliverables and sessions are steps named at run time; their forms are published all the same).
 * The only answers given by name are a person's choices: the title, the system, the two units and
 * their people, and when the session takes place. Bad input is answered 400 naming the field.
 */
import request from 'supertest';
import { newUser, roleHolders, type Schema } from '../../support/new-user';
import { startHarness, type Harness } from './harness';

/** A start body a test spoils one field of. */
type StartBody = Record<string, unknown> & {
  receivingUnit: { departmentId: string; contact?: string };
  deliveringParty: Record<string, unknown>;
};

let h: Harness;
const tag = `nh${Date.now().toString(36)}`;
const ids: Record<string, string> = {};
const system = `${tag}-pension`;
const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString();
let answers: Record<string, unknown> = {};

beforeAll(async () => {
  h = await startHarness({ API_BODY_LIMIT: '32kb' });
  const project = await h.department(`${tag}-project`);
  const receiving = await h.department(`${tag}-ops-center`);
  const business = await h.department(`${tag}-pension-section`);
  ids.organiser = await h.user(`${tag}-organiser`, ['ops_engineer']);
  ids.opsHead = await h.user(`${tag}-ops-head`, ['ops_head']);
  ids.lead = await h.user(`${tag}-lead`, ['developer'], { departmentId: project });
  ids.contact = await h.user(`${tag}-contact`, ['receiving_unit'], { departmentId: receiving });
  // An O&M engineer who also accepts handovers for the O&M center.
  ids.engineerContact = await h.user(`${tag}-engineer-contact`, ['ops_engineer', 'receiving_unit'], {
    departmentId: receiving,
  });
  ids.colleague = await h.user(`${tag}-colleague`, ['requester'], { departmentId: receiving });
  ids.outsider = await h.user(`${tag}-outsider`, ['requester'], { departmentId: business });
  await h.db('systems').insert({ id: system, name: 'Pension system', owner_department_id: business });
  answers = {
    title: `${tag} pension system goes to operation`,
    systemId: system,
    deliveringParty: { kind: 'project_team', departmentId: project, lead: ids.lead },
    receivingUnit: { departmentId: receiving, contact: ids.contact },
    plannedAt: tomorrow,
  };
});

afterAll(async () => {
  // The shared database outlives this file: a user holding receiving_unit and an organisation-wide
  // role would be told of every later test's receiving-unit mails.
  await h?.db('user_roles').whereIn('user_id', Object.values(ids)).delete();
  await h?.db('system_ops_owners').where({ system_id: system }).delete();
  await h?.db('systems').where({ id: system }).delete();
  await h?.close();
});

const as = (who: string) => h.bearer(ids[who] ?? who);
const start = async (body: unknown, who = 'organiser') =>
  request(h.app)
    .post('/api/v1/cases/handover')
    .set('Authorization', await as(who))
    .send(body as object);

test('a new user drives a handover to its end from the published contract alone, with no refused call', async () => {
  const user = await newUser(h.app, h.bearer, answers);
  const schemas = (user.doc.components as { schemas: Record<string, Schema> }).schemas;
  // Every step form is published, the per-item ones under the name their pending steps point at.
  expect(Object.keys(schemas)).toEqual(
    expect.arrayContaining([
      'handover.request',
      'handover.handoverPlan',
      'handover.deliverable',
      'handover.sessionRecord',
    ]),
  );

  const caseId = await user.start('handover', ids.organiser);
  expect(caseId).toMatch(/^HOV-/);

  const { view, acted } = await user.drive(caseId, {
    reader: ids.organiser,
    actor: roleHolders({ ops_head: ids.opsHead }),
    check: (step) => {
      if (step.action === 'complete') expect(user.schema(step.formRef!)).toMatchObject({ type: 'object' });
    },
    timeoutMs: 170_000,
  });
  expect(view.outcome).toBe('handed_over');
  expect(acted).toEqual(
    expect.arrayContaining([
      'handoverPlan',
      'planApproval',
      'planAcceptance',
      'deliver-design_docs',
      'accept-asset_records',
      'session-1',
      'feedback-1',
      'archiveTransfer',
    ]),
  );
  // The system's O&M owner is the receiving unit now, with the date; both units read the case.
  const owners = await request(h.app)
    .get(`/api/v1/systems/${system}/ops-owners`)
    .set('Authorization', await as('colleague'));
  expect(owners.status).toBe(200);
  expect(owners.body.items).toEqual([
    expect.objectContaining({
      departmentId: (answers.receivingUnit as { departmentId: string }).departmentId,
      caseId,
    }),
  ]);
  expect(
    (
      await request(h.app)
        .get(`/api/v1/cases/${caseId}`)
        .set('Authorization', await as('colleague'))
    ).status,
  ).toBe(200);
  expect(
    (
      await request(h.app)
        .get(`/api/v1/cases/${caseId}`)
        .set('Authorization', await as('outsider'))
    ).status,
  ).toBe(404);
  const listed = await request(h.app)
    .get('/api/v1/cases?process=handover')
    .set('Authorization', await as('colleague'));
  expect(listed.body.items.map((c: { caseId: string }) => c.caseId)).toContain(caseId);
}, 180_000);

describe('bad input is a 400 naming the field, and no case is started', () => {
  const valid = () => {
    const { plannedAt: _sessionTime, ...startForm } = answers;
    return JSON.parse(JSON.stringify({ ...startForm, plannedCompletion: '2031-07-31' })) as StartBody;
  };
  const paths = (res: request.Response) => (res.body.errors as Array<{ path: string }>).map((e) => e.path);
  const casesTitled = async (title: string) =>
    h.db('cases').where({ process: 'handover', title }).count<{ count: string }[]>('* as count');

  test('a missing receiving contact', async () => {
    const body = valid();
    delete body.receivingUnit.contact;
    const res = await start({ ...body, title: `${tag} no contact` });
    expect(res.status).toBe(400);
    expect(paths(res)).toContain('/receivingUnit/contact');
  });

  test('a vendor as delivering party without the vendor', async () => {
    const body = valid();
    body.deliveringParty = { kind: 'vendor', lead: ids.lead };
    const res = await start({ ...body, title: `${tag} no vendor` });
    expect(res.status).toBe(400);
    expect(paths(res)).toContain('/deliveringParty/vendorId');
  });

  test('a completion date that is no date', async () => {
    const res = await start({ ...valid(), plannedCompletion: '2031-02-30' });
    expect(res.status).toBe(400);
    expect(paths(res)).toContain('/plannedCompletion');
  });

  test('records that do not exist or do not fit: unknown system, a contact outside the receiving unit', async () => {
    const title = `${tag} refused at the door`;
    const body: StartBody = { ...valid(), title, systemId: `${tag}-nowhere` };
    body.receivingUnit.contact = ids.outsider;
    const res = await start(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('ADMISSION_REFUSED');
    expect(paths(res)).toEqual(expect.arrayContaining(['/systemId', '/receivingUnit/contact']));
    expect(Number((await casesTitled(title))[0].count)).toBe(0);
  });

  test('a returned deliverable without its reasons', async () => {
    const user = await newUser(h.app, h.bearer, answers);
    const caseId = await user.start('handover', ids.organiser);
    /** Acts on the step once it waits, as a client reads the case before acting on it. */
    const act = async (step: string, who: string) =>
      user.act(caseId, await user.pending(caseId, ids.organiser, step), ids[who]);
    await act('handoverPlan', 'lead');
    await act('planApproval', 'opsHead');
    await act('planAcceptance', 'contact');
    await user.pending(caseId, ids.organiser, 'deliver-design_docs');
    const delivered = await request(h.app)
      .post(`/api/v1/cases/${caseId}/tasks/deliver-design_docs/complete`)
      .set('Authorization', await as('lead'))
      .send({ form: { reference: 'dms://x' } });
    expect(delivered.status).toBe(200);
    await user.pending(caseId, ids.organiser, 'accept-design_docs');
    const res = await request(h.app)
      .post(`/api/v1/cases/${caseId}/tasks/accept-design_docs/complete`)
      .set('Authorization', await as('contact'))
      .send({ form: { verdict: 'returned' } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('FORM_INVALID');
    expect(JSON.stringify(res.body.details)).toContain('/reasons');
    const cancelled = await request(h.app)
      .post(`/api/v1/cases/${caseId}/cancel`)
      .set('Authorization', await as('opsHead'))
      .send({ reason: 'test over' });
    expect(cancelled.status).toBe(200);
  }, 120_000);
});

test('the receiving contact who starts their own handover is refused 422 naming the contact, and no case starts', async () => {
  const doc = (await request(h.app).get('/openapi.json')).body as Schema;
  const startResponses = (doc.paths as Record<string, { post?: { responses: Record<string, unknown> } }>)[
    '/api/v1/cases/{process}'
  ].post!.responses;
  expect(Object.keys(startResponses)).toContain('422');

  // They would accept the plan of a case they requested, which a requester never may: the case
  // would stand still at the plan. Refused at the door instead.
  const title = `${tag} started by its own contact`;
  const { plannedAt: _sessionTime, ...startForm } = answers;
  const body = JSON.parse(
    JSON.stringify({ ...startForm, title, plannedCompletion: '2031-07-31' }),
  ) as StartBody;
  body.receivingUnit.contact = ids.engineerContact;
  const res = await start(body, 'engineerContact');
  expect(res.status).toBe(422);
  expect(res.body.code).toBe('FORM_REFUSED');
  expect((res.body.errors as Array<{ path: string }>).map((e) => e.path)).toEqual(['/receivingUnit/contact']);
  expect(res.body.detail).toMatch(/another contact/);
  const count = await h
    .db('cases')
    .where({ process: 'handover', title })
    .count<{ count: string }[]>('* as count');
  expect(Number(count[0].count)).toBe(0);

  // Named by someone else, the same person accepts the plan: the case moves.
  const organised = await start(body, 'organiser');
  expect(organised.status).toBe(201);
  const caseId = organised.body.caseId as string;
  const user = await newUser(h.app, h.bearer, answers);
  for (const [step, who] of [
    ['handoverPlan', 'lead'],
    ['planApproval', 'opsHead'],
    ['planAcceptance', 'engineerContact'],
  ]) {
    await user.act(caseId, await user.pending(caseId, ids.organiser, step), ids[who]);
  }
  await user.pending(caseId, ids.organiser, 'deliver-design_docs');
  await request(h.app)
    .post(`/api/v1/cases/${caseId}/cancel`)
    .set('Authorization', await as('opsHead'))
    .send({ reason: 'test over' });
}, 120_000);
