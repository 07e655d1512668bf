/** The steps of a knowledge review as kernel specs. */
import { role } from '../contracts/assignees';
import type { ApprovalSpec } from '../kernel/approval';
import type { TaskSpec } from '../kernel/task';
import { knowledgeRevisionForm, type KnowledgeRevision } from './forms';

/**
 * 004 §6.2.2 d: an entry goes in only with an approval record. The O&M center keeps the knowledge
 * base (002 §6.6.2 e), so its head reviews; the kernel refuses the proposer (SOD_REQUESTER).
 */
export const knowledgeReview: ApprovalSpec = {
  step: 'knowledgeReview',
  title: 'O&M head reviews the knowledge entry',
  levels: [{ approvers: [role('ops_head')], mode: 'any' }],
};

/** Sent back with the reviewer's comments: the proposer revises the text. */
export function reviseEntry(author: string): TaskSpec<KnowledgeRevision> {
  return {
    step: 'reviseEntry',
    title: 'The author revises the knowledge entry',
    assignee: author,
    formSchema: knowledgeRevisionForm,
    slaStage: 'knowledgeRevision',
  };
}
