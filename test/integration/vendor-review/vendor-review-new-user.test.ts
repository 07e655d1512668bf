/**
 * A new user's script for the vendor review: opened by hand for a missed month and driven to its
 * end through the HTTP API using only what `/openapi.json` and `GET /cases/{id}` publish — the
 * request from `vendor-review.request`, each step from the `formSchema` its pending step carries,
 * the actor from its assignees. The only answers given by name are the vendor and the month. Then
 * the review's figures, read from the published route: a vendor with no records shows no data.
 */
import request from 'supertest';
import { upsertSystem } from '../../../db/api-master-data';
import { startHarness, type Harness } from '../api/harness';

type Schema = Record<string, unknown>;

let h: Harness;
const people: Record<string, string> = {};
const answers: Record<string, unknown> = { periodStart: '2026-07-01' };

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
    case 'array':
      return [];
    case 'boolean':
      return false;
    case 'number':
    case 'integer':
      return (schema.minimum as number | undefined) ?? 1;
    case 'string':
      return 'as agreed';
    default:
      throw new Error(`cannot fill ${JSON.stringify(schema)}`);
  }
}

beforeAll(async () => {
  h = await startHarness();
  const vendorId = await h.vendor('nu-vendor');
  answers.vendorId = vendorId;
  await upsertSystem(h.db, {
    id: `${vendorId}-sys`,
    name: 'sys',
    ownerDepartmentId: null,
    vendorId,
    active: true,
  });
  people.ops_engineer = await h.user('nu-vr-ops', ['ops_engineer']);
  people.ops_head = await h.user('nu-vr-head', ['ops_head']);
  people.vendor_pm = await h.user('nu-vr-pm', ['vendor_pm'], { vendorId });
});
afterAll(() => h?.close());

test('a new user drives a vendor review to its end from the published contract alone, and reads its figures', async () => {
  const doc = (await request(h.app).get('/openapi.json')).body as Schema;
  const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
  const as = async (userId: string) => h.bearer(userId);

  const started = await request(h.app)
    .post('/api/v1/cases/vendor-review')
    .set('Authorization', await as(people.ops_engineer))
    .send(fill(schemas['vendor-review.request'], doc) as object);
  expect(started.status).toBe(201);
  const caseId = started.body.caseId as string;

  const acted: string[] = [];
  let closed: Record<string, unknown> | null = null;
  for (let round = 0; round < 60 && !closed; round++) {
    const view = await request(h.app)
      .get(`/api/v1/cases/${caseId}`)
      .set('Authorization', await as(people.ops_head));
    expect(view.status).toBe(200);
    if (view.body.status === 'closed') {
      closed = view.body;
      break;
    }
    const step = view.body.pendingSteps[0] as
      | { step: string; action: 'decide' | 'complete'; assignees: string[]; formSchema: Schema | null }
      | undefined;
    if (!step) {
      await new Promise((r) => setTimeout(r, 300));
      continue;
    }
    const assignee = step.assignees[0];
    const actor = assignee.startsWith('role:') ? people[assignee.slice(5)] : assignee;
    // As a person does: act once the case shows in what they may read (the read model is a moment behind).
    const mine = await request(h.app)
      .get(`/api/v1/cases/${caseId}`)
      .set('Authorization', await as(actor));
    if (mine.status === 404) {
      await new Promise((r) => setTimeout(r, 300));
      continue;
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
  expect(closed).toMatchObject({ outcome: 'signed_off' });
  expect(acted).toEqual(['vendorReport', 'scoring', 'signOff', 'acknowledgement']);

  // The figures, from the published route: nothing to count is no data, never 0 or 100 %.
  const path = Object.keys(doc.paths as object).find((p) => p.endsWith('/vendor-reviews/{id}/figures'))!;
  const figures = await request(h.app)
    .get(path.replace('{id}', caseId))
    .set('Authorization', await as(people.vendor_pm));
  expect(figures.status).toBe(200);
  expect(figures.body.period).toMatchObject({ label: '2026-07', kind: 'monthly' });
  expect(figures.body.figures.length).toBeGreaterThan(10);
  for (const f of figures.body.figures) expect(f).toMatchObject({ value: null, missing: expect.any(String) });
  expect(figures.body.satisfaction).toMatchObject({ surveyed: 0, responseRate: null });
});
