/**
 * Routine inspections (003 (七) 1(1)): the daily round and the annual comprehensive inspection.
 * The daily job fires every day; the run itself asks the working calendar whether the day is
 * worked, so holidays and make-up days imported later apply without touching the schedule.
 */
import { inspectionDefinition } from '../../workflows/inspection/definition';
import { definePeriodicJobKind, scheduledStartArgs } from './kind';

export const inspectionKind = definePeriodicJobKind({
  kind: 'inspection',
  workflowType: inspectionDefinition.workflowType,
  startArgs: scheduledStartArgs,
});
