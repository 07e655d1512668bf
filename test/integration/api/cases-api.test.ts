/** Cases through the REST API, end to end on the real dev server, PostgreSQL and workflows. */
import request from 'supertest';
import { yearIn } from '../../../api/routes/cases';
import { upsertSlaPolicy } from '../../../db/sla-policies';
import { decideUpdate, pauseClockUpdate, withdrawUpdate } from '../../../workflows/contracts/messages';
import { apiSigned } from '../../support/api-signed';
import { eventually } from '../../support/db';
import { startHarness, type Harness } from './harness';

let h: Harness;
let requester: string;
let head: string;
let opsHead: string;
let selfHead: string;
let engineer: string;
let auditor: string;
const tag = `t${Date.now().toString(36)}`;

const form = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  system: 'si-core',
  justification: 'Needed to investigate an incident',
  ...extra,
});

async function start(userId: string, title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await request(h.app)
    .post('/api/v1/cases/access')
    .set('Authorization', await h.bearer(userId))
    .send(form(title, extra));
  expect(res.status).toBe(201);
  return res.body.caseId as string;
}

/**
 * A step opens once the case has resolved its SLA policy (an activity), a moment after the start;
 * the read model, which says who may read and act on the case, is written by another.
 */
async function pending(caseId: string, step = 'departmentHeadApproval'): Promise<void> {
  await inReadModel(caseId);
  const auth = await h.bearer(auditor);
  await eventually(async () => {
    const res = await request(h.app).get(`/api/v1/cases/${caseId}`).set('Authorization', auth);
    return res.body.pendingSteps?.some((s: { step: string }) => s.step === step) ?? false;
  }, `${step} pending on ${caseId}`);
}

async function decide(userId: string, caseId: string, body: Record<string, unknown>) {
  return request(h.app)
    .post(`/api/v1/cases/${caseId}/decisions`)
    .set('Authorization', await h.bearer(userId))
    .send(body);
}

/** The read model is written by an activity, a moment after the workflow acts. */
async function inReadModel(caseId: string, stage?: string) {
  return eventually(async () => {
    const row = await h.db('cases').where({ case_id: caseId }).first();
    return row && (stage === undefined || row.stage === stage) ? row : null;
  }, `read model of ${caseId}`);
}

beforeAll(async () => {
  h = await startHarness();
  // The requester's department head reads and decides their cases (db/case-access.ts).
  const departmentId = await h.department('cases-api-dept');
  requester = await h.user('requester', ['requester'], { departmentId });
  head = await h.user('head', ['department_head'], { departmentId });
  opsHead = await h.user('opshead', ['ops_head']);
  selfHead = await h.user('selfhead', ['requester', 'department_head'], { departmentId });
  engineer = await h.user('engineer', ['ops_engineer']);
  auditor = await h.user('auditor', ['auditor']);
  // Priorities with very different clocks, so "soonest due first" is visible in the inbox.
  for (const [priority, duration] of [
    ['high', 'PT1H'],
    ['low', 'PT30H'],
  ]) {
    await upsertSlaPolicy(h.db, {
      id: `api-test-access-${priority}`,
      process: 'access',
      stage: 'departmentHeadApproval',
      priority,
      basis: 'elapsed',
      duration,
      warnRatio: null,
      calendarId: null,
      escalation: [],
      active: true,
    });
  }
});

afterAll(async () => {
  await h?.close();
});

test('starting a case answers 201 with its case number, Location and Temporal UI link', async () => {
  const res = await request(h.app)
    .post('/api/v1/cases/access')
    .set('Authorization', await h.bearer(requester))
    .send(form(`${tag} start`));
  expect(res.status).toBe(201);
  expect(res.body.caseId).toMatch(/^ACC-\d{4}-\d{6}$/);
  expect(res.headers.location).toBe(`/api/v1/cases/${res.body.caseId}`);
  expect(res.body.temporalUiUrl).toBe(
    `${h.config.temporal.uiUrl}/namespaces/default/workflows/${res.body.caseId}`,
  );
  expect(res.body.replayed).toBe(false);
  const row = await inReadModel(res.body.caseId);
  expect(row.requester).toBe(requester);
});

test('an access request is approved end to end by the department head and then the O&M head', async () => {
  const caseId = await start(requester, `${tag} e2e`);
  await pending(caseId);
  const first = await decide(head, caseId, {
    step: 'departmentHeadApproval',
    decision: 'approve',
    comment: 'ok',
  });
  expect(first.status).toBe(200);
  expect(first.body.pendingSteps.map((s: { step: string }) => s.step)).not.toContain(
    'departmentHeadApproval',
  );
  await pending(caseId, 'opsHeadApproval');

  const second = await decide(opsHead, caseId, { step: 'opsHeadApproval', decision: 'approve' });
  expect(second.status).toBe(200);
  expect(second.body.pendingSteps).toEqual([]);

  const detail = await request(h.app)
    .get(`/api/v1/cases/${caseId}`)
    .set('Authorization', await h.bearer(auditor));
  expect(detail.status).toBe(200);
  expect(detail.body).toMatchObject({ caseId, live: true });
  expect(detail.body.temporalUiUrl).toContain(`/workflows/${caseId}`);

  const events = await eventually(async () => {
    const res = await request(h.app)
      .get(`/api/v1/cases/${caseId}/events`)
      .set('Authorization', await h.bearer(auditor));
    return res.body.items?.some((e: { type: string }) => e.type === 'case.closed') ? res : null;
  }, 'case closed in the audit trail');
  const closed = await request(h.app)
    .get(`/api/v1/cases/${caseId}`)
    .set('Authorization', await h.bearer(auditor));
  expect(closed.body).toMatchObject({ status: 'closed', outcome: 'approved', pendingSteps: [] });
  expect(events.body.items[0].seq).toBe(1);
  expect(events.body.items.filter((e: { actor: string }) => e.actor === head).length).toBeGreaterThan(0);
});

test('the requester cannot approve their own case even holding department_head (403 SOD_REQUESTER)', async () => {
  const caseId = await start(selfHead, `${tag} sod`);
  await pending(caseId);
  const res = await decide(selfHead, caseId, { step: 'departmentHeadApproval', decision: 'approve' });
  expect(res.status).toBe(403);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 403, code: 'SOD_REQUESTER' });
});

test('refusals carry the kernel code: NOT_ELIGIBLE 403, REASON_REQUIRED 422, STEP_NOT_PENDING 409, CASE_CLOSED 409', async () => {
  const caseId = await start(requester, `${tag} refusals`);
  await pending(caseId);
  const notMine = await decide(opsHead, caseId, { step: 'departmentHeadApproval', decision: 'approve' });
  expect(notMine.status).toBe(403);
  expect(notMine.body.code).toBe('NOT_ELIGIBLE');

  const noReason = await decide(head, caseId, { step: 'departmentHeadApproval', decision: 'reject' });
  expect(noReason.status).toBe(422);
  expect(noReason.body.code).toBe('REASON_REQUIRED');

  const wrongStep = await decide(opsHead, caseId, { step: 'opsHeadApproval', decision: 'approve' });
  expect(wrongStep.status).toBe(409);
  expect(wrongStep.body.code).toBe('STEP_NOT_PENDING');

  const rejected = await decide(head, caseId, {
    step: 'departmentHeadApproval',
    decision: 'reject',
    comment: 'not needed',
  });
  expect(rejected.status).toBe(200);

  const again = await decide(head, caseId, { step: 'departmentHeadApproval', decision: 'approve' });
  expect(again.status).toBe(409);
  expect(['CASE_CLOSED', 'STEP_NOT_PENDING']).toContain(again.body.code);
  await eventually(
    async () => (await h.client.workflow.getHandle(caseId).describe()).status.name === 'COMPLETED',
    'workflow completed',
  );
  const afterClose = await decide(head, caseId, { step: 'departmentHeadApproval', decision: 'approve' });
  expect(afterClose.status).toBe(409);
  expect(afterClose.body.code).toBe('CASE_CLOSED');
});

test('an offline decision needs its real time and evidence, and is recorded on the offline channel', async () => {
  const caseId = await start(requester, `${tag} offline decision`);
  await pending(caseId);
  const missing = await decide(head, caseId, {
    step: 'departmentHeadApproval',
    decision: 'approve',
    channel: 'offline',
  });
  expect(missing.status).toBe(422);
  expect(missing.body.code).toBe('EVIDENCE_REQUIRED');

  const occurredAt = new Date(Date.now() - 3600_000).toISOString();
  const ok = await decide(head, caseId, {
    step: 'departmentHeadApproval',
    decision: 'approve',
    channel: 'offline',
    occurredAt,
    evidenceRef: 'scan-2026-0042.pdf',
  });
  expect(ok.status).toBe(200);
  const decided = await eventually(
    async () => (await h.db('case_events').where({ case_id: caseId, channel: 'offline' }).first()) ?? null,
    'offline decision event',
  );
  expect(decided.actor).toBe(head);
  expect(decided.occurred_at.toISOString()).toBe(occurredAt);
});

test('offline entries are recorded by O&M staff only, with time and evidence', async () => {
  const caseId = await start(requester, `${tag} offline entry`);
  const body = {
    kind: 'verbal-authorisation',
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
    evidenceRef: 'call-778',
    content: { by: 'phone' },
  };
  const forbidden = await request(h.app)
    .post(`/api/v1/cases/${caseId}/offline-entries`)
    .set('Authorization', await h.bearer(requester))
    .send(body);
  expect(forbidden.status).toBe(403);
  expect(forbidden.body.code).toBe('ROLE_REQUIRED');

  const noEvidence = await request(h.app)
    .post(`/api/v1/cases/${caseId}/offline-entries`)
    .set('Authorization', await h.bearer(engineer))
    .send({ kind: 'paper-signature', occurredAt: body.occurredAt });
  expect(noEvidence.status).toBe(400);
  expect(noEvidence.body.errors).toEqual([{ path: '/evidenceRef', message: 'is required' }]);

  const ok = await request(h.app)
    .post(`/api/v1/cases/${caseId}/offline-entries`)
    .set('Authorization', await h.bearer(engineer))
    .send(body);
  expect(ok.status).toBe(200);
  await eventually(
    async () =>
      (await h.db('case_events').where({ case_id: caseId, type: 'offline.recorded' }).first()) ?? null,
    'offline entry',
  );
});

test('task commands reach the kernel: claiming an approval step is refused as INVALID_MESSAGE', async () => {
  const caseId = await start(requester, `${tag} task`);
  await pending(caseId);
  const res = await request(h.app)
    .post(`/api/v1/cases/${caseId}/tasks/departmentHeadApproval/claim`)
    .set('Authorization', await h.bearer(head));
  expect(res.status).toBe(422);
  expect(res.body.code).toBe('INVALID_MESSAGE');
  const reassign = await request(h.app)
    .post(`/api/v1/cases/${caseId}/tasks/departmentHeadApproval/reassign`)
    .set('Authorization', await h.bearer(head))
    .send({ to: opsHead });
  expect(reassign.status).toBe(400);
  expect(reassign.body.errors).toEqual([{ path: '/reason', message: 'is required' }]);
  const complete = await request(h.app)
    .post(`/api/v1/cases/${caseId}/tasks/departmentHeadApproval/complete`)
    .set('Authorization', await h.bearer(head))
    .send({ form: {} });
  expect(complete.status).toBe(422);
});

test('auditors read but may not decide (403 ROLE_REQUIRED)', async () => {
  const caseId = await start(requester, `${tag} auditor`);
  await pending(caseId);
  const res = await decide(auditor, caseId, { step: 'departmentHeadApproval', decision: 'approve' });
  expect(res.status).toBe(403);
  expect(res.body.code).toBe('ROLE_REQUIRED');
});

test('an Idempotency-Key replay returns the same case; the same key with another body is 409', async () => {
  const auth = await h.bearer(requester);
  const key = `${tag}-idem`;
  const first = await request(h.app)
    .post('/api/v1/cases/access')
    .set('Authorization', auth)
    .set('Idempotency-Key', key)
    .send(form(`${tag} idem`));
  const replay = await request(h.app)
    .post('/api/v1/cases/access')
    .set('Authorization', auth)
    .set('Idempotency-Key', key)
    .send(form(`${tag} idem`));
  expect(first.status).toBe(201);
  expect(replay.status).toBe(201);
  expect(replay.body).toMatchObject({ caseId: first.body.caseId, replayed: true });
  const conflict = await request(h.app)
    .post('/api/v1/cases/access')
    .set('Authorization', auth)
    .set('Idempotency-Key', key)
    .send(form(`${tag} other`));
  expect(conflict.status).toBe(409);
  expect(conflict.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  // Another user's identical key is their own.
  const other = await request(h.app)
    .post('/api/v1/cases/access')
    .set('Authorization', await h.bearer(selfHead))
    .set('Idempotency-Key', key)
    .send(form(`${tag} idem`));
  expect(other.status).toBe(201);
  expect(other.body.caseId).not.toBe(first.body.caseId);
  const stored = await h.db('api_idempotency_keys').where({ user_id: requester, key }).first();
  expect(stored.started_at).not.toBeNull();
});

test('a case number Temporal already knows (a database restored from an older backup) is skipped, never answered as ours', async () => {
  // The next two numbers the database will hand out are already workflows in Temporal: another
  // installation's cases, or ours from before the restore. Nobody polls their queue.
  const year = yearIn(h.config.timeZone);
  const counter = await h.db('case_number_counters').where({ prefix: 'ACC', year }).first();
  const next = (n: number) => `ACC-${year}-${String(Number(counter?.last_value ?? 0) + n).padStart(6, '0')}`;
  const taken = [next(1), next(2)];
  for (const id of taken)
    await h.client.workflow.start('accessRequest', {
      taskQueue: `${tag}-nobody`,
      workflowId: id,
      args: [{}],
    });
  try {
    const key = `${tag}-restored`;
    const started = await request(h.app)
      .post('/api/v1/cases/access')
      .set('Authorization', await h.bearer(requester))
      .set('Idempotency-Key', key)
      .send(form(`${tag} after restore`));
    expect(started.status).toBe(201);
    expect(started.body.caseId).toBe(next(3));
    const row = await inReadModel(started.body.caseId);
    expect(row.requester).toBe(requester);
    // A retry with the key finds the case it started, not a number it skipped.
    const replay = await request(h.app)
      .post('/api/v1/cases/access')
      .set('Authorization', await h.bearer(requester))
      .set('Idempotency-Key', key)
      .send(form(`${tag} after restore`));
    expect(replay.body).toMatchObject({ caseId: next(3), replayed: true });
  } finally {
    for (const id of taken) await h.client.workflow.getHandle(id).terminate('test over');
  }
});

test('the case list filters by text and process and pages with an opaque cursor, each case once', async () => {
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(await start(requester, `${tag} page ${i}`));
  for (const id of ids) await inReadModel(id);
  const auth = await h.bearer(auditor);
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: request.Response = await request(h.app)
      .get('/api/v1/cases')
      .query({
        q: `${tag} page`,
        process: 'access',
        sort: 'created_at',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      })
      .set('Authorization', auth);
    expect(res.status).toBe(200);
    seen.push(...res.body.items.map((c: { caseId: string }) => c.caseId));
    cursor = res.body.nextCursor;
    pages += 1;
  } while (cursor && pages < 5);
  expect(seen).toEqual(ids);
  expect(pages).toBe(2);

  const byId = await request(h.app)
    .get('/api/v1/cases')
    .query({ q: ids[1].toLowerCase() })
    .set('Authorization', auth);
  expect(byId.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([ids[1]]);

  const badCursor = await request(h.app)
    .get('/api/v1/cases')
    .query({ cursor: 'bm9wZQ' })
    .set('Authorization', auth);
  expect(badCursor.status).toBe(400);
  expect(badCursor.body.code).toBe('INVALID_CURSOR');
  const badSort = await request(h.app)
    .get('/api/v1/cases')
    .query({ sort: 'title' })
    .set('Authorization', auth);
  expect(badSort.status).toBe(400);
  expect(badSort.body.errors[0].path).toBe('/query/sort');
});

test('the inbox shows what waits for me by role, soonest due first, with time left', async () => {
  const slow = await start(requester, `${tag} inbox slow`, { priority: 'low' });
  const urgent = await start(requester, `${tag} inbox urgent`, { priority: 'high' });
  await inReadModel(slow, 'departmentHeadApproval');
  await inReadModel(urgent, 'departmentHeadApproval');
  const mine = await eventually(async () => {
    const res = await request(h.app)
      .get('/api/v1/me/inbox')
      .query({ limit: 200 })
      .set('Authorization', await h.bearer(head));
    const ids = res.body.items.map((i: { case: { caseId: string } }) => i.case.caseId);
    return ids.includes(slow) && ids.includes(urgent) ? res : null;
  }, 'both cases in the inbox');
  const items = mine.body.items as { case: { caseId: string; dueAt: string }; timeLeftMs: number }[];
  const ids = items.map((i) => i.case.caseId);
  expect(ids.indexOf(urgent)).toBeLessThan(ids.indexOf(slow));
  const urgentItem = items.find((i) => i.case.caseId === urgent)!;
  expect(urgentItem.timeLeftMs).toBeGreaterThan(0);
  expect(urgentItem.timeLeftMs).toBeLessThanOrEqual(3600_000);
  expect(mine.body.timeBasis).toBe('elapsed');
  const dues = items.map((i) => i.case.dueAt).filter(Boolean);
  expect([...dues].sort()).toEqual(dues);

  // Not waiting for the O&M head yet; the "assignee=me" list agrees with the inbox.
  const ops = await request(h.app)
    .get('/api/v1/me/inbox')
    .set('Authorization', await h.bearer(opsHead));
  expect(ops.body.items.map((i: { case: { caseId: string } }) => i.case.caseId)).not.toContain(urgent);
  const list = await request(h.app)
    .get('/api/v1/cases')
    .query({ assignee: 'me', q: `${tag} inbox`, sort: 'due_at' })
    .set('Authorization', await h.bearer(head));
  expect(list.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([urgent, slow]);
});

test('unknown and malformed case ids: 404 for a well-formed unknown id, 400 naming the parameter otherwise', async () => {
  const auth = await h.bearer(auditor);
  const unknown = await request(h.app).get('/api/v1/cases/ACC-2026-999999').set('Authorization', auth);
  expect(unknown.status).toBe(404);
  expect(unknown.body.code).toBe('CASE_NOT_FOUND');
  const bad = await request(h.app).get('/api/v1/cases/not-a-case').set('Authorization', auth);
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({ code: 'INVALID_PARAMETER', errors: [{ path: '/params/id' }] });
  const decision = await decide(head, 'ACC-2026-999998', {
    step: 'departmentHeadApproval',
    decision: 'approve',
  });
  expect(decision.status).toBe(404);
  expect(decision.body.code).toBe('CASE_NOT_FOUND');
  const events = await request(h.app).get('/api/v1/cases/ACC-2026-999999/events').set('Authorization', auth);
  expect(events.status).toBe(404);
});

describe('Idempotency-Key on commands', () => {
  async function decideWithKey(userId: string, caseId: string, key: string, body: Record<string, unknown>) {
    return request(h.app)
      .post(`/api/v1/cases/${caseId}/decisions`)
      .set('Authorization', await h.bearer(userId))
      .set('Idempotency-Key', key)
      .send(body);
  }

  const decisionsBy = async (caseId: string, actor: string) =>
    h.db('case_events').where({ case_id: caseId, type: 'step.decided', actor });

  /** What the API keeps when it dies after the case applied a command but before it stored the answer. */
  const forgetAnswer = (userId: string, key: string) =>
    h.db('api_command_keys').where({ user_id: userId, key }).update({ response: null, answered_at: null });

  test('a retried decision with the same key and body returns the first answer and decides once', async () => {
    const caseId = await start(requester, `${tag} idem decision`);
    await pending(caseId);
    const key = `${tag}-decide-1`;
    const body = { step: 'departmentHeadApproval', decision: 'approve', comment: 'ok' };
    const first = await decideWithKey(head, caseId, key, body);
    expect(first.status).toBe(200);
    const retry = await decideWithKey(head, caseId, key, body);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);

    // The same key for another request is refused with its own code, not taken for a new decision.
    const other = await decideWithKey(head, caseId, key, { ...body, comment: 'changed my mind' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Without a key a second decision is what it always was: a duplicate.
    const unkeyed = await decide(head, caseId, body);
    expect(unkeyed.status).toBe(409);

    await eventually(async () => (await decisionsBy(caseId, head)).length === 1, 'one decision recorded');
  });

  test('a retry after the answer was lost gets the first outcome from Temporal (same update id), also once the case closed', async () => {
    const caseId = await start(requester, `${tag} idem lost answer`);
    await pending(caseId);
    const headKey = `${tag}-lost-1`;
    const body = { step: 'departmentHeadApproval', decision: 'approve' };
    const first = await decideWithKey(head, caseId, headKey, body);
    expect(first.status).toBe(200);
    await forgetAnswer(head, headKey);
    const retry = await decideWithKey(head, caseId, headKey, body);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);

    // The last decision closes the case: the workflow is gone, its history still answers.
    await pending(caseId, 'opsHeadApproval');
    const closeKey = `${tag}-lost-2`;
    const closing = { step: 'opsHeadApproval', decision: 'approve' };
    const last = await decideWithKey(opsHead, caseId, closeKey, closing);
    expect(last.status).toBe(200);
    await eventually(
      async () => (await h.client.workflow.getHandle(caseId).describe()).status.name === 'COMPLETED',
      'workflow completed',
    );
    await forgetAnswer(opsHead, closeKey);
    const afterClose = await decideWithKey(opsHead, caseId, closeKey, closing);
    expect(afterClose.status).toBe(200);
    expect(afterClose.body).toEqual(last.body);

    const events = await eventually(async () => {
      const rows = await h.db('case_events').where({ case_id: caseId, type: 'step.decided' });
      return rows.length >= 2 ? rows : null;
    }, 'both decisions recorded');
    expect(events.map((e: { actor: string }) => e.actor).sort()).toEqual([head, opsHead].sort());
  });

  test('offline entries and task actions take a key too: a retry records nothing new', async () => {
    const caseId = await start(requester, `${tag} idem offline`);
    await pending(caseId);
    const key = `${tag}-offline-1`;
    const body = {
      kind: 'paper-signature',
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      evidenceRef: 'scan-77',
      content: { signedBy: 'Wang' },
    };
    const send = async () =>
      request(h.app)
        .post(`/api/v1/cases/${caseId}/offline-entries`)
        .set('Authorization', await h.bearer(engineer))
        .set('Idempotency-Key', key)
        .send(body);
    const first = await send();
    const retry = await send();
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    await eventually(
      async () =>
        (await h.db('case_events').where({ case_id: caseId, type: 'offline.recorded' })).length === 1,
      'one offline entry',
    );

    // A refused command stores no answer: the key stays usable for the same request.
    const claim = async () =>
      request(h.app)
        .post(`/api/v1/cases/${caseId}/tasks/departmentHeadApproval/claim`)
        .set('Authorization', await h.bearer(head))
        .set('Idempotency-Key', `${tag}-claim-1`);
    expect((await claim()).body.code).toBe('INVALID_MESSAGE');
    expect((await claim()).body.code).toBe('INVALID_MESSAGE');
  });
});

describe('commands sent straight to Temporal', () => {
  test("the case controls sent through the API are recorded on the api channel; sent straight to Temporal they are an operator's, identity unverified (issue 10.3)", async () => {
    const caseId = await start(requester, `${tag} controls`);
    await pending(caseId);
    const post = async (userId: string, path: string, body: Record<string, unknown>) => {
      const res = await request(h.app)
        .post(`/api/v1/cases/${caseId}/${path}`)
        .set('Authorization', await h.bearer(userId))
        .send(body);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    };
    await post(opsHead, 'priority', { priority: 'high', reason: 'the incident is spreading' });
    await post(opsHead, 'clock/pause', { step: 'departmentHeadApproval', reason: 'waiting for the vendor' });
    await post(opsHead, 'clock/resume', { step: 'departmentHeadApproval', reason: 'the vendor answered' });
    await post(head, 'delegations', { step: 'departmentHeadApproval', to: selfHead, reason: 'on leave' });
    // The same pause as an Update straight to Temporal, unsigned, claiming the O&M head.
    await h.client.workflow.getHandle(caseId).executeUpdate(pauseClockUpdate, {
      args: [
        {
          step: 'departmentHeadApproval',
          reason: 'sent from the CLI',
          actor: { id: opsHead, roles: ['ops_head'] },
        },
      ],
    });
    await post(opsHead, 'cancel', { reason: 'superseded' });

    const events = await eventually(async () => {
      const rows = await h.db('case_events').where({ case_id: caseId }).orderBy('seq');
      return rows.some((e) => e.type === 'case.cancelled') ? rows : null;
    }, 'the cancellation in the audit trail');
    const controls = events
      .filter((e) =>
        ['case.priority-changed', 'sla.paused', 'sla.resumed', 'step.delegated', 'case.cancelled'].includes(
          e.type,
        ),
      )
      .map((e) => [e.type, e.channel, e.actor, e.data.identityVerified ?? null]);
    expect(controls).toEqual([
      ['case.priority-changed', 'api', opsHead, null],
      ['sla.paused', 'api', opsHead, null],
      ['sla.resumed', 'api', opsHead, null],
      ['step.delegated', 'api', head, null],
      ['sla.paused', 'operator', opsHead, false],
      ['case.cancelled', 'api', opsHead, null],
    ]);

    // A withdrawal straight to Temporal in the requester's name is an operator's too.
    const other = await start(requester, `${tag} withdrawn from the CLI`);
    await pending(other);
    await h.client.workflow.getHandle(other).executeUpdate(withdrawUpdate, {
      args: [{ reason: 'sent from the CLI', actor: { id: requester, roles: ['requester'] } }],
    });
    const withdrawn = await eventually(
      async () => h.db('case_events').where({ case_id: other, type: 'case.withdrawn' }).first(),
      'the withdrawal in the audit trail',
    );
    expect(withdrawn).toMatchObject({ actor: requester, channel: 'operator' });
    expect(withdrawn.data).toMatchObject({ identityVerified: false });
  });

  test('an Update with a made-up actor claiming channel email is recorded as operator, identity unverified, never as email or api', async () => {
    const caseId = await start(requester, `${tag} operator`);
    await pending(caseId);
    const view = await h.client.workflow.getHandle(caseId).executeUpdate(decideUpdate, {
      args: [
        {
          step: 'departmentHeadApproval',
          decision: 'approve',
          actor: { id: 'nobody-at-all', roles: ['department_head'] },
          channel: 'email',
        },
      ],
    });
    expect(view.pendingSteps.map((s) => s.step)).not.toContain('departmentHeadApproval');
    const decided = await eventually(
      async () => h.db('case_events').where({ case_id: caseId, type: 'step.decided' }).first(),
      'the decision in the audit trail',
    );
    expect(decided).toMatchObject({ actor: 'nobody-at-all', channel: 'operator' });
    expect(decided.data).toMatchObject({ identityVerified: false, claimedChannel: 'email' });

    // A proof lifted from an API message does not cover another message.
    await pending(caseId, 'opsHeadApproval');
    const signed = apiSigned(caseId, 'decide', {
      step: 'opsHeadApproval',
      decision: 'reject' as const,
      comment: 'no',
      actor: { id: opsHead, roles: ['ops_head'] },
      channel: 'api' as const,
    });
    await h.client.workflow.getHandle(caseId).executeUpdate(decideUpdate, {
      args: [{ ...signed, decision: 'approve' as const }],
    });
    const second = await eventually(async () => {
      const rows = await h.db('case_events').where({ case_id: caseId, type: 'step.decided' }).orderBy('seq');
      return rows.length === 2 ? rows[1] : null;
    }, 'the second decision in the audit trail');
    expect(second).toMatchObject({ actor: opsHead, channel: 'operator' });
    expect(second.data).toMatchObject({
      identityVerified: false,
      claimedChannel: 'api',
      decision: 'approve',
    });
  });

  test('the same decision through the API is recorded on the api channel with no unverified mark', async () => {
    const caseId = await start(requester, `${tag} attested`);
    await pending(caseId);
    expect((await decide(head, caseId, { step: 'departmentHeadApproval', decision: 'approve' })).status).toBe(
      200,
    );
    const decided = await eventually(
      async () => h.db('case_events').where({ case_id: caseId, type: 'step.decided' }).first(),
      'the decision in the audit trail',
    );
    expect(decided).toMatchObject({ actor: head, channel: 'api' });
    expect(decided.data.identityVerified).toBeUndefined();
  });
});
