/**
 * The state a case workflow keeps — everything needed to answer a query, project the read
 * model, and carry the case across continue-as-new. Plain data only.
 */
import type { Assignee } from '../contracts/assignees';
import type { ApprovalState } from './approval';
import type { SlaState } from './sla';
import type { TaskState } from './task';
import type { CaseEventRecord, NotificationIntent } from '../contracts/case-records';

export interface CaseInput {
  /** The case number, also the workflow id: `CHG-2026-000123`. */
  caseId: string;
  process: string;
  title: string;
  requester: string;
  priority: string;
  system?: string | null;
  /** An outside reference (ticket in another tool, project code). */
  businessKey?: string | null;
  /** The vendor whose work this case concerns, if any (separation of duties). */
  vendorId?: string | null;
  /** The request form as submitted. */
  fields?: Record<string, unknown>;
  /** Organisation zone for calendar arithmetic on the elapsed basis; default Asia/Shanghai. */
  timeZone?: string;
  /** Continue as new after this many history events even if the server has not suggested it yet. */
  historyLimit?: number;
  /** Set only by continue-as-new: the state of the run before. */
  carried?: CaseState;
}

/**
 * Where a kernel call is journaled: its position on the procedure's main line (0, 1, 2…), or within
 * a named branch that runs beside others (`item:design_docs/3`, `Case.branch`).
 */
export type CallKey = number | string;

export interface StepRecord {
  name: string;
  /** Unique within the case: the name, with `#2`, `#3`… for later rounds of the same step. */
  key: string;
  /** Position of the kernel call that opened it, so a continued run resumes it instead of reopening. */
  callIndex: CallKey;
  kind: 'approval' | 'task';
  title: string;
  /** `cancelled`: the case was withdrawn or cancelled while the step waited. */
  status: 'pending' | 'done' | 'cancelled';
  approval?: ApprovalState;
  task?: TaskState;
  sla: SlaState | null;
  openedAt: string;
  closedAt: string | null;
  /** The step's result once done, as the process receives it. */
  result?: unknown;
}

export interface CaseState {
  caseId: string;
  process: string;
  title: string;
  requester: string;
  priority: string;
  system: string | null;
  businessKey: string | null;
  vendorId: string | null;
  timeZone: string;
  fields: Record<string, unknown>;
  status: 'open' | 'closed';
  stage: string;
  outcome: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** People who did the work that later steps check (separation of duties). */
  implementers: string[];
  steps: Record<string, StepRecord>;
  /** Results of kernel calls by call position: a continued run replays them instead of redoing them. */
  journal: Record<CallKey, { name: string; result: unknown }>;
  /** Patches this case has taken (`kase.patched`), so a continued run takes them again. */
  patches?: string[];
  /** A closed case's wait for a reopening (`reopen.ts`), while it lasts. */
  reopenWatch?: ReopenWatch;
  /** Durable waits by call position (`wait.ts`): their deadlines survive continue-as-new. */
  waits?: Record<CallKey, WaitRecord>;
  /** Last event sequence number allocated. */
  seq: number;
  /** Events and intents not yet confirmed written to PostgreSQL. */
  outbox: { events: CaseEventRecord[]; notifications: NotificationIntent[] };
}

/** A durable wait of the case: what it waits for and until when. */
export interface WaitRecord {
  name: string;
  /** Deadline, epoch milliseconds of workflow time. */
  until: number;
  startedAt: number;
  /** The SLA policy the deadline came from, when a policy set it. */
  policyId: string | null;
}

/** A reopening as the procedure receives it. */
export interface Reopening {
  by: string;
  reason: string;
  /** What the recurrence is recorded as: another case, an incident, a ticket. */
  link: string | null;
  evidenceRefs: string[];
  at: string;
  /** False when the command did not come through the API (an operator's, identity claimed). */
  identityVerified: boolean;
}

/** The open watch of a closed case, kept in the case state. */
export interface ReopenWatch {
  callIndex: CallKey;
  name: string;
  until: number;
  /** Roles that may reopen besides the requester. */
  roles: string[];
  reopening: Reopening | null;
}

export function pendingSteps(state: CaseState): StepRecord[] {
  return Object.values(state.steps).filter((s) => s.status === 'pending');
}

export type { Assignee };
