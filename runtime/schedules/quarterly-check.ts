/** The quarterly documentation-completeness and security checks (001 §36(3)(4)). */
import { quarterlyCheckDefinition } from '../../workflows/quarterly-check/definition';
import { definePeriodicJobKind, scheduledStartArgs } from './kind';

export const quarterlyCheckKind = definePeriodicJobKind({
  kind: 'quarterly-check',
  workflowType: quarterlyCheckDefinition.workflowType,
  startArgs: scheduledStartArgs,
});
