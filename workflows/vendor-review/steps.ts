/** The steps of a vendor review as kernel specs, with the clause each comes from. */
import { role } from '../contracts/assignees';
import type { Wording } from '../contracts/process-definition';
import type { ApprovalSpec } from '../kernel/approval';
import type { TaskSpec } from '../kernel/task';
import {
  acknowledgementForm,
  actionDoneForm,
  scoringForm,
  surveyForm,
  vendorReportForm,
  type Acknowledgement,
  type ActionDone,
  type NonConformity,
  type Scoring,
  type SurveyAnswer,
  type VendorReport,
} from './forms';

/** The O&M center, who runs and scores the review. */
export const OPS_CENTER = role('ops_engineer');

/** 002 §6.6.3.8 d: the vendor reports on its service; its project manager (or O&M for it) files it. */
export function vendorReport(vendorPm: string | null): TaskSpec<VendorReport> {
  return {
    step: 'vendorReport',
    title: 'Vendor files its service report for the period',
    assignee: vendorPm ?? OPS_CENTER,
    formSchema: vendorReportForm,
  };
}

export interface SurveyContact {
  departmentId: string;
  departmentName: string;
  userId: string;
}

/**
 * What the survey asks, in both languages, once the vendor and the period are known: the survey
 * step's assignment mail is the one mail a head gets for it, so its title names both.
 */
export function surveyWording(vendorName: string, period: string): Wording {
  return {
    en: `Rate the service of ${vendorName} in ${period} (satisfaction survey)`,
    'zh-CN': `评价 ${vendorName} 在 ${period} 的服务（满意度调查）`,
  };
}

/** 002 §6.3.3 c, 004 §4.2.4 b: a business department rates the vendor's service. */
export function satisfactionSurvey(contact: SurveyContact): TaskSpec<SurveyAnswer> {
  return {
    step: 'satisfactionSurvey',
    title: `Satisfaction survey: ${contact.departmentName}`,
    assignee: contact.userId,
    formSchema: surveyForm,
  };
}

/** 002 §6.6.3.8 e: the O&M center scores the four dimensions, the measured figures beside each. */
export const scoring: TaskSpec<Scoring> = {
  step: 'scoring',
  title: 'O&M center scores the vendor',
  assignee: OPS_CENTER,
  formSchema: scoringForm,
};

export function reviseScoring(scorer: string): TaskSpec<Scoring> {
  return {
    step: 'reviseScoring',
    title: 'O&M center revises the scoring',
    assignee: scorer,
    formSchema: scoringForm,
    slaStage: 'scoring',
  };
}

export const signOff: ApprovalSpec = {
  step: 'signOff',
  title: 'O&M head signs the review off',
  levels: [{ approvers: [role('ops_head')], mode: 'any' }],
};

export function acknowledgement(vendorPm: string | null): TaskSpec<Acknowledgement> {
  return {
    step: 'acknowledgement',
    title: 'Vendor project manager acknowledges the review',
    assignee: vendorPm ?? OPS_CENTER,
    formSchema: acknowledgementForm,
  };
}

/** 002 §6.4 b: each non-conformity's corrective action, owned, due on its date, chased until closed. */
export function correctiveAction(nc: NonConformity): TaskSpec<ActionDone> {
  return {
    step: 'correctiveAction',
    title: `Corrective action: ${nc.correctiveAction}`.slice(0, 200),
    assignee: nc.owner,
    formSchema: actionDoneForm,
    dueAt: nc.dueAt,
  };
}
