/**
 * A case read right after its 201, while its first workflow task still waits for a worker (a busy
 * one, or one restarting), is answered once the worker takes it — never "no such case". The read
 * model shows nothing yet, so the answer can only come from the workflow, which answers a query
 * only after its first task.
 */
import { Worker } from '@temporalio/worker';
import request from 'supertest';
import { uniqueProcess } from '../../support/cases';
import { createTestWorker, devServerConnection } from '../../support/temporal';
import { startHarness, type Harness } from './harness';

/** Longer than a case the read model already shows is waited for (5 s). */
const WORKER_LATE_MS = 8_000;

let h: Harness;
const idleQueue = uniqueProcess('no-worker-yet');

beforeAll(async () => {
  // The app starts cases on a queue no worker polls until the test starts one.
  h = await startHarness({ TEMPORAL_TASK_QUEUE: idleQueue });
});

afterAll(async () => {
  await h.db('knowledge_entries').whereLike('created_by', 'fresh-read-%').delete();
  // Department heads with these roles would otherwise read later files' cases of their departments.
  await h.db('user_roles').whereLike('user_id', 'fresh-read-%').delete();
  await h?.close();
});

test('the requester and their department head read a just-started case whose first task a worker takes 8 s later', async () => {
  const departmentId = await h.department('fresh-read-dept');
  const writer = await h.user('fresh-read-writer', ['ops_engineer'], { departmentId });
  const head = await h.user('fresh-read-head', ['department_head'], { departmentId });
  const otherHead = await h.user('fresh-read-other-head', ['department_head'], {
    departmentId: await h.department('fresh-read-other-dept'),
  });
  const proposed = await request(h.app)
    .post('/api/v1/knowledge/proposals')
    .set('Authorization', await h.bearer(writer))
    .send({ title: 'Late worker', problem: 'The first task waits', solution: 'Wait for it' });
  expect(proposed.status).toBe(201);
  const caseId = proposed.body.reviewCaseId as string;

  const asked = Date.now();
  // Sent now (supertest sends on `then`), answered when the worker has taken the first task.
  const readAs = async (userId: string) => {
    const bearer = await h.bearer(userId);
    return request(h.app)
      .get(`/api/v1/cases/${caseId}`)
      .set('Authorization', bearer)
      .then((res) => res);
  };
  const reading = Promise.all([readAs(writer), readAs(head), readAs(otherHead)]);
  const connection = await devServerConnection();
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  try {
    await new Promise((r) => setTimeout(r, WORKER_LATE_MS));
    worker = await createTestWorker({ connection, taskQueue: idleQueue, db: h.db });
    running = worker.run();
    const [read, byHead, byOtherHead] = await reading;
    expect({ status: read.status, live: read.body.live, requester: read.body.requester }).toEqual({
      status: 200,
      live: true,
      requester: writer,
    });
    // The head of the requester's department reads it as the access rule says; another head does not.
    expect([byHead.status, byOtherHead.status]).toEqual([200, 404]);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(WORKER_LATE_MS);
    await h.client.workflow.getHandle(caseId).terminate('test over');
  } finally {
    worker?.shutdown();
    await running;
    await connection.close();
  }
});
