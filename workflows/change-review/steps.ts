/** The steps of the periodic change review (001 §26–§27) as kernel specs. */
import { role } from '../contracts/assignees';
import type { ApprovalSpec } from '../kernel/approval';
import type { TaskSpec } from '../kernel/task';
import {
  opinionForm,
  reviewSummaryForm,
  summaryRevisionForm,
  type ReviewOpinion,
  type ReviewSummary,
} from './forms';

export const reviewSummary: TaskSpec<ReviewSummary> = {
  step: 'reviewSummary',
  title: 'O&M center assesses the period’s changes',
  assignee: role('ops_engineer'),
  formSchema: reviewSummaryForm,
};

export function reviseSummary(author: string): TaskSpec<Partial<ReviewSummary>> {
  return {
    step: 'reviseSummary',
    title: 'O&M center revises the change review',
    assignee: author,
    formSchema: summaryRevisionForm,
    slaStage: 'reviewSummary',
  };
}

/** 001 §26: the O&M center with development and the security section, in parallel. */
export const opinions: Array<TaskSpec<ReviewOpinion>> = [
  {
    step: 'opsCenterOpinion',
    title: 'O&M center head gives an opinion',
    assignee: role('ops_head'),
    formSchema: opinionForm,
  },
  {
    step: 'developmentOpinion',
    title: 'Development gives an opinion',
    assignee: role('developer'),
    formSchema: opinionForm,
  },
  {
    step: 'securityOpinion',
    title: 'Security section gives an opinion',
    assignee: role('security_officer'),
    formSchema: opinionForm,
  },
];

/** 001 §27: the IT department head has the review read before it is archived. */
export const itHeadReview: ApprovalSpec = {
  step: 'itHeadReview',
  title: 'IT department head reviews the change review for the archive',
  levels: [{ approvers: [role('it_head')], mode: 'any' }],
};
