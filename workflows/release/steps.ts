/**
 * The steps of the release procedure as kernel specs: who acts, with which form, on which SLA
 * stage, and the seed clause each comes from. `workflow.ts` composes them in the order of
 * 001 §28–35. Every form here is also what a client renders for the step.
 */
import { role } from '../contracts/assignees';
import type { ApprovalSpec } from '../kernel/approval';
import type { TaskSpec } from '../kernel/task';
import type { ScheduleRules } from '../change/schedule-check';
import {
  acceptanceApplicationForm,
  acceptanceReviewForm,
  applicationRevisionForm,
  backupForm,
  deploymentConfirmationForm,
  executionStepForm,
  failureDecisionForm,
  frontEndRolloutForm,
  planForm,
  planRevisionForm,
  reviewForm,
  securityCheckForm,
  trialReportForm,
  verificationForm,
  type AcceptanceApplication,
  type AcceptanceReview,
  type ApplicationRevision,
  type DeploymentConfirmation,
  type FailureDecision,
  type Plan,
  type PlannedStep,
  type PlanRevision,
  type Review,
  type StepOutcome,
  type TrialReport,
  type Verification,
} from './forms';
import type { ReleaseKind } from './kinds';
import { RELEASE_WINDOW_CHECK } from './plan-check';

// ---- reviews (001 §28(2), §32): PMO first, then the security section and the IT department head

export const pmoReview: TaskSpec<Review> = {
  step: 'pmoReview',
  title: 'Project management office reviews the release application',
  assignee: role('pmo'),
  formSchema: reviewForm,
  notByRequester: true,
};

export const securityReview: TaskSpec<Review> = {
  step: 'securityReview',
  title: 'Security section reviews the release application and writes its opinion',
  assignee: role('security_officer'),
  formSchema: reviewForm,
  notByRequester: true,
};

export const itHeadReview: TaskSpec<Review> = {
  step: 'itHeadReview',
  title: 'IT department head reviews the release application and writes an opinion',
  assignee: role('it_head'),
  formSchema: reviewForm,
  notByRequester: true,
};

/** A returned application goes back to the project team with the reasons; what it does not resend stays. */
export function reviseApplication(projectTeam: string): TaskSpec<ApplicationRevision> {
  return {
    step: 'reviseApplication',
    title: 'Project team revises the release application',
    assignee: projectTeam,
    formSchema: applicationRevisionForm,
    slaStage: 'revision',
  };
}

// ---- the plan (001 §29, §33; 003 (七) 7)

export function releasePlan(projectTeam: string, kind: ReleaseKind, rules: ScheduleRules): TaskSpec<Plan> {
  return {
    step: 'releasePlan',
    title: 'Project team writes the implementation plan with the O&M center',
    assignee: projectTeam,
    formSchema: planForm(kind),
    form: kind.planForm,
    formCheck: { name: RELEASE_WINDOW_CHECK, data: { rules, current: null } },
    slaStage: 'plan',
  };
}

export const planApproval: ApprovalSpec = {
  step: 'planApproval',
  title: 'Department head approves the implementation plan',
  levels: [{ approvers: [role('department_head')], mode: 'any' }],
};

export function revisePlan(
  projectTeam: string,
  rules: ScheduleRules,
  current: { windowStart: string; windowEnd: string },
): TaskSpec<PlanRevision> {
  return {
    step: 'revisePlan',
    title: 'Project team revises the deployment plan',
    assignee: projectTeam,
    formSchema: planRevisionForm,
    formCheck: { name: RELEASE_WINDOW_CHECK, data: { rules, current } },
    slaStage: 'revision',
  };
}

export function deploymentConfirmation(representative: string): TaskSpec<DeploymentConfirmation> {
  return {
    step: 'deploymentConfirmation',
    title: "User's representative confirms the deployment plan in writing",
    assignee: representative,
    formSchema: deploymentConfirmationForm,
  };
}

// ---- execution (001 §30, §34)

export function backup(owner: string): TaskSpec<StepOutcome> {
  return {
    step: 'backup',
    title: 'Back up history data, parameters and programs; compare old and new versions',
    assignee: owner,
    formSchema: backupForm,
    recordsImplementer: true,
    slaStage: 'execution',
  };
}

export const securityCheck: TaskSpec<StepOutcome> = {
  step: 'securityCheck',
  title: 'Security section checks the system against the security rules',
  assignee: role('security_officer'),
  formSchema: securityCheckForm,
  notByRequester: true,
  slaStage: 'execution',
};

/** A planned step becomes a task of its owner: `executionStep1`, `executionStep2`… */
export function executionStep(index: number, planned: PlannedStep): TaskSpec<StepOutcome> {
  return {
    step: `executionStep${index + 1}`,
    title: `Step ${index + 1}: ${planned.name}`,
    assignee: planned.owner,
    formSchema: executionStepForm,
    form: 'executionStep',
    recordsImplementer: true,
    slaStage: 'execution',
  };
}

export function frontEndRollout(owner: string): TaskSpec<StepOutcome> {
  return {
    step: 'frontEndRollout',
    title: 'Roll the front-end version out and track its installation at every site',
    assignee: owner,
    formSchema: frontEndRolloutForm,
    recordsImplementer: true,
    slaStage: 'execution',
  };
}

export function failureDecision(projectTeam: string, failedStep: string): TaskSpec<FailureDecision> {
  return {
    step: 'failureDecision',
    title: `${failedStep} failed: roll back, or retry it`,
    assignee: projectTeam,
    formSchema: failureDecisionForm,
    slaStage: 'failureDecision',
  };
}

export function rollbackStep(index: number, planned: { name: string; owner: string }): TaskSpec<StepOutcome> {
  return {
    step: `rollbackStep${index + 1}`,
    title: `Rollback step ${index + 1}: ${planned.name}`,
    assignee: planned.owner,
    formSchema: executionStepForm,
    form: 'rollbackStep',
    slaStage: 'rollback',
  };
}

// ---- after release (000)

export function verification(businessHead: string): TaskSpec<Verification> {
  return {
    step: 'verification',
    title: 'Business department confirms the release works',
    assignee: businessHead,
    formSchema: verificationForm,
  };
}

// ---- trial run and acceptance (001 §30(13)(14), §31, §35)

export function trialReport(projectTeam: string, month: number): TaskSpec<TrialReport> {
  return {
    step: 'trialReport',
    title: `Project team reports the state of the trial run (month ${month})`,
    assignee: projectTeam,
    formSchema: trialReportForm,
  };
}

export function acceptanceApplication(projectTeam: string): TaskSpec<AcceptanceApplication> {
  return {
    step: 'acceptanceApplication',
    title: 'Project team applies for formal acceptance',
    assignee: projectTeam,
    formSchema: acceptanceApplicationForm,
  };
}

export const acceptanceReview: TaskSpec<AcceptanceReview> = {
  step: 'acceptanceReview',
  title: 'IT department reviews the acceptance report and documents',
  assignee: role('it_head'),
  formSchema: acceptanceReviewForm,
  notByRequester: true,
};
