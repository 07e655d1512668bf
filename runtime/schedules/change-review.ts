/** The periodic change review after each quarter (or month) (001 §26–§27). */
import { changeReviewDefinition } from '../../workflows/change-review/definition';
import { definePeriodicJobKind, scheduledStartArgs } from './kind';

export const changeReviewKind = definePeriodicJobKind({
  kind: 'change-review',
  workflowType: changeReviewDefinition.workflowType,
  startArgs: scheduledStartArgs,
});
