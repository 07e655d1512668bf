/**
 * Emergency response through the HTTP API only, as a client reads it from `/openapi.json`: an
 * event registered, dispatched, a milestone phoned in and entered offline, the level raised.
 */
import request from 'supertest';
import { eventually } from '../../support/db';
import { startHarness, type Harness } from '../api/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

test('register, dispatch, enter a milestone offline and raise the level through the API', async () => {
  const engineer = await h.user('emg-api-engineer', ['ops_engineer']);
  const opsHead = await h.user('emg-api-ops-head', ['ops_head']);
  const auth = await h.bearer(engineer);

  const spec = (await request(h.app).get('/openapi.json')).body;
  expect(spec.paths['/api/v1/cases/{id}/priority'].post.operationId).toBe('changePriority');
  const started = await request(h.app)
    .post('/api/v1/cases/emergency')
    .set('Authorization', auth)
    .send({
      title: 'Card authorisation timeouts',
      level: 'III',
      affectedSystems: ['cards'],
      affectedServices: ['card authorisation'],
      detectedBy: 'monitoring',
      serviceMode: 'onsite',
      description: 'Authorisation latency above 5 s since 02:10',
    });
  expect(started.status).toBe(201);
  const caseId = started.body.caseId as string;
  expect(caseId).toMatch(/^EMG-\d{4}-\d{6}$/);

  const view = async () =>
    (await request(h.app).get(`/api/v1/cases/${caseId}`).set('Authorization', auth)).body;
  await eventually(
    async () => (await view()).pendingSteps?.some((s: { step: string }) => s.step === 'dispatch'),
    'dispatch',
  );
  const dispatched = await request(h.app)
    .post(`/api/v1/cases/${caseId}/tasks/dispatch/complete`)
    .set('Authorization', auth)
    .send({ form: { handler: engineer } });
  expect(dispatched.status).toBe(200);

  const phonedAt = new Date(Date.now() - 60_000).toISOString();
  const responded = await request(h.app)
    .post(`/api/v1/cases/${caseId}/tasks/responded/complete`)
    .set('Authorization', auth)
    .send({
      form: { note: 'by phone' },
      channel: 'offline',
      occurredAt: phonedAt,
      evidenceRef: 'hotline-77',
    });
  expect(responded.status).toBe(200);

  const raised = await request(h.app)
    .post(`/api/v1/cases/${caseId}/priority`)
    .set('Authorization', await h.bearer(opsHead))
    .send({ priority: 'I', reason: 'all card channels down' });
  expect(raised.status).toBe(200);
  expect(raised.body.priority).toBe('I');

  const row = await eventually(async () => {
    const v = await view();
    return v.priority === 'I' && v.fields?.milestones?.responded ? v : null;
  }, 'level I in the case');
  expect(row.fields.milestones.responded).toMatchObject({
    at: phonedAt,
    by: engineer,
    channel: 'offline',
    evidenceRef: 'hotline-77',
    outcome: 'met',
  });
  const events = (await request(h.app).get(`/api/v1/cases/${caseId}/events`).set('Authorization', auth)).body
    .items;
  expect(events.map((e: { type: string }) => e.type)).toEqual(
    expect.arrayContaining(['case.priority-changed', 'emergency.level-changed', 'emergency.milestone']),
  );
  await h.client.workflow.getHandle(caseId).terminate('test over');
});
