/**
 * A new user's script for the handover: a project team hands a system to the O&M center through
 * the HTTP API alone, using only what `/openapi.json` and `GET /cases/{id}` publish. The start form
 * is filled from `handover.request`, every step from the `formSchema` its pending step carries (the
 * deliverables and sessions are steps named at run time; their forms are published all the same).
 * The only answers given by name are a person's choices: the title, the system, the two units and
 * their people, and when the session takes place. Bad input is answered 400 naming the field.
 */
import request from 'supertest';
import { startHarness, type Harness } from './harness';

type Schema = Record<string, unknown>;
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

/** The simplest valid value of a schema (resolving `$ref`s in the published document), or a person's answer. */
function fill(schema: Schema, doc: Schema, name = ''): unknown {
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref.replace('#/components/schemas/', '');
    return fill((doc.components as { schemas: Record<string, Schema> }).schemas[target], doc, name);
  }
  if (name in answers) return answers[name];
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((key) => [key, fill(properties[key], doc, key)]));
    }
    case 'array': {
      const min = (schema.minItems as number | undefined) ?? 0;
      return Array.from({ length: min }, (_, i) => {
        const item = fill(schema.items as Schema, doc);
        return typeof item === 'string' ? `${item} ${i + 1}` : item;
      });
    }
    case 'boolean':
      return false;
    case 'number':
    case 'integer':
      return (schema.minimum as number | undefined) ?? 1;
    case 'string':
      if (schema.format === 'date') return '2031-03-08';
      if (schema.format === 'date-time') return tomorrow;
      return 'as agreed';
    default:
      throw new Error(`cannot fill ${JSON.stringify(schema)}`);
  }
}

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
  const doc = (await request(h.app).get('/openapi.json')).body as Schema;
  const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
  // Every step form is published, the per-item ones under the name their pending steps point at.
  expect(Object.keys(schemas)).toEqual(
    expect.arrayContaining([
      'handover.request',
      'handover.handoverPlan',
      'handover.deliverable',
      'handover.sessionRecord',
    ]),
  );

  const started = await start(fill(schemas['handover.request'], doc));
  expect(started.status).toBe(201);
  const caseId = started.body.caseId as string;
  expect(caseId).toMatch(/^HOV-/);

  const acted: string[] = [];
  for (let round = 0; round < 80; round++) {
    const view = await request(h.app)
      .get(`/api/v1/cases/${caseId}`)
      .set('Authorization', await as('organiser'));
    expect(view.status).toBe(200);
    if (view.body.status === 'closed') {
      expect(view.body.outcome).toBe('handed_over');
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
      return;
    }
    const step = view.body.pendingSteps[0] as
      | {
          step: string;
          action: 'decide' | 'complete';
          assignees: string[];
          formRef: string | null;
          formSchema: Schema | null;
        }
      | undefined;
    if (!step) {
      await new Promise((r) => setTimeout(r, 200)); // the next step opens a moment after the last
      continue;
    }
    const assignee = step.assignees[0];
    const actor = assignee.startsWith('role:') ? ids.opsHead : assignee;
    if (step.action === 'complete')
      expect(schemas[step.formRef!]).toEqual(expect.objectContaining({ type: 'object' }));
    const res =
      step.action === 'decide'
        ? await request(h.app)
            .post(`/api/v1/cases/${caseId}/decisions`)
            .set('Authorization', await as(actor))
            .send({ step: step.step, decision: 'approve' })
        : await request(h.app)
            .post(`/api/v1/cases/${caseId}/tasks/${encodeURIComponent(step.step)}/complete`)
            .set('Authorization', await as(actor))
            .send({ form: fill(step.formSchema!, doc) });
    expect({ step: step.step, status: res.status, body: res.status === 200 ? null : res.body }).toEqual({
      step: step.step,
      status: 200,
      body: null,
    });
    acted.push(step.step);
  }
  throw new Error(`the handover did not close; acted on ${acted.join(', ')}`);
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
    const doc = (await request(h.app).get('/openapi.json')).body as Schema;
    const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
    const caseId = (await start(fill(schemas['handover.request'], doc))).body.caseId as string;
    /** Reads the case until the step waits, as a client would before acting on it. */
    const opened = async (step: string) => {
      for (let i = 0; i < 150; i++) {
        const view = await request(h.app)
          .get(`/api/v1/cases/${caseId}`)
          .set('Authorization', await as('organiser'));
        if (view.body.pendingSteps?.some((s: { step: string }) => s.step === step)) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${step} never opened`);
    };
    const decide = async (step: string, who: string) => {
      await opened(step);
      return request(h.app)
        .post(`/api/v1/cases/${caseId}/decisions`)
        .set('Authorization', await as(who))
        .send({ step, decision: 'approve' });
    };
    const complete = async (step: string, who: string, form: unknown) => {
      await opened(step);
      return request(h.app)
        .post(`/api/v1/cases/${caseId}/tasks/${step}/complete`)
        .set('Authorization', await as(who))
        .send({ form });
    };
    expect((await complete('handoverPlan', 'lead', fill(schemas['handover.handoverPlan'], doc))).status).toBe(
      200,
    );
    expect((await decide('planApproval', 'opsHead')).status).toBe(200);
    expect((await decide('planAcceptance', 'contact')).status).toBe(200);
    expect((await complete('deliver-design_docs', 'lead', { reference: 'dms://x' })).status).toBe(200);
    const res = await complete('accept-design_docs', 'contact', { verdict: 'returned' });
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
  const waitFor = async (step: string) => {
    for (let i = 0; i < 150; i++) {
      const view = await request(h.app)
        .get(`/api/v1/cases/${caseId}`)
        .set('Authorization', await as('organiser'));
      if (view.body.pendingSteps?.some((s: { step: string }) => s.step === step)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${step} never opened`);
  };
  const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
  await waitFor('handoverPlan');
  const planned = await request(h.app)
    .post(`/api/v1/cases/${caseId}/tasks/handoverPlan/complete`)
    .set('Authorization', await as('lead'))
    .send({ form: fill(schemas['handover.handoverPlan'], doc) });
  expect(planned.status).toBe(200);
  for (const [step, who] of [
    ['planApproval', 'opsHead'],
    ['planAcceptance', 'engineerContact'],
  ]) {
    await waitFor(step);
    const decided = await request(h.app)
      .post(`/api/v1/cases/${caseId}/decisions`)
      .set('Authorization', await as(who))
      .send({ step, decision: 'approve' });
    expect({ step, status: decided.status }).toEqual({ step, status: 200 });
  }
  await waitFor('deliver-design_docs');
  await request(h.app)
    .post(`/api/v1/cases/${caseId}/cancel`)
    .set('Authorization', await as('opsHead'))
    .send({ reason: 'test over' });
}, 120_000);
