/**
 * A case end to end on the dev server: the demonstration process with two approvals, its
 * search attributes as an operator queries them, and a history long enough to continue as new.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { upsertDepartment, upsertUser } from '../../../db/directory';
import { decideUpdate, type ActorRef, type CaseView } from '../../../workflows/contracts/messages';
import {
  caseEvents,
  caseInput,
  eventsOfType,
  givenPolicy,
  startAccessRequest,
  uniqueProcess,
} from '../../support/cases';
import { eventually } from '../../support/db';
import { useDevServerWorker } from '../../support/temporal';

const head: ActorRef = { id: 'u-head', roles: ['department_head'] };
const opsHead: ActorRef = { id: 'u-ops-head', roles: ['ops_head'] };

const ctx = useDevServerWorker(uniqueProcess('lifecycle-queue'));

const approve = (handle: WorkflowHandle, step: string, actor: ActorRef): Promise<CaseView> =>
  handle.executeUpdate(decideUpdate, { args: [{ step, decision: 'approve', actor, channel: 'api' }] });

async function listed(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of ctx.client.workflow.list({ query })) ids.push(wf.workflowId);
  return ids;
}

test('an operator finds a waiting case by its search attributes, and the read model agrees', async () => {
  const process = uniqueProcess('access');
  await givenPolicy(ctx.db, process, {});
  // The approval request reaches the head of the requester's department (db/case-access.ts).
  await upsertDepartment(ctx.db, { id: 'lifecycle-dept', name: 'Lifecycle department' });
  for (const [id, roles] of [
    ['u-lifecycle-requester', ['requester']],
    ['u-head', ['department_head']],
  ] as const) {
    await upsertUser(ctx.db, {
      id,
      displayName: id,
      email: id === 'u-head' ? 'head@example.test' : `${id}@example.test`,
      locale: 'en',
      departmentId: 'lifecycle-dept',
      roles: [...roles],
    });
  }
  const handle = await startAccessRequest(
    ctx.client,
    ctx.taskQueue,
    caseInput(process, { system: 'si-core', requester: 'u-lifecycle-requester' }),
  );
  await eventsOfType(ctx.db, handle.workflowId, 'step.opened');

  const query = `OpsProcess='${process}' AND OpsStage='departmentHeadApproval' AND OpsOverdue=false AND OpsAssignees='role:department_head'`;
  expect(
    await eventually(async () => ((await listed(query)).length ? listed(query) : null), 'visibility'),
  ).toEqual([handle.workflowId]);

  const row = await eventually(
    async () => ctx.db('cases').where({ case_id: handle.workflowId }).first(),
    'read model',
  );
  expect(row).toMatchObject({
    state: 'open',
    stage: 'departmentHeadApproval',
    assignees: ['role:department_head'],
    overdue: false,
  });
  expect(row.due_at).toBeInstanceOf(Date);
  // Other test files share the database and its department heads: look for this one's request.
  const intent = await eventually(
    async () =>
      ctx
        .db('notification_outbox')
        .where({ case_id: handle.workflowId, template: 'approval-request', recipient_user_id: 'u-head' })
        .first(),
    'approval request for the department head',
  );
  expect(intent).toMatchObject({ recipient_email: 'head@example.test', status: expect.any(String) });

  await approve(handle, 'departmentHeadApproval', head);
  await eventsOfType(ctx.db, handle.workflowId, 'step.opened', 2);
  await approve(handle, 'opsHeadApproval', opsHead);
  expect(await handle.result()).toMatchObject({ status: 'closed', outcome: 'approved' });

  const closedQuery = `OpsProcess='${process}' AND OpsStage='closed'`;
  expect(
    await eventually(
      async () => ((await listed(closedQuery)).length ? listed(closedQuery) : null),
      'closed in visibility',
    ),
  ).toEqual([handle.workflowId]);
  const closed = await eventually(
    async () => ctx.db('cases').where({ case_id: handle.workflowId, state: 'closed' }).first(),
    'closed row',
  );
  expect(closed).toMatchObject({ stage: 'closed', assignees: [], due_at: null });
});

test('a long case continues as new between steps and loses no decision and no audit entry', async () => {
  const process = uniqueProcess('long');
  await givenPolicy(ctx.db, process, {});
  // A tiny history limit forces continue-as-new at the second step; in production the server suggests it.
  const handle = await startAccessRequest(
    ctx.client,
    ctx.taskQueue,
    caseInput(process, { historyLimit: 10 }),
  );
  await eventsOfType(ctx.db, handle.workflowId, 'step.opened');
  const firstRun = (await handle.describe()).runId;
  await approve(handle, 'departmentHeadApproval', head);

  // The next run resumes after the journaled first step and opens the second.
  await eventsOfType(ctx.db, handle.workflowId, 'step.opened', 2);
  const view = await eventually(async () => {
    const v = await handle.query<CaseView>('caseView');
    return v.pendingSteps[0]?.step === 'opsHeadApproval' ? v : null;
  }, 'second step pending');
  expect((await handle.describe()).runId).not.toBe(firstRun);
  expect((await ctx.client.workflow.getHandle(handle.workflowId, firstRun).describe()).status.name).toBe(
    'CONTINUED_AS_NEW',
  );

  await approve(handle, 'opsHeadApproval', opsHead);
  expect(await handle.result()).toMatchObject({ outcome: 'approved' });
  const events = await caseEvents(ctx.db, handle.workflowId);
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  expect(events.filter((e) => e.type === 'step.decided').map((e) => e.actor)).toEqual([
    'u-head',
    'u-ops-head',
  ]);
  expect(events.filter((e) => e.type === 'case.opened')).toHaveLength(1);
  expect(view.lastSeq).toBeGreaterThan(0);
});
