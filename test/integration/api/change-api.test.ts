/** A change through the REST API: who may act on its department-head steps, and the commands on it. */
import request from 'supertest';
import { upsertStandardChange } from '../../../db/change-catalogue';
import { deletePeriod, upsertMaintenanceWindow } from '../../../db/change-schedule';
import { setDepartmentHead, upsertDepartment } from '../../../db/directory';
import { changeRequest } from '../../support/change-cases';
import { eventually } from '../../support/db';
import { startHarness, type Harness } from './harness';

let h: Harness;
const tag = `c${Date.now().toString(36)}`;
const deptA = `${tag}-retail`;
const deptB = `${tag}-cards`;
const deptC = `${tag}-treasury`;
let requesterA: string;
let headA: string;
let deputyA: string;
let headB: string;
let plainHeadC: string;
let standIn: string;
let auditor: string;
let opsHead: string;

async function startChange(userId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await request(h.app)
    .post('/api/v1/cases/change')
    .set('Authorization', await h.bearer(userId))
    .send({ ...changeRequest({ title: `${tag} change` }), department: deptB, ...overrides });
  expect(res.status).toBe(201);
  return res.body.caseId as string;
}

async function pending(caseId: string, step: string) {
  const auth = await h.bearer(auditor);
  return eventually(async () => {
    const res = await request(h.app).get(`/api/v1/cases/${caseId}`).set('Authorization', auth);
    return res.body.pendingSteps?.find((s: { step: string }) => s.step === step) ?? null;
  }, `${step} pending on ${caseId}`);
}

async function post(userId: string, path: string, body: Record<string, unknown>) {
  return request(h.app)
    .post(path)
    .set('Authorization', await h.bearer(userId))
    .send(body);
}

beforeAll(async () => {
  h = await startHarness();
  // This file schedules real change windows: freeze periods that earlier files on the shared
  // database left behind (the API fuzz writes random ones, 2023–8991) must not refuse them.
  await h.db('change_freeze_periods').del();
  await upsertDepartment(h.db, { id: deptA, name: 'Retail banking' });
  await upsertDepartment(h.db, { id: deptB, name: 'Cards' });
  await upsertDepartment(h.db, { id: deptC, name: 'Treasury' });
  requesterA = await h.user('chg-req-a', ['requester'], { departmentId: deptA });
  headA = await h.user('chg-head-a', ['department_head'], { departmentId: deptA });
  deputyA = await h.user('chg-deputy-a', ['department_head'], { departmentId: deptA });
  // Head of B also sits on the PMO, so may read every case: the case itself must refuse them.
  headB = await h.user('chg-head-b', ['department_head', 'pmo'], { departmentId: deptB });
  plainHeadC = await h.user('chg-head-c', ['department_head'], { departmentId: deptC });
  standIn = await h.user('chg-stand-in', ['requester'], { departmentId: deptA });
  auditor = await h.user('chg-auditor', ['auditor']);
  opsHead = await h.user('chg-ops-head', ['ops_head']);
  await setDepartmentHead(h.db, deptA, { head: headA, deputy: deputyA });
  await setDepartmentHead(h.db, deptB, { head: headB });
});

afterAll(async () => {
  await h?.close();
});

describe("a change's department-head steps belong to the requester's own head", () => {
  test('the head of another department is refused (403 NOT_REQUESTERS_HEAD), even when the form names theirs', async () => {
    const caseId = await startChange(requesterA);
    const step = await pending(caseId, 'departmentHeadApproval');
    expect(step.assignees).toEqual([headA, deputyA]);
    const res = await post(headB, `/api/v1/cases/${caseId}/decisions`, {
      step: 'departmentHeadApproval',
      decision: 'approve',
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 403, code: 'NOT_REQUESTERS_HEAD' });
    // A head of another department who may not read the case does not learn it exists (issue 10).
    const hidden = await post(plainHeadC, `/api/v1/cases/${caseId}/decisions`, {
      step: 'departmentHeadApproval',
      decision: 'approve',
    });
    expect(hidden.status).toBe(404);
  });

  test("the requester's head approves", async () => {
    const caseId = await startChange(requesterA);
    await pending(caseId, 'departmentHeadApproval');
    const res = await post(headA, `/api/v1/cases/${caseId}/decisions`, {
      step: 'departmentHeadApproval',
      decision: 'approve',
    });
    expect(res.status).toBe(200);
    // Issue 9.7: the answer is the case after the process reacted, as the next GET shows it.
    expect(res.body.stage).toBe('opsAssessment');
    expect(res.body.pendingSteps.map((p: { step: string }) => p.step)).toEqual(['opsAssessment']);
    // Issue 9.8: the pending step names its form, and /openapi.json publishes it under that name.
    const [assessment] = res.body.pendingSteps;
    expect(assessment).toMatchObject({ action: 'complete', formRef: 'change.opsAssessment' });
    const doc = await request(h.app).get('/openapi.json');
    const published = doc.body.components.schemas['change.opsAssessment'];
    expect(published.properties).toEqual(assessment.formSchema.properties);
    expect(published.properties.recommendation.enum).toEqual(['recommended', 'not_recommended', 'too_large']);
    const complete = doc.body.paths['/api/v1/cases/{id}/tasks/{task}/complete'].post;
    expect(complete.requestBody.content['application/json'].schema.properties.form.oneOf).toContainEqual({
      $ref: '#/components/schemas/change.opsAssessment',
    });
  });

  test('the inbox item names the step, its action, its form and its due time (issue 9.10)', async () => {
    const caseId = await startChange(requesterA);
    await pending(caseId, 'departmentHeadApproval');
    const item = await eventually(async () => {
      const res = await request(h.app)
        .get('/api/v1/me/inbox')
        .set('Authorization', await h.bearer(headA));
      return res.body.items?.find((i: { case: { caseId: string } }) => i.case.caseId === caseId) ?? null;
    }, `${caseId} in the head's inbox`);
    expect(item.steps).toEqual([
      {
        step: 'departmentHeadApproval',
        title: 'Requesting department head approves the change request',
        action: 'decide',
        formRef: null,
        formUrl: null,
        dueAt: expect.stringMatching(/^\d{4}-/),
      },
    ]);
    expect(item.case.pendingSteps).toBeUndefined();
  });

  test("the requester's head's delegate approves; the other department's head may not delegate it", async () => {
    const caseId = await startChange(requesterA);
    await pending(caseId, 'departmentHeadApproval');
    const refused = await post(headB, `/api/v1/cases/${caseId}/delegations`, {
      step: 'departmentHeadApproval',
      to: standIn,
      reason: 'on leave',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NOT_REQUESTERS_HEAD');

    const delegated = await post(headA, `/api/v1/cases/${caseId}/delegations`, {
      step: 'departmentHeadApproval',
      to: standIn,
      reason: 'travelling this week',
    });
    expect(delegated.status).toBe(200);
    expect(delegated.body.pendingSteps[0].assignees).toContain(standIn);
    // The delegate may read the case once the delegation is in the read model (db/case-access.ts).
    const delegateAuth = await h.bearer(standIn);
    await eventually(async () => {
      const res = await request(h.app).get(`/api/v1/cases/${caseId}`).set('Authorization', delegateAuth);
      return res.status === 200;
    }, 'the delegate reads the case');
    const res = await post(standIn, `/api/v1/cases/${caseId}/decisions`, {
      step: 'departmentHeadApproval',
      decision: 'approve',
    });
    expect(res.status).toBe(200);
    await pending(caseId, 'opsAssessment');
  });
});

describe('the commands the kernel already answers have routes', () => {
  test("the step's approver pauses its clock with a reason and resumes it; a stranger may not", async () => {
    const caseId = await startChange(requesterA);
    await pending(caseId, 'departmentHeadApproval');
    const noReason = await post(headA, `/api/v1/cases/${caseId}/clock/pause`, {
      step: 'departmentHeadApproval',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([{ path: '/reason', message: 'is required' }]);
    const stranger = await post(headB, `/api/v1/cases/${caseId}/clock/pause`, {
      step: 'departmentHeadApproval',
      reason: 'not mine',
    });
    expect(stranger.status).toBe(403);
    expect(stranger.body.code).toBe('NOT_ELIGIBLE');

    const paused = await post(headA, `/api/v1/cases/${caseId}/clock/pause`, {
      step: 'departmentHeadApproval',
      reason: 'waiting for the vendor quote',
    });
    expect(paused.status).toBe(200);
    expect(paused.body.pendingSteps[0]).toMatchObject({ step: 'departmentHeadApproval', paused: true });
    const resumed = await post(headA, `/api/v1/cases/${caseId}/clock/resume`, {
      step: 'departmentHeadApproval',
      reason: 'quote received',
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body.pendingSteps[0].paused).toBe(false);
    const events = await eventually(async () => {
      const res = await request(h.app)
        .get(`/api/v1/cases/${caseId}/events`)
        .set('Authorization', await h.bearer(auditor));
      const types = (res.body.items ?? []).map((e: { type: string }) => e.type);
      return types.includes('sla.resumed') ? res.body.items : null;
    }, 'pause and resume in the audit trail');
    expect(events.find((e: { type: string }) => e.type === 'sla.paused')).toMatchObject({
      actor: headA,
      data: { reason: 'waiting for the vendor quote' },
    });
  });

  test('the O&M head changes the priority with a reason; the requester may not', async () => {
    const caseId = await startChange(requesterA);
    await pending(caseId, 'departmentHeadApproval');
    const refused = await post(requesterA, `/api/v1/cases/${caseId}/priority`, {
      priority: 'urgent',
      reason: 'please',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NOT_ELIGIBLE');
    const res = await post(opsHead, `/api/v1/cases/${caseId}/priority`, {
      priority: 'urgent',
      reason: 'regulator deadline moved forward',
    });
    expect(res.status).toBe(200);
    expect(res.body.priority).toBe('urgent');
  });

  test('re-plan is for the O&M head (202) and refused to others (403 ROLE_REQUIRED)', async () => {
    const caseId = await startChange(requesterA);
    await pending(caseId, 'departmentHeadApproval');
    const refused = await post(headA, `/api/v1/cases/${caseId}/replan`, { reason: 'policy edited' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ROLE_REQUIRED');
    const res = await post(opsHead, `/api/v1/cases/${caseId}/replan`, { reason: 'policy edited' });
    expect(res.status).toBe(202);
    await eventually(async () => {
      const ev = await request(h.app)
        .get(`/api/v1/cases/${caseId}/events`)
        .set('Authorization', await h.bearer(auditor));
      return (ev.body.items ?? []).some((e: { type: string }) => e.type === 'sla.replanned');
    }, 'sla.replanned in the audit trail');
  });

  test('the change-review figures are JSON for organisation-wide readers and 403 for others', async () => {
    const from = '2020-01-01T00:00:00Z';
    const to = '2099-01-01T00:00:00Z';
    const res = await request(h.app)
      .get('/api/v1/reports/change-review')
      .query({ from, to })
      .set('Authorization', await h.bearer(auditor));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '2020-01-01T00:00:00.000Z', total: expect.any(Number) });
    expect(res.body.byOutcome).toEqual(expect.any(Object));

    const denied = await request(h.app)
      .get('/api/v1/reports/change-review')
      .query({ from, to })
      .set('Authorization', await h.bearer(requesterA));
    expect(denied.status).toBe(403);
    const bad = await request(h.app)
      .get('/api/v1/reports/change-review')
      .query({ from: 'yesterday', to })
      .set('Authorization', await h.bearer(auditor));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/query/from');
  });

  test('the new operations are in /openapi.json', async () => {
    const doc = await request(h.app).get('/openapi.json');
    for (const path of [
      '/api/v1/cases/{id}/delegations',
      '/api/v1/cases/{id}/clock/pause',
      '/api/v1/cases/{id}/clock/resume',
      '/api/v1/cases/{id}/priority',
      '/api/v1/cases/{id}/replan',
      '/api/v1/reports/change-review',
    ]) {
      expect(doc.body.paths[path]).toBeDefined();
    }
  });
});

describe('opening a change', () => {
  test('an impossible desiredDate is a 400 naming the field (issue 9.6)', async () => {
    const res = await post(requesterA, '/api/v1/cases/change', {
      ...changeRequest({ title: `${tag} bad date` }),
      desiredDate: '2026-13-45',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: '/desiredDate', message: 'must match format "date"' }]);
  });

  test('a change without purpose is told only that, from the change form (issue 9.9)', async () => {
    const { purpose: _purpose, ...withoutPurpose } = changeRequest({ title: `${tag} no purpose` });
    const res = await post(requesterA, '/api/v1/cases/change', { ...withoutPurpose, urgency: 'soon' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: '/purpose', message: 'is required' },
      { path: '/urgency', message: 'must be equal to one of the allowed values: normal, urgent, emergency' },
    ]);
  });

  test('auditors and vendor engineers may not open changes (403 ROLE_REQUIRED) (issue 9.5)', async () => {
    const vendor = await h.user('chg-vendor', ['vendor_engineer']);
    for (const who of [auditor, vendor]) {
      const res = await post(who, '/api/v1/cases/change', { ...changeRequest({ title: `${tag} not mine` }) });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('ROLE_REQUIRED');
    }
  });
});

describe('withdrawing and cancelling (issue 9.5)', () => {
  test('the requester withdraws their own change with a reason; nobody else may', async () => {
    const caseId = await startChange(requesterA);
    await pending(caseId, 'departmentHeadApproval');
    const other = await post(headA, `/api/v1/cases/${caseId}/withdraw`, { reason: 'not needed' });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('NOT_ELIGIBLE');
    const noReason = await post(requesterA, `/api/v1/cases/${caseId}/withdraw`, { reason: '   ' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.code).toBe('REASON_REQUIRED');

    const res = await post(requesterA, `/api/v1/cases/${caseId}/withdraw`, { reason: 'the vendor fixed it' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'withdrawn', pendingSteps: [] });
    const events = await eventually(async () => {
      const ev = await request(h.app)
        .get(`/api/v1/cases/${caseId}/events`)
        .set('Authorization', await h.bearer(auditor));
      return (ev.body.items ?? []).find((e: { type: string }) => e.type === 'case.withdrawn') ?? null;
    }, 'case.withdrawn in the audit trail');
    expect(events).toMatchObject({ actor: requesterA, data: { reason: 'the vendor fixed it' } });
    const again = await post(requesterA, `/api/v1/cases/${caseId}/withdraw`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CASE_CLOSED');
  });

  test('once implementation has begun the requester may no longer withdraw (409 TOO_LATE_TO_WITHDRAW)', async () => {
    const engineer = await h.user('chg-ops-eng', ['ops_engineer']);
    await upsertStandardChange(h.db, {
      id: `${tag}-std`,
      name: 'Restart the batch scheduler',
      changeType: 'configuration_change',
      systems: [],
      implementationSteps: ['restart'],
      rollbackSteps: ['start the previous binary'],
      approvedBy: 'it-head',
      approvedAt: '2031-01-15T10:00:00+08:00',
      active: true,
    });
    const caseId = await startChange(requesterA, {
      standardChangeId: `${tag}-std`,
      changeType: 'configuration_change',
      affectedSystems: [`${tag}-batch`],
    });
    await pending(caseId, 'scheduling');
    // A window beginning now: inside a maintenance window of this system, whatever the hour of the run.
    const now = Date.now();
    await upsertMaintenanceWindow(h.db, {
      id: `${tag}-batch-window`,
      name: 'batch maintenance',
      startsAt: new Date(now - 3600_000).toISOString(),
      endsAt: new Date(now + 4 * 3600_000).toISOString(),
      systems: [`${tag}-batch`],
    });
    const window = {
      windowStart: new Date(now + 60_000).toISOString(),
      windowEnd: new Date(now + 2 * 3600_000).toISOString(),
    };
    const scheduled = await post(engineer, `/api/v1/cases/${caseId}/tasks/scheduling/complete`, {
      form: { ...window, businessInterruption: false, affectedDepartments: [] },
    });
    await deletePeriod(h.db, 'maintenance-windows', `${tag}-batch-window`);
    expect(scheduled.status).toBe(200);
    // Its window begins within the tolerance: the rules hold at go-live and the implementation opens.
    await pending(caseId, 'implementation');

    // Issue 9.2: times a person reports are checked against the clock and the window, field by field.
    const inAnHour = new Date(Date.now() + 3600_000).toISOString();
    const future = await post(engineer, `/api/v1/cases/${caseId}/tasks/implementation/complete`, {
      form: { result: 'succeeded', backupConfirmed: true, startedAt: inAnHour, finishedAt: inAnHour },
    });
    expect(future.status).toBe(422);
    expect(future.body).toMatchObject({
      code: 'FORM_REFUSED',
      errors: [
        { path: '/startedAt', message: expect.stringContaining('in the future') },
        { path: '/finishedAt', message: expect.stringContaining('in the future') },
      ],
    });
    const early = await post(engineer, `/api/v1/cases/${caseId}/tasks/implementation/complete`, {
      form: {
        result: 'succeeded',
        backupConfirmed: true,
        startedAt: new Date(now - 3600_000).toISOString(),
        finishedAt: new Date().toISOString(),
      },
    });
    expect(early.status).toBe(422);
    expect(early.body.errors).toEqual([
      { path: '/startedAt', message: expect.stringContaining('before the scheduled window') },
    ]);
    expect((await pending(caseId, 'implementation')).step).toBe('implementation');

    const res = await post(requesterA, `/api/v1/cases/${caseId}/withdraw`, { reason: 'changed my mind' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('TOO_LATE_TO_WITHDRAW');
    const cancelled = await post(opsHead, `/api/v1/cases/${caseId}/cancel`, {
      reason: 'vendor withdrew the fix',
    });
    expect(cancelled.status).toBe(200);
  });

  test('a window in the past is refused naming the field; the late record of a real past window goes through offline with evidence (issue 9.2)', async () => {
    const engineer = await h.user('chg-ops-eng', ['ops_engineer']);
    const caseId = await startChange(requesterA, {
      standardChangeId: `${tag}-std`,
      changeType: 'configuration_change',
      affectedSystems: [`${tag}-batch-late`],
    });
    await pending(caseId, 'scheduling');
    const pastWindow = {
      windowStart: '2026-11-14T22:00:00+08:00',
      windowEnd: '2026-11-15T02:00:00+08:00',
      businessInterruption: false,
      affectedDepartments: [],
    };
    const refused = await post(engineer, `/api/v1/cases/${caseId}/tasks/scheduling/complete`, {
      form: pastWindow,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('FORM_REFUSED');
    expect(refused.body.errors).toEqual([
      { path: '/windowStart', message: expect.stringContaining('starts in the past') },
    ]);
    const recorded = await post(engineer, `/api/v1/cases/${caseId}/tasks/scheduling/complete`, {
      form: pastWindow,
      channel: 'offline',
      occurredAt: '2026-11-14T21:30:00+08:00',
      evidenceRef: 'duty-log-2026-1114-2',
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body.stage).toBe('implementation');
    // The implementation that ran in that window is recorded late, offline, with its real times.
    const implemented = await post(engineer, `/api/v1/cases/${caseId}/tasks/implementation/complete`, {
      form: {
        result: 'succeeded',
        backupConfirmed: true,
        startedAt: '2026-11-14T22:05:00+08:00',
        finishedAt: '2026-11-14T23:10:00+08:00',
      },
      channel: 'offline',
      occurredAt: '2026-11-14T23:15:00+08:00',
      evidenceRef: 'duty-log-2026-1114-3',
    });
    expect(implemented.status).toBe(200);
    expect(implemented.body).toMatchObject({ status: 'closed', outcome: 'succeeded' });
  });

  test('a freeze declared while the change waits in scheduling refuses its window at once (422 naming the field, no Update sent) (issue 9.1)', async () => {
    const engineer = await h.user('chg-ops-eng', ['ops_engineer']);
    const admin = await h.user('chg-admin', ['admin']);
    const system = `${tag}-frozen-late`;
    const caseId = await startChange(requesterA, {
      standardChangeId: `${tag}-std`,
      changeType: 'configuration_change',
      affectedSystems: [system],
    });
    await pending(caseId, 'scheduling');
    // Declared after the scheduling step opened (and read its rules).
    const freeze = await request(h.app)
      .put(`/api/v1/admin/freeze-periods/${tag}-late-freeze`)
      .set('Authorization', await h.bearer(admin))
      .send({
        name: 'late year-end freeze',
        startsAt: '2031-03-08T00:00:00+08:00',
        endsAt: '2031-03-10T00:00:00+08:00',
        systems: [system],
      });
    expect(freeze.status).toBe(200);
    try {
      const window = {
        windowStart: '2031-03-08T22:00:00+08:00',
        windowEnd: '2031-03-09T02:00:00+08:00',
        businessInterruption: false,
        affectedDepartments: [],
      };
      const refused = await post(engineer, `/api/v1/cases/${caseId}/tasks/scheduling/complete`, {
        form: window,
      });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        code: 'FORM_REFUSED',
        errors: [{ path: '/windowStart', message: expect.stringContaining('late year-end freeze') }],
      });
      const events = await request(h.app)
        .get(`/api/v1/cases/${caseId}/events`)
        .set('Authorization', await h.bearer(auditor));
      expect(events.body.items.map((e: { type: string }) => e.type)).not.toContain('task.completed');
      expect((await pending(caseId, 'scheduling')).step).toBe('scheduling');
      // A window after the freeze is accepted; the case waits for it.
      const accepted = await post(engineer, `/api/v1/cases/${caseId}/tasks/scheduling/complete`, {
        form: { ...window, windowStart: '2031-03-15T22:00:00+08:00', windowEnd: '2031-03-16T02:00:00+08:00' },
      });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ stage: 'scheduled', pendingSteps: [] });
    } finally {
      await deletePeriod(h.db, 'freeze-periods', `${tag}-late-freeze`);
    }
  });

  test('the O&M head cancels any change with a reason; a department head may not', async () => {
    const caseId = await startChange(requesterA);
    await pending(caseId, 'departmentHeadApproval');
    const refused = await post(headA, `/api/v1/cases/${caseId}/cancel`, { reason: 'no' });
    expect(refused.status).toBe(403);
    const res = await post(opsHead, `/api/v1/cases/${caseId}/cancel`, { reason: 'superseded by CHG-1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'cancelled' });
  });
});

describe('freeze periods and maintenance windows (issue 9.12)', () => {
  test.each(['freeze-periods', 'maintenance-windows'])(
    '%s are listed and deleted by an admin',
    async (kind) => {
      const admin = await h.user('chg-admin', ['admin']);
      const auth = await h.bearer(admin);
      const id = `${tag}-${kind}`;
      const put = await request(h.app)
        .put(`/api/v1/admin/${kind}/${id}`)
        .set('Authorization', auth)
        .send({ name: 'Year-end', startsAt: '2090-12-25T00:00:00Z', endsAt: '2091-01-05T00:00:00Z' });
      expect(put.status).toBe(200);
      const listed = await request(h.app)
        .get(`/api/v1/admin/${kind}?current=true`)
        .set('Authorization', auth);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toContainEqual(
        expect.objectContaining({ id, name: 'Year-end', startsAt: '2090-12-25T00:00:00.000Z' }),
      );
      const deleted = await request(h.app).delete(`/api/v1/admin/${kind}/${id}`).set('Authorization', auth);
      expect(deleted.status).toBe(204);
      const again = await request(h.app).delete(`/api/v1/admin/${kind}/${id}`).set('Authorization', auth);
      expect(again.status).toBe(404);
      const after = await request(h.app).get(`/api/v1/admin/${kind}`).set('Authorization', auth);
      expect(after.body.items.map((p: { id: string }) => p.id)).not.toContain(id);
      const notAdmin = await request(h.app)
        .get(`/api/v1/admin/${kind}`)
        .set('Authorization', await h.bearer(opsHead));
      expect(notAdmin.status).toBe(403);
    },
  );
});
