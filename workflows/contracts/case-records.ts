/**
 * Contracts between the workflow kernel and its activities. Workflows import these, the
 * activities implement them, the API reads the same shapes. No runtime code here.
 */
import type { WorkingCalendar } from './working-calendar';

/**
 * How an action reached the case. `operator`: sent straight to Temporal (CLI, Web UI, a client
 * with namespace access) without the API's proof, so the identity it claims is unverified.
 */
export type Channel = 'api' | 'email' | 'offline' | 'operator' | 'system';

/** One audited event of a case. `seq` is allocated by the workflow: 1, 2, 3… per case. */
export interface CaseEventRecord {
  caseId: string;
  seq: number;
  /** Dotted name, e.g. `case.opened`, `step.decided`, `sla.warning`, `sla.escalated`. */
  type: string;
  /** ISO-8601 instant the event happened (for offline entries, the real time it happened). */
  occurredAt: string;
  /** User id, or null for the system itself (timers). */
  actor: string | null;
  channel: Channel;
  data: Record<string, unknown>;
}

/** The read-model row of a case, as of event `version` (the last event seq it reflects). */
export interface CaseProjection {
  caseId: string;
  version: number;
  process: string;
  title: string;
  /** open | closed | cancelled — the life of the case. */
  state: string;
  /** The current stage name, e.g. departmentHeadApproval; `closed` at the end. */
  stage: string;
  priority: string;
  system: string | null;
  requester: string;
  assignees: string[];
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Key form fields and outcome, for lists, search and reports. */
  fields: Record<string, unknown>;
  /** The steps waiting now: what each assignee's inbox shows. */
  pendingSteps?: PendingStepSummary[];
}

/** A waiting step as an inbox shows it. */
export interface PendingStepSummary {
  step: string;
  title: string;
  /** `decide` an approval, or `complete` a task with its form. */
  action: 'decide' | 'complete';
  /** The published name of its form (`change.opsAssessment`), null for a decision. */
  formRef: string | null;
  assignees: string[];
  dueAt: string | null;
}

/** Whom to tell: a person, or everyone holding a role (resolved when the intent is written). */
export type Recipient = { userId: string } | { role: string };

/** Something someone should be told. `id` is stable, so a retried write creates nothing new. */
export interface NotificationIntent {
  id: string;
  caseId: string;
  recipient: Recipient;
  /** Template name, e.g. approval-request, sla-warning, sla-escalation, decision-made. */
  template: string;
  data: Record<string, unknown>;
}

/** Input of the `recordCaseEvents` activity: one transaction, idempotent per (caseId, seq). */
export interface RecordCaseEventsInput {
  caseId: string;
  events: CaseEventRecord[];
  projection?: CaseProjection;
  notifications?: NotificationIntent[];
}

/**
 * How a policy counts its duration. `working-hours`: N hours of the calendar's working time from
 * the instant (P1D = one working day's hours). `working-days`: as Chinese service contracts count
 * ("2 个工作日内"): the start day does not count, due at close of business on the Nth working day.
 * `working` is the earlier name of `working-hours`, kept because running cases hold it in state.
 */
export type SlaBasis = 'elapsed' | 'working-hours' | 'working-days' | 'working';

export interface EscalationLevel {
  level: number;
  /** ISO-8601 duration after the due time (level 1) or after the previous level; same basis as the policy. */
  after: string;
  notify: Recipient[];
  /** If set, the step is reassigned to this role or person when the level fires. */
  reassignTo?: Recipient;
}

/** A service-level policy resolved for (process, stage, priority), as kept in workflow state. */
export interface SlaPolicy {
  policyId: string;
  process: string;
  stage: string;
  priority: string;
  basis: SlaBasis;
  /** ISO-8601 duration: PT15M, PT4H, P2D (working days on a working basis), P3M. */
  duration: string;
  /** Fraction of the duration at which the owner is warned, e.g. 0.75; null for no warning. */
  warnRatio: number | null;
  escalation: EscalationLevel[];
  /** Present on a working basis: the calendar the arithmetic runs on. */
  calendar?: WorkingCalendar;
}

export interface ResolveSlaPolicyInput {
  process: string;
  stage: string;
  priority: string;
}
