/** The O&M head's weekly review of the coming week's change plan (001 §17(1)). */
import { changePlanReviewDefinition } from '../../workflows/change-plan-review/definition';
import { definePeriodicJobKind, scheduledStartArgs } from './kind';

export const changePlanReviewKind = definePeriodicJobKind({
  kind: 'change-plan-review',
  workflowType: changePlanReviewDefinition.workflowType,
  startArgs: scheduledStartArgs,
});
