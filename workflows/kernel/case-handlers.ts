/**
 * The messages every case answers — decisions, delegations, task actions, offline entries,
 * clock pauses, priority changes, re-plans, and the view query — wired onto a `Case`.
 * Updates validate first (a refusal never reaches history and carries its code to the caller);
 * the decision Signal runs the same checks and audits a refusal instead of applying it.
 */
import { setHandler } from '@temporalio/workflow';
import {
  applyDecision,
  applyDelegation,
  checkDecision,
  checkDelegation,
  evaluate,
  pendingApprovers,
} from './approval';
import { matches, toRecipient } from '../contracts/assignees';
import { masterData } from './activity-proxies';
import type { Case, EmitOptions } from './case';
import { pendingSteps, type StepRecord } from './case-state';
import { iso, nowIso } from './clock';
import { Refusal } from '../contracts/refusals';
import {
  caseViewQuery,
  changePriorityUpdate,
  decideUpdate,
  decisionSignal,
  delegateUpdate,
  offlineEntryUpdate,
  pauseClockUpdate,
  replanSignal,
  resumeClockUpdate,
  taskUpdate,
  type ActorRef,
  type ClockInput,
  type DecisionInput,
  type Provenance,
} from '../contracts/messages';
import { pause, replan, resume } from './sla';
import type { Recipient } from '../contracts/case-records';
import { applyTaskAction, checkTaskAction } from './task';

const CLOCK_ROLES = ['ops_head', 'admin'];
const PRIORITY_ROLES = ['ops_head', 'ops_engineer', 'admin'];

export function registerCaseHandlers(kase: Case): void {
  setHandler(caseViewQuery, () => kase.view());

  setHandler(
    decideUpdate,
    (input) => {
      decide(kase, input);
      return kase.view();
    },
    { validator: (input) => validate(() => checkDecisionInput(kase, input)) },
  );

  setHandler(decisionSignal, (input) => {
    try {
      checkDecisionInput(kase, input);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      kase.emit(
        'decision.refused',
        { step: input?.step, decision: input?.decision, code: err.code, reason: err.message },
        {
          actor: input?.actor?.id ?? null,
          channel: input?.channel ?? 'api',
        },
      );
      return;
    }
    decide(kase, input);
  });

  setHandler(
    delegateUpdate,
    (input) => {
      const step = kase.pendingStep(input.step);
      const delegation = applyDelegation(step.approval!, input, nowIso());
      kase.emit(
        'step.delegated',
        { step: step.key, from: delegation.from.id, to: delegation.to, reason: delegation.reason },
        {
          ...provenance(input),
          notify: [aboutStep([{ userId: input.to }], 'approval-request', step)],
        },
      );
      kase.describe();
      return kase.view();
    },
    {
      validator: (input) =>
        validate(() => {
          checkProvenance(input);
          const step = pendingStepOfKind(kase, input.step, 'approval');
          checkDelegation(step.approval!, kase.parties, input);
        }),
    },
  );

  setHandler(
    taskUpdate,
    (input) => {
      const step = kase.pendingStep(input.step);
      const change = applyTaskAction(step.task!, input, nowIso());
      const prov = provenance(input);
      if (change.kind === 'completed') {
        if (step.task!.spec.recordsImplementer && !kase.state.implementers.includes(input.actor.id)) {
          kase.state.implementers.push(input.actor.id);
        }
        kase.emit(
          'task.completed',
          { step: step.key, form: change.completion.form, comment: change.completion.comment },
          prov,
        );
        kase.finishStep(step, change.completion);
      } else if (change.kind === 'claimed') {
        kase.emit('task.claimed', { step: step.key }, prov);
      } else {
        kase.emit(
          'task.reassigned',
          { step: step.key, from: change.from, to: change.to, reason: change.reason },
          {
            ...prov,
            notify: [aboutStep([toRecipient(change.to)], 'task-assigned', step)],
          },
        );
      }
      kase.describe();
      return kase.view();
    },
    {
      validator: (input) =>
        validate(() => {
          checkProvenance(input);
          const step = pendingStepOfKind(kase, input.step, 'task');
          checkTaskAction(step.task!, kase.state.requester, input);
        }),
    },
  );

  setHandler(
    offlineEntryUpdate,
    (input) => {
      kase.emit(
        'offline.recorded',
        { kind: input.kind, evidenceRef: input.evidenceRef, content: input.content },
        {
          actor: input.actor.id,
          channel: 'offline',
          occurredAt: input.occurredAt,
        },
      );
      return kase.view();
    },
    {
      validator: (input) =>
        validate(() => {
          if (!input?.kind?.trim()) throw new Refusal('INVALID_MESSAGE', 'an offline entry needs a kind');
          checkProvenance({
            channel: 'offline',
            occurredAt: input.occurredAt,
            evidenceRef: input.evidenceRef,
          });
        }),
    },
  );

  const clockHandler = (kind: 'paused' | 'resumed') => (input: ClockInput) => {
    const step = kase.pendingStep(input.step);
    if (step.sla) (kind === 'paused' ? pause : resume)(step.sla, Date.now());
    kase.emit(
      `sla.${kind}`,
      { step: step.key, reason: input.reason, dueAt: step.sla ? iso(step.sla.dueAt) : null },
      {
        actor: input.actor.id,
        channel: 'api',
      },
    );
    kase.describe();
    return kase.view();
  };
  const clockValidator = (input: ClockInput) =>
    validate(() => {
      if (!input?.reason?.trim())
        throw new Refusal('REASON_REQUIRED', 'pausing or resuming a clock needs a reason');
      const step = kase.pendingStep(input.step);
      const mayAct =
        CLOCK_ROLES.some((r) => input.actor.roles.includes(r)) ||
        kase.assigneesOf(step).some((a) => matches(input.actor, a));
      if (!mayAct)
        throw new Refusal('NOT_ELIGIBLE', `${input.actor.id} may not pause or resume ${input.step}`);
    });
  setHandler(pauseClockUpdate, clockHandler('paused'), { validator: clockValidator });
  setHandler(resumeClockUpdate, clockHandler('resumed'), { validator: clockValidator });

  setHandler(
    changePriorityUpdate,
    async (input) => {
      const from = kase.state.priority;
      kase.state.priority = input.priority;
      await replanPendingSteps(kase);
      kase.emit(
        'case.priority-changed',
        { from, to: input.priority, reason: input.reason },
        { actor: input.actor.id, channel: 'api' },
      );
      kase.priorityChanged({ from, to: input.priority, reason: input.reason, actor: input.actor.id });
      kase.describe();
      return kase.view();
    },
    {
      validator: (input) =>
        validate(() => {
          if (kase.state.status !== 'open')
            throw new Refusal('CASE_CLOSED', `case ${kase.state.caseId} is closed`);
          if (!input?.priority?.trim() || !input.reason?.trim()) {
            throw new Refusal('INVALID_MESSAGE', 'a priority change needs the new priority and a reason');
          }
          if (!PRIORITY_ROLES.some((r) => input.actor.roles.includes(r))) {
            throw new Refusal('NOT_ELIGIBLE', `${input.actor.id} may not change the priority`);
          }
        }),
    },
  );

  setHandler(replanSignal, async ({ reason }) => {
    await replanPendingSteps(kase);
    kase.emit('sla.replanned', { reason });
  });
}

async function replanPendingSteps(kase: Case): Promise<void> {
  for (const step of pendingSteps(kase.state)) {
    if (!step.sla) continue;
    const policy = await masterData.resolveSlaPolicy({
      process: kase.state.process,
      stage: step.sla.policy.stage,
      priority: kase.state.priority,
    });
    // The step may have been decided while the policy was read.
    if (step.status === 'pending') replan(step.sla, policy, Date.now());
  }
}

/** Validators report refusals as failures whose type is the refusal code. */
function validate(check: () => void): void {
  try {
    check();
  } catch (err) {
    throw err instanceof Refusal ? err.toFailure() : err;
  }
}

function checkDecisionInput(kase: Case, input: DecisionInput): void {
  if (!input || typeof input.step !== 'string' || !input.actor?.id || !Array.isArray(input.actor.roles)) {
    throw new Refusal('INVALID_MESSAGE', 'a decision needs step, decision and actor {id, roles}');
  }
  if (!['approve', 'reject', 'request_changes'].includes(input.decision)) {
    throw new Refusal('INVALID_MESSAGE', `unknown decision ${String(input.decision)}`);
  }
  checkProvenance(input);
  const step = pendingStepOfKind(kase, input.step, 'approval');
  checkDecision(step.approval!, kase.parties, input);
}

function decide(kase: Case, input: DecisionInput): void {
  const step = kase.pendingStep(input.step);
  const approval = step.approval!;
  const record = applyDecision(approval, input, nowIso());
  const outcome = evaluate(approval);
  const notify =
    outcome === 'next-level'
      ? [aboutStep(pendingApprovers(approval).map(toRecipient), 'approval-request', step)]
      : outcome
        ? [
            {
              to: [{ userId: kase.state.requester }],
              template: 'decision-made',
              data: { step: step.key, stepTitle: step.title, outcome, comment: record.comment },
            },
          ]
        : [];
  kase.emit(
    'step.decided',
    {
      step: step.key,
      decision: record.decision,
      comment: record.comment,
      onBehalfOf: record.onBehalfOf,
      level: record.level + 1,
      evidenceRef: record.evidenceRef,
      outcome: outcome ?? null,
    },
    { ...provenance(input), notify },
  );
  if (outcome && outcome !== 'next-level') {
    kase.finishStep(step, { outcome, decisions: approval.decisions });
  }
  kase.describe();
}

function provenance(input: Provenance & { actor: ActorRef }): EmitOptions {
  return {
    actor: input.actor.id,
    channel: input.channel,
    occurredAt: input.channel === 'offline' ? input.occurredAt : undefined,
  };
}

/** Offline actions must say when they really happened and what proves them. */
function checkProvenance(input: Provenance): void {
  if (!input || !['api', 'email', 'offline'].includes(input.channel)) {
    throw new Refusal('INVALID_MESSAGE', 'channel must be api, email or offline');
  }
  if (input.channel !== 'offline') return;
  if (!input.occurredAt || Number.isNaN(Date.parse(input.occurredAt))) {
    throw new Refusal('EVIDENCE_REQUIRED', 'an offline entry needs occurredAt, the real time it happened');
  }
  if (Date.parse(input.occurredAt) > Date.now()) {
    throw new Refusal('EVIDENCE_REQUIRED', 'occurredAt of an offline entry cannot be in the future');
  }
  if (!input.evidenceRef?.trim())
    throw new Refusal('EVIDENCE_REQUIRED', 'an offline entry needs an evidence reference');
}

/** The pending step a message names, of the kind the message acts on. */
function pendingStepOfKind(kase: Case, name: string, kind: StepRecord['kind']): StepRecord {
  const step = kase.pendingStep(name);
  if (step.kind !== kind) {
    throw new Refusal('INVALID_MESSAGE', `${name} is not ${kind === 'approval' ? 'an approval' : 'a task'}`);
  }
  return step;
}

/** A notification about a step, in the shape every step template reads. */
function aboutStep(to: Recipient[], template: string, step: StepRecord) {
  return { to, template, data: { step: step.key, stepTitle: step.title } };
}
