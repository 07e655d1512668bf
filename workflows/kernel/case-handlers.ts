/**
 * The messages every case answers — decisions, delegations, task actions, offline entries,
 * clock pauses, priority changes, re-plans, and the view query — wired onto a `Case`.
 * Updates validate first (a refusal never reaches history and carries its code to the caller);
 * the decision Signal runs the same checks and audits a refusal instead of applying it.
 */
import { condition, patched, setHandler } from '@temporalio/workflow';
import {
  applyDecision,
  applyDelegation,
  checkDecision,
  checkDelegation,
  evaluate,
  pendingApprovers,
} from './approval';
import { matches, toRecipient } from '../contracts/assignees';
import { commandChecks } from './activity-proxies';
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
  type CaseView,
  type ClockInput,
  type CommandAttestation,
  type DecisionInput,
  type DelegationInput,
  type OfflineEntryInput,
  type Provenance,
  type TaskActionInput,
} from '../contracts/messages';
import { pause, replan, resume } from './sla';
import type { Recipient } from '../contracts/case-records';
import { applyTaskAction, checkTaskAction } from './task';
import { registerCaseNotes } from './case-notes';

/**
 * From this patch on, decisions, task actions and offline entries take effect only after the
 * worker has checked the API's proof (a local activity); histories recorded before replay as they ran.
 */
const ATTESTED_COMMANDS = 'attested-commands';
/**
 * From this patch on the case controls (delegate, clock pause/resume, priority, withdraw, cancel)
 * are checked the same way: signed by the API they are recorded on the `api` channel; sent
 * straight to Temporal they stay an operator's, their claimed identity marked unverified.
 */
export const ATTESTED_CONTROLS = 'attested-controls';

const CLOCK_ROLES = ['ops_head', 'admin'];
const PRIORITY_ROLES = ['ops_head', 'ops_engineer', 'admin'];

export function registerCaseHandlers(kase: Case): void {
  setHandler(caseViewQuery, () => kase.view());
  registerCaseNotes(kase);

  setHandler(
    decideUpdate,
    (input) => {
      const attestedCommands = patched(ATTESTED_COMMANDS);
      const answer = answersOnceSettled();
      if (!attestedCommands) {
        decide(kase, input);
        return viewOnceSettled(kase, answer);
      }
      return (async () => {
        const message = await asSent(kase, 'decide', input);
        validate(() => checkDecisionInput(kase, message));
        decide(kase, message);
        return viewOnceSettled(kase, answer);
      })();
    },
    { validator: (input) => validate(() => checkDecisionInput(kase, input)) },
  );

  // A signal never comes from the API: whatever channel it claims, it is an operator's.
  setHandler(decisionSignal, (signalled) => {
    const input = signalled && typeof signalled === 'object' ? asOperator(signalled) : signalled;
    try {
      checkDecisionInput(kase, input);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      kase.emit(
        'decision.refused',
        {
          step: input?.step,
          decision: input?.decision,
          code: err.code,
          reason: err.message,
          ...unverified(input),
        },
        {
          actor: input?.actor?.id ?? null,
          channel: input?.channel ?? 'operator',
        },
      );
      return;
    }
    decide(kase, input);
  });

  const delegate = (input: AsSent<DelegationInput>) => {
    const step = kase.pendingStep(input.step);
    const delegation = applyDelegation(step.approval!, input, nowIso());
    kase.emit(
      'step.delegated',
      {
        step: step.key,
        from: delegation.from.id,
        to: delegation.to,
        reason: delegation.reason,
        ...unverified(input),
      },
      {
        ...provenance(input),
        notify: [aboutStep([{ userId: input.to }], 'approval-request', step)],
      },
    );
    kase.describe();
    return kase.view();
  };
  const checkDelegationInput = (input: DelegationInput) => {
    checkProvenance(input);
    const step = pendingStepOfKind(kase, input.step, 'approval');
    checkDelegation(step.approval!, kase.parties, input);
  };
  setHandler(
    delegateUpdate,
    (sent) => {
      // Before the patch the API sent no delegation: it came from an operator, whatever it claimed.
      if (!patched(ATTESTED_CONTROLS)) return delegate(asOperator(sent));
      return (async () => {
        const input = await asSent(kase, 'delegate', sent);
        validate(() => checkDelegationInput(input));
        return delegate(input);
      })();
    },
    { validator: (input) => validate(() => checkDelegationInput(input)) },
  );

  setHandler(
    taskUpdate,
    (input) => {
      const attestedCommands = patched(ATTESTED_COMMANDS);
      const answer = answersOnceSettled();
      if (!attestedCommands) return actOnTask(kase, input, answer);
      return (async () => {
        const message = await asSent(kase, 'task', input);
        validate(() => checkTaskInput(kase, message));
        return actOnTask(kase, message, answer);
      })();
    },
    { validator: (input) => validate(() => checkTaskInput(kase, input)) },
  );

  setHandler(
    offlineEntryUpdate,
    (input) => {
      if (!patched(ATTESTED_COMMANDS)) return recordOffline(kase, input, true);
      return (async () => {
        const verified = await attested(kase, 'recordOfflineEntry', input);
        return recordOffline(kase, input, verified);
      })();
    },
    { validator: (input) => validate(() => checkOfflineEntry(input)) },
  );

  const clock = (kind: 'paused' | 'resumed', input: ClockInput, verified: boolean) => {
    const step = kase.pendingStep(input.step);
    if (step.sla) (kind === 'paused' ? pause : resume)(step.sla, Date.now());
    kase.emit(
      `sla.${kind}`,
      {
        step: step.key,
        reason: input.reason,
        dueAt: step.sla ? iso(step.sla.dueAt) : null,
        ...(verified ? {} : { identityVerified: false }),
      },
      { actor: input.actor.id, channel: verified ? 'api' : 'operator' },
    );
    kase.describe();
    return kase.view();
  };
  const clockHandler = (kind: 'paused' | 'resumed') => (input: ClockInput) => {
    // Before the patch the API sent no clock commands: they came from an operator.
    if (!patched(ATTESTED_CONTROLS)) return clock(kind, input, false);
    return (async () => {
      const verified = await attested(kase, kind === 'paused' ? 'pauseClock' : 'resumeClock', input);
      clockValidator(input);
      return clock(kind, input, verified);
    })();
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
      const hookPatches = priorityHookPatches();
      const verified = patched(ATTESTED_CONTROLS) && (await attested(kase, 'changePriority', input));
      const from = kase.state.priority;
      kase.state.priority = input.priority;
      await replanPendingSteps(kase);
      kase.emit(
        'case.priority-changed',
        { from, to: input.priority, reason: input.reason, ...(verified ? {} : { identityVerified: false }) },
        { actor: input.actor.id, channel: verified ? 'api' : 'operator' },
      );
      kase.priorityChanged({
        from,
        to: input.priority,
        reason: input.reason,
        actor: input.actor.id,
        patched: hookPatches,
      });
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

/**
 * The patches a priority listener asks for (`PriorityChange.patched`), decided as the Update
 * arrives, before its local activities: histories that recorded this patch take every listener's
 * patch as given; older ones ask for each where they recorded it, after the local activities.
 */
function priorityHookPatches(): (name: string) => boolean {
  const atEntry = patched('priority-hook-patches-decided-at-entry');
  return (name) => atEntry || patched(name);
}

/** How an Update answers: at once, once its branch has moved on, or once every branch has. */
interface SettledAnswer {
  settles: () => boolean;
  /** Waits for every branch, not only the first to move (histories before it did not). */
  everyBranch: () => boolean;
}

/**
 * Whether an Update answers once the case has settled, decided as the Update arrives — before its
 * handler awaits the command's attestation, a local activity. Under load a local activity's
 * result can be recorded in a later workflow task than the Update's acceptance; a patch first
 * asked for after it was then, on replay, asked before its marker was known, and the case failed
 * with a patch-marker nondeterminism error (found by the fault suite when a query replayed a
 * closed case). Histories that recorded the older marker, asked for after the attestation, replay
 * as they ran: the early patch is absent from them, and the late one is asked for where it was.
 */
function answersOnceSettled(): SettledAnswer {
  const atAcceptance = patched('settled-response-decided-at-acceptance');
  // Cases that record the early patch get both behaviours; older histories ask for the late
  // patches where they recorded them.
  return {
    settles: () => atAcceptance || patched('settled-update-response'),
    everyBranch: () => atAcceptance || patched('settled-every-branch'),
  };
}

/**
 * The case as the next read will show it: once the procedure has reacted to the update (the next
 * step opened, or the case closed) — in every branch of a procedure that waits on several steps
 * at once. Before the settled-response patches: at once, and synchronously, as those histories
 * recorded it.
 */
function viewOnceSettled(kase: Case, answer: SettledAnswer): CaseView | Promise<CaseView> {
  if (!answer.settles()) return kase.view();
  const everyBranch = answer.everyBranch();
  return condition(
    () => kase.settled && (!everyBranch || kase.state.status !== 'open' || kase.branchesMovedOn),
  ).then(() => kase.view());
}

async function replanPendingSteps(kase: Case): Promise<void> {
  for (const step of pendingSteps(kase.state)) {
    if (!step.sla) continue;
    const policy = await kase.resolveSlaPolicy({
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
      ...unverified(input),
    },
    { ...provenance(input), notify },
  );
  if (outcome && outcome !== 'next-level') {
    kase.finishStep(step, { outcome, decisions: approval.decisions });
  }
  kase.describe();
}

// ---------------------------------------------------------------- who really sent a command

type Attested = { attestation?: CommandAttestation };
/** A command recorded as an operator's keeps what it claimed, for the audit trail. */
type AsSent<T> = T & { claimedChannel?: string };

/** The Updates the API signs (runtime/command-attestation.ts `AttestedUpdate`). */
export type SignedUpdate =
  | 'decide'
  | 'task'
  | 'recordOfflineEntry'
  | 'delegate'
  | 'pauseClock'
  | 'resumeClock'
  | 'changePriority'
  | 'withdraw'
  | 'cancel';

/** Whether the API signed this very message for this case (checked outside the sandbox). */
export async function attested(kase: Case, update: SignedUpdate, input: Attested): Promise<boolean> {
  const { verified } = await kase.oneLocalAtATime(() =>
    commandChecks.checkCommandAttestation({ update, caseId: kase.state.caseId, message: input }),
  );
  return verified;
}

/** The message as it was really sent: the API's, or else an operator's, whatever it claims. */
async function asSent<T extends Provenance & Attested>(
  kase: Case,
  update: 'decide' | 'task' | 'delegate',
  input: T,
): Promise<AsSent<T>> {
  return (await attested(kase, update, input)) ? input : asOperator(input);
}

function asOperator<T extends Provenance>(input: T): AsSent<T> {
  if (input.channel === 'operator') return input;
  return { ...input, channel: 'operator', claimedChannel: input.channel };
}

/** What the audit trail adds to an operator's action: the identity is claimed, not verified. */
function unverified(input: AsSent<Partial<Provenance>> | undefined): Record<string, unknown> {
  if (input?.channel !== 'operator') return {};
  return {
    identityVerified: false,
    ...(input.claimedChannel ? { claimedChannel: input.claimedChannel } : {}),
    ...(input.occurredAt ? { claimedOccurredAt: input.occurredAt } : {}),
  };
}

// ---------------------------------------------------------------- tasks and offline entries

function checkTaskInput(kase: Case, input: TaskActionInput): void {
  checkProvenance(input);
  const step = pendingStepOfKind(kase, input.step, 'task');
  checkTaskAction(step.task!, kase.parties, input);
}

function actOnTask(kase: Case, input: AsSent<TaskActionInput>, answer: SettledAnswer) {
  const step = kase.pendingStep(input.step);
  const change = applyTaskAction(step.task!, input, nowIso());
  const prov = provenance(input);
  const sender = unverified(input);
  if (change.kind === 'completed') {
    if (step.task!.spec.recordsImplementer && !kase.state.implementers.includes(input.actor.id)) {
      kase.state.implementers.push(input.actor.id);
    }
    kase.emit(
      'task.completed',
      { step: step.key, form: change.completion.form, comment: change.completion.comment, ...sender },
      prov,
    );
    kase.finishStep(step, change.completion);
    return viewOnceSettled(kase, answer);
  } else if (change.kind === 'claimed') {
    kase.emit('task.claimed', { step: step.key, ...sender }, prov);
  } else {
    kase.emit(
      'task.reassigned',
      { step: step.key, from: change.from, to: change.to, reason: change.reason, ...sender },
      {
        ...prov,
        notify: [aboutStep([toRecipient(change.to)], 'task-assigned', step)],
      },
    );
  }
  kase.describe();
  return kase.view();
}

function checkOfflineEntry(input: OfflineEntryInput): void {
  if (!input?.kind?.trim()) throw new Refusal('INVALID_MESSAGE', 'an offline entry needs a kind');
  checkProvenance({ channel: 'offline', occurredAt: input.occurredAt, evidenceRef: input.evidenceRef });
}

/** An offline entry the API did not send is an operator's: its claimed time stays in the data. */
function recordOffline(kase: Case, input: OfflineEntryInput, verified: boolean) {
  const data = { kind: input.kind, evidenceRef: input.evidenceRef, content: input.content };
  if (verified) {
    kase.emit('offline.recorded', data, {
      actor: input.actor.id,
      channel: 'offline',
      occurredAt: input.occurredAt,
    });
  } else {
    kase.emit(
      'offline.recorded',
      {
        ...data,
        ...unverified({ channel: 'operator', claimedChannel: 'offline', occurredAt: input.occurredAt }),
      },
      { actor: input.actor.id, channel: 'operator' },
    );
  }
  return kase.view();
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
  if (!input || !['api', 'email', 'offline', 'operator'].includes(input.channel)) {
    throw new Refusal('INVALID_MESSAGE', 'channel must be api, email, offline or operator');
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
