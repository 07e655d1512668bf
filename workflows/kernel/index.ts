/** The workflow kernel: what process workflows are composed of. */
export { Case } from './case';
export { approval, approvalWithRevisions, task, type ApprovalResult } from './steps';
export { role, type Assignee } from '../contracts/assignees';
export type { ApprovalSpec, ApprovalLevel, ApprovalOutcome } from './approval';
export type { TaskSpec, TaskCompletion } from './task';
export type { CaseInput } from './case-state';
export { runCase } from './run-case';
export { defineFormCheck, type FormCheck } from './form-checks';
export type { FormError, JsonSchema } from '../contracts/form-schema';
export { Refusal, refusalCodes, type RefusalCode } from '../contracts/refusals';
export * from '../contracts/messages';
