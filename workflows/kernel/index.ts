/** The workflow kernel: what process workflows are composed of. */
export { Case, type PriorityChange } from './case';
export { approval, approvalWithRevisions, task, type ApprovalResult } from './steps';
export { role, type Assignee } from '../contracts/assignees';
export type { ApprovalSpec, ApprovalLevel, ApprovalOutcome } from './approval';
export type { TaskSpec, TaskCompletion } from './task';
export type { CaseInput } from './case-state';
export { runCase, runProcess } from './run-case';
export { defineFormCheck, type FormCheck } from './form-checks';
export { typedForm, type FormError, type FormSchema, type JsonSchema } from '../contracts/form-schema';
export { Refusal, refusalCodes, type RefusalCode } from '../contracts/refusals';
export * from '../contracts/messages';
export { waitForPolicy, waitUntil, type WaitOptions, type WaitResult } from './wait';
export { reopenWithin, type Reopening } from './reopen';
export { openScheduledCase, scheduledAt, type ScheduledCaseOptions } from './scheduled-case';
