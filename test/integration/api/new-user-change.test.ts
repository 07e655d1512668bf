/**
 * A new user's script: a normal change driven end to end through the HTTP API using only what
 * `/openapi.json` and `GET /cases/{id}` publish. Every form is filled from its published schema
 * (the request from `change.request`, each step from the `formSchema` its pending step carries);
 * the only answers given by name are the ones a person chooses — a title, the system, the window
 * and when the work ran. Every call on the way must be accepted.
 */
import request from 'supertest';
import { setDepartmentHead, upsertDepartment, type Role } from '../../../db/directory';
import { startHarness, type Harness } from './harness';

type Schema = Record<string, unknown>;

let h: Harness;
const tag = `n${Date.now().toString(36)}`;
const people: Record<string, string> = {};

const startedRun = Date.now();
/**
 * What a person types for fields whose value is their choice; everything else comes from the schema.
 * The window begins now, in the system's maintenance window (an admin agreed it, below), and the
 * implementation reports when it really ran: a time in the future is refused (issue 9.2).
 */
const answers: Record<string, unknown> = {
  title: `${tag} raise the transfer limit`,
  affectedSystems: [`core-${tag}`],
  windowStart: new Date(startedRun + 60_000).toISOString(),
  windowEnd: new Date(startedRun + 2 * 3600_000).toISOString(),
  get startedAt() {
    return new Date(Date.now() - 30_000).toISOString();
  },
  get finishedAt() {
    return new Date().toISOString();
  },
};

/** The simplest valid value of a schema, resolving `$ref`s against the published document. */
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
      return Array.from({ length: min }, (_, i) => `${fill(schema.items as Schema, doc, name)}${i || ''}`);
    }
    case 'boolean':
      return false;
    case 'number':
    case 'integer':
      return (schema.minimum as number | undefined) ?? 1;
    case 'string':
      if (schema.format === 'date') return '2031-03-08';
      if (schema.format === 'date-time') return '2031-03-08T22:00:00+08:00';
      return 'as agreed';
    default:
      throw new Error(`cannot fill ${JSON.stringify(schema)}`);
  }
}

beforeAll(async () => {
  h = await startHarness();
  const department = `${tag}-retail`;
  await upsertDepartment(h.db, { id: department, name: 'Retail banking' });
  const roles: Role[] = [
    'requester',
    'department_head',
    'ops_engineer',
    'ops_head',
    'developer',
    'tester',
    'security_officer',
  ];
  for (const role of roles) people[role] = await h.user(`nu-${role}`, [role], { departmentId: department });
  await setDepartmentHead(h.db, department, { head: people.department_head });
  people.admin = await h.user(`nu-admin`, ['admin']);
  const agreed = await request(h.app)
    .put(`/api/v1/admin/maintenance-windows/${tag}-window`)
    .set('Authorization', await h.bearer(people.admin))
    .send({
      name: `${tag} maintenance`,
      startsAt: new Date(startedRun - 3600_000).toISOString(),
      endsAt: new Date(startedRun + 3 * 3600_000).toISOString(),
      systems: [`core-${tag}`],
    });
  expect(agreed.status).toBe(200);
});

afterAll(async () => {
  if (h) {
    await request(h.app)
      .delete(`/api/v1/admin/maintenance-windows/${tag}-window`)
      .set('Authorization', await h.bearer(people.admin));
  }
  await h?.close();
});

test('a new user drives a normal change to its end from the published contract alone, with no refused call', async () => {
  const doc = (await request(h.app).get('/openapi.json')).body as Schema;
  const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
  const as = async (userId: string) => h.bearer(userId);

  const form = fill(schemas['change.request'], doc);
  const started = await request(h.app)
    .post('/api/v1/cases/change')
    .set('Authorization', await as(people.requester))
    .send(form as object);
  expect(started.status).toBe(201);
  const caseId = started.body.caseId as string;

  const acted: string[] = [];
  for (let round = 0; round < 40; round++) {
    const view = await request(h.app)
      .get(`/api/v1/cases/${caseId}`)
      .set('Authorization', await as(people.ops_head));
    expect(view.status).toBe(200);
    if (view.body.status === 'closed') {
      expect(view.body.outcome).toBe('succeeded');
      expect(acted).toEqual(
        expect.arrayContaining(['departmentHeadApproval', 'opsAssessment', 'scheduling', 'implementation']),
      );
      return;
    }
    const step = view.body.pendingSteps[0] as
      | { step: string; action: 'decide' | 'complete'; assignees: string[]; formSchema: Schema | null }
      | undefined;
    if (!step) {
      await new Promise((r) => setTimeout(r, 200)); // the next step opens a moment after the case starts
      continue;
    }
    const assignee = step.assignees[0];
    const actor = assignee.startsWith('role:') ? people[assignee.slice(5)] : assignee;
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
  throw new Error(`the change did not close; acted on ${acted.join(', ')}`);
});
