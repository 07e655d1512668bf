/**
 * The steps of the defect flow as kernel specs, with the clause each comes from. The owner's
 * steps are due when the window is (`dueAt`), on the `resolution` policy of the defect's class
 * (2 / 3 / 5 working days, 003 (九) 3), whose warning and escalation ladder chase them.
 */
import type { Assignee } from '../contracts/assignees';
import type { ApprovalSpec } from '../kernel/approval';
import type { TaskSpec } from '../kernel/task';
import {
  acceptanceForm,
  confirmationForm,
  fixApprovalForm,
  fixPlanForm,
  resolutionForm,
  verificationForm,
  type Acceptance,
  type Confirmation,
  type FixApproval,
  type FixPlan,
  type Resolution,
  type Verification,
} from './forms';

/** The vendor's project manager and the O&M head may hand an owner's step to someone else. */
const SUPERVISORS = ['vendor_pm', 'ops_head', 'admin'];

/** 003 (九) 3: the requirement is confirmed by the user's side; the window runs from here. */
export const confirmation = (confirmer: Assignee): TaskSpec<Confirmation> => ({
  step: 'confirmation',
  title: "The user's side confirms the requirement",
  assignee: confirmer,
  formSchema: confirmationForm,
  reassigners: ['department_head', ...SUPERVISORS],
});

/** 003 (九) 3: a special case's due date, agreed by both parties — the vendor's PM is the other one. */
export const dueDateAgreement = (projectManager: Assignee): ApprovalSpec => ({
  step: 'dueDateAgreement',
  title: "The vendor's project manager agrees the negotiated due date",
  levels: [{ approvers: [projectManager], mode: 'any' }],
});

/**
 * 003 (七) 1(2) 2–3: submitted to an owner, who confirms it is theirs and starts — or rejects it.
 * An unknown owner is the vendor's project manager, who reassigns it (the kernel's reassign).
 */
export const acceptance = (owner: Assignee, dueAt: string): TaskSpec<Acceptance> => ({
  step: 'acceptance',
  title: 'The owner accepts the defect or rejects it',
  assignee: owner,
  formSchema: acceptanceForm,
  reassigners: SUPERVISORS,
  slaStage: 'resolution',
  dueAt,
});

/** 003 (七) 1(2) 6: a rejected defect closes only if the project manager agrees. */
export const rejectionReview = (projectManager: Assignee): ApprovalSpec => ({
  step: 'rejectionReview',
  title: "The vendor's project manager decides on the rejection",
  levels: [{ approvers: [projectManager], mode: 'any' }],
});

/** 003 (七) 1(6), 2 (1): the fix plan of a data fix — statement, SQL, data files. */
export const fixPlan = (owner: Assignee, dueAt: string): TaskSpec<FixPlan> => ({
  step: 'fixPlan',
  title: 'The owner writes the data fix plan',
  assignee: owner,
  formSchema: fixPlanForm,
  reassigners: SUPERVISORS,
  slaStage: 'resolution',
  dueAt,
});

/** 003 (七) 1(6): no manual data fix without the user's approval; never by whoever wrote the plan. */
export const userApproval = (confirmer: Assignee): TaskSpec<FixApproval> => ({
  step: 'userApproval',
  title: 'The business department approves the data fix plan',
  assignee: confirmer,
  formSchema: fixApprovalForm,
  reassigners: ['department_head', 'ops_head', 'admin'],
  notByImplementer: true,
});

/** 003 (七) 1(2) 4, (九) 4: resolved with the cause and the solution written down. */
export const resolution = (owner: Assignee, dueAt: string): TaskSpec<Resolution> => ({
  step: 'resolution',
  title: 'The owner resolves the defect: cause analysis and solution',
  assignee: owner,
  formSchema: resolutionForm,
  reassigners: SUPERVISORS,
  recordsImplementer: true,
  slaStage: 'resolution',
  dueAt,
});

/** 003 (七) 1(2) 5: retested — never by whoever resolved it. */
export const verification = (tester: Assignee): TaskSpec<Verification> => ({
  step: 'verification',
  title: 'Retest the resolved defect',
  assignee: tester,
  formSchema: verificationForm,
  reassigners: SUPERVISORS,
  notByImplementer: true,
});
