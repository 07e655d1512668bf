/** The steps of the weekly change-plan review (001 §17(1)) as kernel specs. */
import { role } from '../contracts/assignees';
import type { FormError } from '../contracts/form-schema';
import { defineFormCheck } from '../kernel/form-checks';
import type { TaskSpec } from '../kernel/task';
import { planReviewForm, type PlanReview } from './forms';

const LISTED_CHANGES = 'change-plan-review.listed-changes';

// A comment must concern a change of the plan under review, or it would go back to no one.
defineFormCheck(LISTED_CHANGES, (form, listed) => {
  const known = new Set(listed as string[]);
  const comments = Array.isArray(form.comments) ? (form.comments as Array<{ caseId?: string }>) : [];
  return comments.flatMap((c, i): FormError[] =>
    c.caseId && !known.has(c.caseId)
      ? [{ path: `/comments/${i}/caseId`, message: `${c.caseId} is not a change of this week's plan` }]
      : [],
  );
});

export function planReview(listed: string[]): TaskSpec<PlanReview> {
  return {
    step: 'planReview',
    title: "O&M head reviews the coming week's change plan",
    assignee: role('ops_head'),
    formSchema: planReviewForm,
    formCheck: { name: LISTED_CHANGES, data: listed },
  };
}
