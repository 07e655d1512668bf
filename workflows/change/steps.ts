/**
 * The steps of the change procedure as kernel specs: who acts, with which form, on which SLA
 * stage. `workflow.ts` composes them in the order of 001 §9–§27.
 */
import type { ApprovalSpec } from '../kernel/approval';
import { role } from '../contracts/assignees';
import type { TaskSpec } from '../kernel/task';
import {
  assessmentForm,
  backupConfirmationForm,
  changePlanForm,
  completedFormForm,
  departmentHeadConfirmationForm,
  designAndBuildForm,
  implementationForm,
  jointReviewForm,
  requestRevisionForm,
  revisionOf,
  schedulingForm,
  securityPreReviewForm,
  testReportForm,
  userTestConfirmationForm,
} from './forms';
import type { Assessment, Implementation, Outcome, Schedule } from './forms';
import type { ChangeRequest } from './request-form';
import { IMPLEMENTATION_TIMES_CHECK, SCHEDULE_CHECK, type ScheduleRules } from './schedule-check';

const only = (approver: string) => [{ approvers: [approver], mode: 'any' as const }];

/** The head and deputy of the requester's department, as the directory has them. */
export interface RequesterHeads {
  head: string | null;
  deputy: string | null;
}

const notTheirHead = {
  code: 'NOT_REQUESTERS_HEAD',
  message: "only the head of the requester's department, their deputy or a delegate may act on this step",
} as const;

/** The people who stand for the requester's department; any department head when the directory names none. */
function headsOf(heads: RequesterHeads | null): string[] {
  const named = [heads?.head, heads?.deputy].filter((id): id is string => typeof id === 'string');
  return named.length > 0 ? named : [role('department_head')];
}

/**
 * 001 §9 (and §23: the head raises an emergency change a staff member reports): the head of the
 * requester's own department, or their deputy; either one's rejection ends it.
 */
export function requesterHeadApproval(heads: RequesterHeads | null): ApprovalSpec {
  const approvers = headsOf(heads);
  return {
    step: 'departmentHeadApproval',
    title: 'Requesting department head approves the change request',
    levels: [{ approvers, mode: 'any' }],
    vetoers: approvers,
    notEligible: notTheirHead,
  };
}

/** Before the `requester-department-head` patch: any department head. */
export const departmentHeadApproval: ApprovalSpec = {
  step: 'departmentHeadApproval',
  title: 'Requesting department head approves the change request',
  levels: only(role('department_head')),
};

/** "Request changes" on the request: the requester revises it; what they do not resend stays. */
export function reviseRequest(requester: string): TaskSpec<Partial<ChangeRequest>> {
  return {
    step: 'reviseRequest',
    title: 'Requester revises the change request',
    assignee: requester,
    formSchema: requestRevisionForm,
    slaStage: 'revision',
  };
}

/** 001 §10–§12: O&M assesses with development and security. */
export const opsAssessment: TaskSpec<Assessment> = {
  step: 'opsAssessment',
  title: 'O&M assesses the change (part 2 of the change form)',
  assignee: role('ops_engineer'),
  formSchema: assessmentForm,
  notByRequester: true,
};

export function reviseAssessment(assessor: string): TaskSpec<Partial<Assessment>> {
  return {
    step: 'reviseAssessment',
    title: 'O&M revises the assessment',
    assignee: assessor,
    formSchema: revisionOf(assessmentForm),
    notByRequester: true,
    slaStage: 'revision',
  };
}

/** 001 §10, §13: the O&M head approves the assessment. */
export const opsHeadAssessmentApproval: ApprovalSpec = {
  step: 'opsHeadAssessmentApproval',
  title: 'O&M head approves the assessment',
  levels: only(role('ops_head')),
};

/** 001 §14: development designs and builds when the assessment says development is needed. */
export const designAndBuild: TaskSpec = {
  step: 'designAndBuild',
  title: 'Development designs and builds the change',
  assignee: role('developer'),
  formSchema: designAndBuildForm,
  recordsImplementer: true,
  notByRequester: true,
};

// ---- part 3 of the change form (001 §15, §16, §18, §21, §5(8))

export function changePlan(newFunction: boolean): TaskSpec {
  return {
    step: 'changePlan',
    title: 'O&M writes the implementation and rollback plan',
    assignee: role('ops_engineer'),
    formSchema: changePlanForm(newFunction),
    notByRequester: true,
    slaStage: 'planAndTest',
  };
}

export const testReport: TaskSpec = {
  step: 'testReport',
  title: 'Test center tests the change and signs the results',
  assignee: role('tester'),
  formSchema: testReportForm,
  notByRequester: true,
  slaStage: 'planAndTest',
};

export const securityPreReview: TaskSpec = {
  step: 'securityPreReview',
  title: 'Security reviews the change before go-live',
  assignee: role('security_officer'),
  formSchema: securityPreReviewForm,
  notByRequester: true,
  slaStage: 'planAndTest',
};

export function userTestConfirmation(requester: string): TaskSpec {
  return {
    step: 'userTestConfirmation',
    title: 'Requester confirms the user test',
    assignee: requester,
    formSchema: userTestConfirmationForm,
    slaStage: 'planAndTest',
  };
}

// ---- going live (001 §17, §19)

export function scheduling(rules: ScheduleRules): TaskSpec<Schedule> {
  return {
    step: 'scheduling',
    title: 'O&M schedules the change window',
    assignee: role('ops_engineer'),
    formSchema: schedulingForm,
    formCheck: { name: SCHEDULE_CHECK, data: rules },
    notByRequester: true,
  };
}

export const implementation: TaskSpec<Implementation> = {
  step: 'implementation',
  title: 'O&M implements the change under monitoring',
  assignee: role('ops_engineer'),
  formSchema: implementationForm,
  recordsImplementer: true,
  notByRequester: true,
};

/** The implementation is due when its scheduled window closes, not a policy's duration after it opens. */
export function implementationIn(window: { windowEnd: string }): TaskSpec<Implementation> {
  return { ...implementation, dueAt: window.windowEnd };
}

/**
 * The same, with the times it reports checked against the clock and the window (issue 9.2): not in
 * the future, not before the window (`checkImplementationTimes`); a late record goes offline.
 */
export function implementationChecked(window: {
  windowStart: string;
  windowEnd: string;
}): TaskSpec<Implementation> {
  return {
    ...implementationIn(window),
    formCheck: {
      name: IMPLEMENTATION_TIMES_CHECK,
      data: { windowStart: window.windowStart, windowEnd: window.windowEnd },
    },
  };
}

// ---- after go-live (001 §16, §18)

export const securityPostReview: ApprovalSpec = {
  step: 'securityPostReview',
  title: 'Security reviews the change after go-live',
  levels: only(role('security_officer')),
  checks: ['implementer'],
};

export const departmentHeadConfirmation: TaskSpec<Outcome> = {
  step: 'departmentHeadConfirmation',
  title: 'Requesting department head confirms the change',
  assignee: role('department_head'),
  formSchema: departmentHeadConfirmationForm,
  notByRequester: true,
};

/** The head of the requester's department confirms (they may hand it to their deputy with a reason). */
export function requesterHeadConfirmation(heads: RequesterHeads | null): TaskSpec<Outcome> {
  return { ...departmentHeadConfirmation, assignee: headsOf(heads)[0], notEligible: notTheirHead };
}

// ---- emergency change (001 §22–§25)

/** Authorised by the O&M head: through Opsflow, by e-mail, or verbally (recorded offline with evidence). */
export const emergencyAuthorisation: ApprovalSpec = {
  step: 'emergencyAuthorisation',
  title: 'O&M head authorises the emergency change',
  levels: only(role('ops_head')),
};

/** What an emergency change owes afterwards; each on the `paperwork` SLA stage until it is in. */
export function paperwork(requester: string) {
  return {
    completedChangeForm: {
      step: 'completedChangeForm',
      title: 'Requester completes and signs the full change form',
      assignee: requester,
      formSchema: completedFormForm,
      slaStage: 'paperwork',
    } satisfies TaskSpec,
    signedTestResults: {
      step: 'signedTestResults',
      title: 'Test center tests afterwards and signs the results',
      assignee: role('tester'),
      formSchema: testReportForm,
      notByRequester: true,
      slaStage: 'paperwork',
    } satisfies TaskSpec,
    backupConfirmation: {
      step: 'backupConfirmation',
      title: 'O&M confirms the program and data backups',
      assignee: role('ops_engineer'),
      formSchema: backupConfirmationForm,
      notByRequester: true,
      slaStage: 'paperwork',
    } satisfies TaskSpec,
    jointReview: {
      step: 'jointReview',
      title: 'O&M and the requesting department review the change log together',
      assignee: role('ops_head'),
      formSchema: jointReviewForm,
      notByRequester: true,
      slaStage: 'paperwork',
    } satisfies TaskSpec<Outcome>,
  };
}
