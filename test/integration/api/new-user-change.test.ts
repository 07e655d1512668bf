/**
 * A new user's script: a normal change driven end to end through the HTTP API using only what
 * `/openapi.json` and `GET /cases/{id}` publish. Every form is filled from its published schema
 * (the request from `change.request`, each task's form from the schema its pending step carries
 * and names by `formRef`; test/support/new-user.ts); the only answers given by name are the ones a person chooses — a title, the system, the window
 * and when the work ran. Every call on the way must be accepted.
 */
import request from 'supertest';
import { setDepartmentHead, upsertDepartment, type Role } from '../../../db/directory';
import { newUser, roleHolders } from '../../support/new-user';
import { startHarness, type Harness } from './harness';

let h: Harness;
const tag = `n${Date.now().toString(36)}`;
const people: Record<string, string> = {};

const startedRun = Date.now();
/**
 * What a person types for fields whose value is their choice; everything else comes from the schema.
 * The window begins now, in the system's maintenance window (an admin agreed it, below), and the
 * implementation reports when it really ran: a time in the future is refused (issue 9.2).
 */
const answers: Record<string, unknown> = {
  title: `${tag} raise the transfer limit`,
  affectedSystems: [`core-${tag}`],
  windowStart: new Date(startedRun + 60_000).toISOString(),
  windowEnd: new Date(startedRun + 2 * 3600_000).toISOString(),
  get startedAt() {
    return new Date(Date.now() - 30_000).toISOString();
  },
  get finishedAt() {
    return new Date().toISOString();
  },
};

beforeAll(async () => {
  h = await startHarness();
  const department = `${tag}-retail`;
  await upsertDepartment(h.db, { id: department, name: 'Retail banking' });
  const roles: Role[] = [
    'requester',
    'department_head',
    'ops_engineer',
    'ops_head',
    'developer',
    'tester',
    'security_officer',
  ];
  for (const role of roles) people[role] = await h.user(`nu-${role}`, [role], { departmentId: department });
  await setDepartmentHead(h.db, department, { head: people.department_head });
  people.admin = await h.user(`nu-admin`, ['admin']);
  const agreed = await request(h.app)
    .put(`/api/v1/admin/maintenance-windows/${tag}-window`)
    .set('Authorization', await h.bearer(people.admin))
    .send({
      name: `${tag} maintenance`,
      startsAt: new Date(startedRun - 3600_000).toISOString(),
      endsAt: new Date(startedRun + 3 * 3600_000).toISOString(),
      systems: [`core-${tag}`],
    });
  expect(agreed.status).toBe(200);
});

afterAll(async () => {
  if (h) {
    await request(h.app)
      .delete(`/api/v1/admin/maintenance-windows/${tag}-window`)
      .set('Authorization', await h.bearer(people.admin));
  }
  await h?.close();
});

test('a new user drives a normal change to its end from the published contract alone, with no refused call', async () => {
  const user = await newUser(h.app, h.bearer, answers);
  const caseId = await user.start('change', people.requester);
  const { view, acted } = await user.drive(caseId, { reader: people.ops_head, actor: roleHolders(people) });
  expect(view.outcome).toBe('succeeded');
  expect(acted).toEqual(
    expect.arrayContaining(['departmentHeadApproval', 'opsAssessment', 'scheduling', 'implementation']),
  );
});
