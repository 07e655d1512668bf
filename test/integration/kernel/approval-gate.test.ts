/**
 * The approval gate driven through real Workflow Updates and Signals on the dev server:
 * validators refuse before anything reaches history, each refusal with its own code.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { upsertVendor } from '../../../db/directory';
import {
  decideUpdate,
  decisionSignal,
  taskUpdate,
  type ActorRef,
  type CaseView,
  type DecisionInput,
} from '../../../workflows/contracts/messages';
import type { ApprovalSpec, CaseInput } from '../../../workflows/kernel';
import { apiSigned } from '../../support/api-signed';
import { caseEvents, caseInput, eventsOfType, givenPolicy, uniqueProcess } from '../../support/cases';
import { eventually } from '../../support/db';
import { useDevServerWorker } from '../../support/temporal';

const requester: ActorRef = { id: 'u-requester', roles: ['requester', 'department_head'] };
const headA: ActorRef = { id: 'u-head-a', roles: ['department_head'] };
const cab = (n: number): ActorRef => ({ id: `u-cab-${n}`, roles: ['cab'] });
const security: ActorRef = { id: 'u-security', roles: ['security_officer'] };

const ctx = useDevServerWorker(uniqueProcess('gate-queue'));

async function startGate(spec: ApprovalSpec, overrides: Partial<CaseInput> = {}): Promise<WorkflowHandle> {
  const process = uniqueProcess('gate');
  await givenPolicy(ctx.db, process, {});
  const input = caseInput(process, overrides);
  const handle = await ctx.client.workflow.start('gateUnderTest', {
    taskQueue: ctx.taskQueue,
    workflowId: input.caseId,
    args: [input, spec],
  });
  await eventsOfType(ctx.db, input.caseId, 'step.opened');
  return handle;
}

function decide(
  handle: WorkflowHandle,
  actor: ActorRef,
  decision: DecisionInput['decision'],
  comment?: string,
) {
  // Signed as the API signs it, so the trail records the api channel (test/support/api-signed.ts).
  return handle.executeUpdate(decideUpdate, {
    args: [
      apiSigned(handle.workflowId, 'decide', {
        step: 'approval',
        decision,
        actor,
        comment,
        channel: 'api' as const,
      }),
    ],
  });
}

/** The refusal code a validator gave, or 'accepted'. */
async function refusal(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
    return 'accepted';
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return (err.cause as { type?: string }).type ?? 'untyped';
    throw err;
  }
}

const single: ApprovalSpec = {
  step: 'approval',
  title: 'Department head approves',
  levels: [{ approvers: ['role:department_head'], mode: 'any' }],
};

test('the requester cannot approve their own case, and nothing reaches the audit trail', async () => {
  const handle = await startGate(single);
  expect(await refusal(decide(handle, requester, 'approve'))).toBe('SOD_REQUESTER');
  const history = await caseEvents(ctx.db, handle.workflowId);
  expect(history.some((e) => e.type === 'step.decided')).toBe(false);
  await decide(handle, headA, 'approve');
  expect(await handle.result()).toMatchObject({ status: 'closed', outcome: 'approved' });
});

test('someone without the approver role is not eligible; a decided step is no longer pending', async () => {
  const handle = await startGate(single);
  expect(await refusal(decide(handle, security, 'approve'))).toBe('NOT_ELIGIBLE');
  expect(await refusal(decide(handle, headA, 'reject'))).toBe('REASON_REQUIRED');
  await decide(handle, headA, 'reject', 'not justified');
  await handle.result();
  // The case is over: the workflow has completed, so a late decision cannot land anywhere.
  await expect(decide(handle, { id: 'u-head-b', roles: ['department_head'] }, 'approve')).rejects.toThrow();
  const [decided] = await eventsOfType(ctx.db, handle.workflowId, 'step.decided');
  expect(decided).toMatchObject({
    actor: 'u-head-a',
    channel: 'api',
    data: expect.objectContaining({ decision: 'reject', comment: 'not justified' }),
  });
  const [closed] = await eventsOfType(ctx.db, handle.workflowId, 'case.closed');
  expect(closed.data.outcome).toBe('rejected');
});

test('a quorum of two out of three approves, and a second decision by the same person is a duplicate', async () => {
  const handle = await startGate({
    step: 'approval',
    title: 'Change advisory board',
    levels: [{ approvers: ['role:cab', 'role:cab', 'role:cab'], mode: 'quorum', quorum: { count: 2 } }],
  });
  const view = await decide(handle, cab(1), 'approve');
  expect(view.pendingSteps[0].step).toBe('approval');
  expect(await refusal(decide(handle, cab(1), 'approve'))).toBe('DUPLICATE_DECISION');
  await decide(handle, cab(2), 'approve');
  expect(await handle.result()).toMatchObject({ outcome: 'approved' });
});

test("a vetoer's rejection ends the gate although the quorum was within reach", async () => {
  const handle = await startGate({
    step: 'approval',
    title: 'Change advisory board with security veto',
    levels: [{ approvers: ['role:cab', 'role:cab', 'role:cab'], mode: 'quorum', quorum: { percent: 60 } }],
    vetoers: ['role:security_officer'],
  });
  await decide(handle, cab(1), 'approve');
  await decide(handle, security, 'reject', 'unpatched CVE on the target host');
  expect(await handle.result()).toMatchObject({ outcome: 'rejected' });
});

test('sequential levels: the second level opens only after the first approves', async () => {
  const handle = await startGate({
    step: 'approval',
    title: 'Two-level approval',
    levels: [
      { approvers: ['role:department_head'], mode: 'any' },
      { approvers: ['role:it_head'], mode: 'any' },
    ],
  });
  const itHead: ActorRef = { id: 'u-it-head', roles: ['it_head'] };
  expect(await refusal(decide(handle, itHead, 'approve'))).toBe('NOT_ELIGIBLE');
  const afterFirst = await decide(handle, headA, 'approve');
  expect(afterFirst.pendingSteps[0].assignees).toEqual(['role:it_head']);
  await decide(handle, itHead, 'approve');
  expect(await handle.result()).toMatchObject({ outcome: 'approved' });
});

test('a delegate decides on behalf of the approver, and the delegation is recorded', async () => {
  const handle = await startGate(single);
  await handle.executeUpdate('delegate', {
    args: [{ step: 'approval', actor: headA, to: 'u-deputy', reason: 'on leave', channel: 'api' }],
  });
  await decide(handle, { id: 'u-deputy', roles: [] }, 'approve');
  expect(await handle.result()).toMatchObject({ outcome: 'approved' });
  const [delegated] = await eventsOfType(ctx.db, handle.workflowId, 'step.delegated');
  expect(delegated.data).toMatchObject({ from: 'u-head-a', to: 'u-deputy', reason: 'on leave' });
  const [decided] = await eventsOfType(ctx.db, handle.workflowId, 'step.decided');
  expect(decided.data).toMatchObject({ onBehalfOf: 'u-head-a' });
});

test('an offline decision keeps the real time it happened and its evidence', async () => {
  const handle = await startGate(single);
  const occurredAt = new Date(Date.now() - 3600_000).toISOString();
  const offline = {
    step: 'approval',
    decision: 'approve' as const,
    actor: headA,
    channel: 'offline' as const,
  };
  expect(await refusal(handle.executeUpdate(decideUpdate, { args: [offline] }))).toBe('EVIDENCE_REQUIRED');
  // Signed as the API signs it: only a proven sender's offline claim is recorded as offline.
  await handle.executeUpdate(decideUpdate, {
    args: [
      apiSigned(handle.workflowId, 'decide', { ...offline, occurredAt, evidenceRef: 'scan-2026-0042.pdf' }),
    ],
  });
  await handle.result();
  const [decided] = await eventsOfType(ctx.db, handle.workflowId, 'step.decided');
  expect(decided.channel).toBe('offline');
  expect(decided.occurred_at.toISOString()).toBe(occurredAt);
  expect(decided.data.evidenceRef).toBe('scan-2026-0042.pdf');
});

test('a refused decision sent as a signal is recorded as refused and changes nothing', async () => {
  const handle = await startGate(single);
  await handle.signal(decisionSignal, {
    step: 'approval',
    decision: 'approve',
    actor: requester,
    channel: 'api',
  });
  const [refused] = await eventsOfType(ctx.db, handle.workflowId, 'decision.refused');
  expect(refused.data).toMatchObject({ code: 'SOD_REQUESTER' });
  await handle.signal(decisionSignal, {
    step: 'approval',
    decision: 'approve',
    actor: headA,
    channel: 'api',
  });
  expect(await handle.result()).toMatchObject({ outcome: 'approved' });
});

test("the implementer cannot approve the review of their own work, nor can their vendor's staff", async () => {
  const process = uniqueProcess('review');
  await givenPolicy(ctx.db, process, {});
  await upsertVendor(ctx.db, { id: 'v-acme', name: 'ACME Systems' });
  const input = caseInput(process, { vendorId: 'v-acme' });
  const handle = await ctx.client.workflow.start('implementThenReview', {
    taskQueue: ctx.taskQueue,
    workflowId: input.caseId,
    args: [input],
  });
  await eventsOfType(ctx.db, input.caseId, 'step.opened');
  const implementer: ActorRef = { id: 'u-vendor-1', roles: ['vendor_engineer'], vendorId: 'v-acme' };
  const colleague: ActorRef = { id: 'u-vendor-2', roles: ['vendor_engineer'], vendorId: 'v-acme' };
  const complete = (form: Record<string, unknown>) =>
    handle.executeUpdate(taskUpdate, {
      args: [{ step: 'implementation', action: 'complete', form, actor: implementer, channel: 'api' }],
    });
  expect(await refusal(complete({ result: 'done' }))).toBe('FORM_INVALID');
  await complete({ result: 'succeeded' });
  // The review step opens once its SLA policy is read, a moment after the stage is entered.
  await eventually(
    async () => ((await handle.query<CaseView>('caseView')).pendingSteps[0]?.step === 'review' ? true : null),
    'review step pending',
  );
  const review = (actor: ActorRef) =>
    handle.executeUpdate(decideUpdate, {
      args: [{ step: 'review', decision: 'approve', actor, channel: 'api' }],
    });
  expect(await refusal(review(implementer))).toBe('SOD_IMPLEMENTER');
  expect(await refusal(review(colleague))).toBe('SOD_VENDOR');
  await review({ id: 'u-ops-head', roles: ['ops_head'] });
  expect(await handle.result()).toMatchObject({ outcome: 'approved' });
});
