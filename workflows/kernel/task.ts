/**
 * A task: work assigned to a person or a role queue, claimed from the queue, reassigned with a
 * reason, completed with a form that must satisfy the step's JSON Schema. Pure transitions; the
 * workflow side keeps the state and wires the messages.
 */
import { matches, roleOf, type Assignee } from '../contracts/assignees';
import { Refusal, type RefusalCode } from '../contracts/refusals';
import { runFormCheck } from './form-checks';
import { validateForm, type FormSchema } from '../contracts/form-schema';
import type { ActorRef, TaskActionInput } from '../contracts/messages';

export interface TaskSpec<F = Record<string, unknown>> {
  step: string;
  title: string;
  /** A person, or `role:<name>` for a queue anyone with the role may claim. */
  assignee: Assignee;
  /** The form that completes the task. */
  formSchema?: FormSchema<F>;
  /**
   * The name of the form in the definition's `forms` (published as `<process>.<form>`); the step's
   * own name when absent. A step whose name is made at run time (`executionStep3`, one per planned
   * step) names the form it shares with its kind (`executionStep`).
   */
  form?: string;
  /** A registered business-rule check (`defineFormCheck`) and the data it runs against. */
  formCheck?: { name: string; data: unknown };
  /** Roles that may reassign a task they do not own (supervisors). */
  reassigners?: string[];
  /** The person completing it becomes an implementer of the case (separation of duties later). */
  recordsImplementer?: boolean;
  /** The requester may not complete it (e.g. an assessment of their own request). */
  notByRequester?: boolean;
  /** Whoever did the work it checks (an implementer of the case) may not complete it: a retest. */
  notByImplementer?: boolean;
  slaStage?: string;
  /**
   * When the step is due, if the process knows (ISO-8601, e.g. the end of a scheduled window);
   * otherwise its SLA policy's duration from opening. Warning and escalations still come from the policy.
   */
  dueAt?: string;
  /** How someone who may not work on it is refused, when `NOT_ELIGIBLE` says too little. */
  notEligible?: { code: RefusalCode; message: string };
}

export interface TaskState {
  spec: TaskSpec<unknown>;
  assignee: Assignee;
  claimedBy: string | null;
}

export interface TaskCompletion<F = Record<string, unknown>> {
  /** The form as the step's schema accepted it. */
  form: F;
  completedBy: string;
  comment: string | null;
  channel: string;
  occurredAt: string;
  /** What proves an offline completion (a duty log entry, a call recording); null otherwise. */
  evidenceRef?: string | null;
}

const DEFAULT_REASSIGNERS = ['ops_head', 'admin'];

export function openTask(spec: TaskSpec<unknown>): TaskState {
  return { spec, assignee: spec.assignee, claimedBy: null };
}

/** The person who owns the task now, if anyone does. */
export function owner(state: TaskState): string | null {
  return state.claimedBy ?? (roleOf(state.assignee) === null ? state.assignee : null);
}

function mayWork(state: TaskState, actor: ActorRef): boolean {
  const own = owner(state);
  return own !== null ? own === actor.id : matches(actor, state.assignee);
}

/** `requester`, or the case's parties when the task checks implementers' work too. */
export function checkTaskAction(
  state: TaskState,
  requester: string | { requester: string; implementers: readonly string[] },
  input: TaskActionInput,
): void {
  const parties = typeof requester === 'string' ? { requester, implementers: [] } : requester;
  switch (input.action) {
    case 'claim':
      if (roleOf(state.assignee) === null)
        throw new Refusal('INVALID_MESSAGE', `${state.spec.step} is assigned to a person, not a queue`);
      if (state.claimedBy !== null && state.claimedBy !== input.actor.id) {
        throw new Refusal('TASK_CLAIMED', `${state.spec.step} is already claimed by ${state.claimedBy}`);
      }
      if (!matches(input.actor, state.assignee)) {
        throw new Refusal('NOT_ELIGIBLE', `${input.actor.id} is not in the ${state.assignee} queue`);
      }
      return;
    case 'reassign': {
      if (!input.reason?.trim()) throw new Refusal('REASON_REQUIRED', 'a reassignment needs a reason');
      if (!input.to?.trim())
        throw new Refusal('INVALID_MESSAGE', 'a reassignment needs the person or role to reassign to');
      const supervisor = (state.spec.reassigners ?? DEFAULT_REASSIGNERS).some((r) =>
        input.actor.roles.includes(r),
      );
      if (!supervisor && !mayWork(state, input.actor)) {
        throw new Refusal('NOT_ELIGIBLE', `${input.actor.id} may not reassign ${state.spec.step}`);
      }
      return;
    }
    case 'complete': {
      if (state.spec.notByRequester && input.actor.id === parties.requester) {
        throw new Refusal('SOD_REQUESTER', `the requester may not complete ${state.spec.step}`);
      }
      if (state.spec.notByImplementer && parties.implementers.includes(input.actor.id)) {
        throw new Refusal('SOD_IMPLEMENTER', `${input.actor.id} did the work ${state.spec.step} checks`, {
          step: state.spec.step,
        });
      }
      if (!mayWork(state, input.actor)) {
        const refusal = state.spec.notEligible;
        throw new Refusal(
          refusal?.code ?? 'NOT_ELIGIBLE',
          refusal?.message ?? `${input.actor.id} does not own ${state.spec.step}`,
          { step: state.spec.step },
        );
      }
      if (state.spec.formSchema) {
        const result = validateForm(state.spec.formSchema, input.form);
        if (!result.ok) {
          throw new Refusal('FORM_INVALID', `the ${state.spec.step} form is not valid`, {
            errors: result.errors,
          });
        }
      }
      if (state.spec.formCheck) {
        const asOf =
          input.channel === 'offline' && input.occurredAt ? Date.parse(input.occurredAt) : Date.now();
        const errors = runFormCheck(state.spec.formCheck.name, input.form, state.spec.formCheck.data, {
          asOf,
        });
        if (errors.length > 0) {
          throw new Refusal('FORM_REFUSED', errors.map((e) => e.message).join('; '), { errors });
        }
      }
      return;
    }
  }
}

export type TaskChange =
  | { kind: 'claimed'; by: string }
  | { kind: 'reassigned'; from: Assignee; to: Assignee; reason: string }
  | { kind: 'completed'; completion: TaskCompletion };

export function applyTaskAction(state: TaskState, input: TaskActionInput, at: string): TaskChange {
  switch (input.action) {
    case 'claim':
      state.claimedBy = input.actor.id;
      return { kind: 'claimed', by: input.actor.id };
    case 'reassign': {
      const from = owner(state) ?? state.assignee;
      state.assignee = input.to;
      state.claimedBy = null;
      return { kind: 'reassigned', from, to: input.to, reason: input.reason };
    }
    case 'complete':
      return {
        kind: 'completed',
        completion: {
          form: input.form,
          completedBy: input.actor.id,
          comment: input.comment?.trim() || null,
          channel: input.channel,
          occurredAt: input.channel === 'offline' && input.occurredAt ? input.occurredAt : at,
          ...(input.channel === 'offline' ? { evidenceRef: input.evidenceRef ?? null } : {}),
        },
      };
  }
}

/** Reassignment by an escalation level: the queue or person changes, any claim is released. */
export function reassignTo(state: TaskState, to: Assignee): void {
  state.assignee = to;
  state.claimedBy = null;
}

export function taskAssignees(state: TaskState): Assignee[] {
  return [owner(state) ?? state.assignee];
}
