/** The steps of an emergency drill (004 §8.2.1) as kernel specs. */
import { role } from '../contracts/assignees';
import type { ApprovalSpec } from '../kernel/approval';
import type { TaskSpec } from '../kernel/task';
import {
  drillPlanForm,
  drillPlanRevisionForm,
  drillReportForm,
  revisionDoneForm,
  stepLogForm,
  type DrillPlan,
  type DrillReport,
  type PlannedStep,
  type PlanRevision,
  type RevisionDone,
  type StepLog,
} from './forms';

export const drillPlan: TaskSpec<DrillPlan> = {
  step: 'drillPlan',
  title: 'O&M writes the drill plan',
  assignee: role('ops_engineer'),
  formSchema: drillPlanForm,
};

export function reviseDrillPlan(author: string): TaskSpec<Partial<DrillPlan>> {
  return {
    step: 'reviseDrillPlan',
    title: 'O&M revises the drill plan',
    assignee: author,
    formSchema: drillPlanRevisionForm,
    slaStage: 'drillPlan',
  };
}

export const drillPlanApproval: ApprovalSpec = {
  step: 'drillPlanApproval',
  title: 'O&M head approves the drill plan',
  levels: [{ approvers: [role('ops_head')], mode: 'any' }],
};

/** On the day: each step logged by its operator with its exact times and evidence. */
export function drillStep(index: number, step: PlannedStep): TaskSpec<StepLog> {
  return {
    step: 'drillStep',
    title: `Drill step ${index + 1}: ${step.name}`,
    assignee: step.operator,
    formSchema: stepLogForm,
  };
}

export function drillReport(author: string): TaskSpec<DrillReport> {
  return {
    step: 'drillReport',
    title: 'O&M writes the drill report',
    assignee: author,
    formSchema: drillReportForm,
  };
}

/** Each revision to the emergency plan: owned, due on its date, chased like any step. */
export function planRevision(revision: PlanRevision): TaskSpec<RevisionDone> {
  return {
    step: 'planRevision',
    title: `Revise the emergency plan: ${revision.revision}`,
    assignee: revision.owner,
    formSchema: revisionDoneForm,
    dueAt: revision.dueAt,
  };
}
