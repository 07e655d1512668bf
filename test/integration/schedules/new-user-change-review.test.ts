/**
 * A new user's script for the periodic change review (001 §26–§27), driven through the HTTP API
 * using only what `/openapi.json` and `GET /cases/{id}` publish: the request from
 * `change-review.request`, each step from the `formSchema` its pending step carries, each step
 * acted on by a holder of the role it waits for. The only answers given by name are the period.
 * Every call on the way must be accepted.
 */
import request from 'supertest';
import type { Role } from '../../../db/directory';
import { startHarness, type Harness } from '../api/harness';

type Schema = Record<string, unknown>;

let h: Harness;
const people: Record<string, string> = {};

/** What a person types for fields whose value is their choice; everything else comes from the schema. */
const answers: Record<string, unknown> = { from: '2031-01-01', to: '2031-04-01' };

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
  const roles: Role[] = ['ops_engineer', 'ops_head', 'developer', 'security_officer', 'it_head'];
  for (const role of roles) people[role] = await h.user(`nucr-${role}`, [role]);
});

afterAll(async () => {
  await h?.close();
});

test('a new user drives a periodic change review to the archive from the published contract alone', async () => {
  const doc = (await request(h.app).get('/openapi.json')).body as Schema;
  const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
  const as = async (userId: string) => h.bearer(userId);

  const started = await request(h.app)
    .post('/api/v1/cases/change-review')
    .set('Authorization', await as(people.ops_engineer))
    .send(fill(schemas['change-review.request'], doc) as object);
  expect(started.status).toBe(201);
  const caseId = started.body.caseId as string;
  expect(caseId).toMatch(/^CRV-/);

  const acted: string[] = [];
  for (let round = 0; round < 40; round++) {
    const view = await request(h.app)
      .get(`/api/v1/cases/${caseId}`)
      .set('Authorization', await as(people.ops_head));
    expect(view.status).toBe(200);
    if (view.body.status === 'closed') {
      expect(view.body.outcome).toBe('archived');
      expect(view.body.fields.figures).toMatchObject({
        total: expect.any(Number),
        rollbacks: expect.any(Object),
      });
      expect(view.body.fields.opinions).toHaveLength(3);
      expect(acted.sort()).toEqual(
        ['developmentOpinion', 'itHeadReview', 'opsCenterOpinion', 'reviewSummary', 'securityOpinion'].sort(),
      );
      return;
    }
    const step = view.body.pendingSteps[0] as
      | { step: string; action: 'decide' | 'complete'; assignees: string[]; formSchema: Schema | null }
      | undefined;
    if (!step) {
      await new Promise((r) => setTimeout(r, 200)); // the next step opens a moment after the last one closes
      continue;
    }
    const assignee = step.assignees[0];
    const actor = assignee.startsWith('role:') ? people[assignee.slice(5)] : assignee;
    // As a person would: act once the task shows in one's own inbox.
    for (let wait = 0; ; wait++) {
      const inbox = await request(h.app)
        .get('/api/v1/me/inbox')
        .set('Authorization', await as(actor));
      expect(inbox.status).toBe(200);
      if (JSON.stringify(inbox.body).includes(caseId)) break;
      if (wait > 100) throw new Error(`${step.step} never reached the inbox of ${actor}`);
      await new Promise((r) => setTimeout(r, 100));
    }
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
  throw new Error(`the change review did not close; acted on ${acted.join(', ')}`);
});
