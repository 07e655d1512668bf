/**
 * The steps of the handover as kernel specs: who acts, with which form, on which SLA stage, and
 * the clause of 002 §6.6.3.5 (or 003 (七) 6) each comes from. The delivering party acts through
 * its lead, the receiving unit through its contact; both are named on the request.
 */
import { role } from '../contracts/assignees';
import type { Wording } from '../contracts/process-definition';
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

/**
 * Steps named at run time (one per checklist item, one per session) have their titles in both
 * languages made with their names, as the definition gives the fixed steps theirs: the workflow
 * hands them to the kernel, which picks the reader's language for every mail about the step. The
 * step's own `title` is the English one, as for every other step; cases started before the titles
 * were bilingual keep the one mixed string (`legacy`).
 */
export function deliverableTitles(item: ChecklistItem): Record<string, Wording> {
  return {
    [`deliver-${item.code}`]: {
      en: `Delivering party delivers: ${item.nameEn}`,
      'zh-CN': `交付方提交交接成果：${item.nameZh}`,
    },
    [`accept-${item.code}`]: {
      en: `Receiving unit accepts or returns: ${item.nameEn}`,
      'zh-CN': `接收单位验收或退回：${item.nameZh}`,
    },
  };
}

export function sessionTitles(index: number, session: PlannedSession): Record<string, Wording> {
  const n = index + 1;
  return {
    [`session-${n}`]: {
      en: `Record knowledge-transfer session ${n}: ${session.topic}`,
      'zh-CN': `记录第 ${n} 次知识转移培训：${session.topic}`,
    },
    [`feedback-${n}`]: {
      en: `Feedback on knowledge-transfer session ${n}: ${session.topic}`,
      'zh-CN': `反馈第 ${n} 次知识转移培训：${session.topic}`,
    },
    [`assessment-${n}`]: {
      en: `Assess what session ${n} taught: ${session.topic}`,
      'zh-CN': `考核第 ${n} 次知识转移培训效果：${session.topic}`,
    },
  };
}

/** The title a step spec carries: the English of its wording, or the old mixed string for older cases. */
const legacyItemTitle = (item: ChecklistItem) => `${item.nameZh} ${item.nameEn}`;

export function delivery(
  item: ChecklistItem,
  lead: string,
  dueAt?: string,
  legacy = false,
): TaskSpec<Delivery> {
  const step = `deliver-${item.code}`;
  return {
    step,
    form: 'deliverable',
    title: legacy ? `Deliver: ${legacyItemTitle(item)}` : deliverableTitles(item)[step].en,
    assignee: lead,
    formSchema: deliveryForm,
    slaStage: 'delivery',
    ...(dueAt ? { dueAt } : {}),
  };
}

export function acceptance(item: ChecklistItem, contact: string, legacy = false): TaskSpec<Acceptance> {
  const step = `accept-${item.code}`;
  return {
    step,
    form: 'deliverableAcceptance',
    title: legacy
      ? `Receiving unit accepts or returns: ${legacyItemTitle(item)}`
      : deliverableTitles(item)[step].en,
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
    title: sessionTitles(index, session)[`session-${index + 1}`].en,
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
    title: sessionTitles(index, session)[`feedback-${index + 1}`].en,
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
    title: sessionTitles(index, session)[`assessment-${index + 1}`].en,
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
