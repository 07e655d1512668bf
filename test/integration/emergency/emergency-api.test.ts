/**
 * Emergency response through the HTTP API only, as a new user reads it from `/openapi.json`: the
 * event registered from the published `emergency.request` schema, each step acted on with the form
 * its pending step carries and names (`formRef`, published in the document; test/support/new-user.ts), a milestone phoned in and entered
 * offline, the level raised. The only values given by name are a person's choices.
 */
import request from 'supertest';
import { eventually } from '../../support/db';
import { newUser, type Schema } from '../../support/new-user';
import { startHarness, type Harness } from '../api/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

test('register, dispatch, enter a milestone offline and raise the level through the API, from the published contract alone', async () => {
  const engineer = await h.user('emg-api-engineer', ['ops_engineer']);
  const opsHead = await h.user('emg-api-ops-head', ['ops_head']);
  const auth = await h.bearer(engineer);

  const doc = (await request(h.app).get('/openapi.json')).body as Schema;
  expect(
    (doc.paths as Record<string, Record<string, { operationId: string }>>)['/api/v1/cases/{id}/priority'].post
      .operationId,
  ).toBe('changePriority');
  // What the person reporting the event chooses; the level's codes are in the field's description.
  const answers = {
    title: 'Card authorisation timeouts',
    level: 'III',
    affectedSystems: ['cards'],
    affectedServices: ['card authorisation'],
    serviceMode: 'onsite',
    description: 'Authorisation latency above 5 s since 02:10',
    handler: engineer,
    note: 'by phone',
  };
  const user = await newUser(h.app, h.bearer, answers);
  const event = user.form('emergency.request') as Record<string, unknown>;
  expect((user.schema('emergency.request').properties as Record<string, Schema>).level.description).toContain(
    'III',
  );

  // A level the master data does not know is refused at the door, naming the field.
  const unknown = await request(h.app)
    .post('/api/v1/cases/emergency')
    .set('Authorization', auth)
    .send({ ...event, level: 'VII' });
  expect(unknown.status).toBe(400);
  expect(unknown.body).toMatchObject({
    code: 'ADMISSION_REFUSED',
    errors: [{ path: '/level', message: expect.stringContaining('not a known emergency level') }],
  });

  const started = await request(h.app).post('/api/v1/cases/emergency').set('Authorization', auth).send(event);
  expect(started.status).toBe(201);
  const caseId = started.body.caseId as string;
  expect(caseId).toMatch(/^EMG-\d{4}-\d{6}$/);

  const view = async () =>
    (await request(h.app).get(`/api/v1/cases/${caseId}`).set('Authorization', auth)).body;
  /** The step once it waits; it names its form, which the document publishes. */
  const pendingStep = async (name: string) => {
    const step = await user.pending(caseId, engineer, name);
    expect(step.formRef).toBe(`emergency.${name}`);
    return step;
  };

  const dispatched = await user.act(caseId, await pendingStep('dispatch'), engineer);
  // Every pending step names a form the document publishes.
  for (const step of dispatched.pendingSteps) {
    if (step.formRef) user.schema(step.formRef);
  }

  const phonedAt = new Date(Date.now() - 60_000).toISOString();
  await user.act(caseId, await pendingStep('responded'), engineer, {
    beside: { channel: 'offline', occurredAt: phonedAt, evidenceRef: 'hotline-77' },
  });

  const raised = await request(h.app)
    .post(`/api/v1/cases/${caseId}/priority`)
    .set('Authorization', await h.bearer(opsHead))
    .send({ priority: 'I', reason: 'all card channels down' });
  expect(raised.status).toBe(200);
  expect(raised.body.priority).toBe('I');
  // 004 §8.1.1 c: raised by hand, the event is in the escalation stage until its procedure moves on.
  expect(raised.body.stage).toBe('escalation');

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
  // The audit trail is written a moment after the case acts.
  const types = await eventually(async () => {
    const events = (await request(h.app).get(`/api/v1/cases/${caseId}/events`).set('Authorization', auth))
      .body.items as Array<{ type: string; data: { stage?: string } }>;
    return events.some((e) => e.type === 'emergency.level-changed') ? events : null;
  }, 'the raise in the audit trail');
  expect(types.map((e) => e.type)).toEqual(
    expect.arrayContaining(['case.priority-changed', 'emergency.level-changed', 'emergency.milestone']),
  );
  expect(types.filter((e) => e.type === 'stage.entered').map((e) => e.data.stage)).toContain('escalation');
  await h.client.workflow.getHandle(caseId).terminate('test over');
});
