/**
 * A new user's script for the periodic change review (001 §26–§27), driven through the HTTP API
 * using only what `/openapi.json` and `GET /cases/{id}` publish: the request from
 * `change-review.request`, each task's form from the schema its pending step carries and names
 * by `formRef` (test/support/new-user.ts), each step
 * acted on by a holder of the role it waits for. The only answers given by name are the period.
 * Every call on the way must be accepted.
 */
import request from 'supertest';
import type { Role } from '../../../db/directory';
import { newUser, roleHolders } from '../../support/new-user';
import { startHarness, type Harness } from '../api/harness';

let h: Harness;
const people: Record<string, string> = {};

/** What a person types for fields whose value is their choice; everything else comes from the schema. */
const answers: Record<string, unknown> = { from: '2031-01-01', to: '2031-04-01' };

beforeAll(async () => {
  h = await startHarness();
  const roles: Role[] = ['ops_engineer', 'ops_head', 'developer', 'security_officer', 'it_head'];
  for (const role of roles) people[role] = await h.user(`nucr-${role}`, [role]);
});

afterAll(async () => {
  await h?.close();
});

test('a new user drives a periodic change review to the archive from the published contract alone', async () => {
  const user = await newUser(h.app, h.bearer, answers);
  const caseId = await user.start('change-review', people.ops_engineer);
  expect(caseId).toMatch(/^CRV-/);

  const { view, acted } = await user.drive(caseId, {
    reader: people.ops_head,
    actor: roleHolders(people),
    // As a person would: act once the task shows in one's own inbox.
    ready: async (_step, actor) => {
      const inbox = await request(h.app)
        .get('/api/v1/me/inbox')
        .set('Authorization', await h.bearer(actor));
      expect(inbox.status).toBe(200);
      return JSON.stringify(inbox.body).includes(caseId);
    },
  });
  expect(view.outcome).toBe('archived');
  expect(view.fields.figures).toMatchObject({
    total: expect.any(Number),
    rollbacks: expect.any(Object),
  });
  expect(view.fields.opinions).toHaveLength(3);
  expect(acted.sort()).toEqual(
    ['developmentOpinion', 'itHeadReview', 'opsCenterOpinion', 'reviewSummary', 'securityOpinion'].sort(),
  );
});
