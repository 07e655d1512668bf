/**
 * The steps of the handover as kernel specs: who acts, with which form, on which SLA stage, and
 * the clause of 002 §6.6.3.5 (or 003 (七) 6) each comes from. The delivering party acts through
 * its lead, the receiving unit through its contact; both are named on the request.
 */
import { role } from '../contracts/assignees';
import type { ApprovalSpec } from '../kernel/approval';
import type { TaskSpec } from '../kernel/task';
import {
  acceptanceForm,
  archiveForm,
  deliveryForm,
  planForm,
  planRevisionForm,
  sessionAssessmentForm,
  sessionFeedbackForm,
  sessionRecordForm,
  type Acceptance,
  type ArchiveRecord,
  type Delivery,
  type HandoverPlan,
  type PlannedSession,
  type SessionAssessment,
  type SessionFeedback,
  type SessionRecord,
} from './forms';

/** A checklist item of the deliverables (master data `handover_deliverable_types`). */
export interface ChecklistItem {
  code: string;
  nameEn: string;
  nameZh: string;
  clause: string;
}

// ---- the plan (b, c, f): written by the delivering party, approved by the O&M head, accepted by the receiving unit

export function handoverPlan(lead: string): TaskSpec<HandoverPlan> {
  return {
    step: 'handoverPlan',
    title: 'Delivering party writes the handover plan',
    assignee: lead,
    formSchema: planForm,
    slaStage: 'plan',
  };
}

export function revisePlan(lead: string): TaskSpec<Partial<HandoverPlan>> {
  return {
    step: 'revisePlan',
    title: 'Delivering party revises the handover plan',
    assignee: lead,
    formSchema: planRevisionForm,
    slaStage: 'plan',
  };
}

export const planApproval: ApprovalSpec = {
  step: 'planApproval',
  title: 'O&M head approves the handover plan',
  levels: [{ approvers: [role('ops_head')], mode: 'any' }],
};

export function planAcceptance(contact: string): ApprovalSpec {
  return {
    step: 'planAcceptance',
    title: 'Receiving unit accepts the handover plan',
    levels: [{ approvers: [contact], mode: 'any' }],
    notEligible: { code: 'NOT_ELIGIBLE', message: "only the receiving unit's contact accepts the plan" },
  };
}

// ---- deliverables (g, d): one pair of steps per checklist item, each on its own clock

const itemTitle = (item: ChecklistItem) => `${item.nameZh} ${item.nameEn}`;

export function delivery(item: ChecklistItem, lead: string, dueAt?: string): TaskSpec<Delivery> {
  return {
    step: `deliver-${item.code}`,
    form: 'deliverable',
    title: `Deliver: ${itemTitle(item)}`,
    assignee: lead,
    formSchema: deliveryForm,
    slaStage: 'delivery',
    ...(dueAt ? { dueAt } : {}),
  };
}

export function acceptance(item: ChecklistItem, contact: string): TaskSpec<Acceptance> {
  return {
    step: `accept-${item.code}`,
    form: 'deliverableAcceptance',
    title: `Receiving unit accepts or returns: ${itemTitle(item)}`,
    assignee: contact,
    formSchema: acceptanceForm,
    slaStage: 'acceptance',
  };
}

// ---- knowledge transfer (f, h; 003 (七) 6): each session recorded by its date, answered, assessed

export function sessionRecord(
  index: number,
  session: PlannedSession,
  lead: string,
  dueAt: string,
): TaskSpec<SessionRecord> {
  return {
    step: `session-${index + 1}`,
    form: 'sessionRecord',
    title: `Record knowledge-transfer session ${index + 1}: ${session.topic}`,
    assignee: lead,
    formSchema: sessionRecordForm,
    slaStage: 'session',
    dueAt,
  };
}

export function sessionFeedback(
  index: number,
  session: PlannedSession,
  contact: string,
): TaskSpec<SessionFeedback> {
  return {
    step: `feedback-${index + 1}`,
    form: 'sessionFeedback',
    title: `Feedback on knowledge-transfer session ${index + 1}: ${session.topic}`,
    assignee: contact,
    formSchema: sessionFeedbackForm,
    slaStage: 'feedback',
  };
}

export function sessionAssessment(
  index: number,
  session: PlannedSession,
  contact: string,
): TaskSpec<SessionAssessment> {
  return {
    step: `assessment-${index + 1}`,
    form: 'sessionAssessment',
    title: `Assess what session ${index + 1} taught: ${session.topic}`,
    assignee: contact,
    formSchema: sessionAssessmentForm,
    slaStage: 'assessment',
  };
}

// ---- completion (e)

export function archiveTransfer(lead: string): TaskSpec<ArchiveRecord> {
  return {
    step: 'archiveTransfer',
    title: 'Delivering party hands the handover archive to the receiving unit',
    assignee: lead,
    formSchema: archiveForm,
    slaStage: 'archive',
  };
}
