/**
 * The approval gate as pure state transitions: who may decide, and what the decisions so far
 * add up to. Modes: one level or several in sequence; within a level any / all / quorum of its
 * approver slots; vetoers whose rejection ends the gate; delegation to another person.
 * The workflow side (`case.ts`) keeps this state and calls these functions from its handlers.
 */
import { matches, type Assignee } from '../contracts/assignees';
import { Refusal, type RefusalCode } from '../contracts/refusals';
import type { ActorRef, DecisionInput, DecisionKind, DelegationInput } from '../contracts/messages';

export interface ApprovalLevel {
  /** Slots to fill, each a person or a role. `all` needs every slot; `any` one; `quorum` N of them. */
  approvers: Assignee[];
  mode: 'any' | 'all' | 'quorum';
  /** For `quorum`: a count, or a percentage of the slots (rounded up). */
  quorum?: { count?: number; percent?: number };
}

export interface ApprovalSpec {
  step: string;
  title: string;
  levels: ApprovalLevel[];
  /** Whose rejection ends the gate at once, whatever the others decided. */
  vetoers?: Assignee[];
  /** Separation of duties beyond "not the requester": the work being checked is the implementer's or a vendor's. */
  checks?: Array<'implementer' | 'vendor'>;
  /** Policy stage for the SLA clock; defaults to `step`. */
  slaStage?: string;
  /** How someone who is not an approver here is refused, when `NOT_ELIGIBLE` says too little. */
  notEligible?: { code: RefusalCode; message: string };
}

export interface DecisionRecord {
  level: number;
  decision: DecisionKind;
  actor: string;
  actorRoles: string[];
  /** When a delegate decided, the approver they stood in for. */
  onBehalfOf: string | null;
  comment: string | null;
  channel: string;
  occurredAt: string;
  evidenceRef: string | null;
}

export interface Delegation {
  from: ActorRef;
  to: string;
  reason: string;
  at: string;
}

export interface ApprovalState {
  spec: ApprovalSpec;
  level: number;
  decisions: DecisionRecord[];
  delegations: Delegation[];
}

export type ApprovalOutcome = 'approved' | 'rejected' | 'changes_requested';

/** The rules of the case that a decision is checked against. */
export interface CaseParties {
  requester: string;
  implementers: string[];
  vendorId: string | null;
}

export function openApproval(spec: ApprovalSpec): ApprovalState {
  if (spec.levels.length === 0 || spec.levels.some((l) => l.approvers.length === 0)) {
    throw new Error(`approval ${spec.step} needs at least one approver on every level`);
  }
  return { spec, level: 0, decisions: [], delegations: [] };
}

/** The identity a person decides with: their own, or the approver's who delegated to them. */
function principal(state: ApprovalState, actor: ActorRef): { who: ActorRef; onBehalfOf: string | null } {
  const delegation = [...state.delegations].reverse().find((d) => d.to === actor.id && stands(state, d));
  return delegation
    ? { who: delegation.from, onBehalfOf: delegation.from.id }
    : { who: actor, onBehalfOf: null };
}

/**
 * A delegation counts on the current level only while its delegator has not decided there and still
 * has a slot there to fill: it does not carry the delegate into a level the delegator has no part in.
 */
function stands(state: ApprovalState, delegation: Delegation): boolean {
  const decided = levelDecisions(state).some((r) => (r.onBehalfOf ?? r.actor) === delegation.from.id);
  return !decided && openSlots(state, delegation.from).length > 0;
}

function levelDecisions(state: ApprovalState): DecisionRecord[] {
  return state.decisions.filter((d) => d.level === state.level);
}

/** Slots of the current level still open to a decision, and which of them this person could fill. */
function openSlots(state: ApprovalState, who: ActorRef): number[] {
  const level = state.spec.levels[state.level];
  const taken = fillSlots(level, levelDecisions(state));
  return level.approvers
    .map((_, i) => i)
    .filter((i) => taken[i] === null && matches(who, level.approvers[i]));
}

/**
 * Assigns each decision, in decision order, to an open slot naming its decider personally, else to
 * the first open slot one of their roles matches, so a named approver never uses up a role's slot.
 */
function fillSlots(level: ApprovalLevel, decisions: DecisionRecord[]): Array<DecisionRecord | null> {
  const slots: Array<DecisionRecord | null> = level.approvers.map(() => null);
  for (const d of decisions) {
    const decider = { id: d.onBehalfOf ?? d.actor, roles: d.actorRoles };
    const open = (idx: number) => slots[idx] === null;
    const named = level.approvers.findIndex((a, idx) => open(idx) && a === decider.id);
    const i = named >= 0 ? named : level.approvers.findIndex((a, idx) => open(idx) && matches(decider, a));
    if (i >= 0) slots[i] = d;
  }
  return slots;
}

function isVetoer(state: ApprovalState, who: ActorRef): boolean {
  return (state.spec.vetoers ?? []).some((v) => matches(who, v));
}

export function checkSeparationOfDuties(state: ApprovalState, parties: CaseParties, actor: ActorRef): void {
  const { who } = principal(state, actor);
  const people = new Set([actor.id, who.id]);
  if (people.has(parties.requester)) {
    throw new Refusal('SOD_REQUESTER', 'the requester may not approve their own case', {
      step: state.spec.step,
    });
  }
  const checks = state.spec.checks ?? [];
  if (checks.includes('implementer') && parties.implementers.some((i) => people.has(i))) {
    throw new Refusal(
      'SOD_IMPLEMENTER',
      'the implementer may not approve the step that checks their own work',
      {
        step: state.spec.step,
      },
    );
  }
  const vendor = actor.vendorId ?? who.vendorId ?? null;
  if (checks.includes('vendor') && vendor !== null && vendor === parties.vendorId) {
    throw new Refusal('SOD_VENDOR', "vendor staff may not approve their own vendor's work", {
      step: state.spec.step,
    });
  }
}

/** Throws the Refusal a validator reports; returns nothing when the decision may be applied. */
export function checkDecision(state: ApprovalState, parties: CaseParties, input: DecisionInput): void {
  if ((input.decision === 'reject' || input.decision === 'request_changes') && !input.comment?.trim()) {
    throw new Refusal(
      'REASON_REQUIRED',
      `a ${input.decision.replace('_', ' ')} needs a comment giving the reason`,
    );
  }
  checkSeparationOfDuties(state, parties, input.actor);
  const { who } = principal(state, input.actor);
  const decidedAlready = levelDecisions(state).some(
    (d) => (d.onBehalfOf ?? d.actor) === who.id || d.actor === input.actor.id,
  );
  if (decidedAlready) {
    throw new Refusal('DUPLICATE_DECISION', `${input.actor.id} has already decided on ${state.spec.step}`);
  }
  const vetoing = input.decision === 'reject' && isVetoer(state, who);
  if (!vetoing && openSlots(state, who).length === 0) {
    const refusal = state.spec.notEligible;
    throw new Refusal(
      refusal?.code ?? 'NOT_ELIGIBLE',
      refusal?.message ?? `${input.actor.id} is not an approver of ${state.spec.step} at this level`,
      { step: state.spec.step },
    );
  }
}

export function checkDelegation(state: ApprovalState, parties: CaseParties, input: DelegationInput): void {
  if (!input.reason?.trim()) throw new Refusal('REASON_REQUIRED', 'a delegation needs a reason');
  if (input.to === input.actor.id) throw new Refusal('INVALID_MESSAGE', 'cannot delegate to oneself');
  if (input.to === parties.requester) {
    throw new Refusal('SOD_REQUESTER', 'cannot delegate an approval to the requester of the case');
  }
  const { who } = principal(state, input.actor);
  if (openSlots(state, who).length === 0) {
    throw new Refusal(
      state.spec.notEligible?.code ?? 'NOT_ELIGIBLE',
      `${input.actor.id} has no open approval on ${state.spec.step} to delegate`,
      { step: state.spec.step },
    );
  }
}

export function applyDecision(
  state: ApprovalState,
  input: DecisionInput,
  recordedAt: string,
): DecisionRecord {
  const { who, onBehalfOf } = principal(state, input.actor);
  const record: DecisionRecord = {
    level: state.level,
    decision: input.decision,
    actor: input.actor.id,
    actorRoles: who.roles,
    onBehalfOf,
    comment: input.comment?.trim() || null,
    channel: input.channel,
    occurredAt: input.channel === 'offline' && input.occurredAt ? input.occurredAt : recordedAt,
    evidenceRef: input.evidenceRef ?? null,
  };
  state.decisions.push(record);
  return record;
}

export function applyDelegation(state: ApprovalState, input: DelegationInput, at: string): Delegation {
  const delegation: Delegation = {
    from: principal(state, input.actor).who,
    to: input.to,
    reason: input.reason,
    at,
  };
  state.delegations.push(delegation);
  return delegation;
}

/**
 * What the decisions so far add up to: an outcome for the gate, `next-level` (the state
 * has moved on), or null while the current level is still open.
 */
export function evaluate(state: ApprovalState): ApprovalOutcome | 'next-level' | null {
  const level = state.spec.levels[state.level];
  const decisions = levelDecisions(state);
  if (decisions.some((d) => d.decision === 'request_changes')) return 'changes_requested';
  const vetoed = decisions.some(
    (d) => d.decision === 'reject' && isVetoer(state, { id: d.onBehalfOf ?? d.actor, roles: d.actorRoles }),
  );
  if (vetoed) return 'rejected';

  const slots = fillSlots(level, decisions);
  const approvals = slots.filter((d) => d?.decision === 'approve').length;
  const open = slots.filter((d) => d === null).length;
  const needed =
    level.mode === 'all'
      ? slots.length
      : level.mode === 'any'
        ? 1
        : Math.min(
            slots.length,
            level.quorum?.count ?? Math.ceil(((level.quorum?.percent ?? 100) / 100) * slots.length - 1e-9),
          );
  if (approvals >= needed) {
    if (state.level + 1 < state.spec.levels.length) {
      state.level += 1;
      return 'next-level';
    }
    return 'approved';
  }
  if (approvals + open < needed) return 'rejected';
  return null;
}

/** Who may still decide now: the open slots of the current level, with delegates in place of delegators. */
export function pendingApprovers(state: ApprovalState): Assignee[] {
  const level = state.spec.levels[state.level];
  const taken = fillSlots(level, levelDecisions(state));
  const open = level.approvers.filter((_, i) => taken[i] === null);
  const delegates = state.delegations.filter((d) => stands(state, d)).map((d) => d.to);
  return [...new Set([...open, ...delegates])];
}

/** An escalation hands the open slots of the current level to someone else (decisions made stay). */
export function reassignOpenSlots(state: ApprovalState, to: Assignee): void {
  const level = state.spec.levels[state.level];
  const taken = fillSlots(level, levelDecisions(state));
  level.approvers = level.approvers.map((a, i) => (taken[i] === null ? to : a));
}
