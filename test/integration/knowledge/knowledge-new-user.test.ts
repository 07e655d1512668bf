/**
 * A new user's script: a knowledge entry written by hand, reviewed, published and found again,
 * using only what `/openapi.json` and the case responses publish — operations looked up by their
 * operationId, the body filled from the published schema, the review step from the case's
 * pending step. The only words given by name are the ones a person writes. No call is refused.
 */
import request from 'supertest';
import { newUser, type Schema } from '../../support/new-user';
import { startHarness, type Harness } from '../api/harness';

let h: Harness;
const tag = `kbnu${Date.now().toString(36)}`;
const people: Record<string, string> = {};
const cases: string[] = [];

/** What a person writes; the published schema says which of these the operation needs. */
const answers: Record<string, string> = {
  title: `Nightly batch ${tag} stops at the reconciliation step`,
  problem: `The nightly batch ${tag} stops at reconciliation; the morning counters cannot open`,
  solution: 'Restart the reconciliation job after clearing the stale lock row',
};

function bodySchema(op: { op: Schema }): Schema {
  const content = (op.op.requestBody as { content: Record<string, { schema: Schema }> }).content;
  return content['application/json'].schema;
}

beforeAll(async () => {
  h = await startHarness();
  people.writer = await h.user('kbnu-writer', ['ops_engineer']);
  people.ops_head = await h.user('kbnu-head', ['ops_head']);
});

afterAll(async () => {
  for (const id of cases)
    await h.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  await h.db('knowledge_entries').whereIn('created_by', Object.values(people)).delete();
  await h?.close();
});

test('a new user writes an entry, has it reviewed and finds it, from the published contract alone', async () => {
  const user = await newUser(h.app, h.bearer);
  const operation = (operationId: string) => user.operation(operationId);
  const as = (userId: string) => h.bearer(userId);

  // The proposal's body: the published branch that needs no case, filled with what the person writes.
  const propose = operation('proposeKnowledgeEntry');
  const branches = bodySchema(propose).anyOf as Array<{ title: string; required: string[] }>;
  const byHand = branches.find((b) => !b.required.includes('sourceCase'))!;
  const body = Object.fromEntries(byHand.required.map((field) => [field, answers[field]]));
  const proposed = await request(h.app)
    .post(propose.path)
    .set('Authorization', await as(people.writer))
    .send(body);
  expect(proposed.status).toBe(201);
  const { entryId, reviewCaseId } = proposed.body as { entryId: string; reviewCaseId: string };
  cases.push(reviewCaseId);

  // The review case, read as any case: its pending step says what to do and who does it.
  expect(operation('getCase').path).toBe('/api/v1/cases/{id}');
  expect(operation('decide')).toMatchObject({ path: '/api/v1/cases/{id}/decisions', method: 'post' });
  const step = await user.pending(reviewCaseId, people.writer);
  expect(step).toMatchObject({ action: 'decide', assignees: ['role:ops_head'] });
  const decided = await user.act(reviewCaseId, step, people.ops_head);
  expect(decided.status).toBe('closed');

  const read = operation('getKnowledgeEntry');
  const search = operation('searchKnowledge');
  const required = (search.op.parameters as Array<{ name: string; required?: boolean }>)
    .filter((p) => p.required)
    .map((p) => p.name);
  expect(required).toEqual(['q']);
  let found: Array<{ entryId: string }> = [];
  for (let i = 0; i < 100 && found[0]?.entryId !== entryId; i++) {
    const res = await request(h.app)
      .get(search.path)
      .query({ q: `reconciliation ${tag}` })
      .set('Authorization', await as(people.writer));
    expect(res.status).toBe(200);
    found = res.body.items;
    if (found[0]?.entryId !== entryId) await new Promise((r) => setTimeout(r, 100));
  }
  expect(found[0].entryId).toBe(entryId);
  const entry = await request(h.app)
    .get(read.path.replace('{id}', entryId))
    .set('Authorization', await as(people.writer));
  expect(entry.body).toMatchObject({
    publishedVersion: 1,
    current: { title: answers.title, status: 'published' },
  });
});
