/**
 * A new user's script for the vendor review: opened by hand for a missed month and driven to its
 * end through the HTTP API using only what `/openapi.json` and `GET /cases/{id}` publish — the
 * request from `vendor-review.request`, each task's form from the schema its pending step carries
 * and names by `formRef` (test/support/new-user.ts),
 * the actor from its assignees. The only answers given by name are the vendor and the month. Then
 * the review's figures, read from the published route: a vendor with no records shows no data.
 */
import request from 'supertest';
import { upsertSystem } from '../../../db/api-master-data';
import { newUser, roleHolders } from '../../support/new-user';
import { startHarness, type Harness } from '../api/harness';

let h: Harness;
const people: Record<string, string> = {};
const answers: Record<string, unknown> = { periodStart: '2026-07-01' };

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
  const user = await newUser(h.app, h.bearer, answers);
  const doc = user.doc;
  const as = async (userId: string) => h.bearer(userId);
  const caseId = await user.start('vendor-review', people.ops_engineer);

  const { view: closed, acted } = await user.drive(caseId, {
    reader: people.ops_head,
    actor: roleHolders(people),
    // As a person does: act once the case shows in what they may read (the read model is a moment behind).
    ready: async (_step, actor) =>
      (
        await request(h.app)
          .get(`/api/v1/cases/${caseId}`)
          .set('Authorization', await as(actor))
      ).status !== 404,
  });
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
