/**
 * A release driven through the HTTP API alone, as a new user would: the start form read from
 * `/openapi.json`, every next step read from the case response, each acted on by the person it
 * names with the form its pending step carries and names (`formRef`), filled from its schema
 * (test/support/new-user.ts). The trial run's length is the policy's (shortened here by an admin, through the API, for
 * urgent releases), so the whole go-live runs in seconds on the real dev server.
 */
import request from 'supertest';
import { newUser } from '../../support/new-user';
import { startHarness, type Harness } from './harness';

let h: Harness;
const ids: Record<string, string> = {};
const auth = async (who: string) => h.bearer(ids[who]);

beforeAll(async () => {
  h = await startHarness({ API_BODY_LIMIT: '16kb' });
  // The project team, its department head, the business department and the user's representative
  // work in one department: who may read a case follows the requester's department (db/case-access.ts).
  const projectDepartment = await h.department('rel-project');
  const inDepartment = { departmentId: projectDepartment };
  ids.pm = await h.user('rel-pm', ['requester'], inDepartment);
  ids.pmo = await h.user('rel-pmo', ['pmo']);
  ids.security = await h.user('rel-security', ['security_officer']);
  ids.itHead = await h.user('rel-it-head', ['it_head']);
  ids.deptHead = await h.user('rel-dept-head', ['department_head'], inDepartment);
  ids.business = await h.user('rel-business', ['department_head'], inDepartment);
  ids.userRep = await h.user('rel-user-rep', ['requester'], inDepartment);
  ids.ops = await h.user('rel-ops', ['ops_engineer']);
  ids.admin = await h.user('rel-admin', ['admin']);
});

afterAll(async () => {
  await h?.close();
});

async function until<T>(read: () => Promise<T | null>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const getCase = async (caseId: string) =>
  (
    await request(h.app)
      .get(`/api/v1/cases/${caseId}`)
      .set('Authorization', await auth('admin'))
  ).body;

const window = { windowStart: '2031-06-07T22:00:00+08:00', windowEnd: '2031-06-08T02:00:00+08:00' };

/**
 * What the people of this release choose, by field name; every other value of every form comes
 * from the schema the pending step carries and names (`formRef`, published in /openapi.json).
 */
const answers = () => ({
  ...window,
  plannedStart: window.windowStart,
  plannedEnd: window.windowEnd,
  startedAt: window.windowStart,
  finishedAt: window.windowEnd,
  owner: ids.ops,
  evidence: 'log attached',
  opinion: 'agreed',
  confirmed: true,
  works: true,
  accepted: true,
});

/** Who acts on a step: the person it names, or the one of us holding the role its queue names. */
function actorFor(assignee: string): string {
  const byRole: Record<string, string> = {
    pmo: 'pmo',
    security_officer: 'security',
    it_head: 'itHead',
    department_head: 'deptHead',
    ops_engineer: 'ops',
    admin: 'admin',
  };
  if (!assignee.startsWith('role:')) {
    const who = Object.keys(ids).find((k) => ids[k] === assignee);
    if (!who) throw new Error(`the step is assigned to ${assignee}, who is not one of this test's people`);
    return who;
  }
  const who = byRole[assignee.slice(5)];
  if (!who) throw new Error(`the step waits for ${assignee}, which none of this test's people holds`);
  return who;
}

test('a go-live driven through the HTTP API alone, with a rejected change refused at the door', async () => {
  // What a new user reads first: the start form of a release, from the published document.
  const doc = (await request(h.app).get('/openapi.json')).body;
  const start = doc.paths['/api/v1/cases/{process}'].post;
  const forms = start.requestBody.content['application/json'].schema.oneOf as Array<Record<string, unknown>>;
  const releaseForm = forms.find((f) => f.title === 'release request')!;
  expect(releaseForm.required).toEqual(
    expect.arrayContaining(['changes', 'userAcceptanceTestReport', 'kind']),
  );
  expect(doc.paths['/api/v1/cases/{id}/tasks/{task}/complete']).toBeDefined();
  expect(doc.paths['/api/v1/systems/{id}/versions']).toBeDefined();

  // An admin shortens the trial run for urgent releases: a policy is data.
  const policy = await request(h.app)
    .put('/api/v1/admin/sla-policies/release.trialRun.urgent-api-test')
    .set('Authorization', await auth('admin'))
    .send({
      process: 'release',
      stage: 'trialRun',
      priority: 'urgent',
      basis: 'elapsed',
      duration: 'PT4S',
      warnRatio: null,
      calendarId: null,
      escalation: [{ level: 1, after: 'PT0S', notify: [{ role: 'pmo' }] }],
    });
  expect(policy.status).toBe(200);

  // A change rejected by its department head cannot go out with a release.
  const change = await request(h.app)
    .post('/api/v1/cases/change')
    .set('Authorization', await auth('pm'))
    .send({
      title: 'Loan limits',
      changeType: 'business_parameter_change',
      source: 'business_need',
      affectedSystems: ['loans-api'],
      content: 'raise limits',
      purpose: 'business asks',
      alternativeMeasure: 'none',
      impactOfNotChanging: {
        customers: 'none',
        compliance: 'none',
        externalStakeholders: 'none',
        internalOperations: 'none',
        securityControls: 'none',
        availability: 'none',
        dataAccuracy: 'none',
      },
      urgency: 'normal',
      requester: ids.pm,
      department: 'it',
      desiredDate: '2031-06-01',
    });
  expect(change.status).toBe(201);
  const changeId = change.body.caseId as string;
  await until(async () => ((await getCase(changeId)).pendingSteps?.length ? true : null), 'change pending');
  const rejected = await request(h.app)
    .post(`/api/v1/cases/${changeId}/decisions`)
    .set('Authorization', await auth('deptHead'))
    .send({ step: 'departmentHeadApproval', decision: 'reject', comment: 'not this quarter' });
  expect(rejected.status).toBe(200);
  await until(
    async () => ((await getCase(changeId)).readModel?.state === 'closed' ? true : null),
    'change closed',
  );

  const application = {
    title: 'Loan API 5.0 goes live',
    kind: 'go_live',
    releaseType: 'major',
    scope: 'loan API',
    systems: [{ systemId: 'loans-api', version: '5.0.0' }],
    changes: [changeId],
    knownErrors: [],
    openProblems: [],
    applicationForm: { attachmentRef: 'dms://application' },
    userAcceptanceTestReport: { attachmentRef: 'dms://uat', signedBy: ids.business, signedOn: '2031-05-30' },
    userRepresentative: ids.userRep,
    urgency: 'urgent',
    plannedDate: '2031-06-07',
  };
  const refused = await request(h.app)
    .post('/api/v1/cases/release')
    .set('Authorization', await auth('pm'))
    .send(application);
  expect(refused.status).toBe(400);
  expect(refused.body.code).toBe('ADMISSION_REFUSED');
  expect(refused.body.errors).toEqual([{ path: '/changes/0', message: expect.stringContaining('rejected') }]);

  const started = await request(h.app)
    .post('/api/v1/cases/release')
    .set('Authorization', await auth('pm'))
    .send({ ...application, changes: [] });
  expect(started.status).toBe(201);
  const caseId = started.body.caseId as string;
  expect(caseId).toMatch(/^REL-\d{4}-\d{6}$/);

  // Each next step from the case response, acted on by the person it names.
  const user = await newUser(h.app, h.bearer, answers());
  const { acted } = await user.drive(caseId, {
    reader: ids.admin,
    actor: (step) => ids[actorFor(step.assignees[0])],
    // Acted on once the read model (which says who may read the case) shows the step too.
    ready: (step, _actor, view) => view.readModel?.pendingSteps?.some((s) => s.step === step.step) ?? false,
    // A task's form is named by the step and published in the document; steps made at run time
    // (executionStep1, rollbackStep2…) name the form of their kind.
    check: (step) => {
      if (step.action === 'complete') expect(step.formRef).toMatch(/^release\./);
      if (step.step === 'executionStep1') expect(step.formRef).toBe('release.executionStep');
    },
    timeoutMs: 170_000,
  });
  expect(acted).toEqual(
    expect.arrayContaining([
      'pmoReview',
      'planApproval',
      'backup',
      'executionStep1',
      'verification',
      'acceptanceReview',
    ]),
  );
  const closed = await until(async () => {
    const c = await getCase(caseId);
    return c.readModel?.state === 'closed' ? c : null;
  }, 'release closed');
  expect(closed.outcome).toBe('formal_operation');

  const versions = await request(h.app)
    .get('/api/v1/systems/loans-api/versions')
    .set('Authorization', await auth('pm'));
  expect(versions.status).toBe(200);
  expect(versions.body.items).toEqual(
    expect.arrayContaining([expect.objectContaining({ version: '5.0.0', caseId })]),
  );

  const events = await request(h.app)
    .get(`/api/v1/cases/${caseId}/events`)
    .set('Authorization', await auth('admin'));
  const types = (events.body.items as Array<{ type: string }>).map((e) => e.type);
  expect(types).toEqual(expect.arrayContaining(['release.trial-ended', 'case.closed']));
}, 180_000);
