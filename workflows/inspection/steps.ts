/** The steps of a routine inspection (003 (七) 1(1)) as kernel specs. */
import { role } from '../contracts/assignees';
import type { ApprovalSpec } from '../kernel/approval';
import type { TaskSpec } from '../kernel/task';
import {
  annualCheckForm,
  dailyCheckForm,
  inspectionReportForm,
  reportRevisionForm,
  type AnnualCheck,
  type DailyCheck,
  type InspectionReport,
} from './forms';

/** One system's daily checklist, due at the day's due time: missed or late, the policy escalates. */
export function dailyCheck(system: string, dueAt: string): TaskSpec<DailyCheck> {
  return {
    step: 'dailyCheck',
    title: `Daily inspection: ${system}`,
    assignee: role('ops_engineer'),
    formSchema: dailyCheckForm,
    dueAt,
  };
}

export function annualCheck(system: string): TaskSpec<AnnualCheck> {
  return {
    step: 'annualCheck',
    title: `Annual comprehensive inspection: ${system}`,
    assignee: role('ops_engineer'),
    formSchema: annualCheckForm,
  };
}

export const inspectionReport: TaskSpec<InspectionReport> = {
  step: 'inspectionReport',
  title: 'O&M writes the formal inspection report',
  assignee: role('ops_engineer'),
  formSchema: inspectionReportForm,
};

export function reviseInspectionReport(author: string): TaskSpec<Partial<InspectionReport>> {
  return {
    step: 'reviseInspectionReport',
    title: 'O&M revises the inspection report',
    assignee: author,
    formSchema: reportRevisionForm,
    slaStage: 'inspectionReport',
  };
}

export const inspectionReportAcceptance: ApprovalSpec = {
  step: 'inspectionReportAcceptance',
  title: 'O&M head accepts the inspection report',
  levels: [{ approvers: [role('ops_head')], mode: 'any' }],
};
