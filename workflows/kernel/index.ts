/** The workflow kernel: what process workflows are composed of. */
export { Case } from './case';
export { approval, approvalWithRevisions, task, type ApprovalResult } from './steps';
export { role, type Assignee } from './assignees';
export type { ApprovalSpec, ApprovalLevel, ApprovalOutcome } from './approval';
export type { TaskSpec, TaskCompletion } from './task';
export type { CaseInput } from './case-state';
export { runCase } from './run-case';
