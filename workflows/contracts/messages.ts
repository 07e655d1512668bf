/**
 * The messages every case understands — the contract between the API (and the Temporal
 * CLI/UI) and the kernel. Decisions and task actions are Updates (validated synchronously,
 * so a refusal never touches history); the same decision is also accepted as a Signal for
 * fire-and-forget integrations, refused signals being audited instead of applied.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Channel } from './case-records';

/**
 * The API's proof that it sent a command (HMAC by the API, checked by the worker outside the
 * sandbox, runtime/command-attestation.ts). Without a valid one the command is an operator's.
 */
export interface CommandAttestation {
  issuedAt: string;
  mac: string;
}

/**
 * Who acts, as the API authenticated them. The workflow checks permission; whether the identity
 * is the API's or merely claimed is the attestation's to say.
 */
export interface ActorRef {
  id: string;
  roles: string[];
  /** Set for vendor (service-provider) staff: their own vendor's work is not theirs to approve. */
  vendorId?: string | null;
}

/** How the action reached Opsflow; offline actions carry their real time and evidence. */
export interface Provenance {
  channel: Exclude<Channel, 'system'>;
  /** For `offline`: when it really happened (ISO-8601). */
  occurredAt?: string;
  /** For `offline`: reference of the evidence (scan, e-mail id, recording). */
  evidenceRef?: string;
}

export type DecisionKind = 'approve' | 'reject' | 'request_changes';

export interface DecisionInput extends Provenance {
  /** Step name as the case shows it, e.g. `departmentHeadApproval`. */
  step: string;
  decision: DecisionKind;
  actor: ActorRef;
  comment?: string;
  attestation?: CommandAttestation;
}

export interface DelegationInput extends Provenance {
  step: string;
  actor: ActorRef;
  /** The user who will decide instead of the actor. */
  to: string;
  reason: string;
  attestation?: CommandAttestation;
}

export type TaskAction =
  | { action: 'claim' }
  | { action: 'reassign'; to: string; reason: string }
  | { action: 'complete'; form: Record<string, unknown>; comment?: string };

export type TaskActionInput = TaskAction &
  Provenance & { step: string; actor: ActorRef; attestation?: CommandAttestation };

export interface OfflineEntryInput {
  actor: ActorRef;
  /** What was done offline, e.g. `verbal-authorisation`, `paper-signature`. */
  kind: string;
  occurredAt: string;
  evidenceRef: string;
  content: Record<string, unknown>;
  attestation?: CommandAttestation;
}

export interface ClockInput {
  actor: ActorRef;
  step: string;
  reason: string;
  attestation?: CommandAttestation;
}

export interface PriorityChangeInput {
  actor: ActorRef;
  priority: string;
  reason: string;
  attestation?: CommandAttestation;
}

/** The requester withdrawing their case, or the O&M head cancelling one: always with a reason. */
export interface EndCaseInput {
  actor: ActorRef;
  reason: string;
  attestation?: CommandAttestation;
}

/** Reopening a closed case that came back (a defect that recurred): who, why, and what it links to. */
export interface ReopenInput {
  actor: ActorRef;
  reason: string;
  /** The recurrence as recorded elsewhere: another case, an incident, a ticket. */
  link?: string;
  evidenceRefs?: string[];
  attestation?: CommandAttestation;
}

/** What a person sees of a case: the current state, not its history. */
export interface CaseView {
  caseId: string;
  process: string;
  title: string;
  status: 'open' | 'closed';
  stage: string;
  priority: string;
  system: string | null;
  requester: string;
  outcome: string | null;
  fields: Record<string, unknown>;
  pendingSteps: PendingStepView[];
  lastSeq: number;
}

export interface PendingStepView {
  step: string;
  kind: 'approval' | 'task';
  title: string;
  /**
   * What the assignee does: `decide` (POST /cases/{id}/decisions: approve, reject, request
   * changes) or `complete` (POST /cases/{id}/tasks/{step}/complete with the step's form).
   */
  action: 'decide' | 'complete';
  /** The published name of the step's form (`change.opsAssessment` in /openapi.json components.schemas); null for a decision. */
  formRef: string | null;
  /** The form this very step accepts (JSON Schema), so a client renders it without another call. */
  formSchema: Record<string, unknown> | null;
  /** User ids and `role:<name>` queues that may act now. */
  assignees: string[];
  dueAt: string | null;
  warnAt: string | null;
  overdue: boolean;
  paused: boolean;
  escalationLevel: number;
}

export const decideUpdate = defineUpdate<CaseView, [DecisionInput]>('decide');
export const decisionSignal = defineSignal<[DecisionInput]>('decision');
export const delegateUpdate = defineUpdate<CaseView, [DelegationInput]>('delegate');
export const taskUpdate = defineUpdate<CaseView, [TaskActionInput]>('task');
export const offlineEntryUpdate = defineUpdate<CaseView, [OfflineEntryInput]>('recordOfflineEntry');
export const pauseClockUpdate = defineUpdate<CaseView, [ClockInput]>('pauseClock');
export const resumeClockUpdate = defineUpdate<CaseView, [ClockInput]>('resumeClock');
export const changePriorityUpdate = defineUpdate<CaseView, [PriorityChangeInput]>('changePriority');
export const withdrawUpdate = defineUpdate<CaseView, [EndCaseInput]>('withdraw');
export const cancelUpdate = defineUpdate<CaseView, [EndCaseInput]>('cancel');
/** Re-reads the SLA policies of the pending steps: the explicit way a policy edit reaches a running case. */
export const replanSignal = defineSignal<[{ reason: string }]>('replanSla');
export const caseViewQuery = defineQuery<CaseView>('caseView');
/** Reopens a closed case while its process keeps it reopenable (`kernel/reopen.ts`). */
export const reopenUpdate = defineUpdate<CaseView, [ReopenInput]>('reopen');
