/**
 * Who may read a case (db/case-access.ts), role by role, through every read the API offers —
 * the list, search (`q`), the inbox, a single case, its audit trail — and a decision on a case
 * one may not read, which answers 404 as if it did not exist.
 */
import request from 'supertest';
import { approvalLinksFor } from '../../../api/links/token';
import { upsertSystem } from '../../../db/api-master-data';
import { givenPolicy, uniqueProcess } from '../../support/cases';
import { eventually } from '../../support/db';
import { startHarness, type Harness } from './harness';

let h: Harness;
const tag = `acc${Date.now().toString(36)}`;
const people: Record<string, string> = {};
/** The access request: raised in department A, on a system vendor X is contracted for. */
let accessCase: string;
/** A case waiting for the tester role queue, raised by someone else, on no vendor's system. */
let testerCase: string;

async function get(who: string, path: string, query: Record<string, string> = {}) {
  return request(h.app)
    .get(path)
    .query(query)
    .set('Authorization', await h.bearer(people[who]));
}

async function listed(who: string, query: Record<string, string>): Promise<string[]> {
  const res = await get(who, '/api/v1/cases', { limit: '200', ...query });
  expect(res.status).toBe(200);
  return res.body.items.map((c: { caseId: string }) => c.caseId);
}

async function inbox(who: string): Promise<string[]> {
  const res = await get(who, '/api/v1/me/inbox', { limit: '200' });
  expect(res.status).toBe(200);
  return res.body.items.map((i: { case: { caseId: string } }) => i.case.caseId);
}

beforeAll(async () => {
  h = await startHarness();
  const deptA = await h.department('access-dept-a');
  const deptB = await h.department('access-dept-b');
  const deptC = await h.department('access-dept-c');
  const vendorX = await h.vendor('access-vendor-x');
  const vendorY = await h.vendor('access-vendor-y');
  const system = `${tag}-core`;
  await upsertSystem(h.db, {
    id: system,
    name: 'Core system of vendor X',
    ownerDepartmentId: deptA,
    vendorId: vendorX,
    active: true,
  });
  people.requester = await h.user('acc-requester', ['requester'], { departmentId: deptA });
  people.head = await h.user('acc-head', ['department_head'], { departmentId: deptA });
  people.otherHead = await h.user('acc-other-head', ['department_head'], { departmentId: deptB });
  people.tester = await h.user('acc-tester', ['tester'], { departmentId: deptB });
  people.engineer = await h.user('acc-engineer', ['ops_engineer']);
  people.auditor = await h.user('acc-auditor', ['auditor']);
  people.vendorX = await h.user('acc-vendor-x', ['vendor_engineer'], { vendorId: vendorX });
  people.vendorY = await h.user('acc-vendor-y', ['vendor_engineer'], { vendorId: vendorY });
  people.otherRequester = await h.user('acc-other-requester', ['requester'], { departmentId: deptC });

  const started = await request(h.app)
    .post('/api/v1/cases/access')
    .set('Authorization', await h.bearer(people.requester))
    .send({ title: `${tag} access`, system, justification: 'month-end reconciliation' });
  expect(started.status).toBe(201);
  accessCase = started.body.caseId;

  // A one-step case for the tester queue, started on the product's worker like any case.
  const process = uniqueProcess('acc-gate');
  await givenPolicy(h.db, process, { escalation: [] });
  testerCase = `TST-2026-${Date.now().toString().slice(-9)}`;
  await h.client.workflow.start('gateUnderTest', {
    taskQueue: h.config.temporal.taskQueue,
    workflowId: testerCase,
    args: [
      {
        caseId: testerCase,
        process,
        title: `${tag} test run`,
        requester: people.otherRequester,
        priority: 'normal',
        system: `${tag}-unrelated`,
      },
      {
        step: 'testRun',
        title: 'Test center runs the regression suite',
        levels: [{ approvers: ['role:tester'], mode: 'any' }],
      },
    ],
  });
  for (const [caseId, assignee] of [
    [accessCase, 'role:department_head'],
    [testerCase, 'role:tester'],
  ]) {
    await eventually(
      async () => h.db('case_participants').where({ case_id: caseId, participant: assignee }).first(),
      `${assignee} recorded as a participant of ${caseId}`,
    );
  }
});

afterAll(async () => {
  await h?.close();
});

/** Who reads which case: [person, reads the access case, reads the tester's case]. */
const table: Array<[string, boolean, boolean]> = [
  ['requester', true, false],
  ['head', true, false],
  ['otherHead', false, false],
  ['tester', false, true],
  ['engineer', true, true],
  ['auditor', true, true],
  ['vendorX', true, false],
  ['vendorY', false, false],
];

describe.each(table)('%s', (who, readsAccess, readsTesterCase) => {
  const expectation = (reads: boolean) => (reads ? 'reads' : 'does not read');

  test(`${expectation(readsAccess)} the access case and ${expectation(readsTesterCase)} the tester's case in the list and search`, async () => {
    const byTag = await listed(who, { q: tag });
    expect(byTag.includes(accessCase)).toBe(readsAccess);
    expect(byTag.includes(testerCase)).toBe(readsTesterCase);
    const byNumber = await listed(who, { q: accessCase.toLowerCase() });
    expect(byNumber).toEqual(readsAccess ? [accessCase] : []);
  });

  test('single read and audit trail: 200 when readable, 404 CASE_NOT_FOUND otherwise', async () => {
    for (const [caseId, reads] of [
      [accessCase, readsAccess],
      [testerCase, readsTesterCase],
    ] as const) {
      const one = await get(who, `/api/v1/cases/${caseId}`);
      expect(one.status).toBe(reads ? 200 : 404);
      if (!reads) expect(one.body.code).toBe('CASE_NOT_FOUND');
      const events = await get(who, `/api/v1/cases/${caseId}/events`);
      expect(events.status).toBe(reads ? 200 : 404);
      if (reads) expect(events.body.items[0].type).toBe('case.opened');
    }
  });
});

test('the inbox shows a role queue only where the queue is the reader’s: the own department’s head, the tester', async () => {
  expect(await inbox('head')).toContain(accessCase);
  expect(await inbox('otherHead')).not.toContain(accessCase);
  expect(await inbox('tester')).toContain(testerCase);
  expect(await inbox('tester')).not.toContain(accessCase);
  expect(await inbox('vendorX')).not.toContain(accessCase);
  const assigned = await listed('otherHead', { assignee: 'me', q: tag });
  expect(assigned).toEqual([]);
});

test('the approval request mail goes to the requester’s department head, not to another department’s', async () => {
  const told = await eventually(async () => {
    const rows = await h
      .db('notification_outbox')
      .where({ case_id: accessCase, template: 'approval-request' })
      .pluck('recipient_user_id');
    return rows.length > 0 ? rows : null;
  }, 'approval request queued');
  expect(told).toContain(people.head);
  expect(told).not.toContain(people.otherHead);
});

test('a decision on a case one may not read is 404, even from a person the step’s role queue names', async () => {
  for (const who of ['otherHead', 'vendorY']) {
    const res = await request(h.app)
      .post(`/api/v1/cases/${accessCase}/decisions`)
      .set('Authorization', await h.bearer(people[who]))
      .send({ step: 'departmentHeadApproval', decision: 'approve' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('CASE_NOT_FOUND');
  }
  const offline = await request(h.app)
    .post(`/api/v1/cases/${testerCase}/tasks/testRun/claim`)
    .set('Authorization', await h.bearer(people.head));
  expect(offline.status).toBe(404);
});

test('an approval link held by someone who may not read the case shows the not-found page and decides nothing', async () => {
  const links = approvalLinksFor(h.config.mail.linkSecrets, {
    caseId: accessCase,
    step: 'departmentHeadApproval',
    approverId: people.otherHead,
    ttlHours: 1,
  });
  const page = await request(h.app).get('/links/approve').query({ t: links.approve });
  expect(page.status).toBe(404);
  const posted = await request(h.app).post('/links/approve').type('form').send({ t: links.approve });
  expect(posted.status).toBe(404);
  const decided = await h.db('case_events').where({ case_id: accessCase, type: 'step.decided' });
  expect(decided).toEqual([]);
});

test('whoever acts on a case reads it from then on: the tester approves and the head of their department still does not', async () => {
  const decided = await request(h.app)
    .post(`/api/v1/cases/${testerCase}/decisions`)
    .set('Authorization', await h.bearer(people.tester))
    .send({ step: 'testRun', decision: 'approve' });
  expect(decided.status).toBe(200);
  await eventually(
    async () => h.db('case_participants').where({ case_id: testerCase, participant: people.tester }).first(),
    'the tester recorded as a participant',
  );
  expect((await get('tester', `/api/v1/cases/${testerCase}/events`)).status).toBe(200);
  expect((await get('otherHead', `/api/v1/cases/${testerCase}`)).status).toBe(404);
});
