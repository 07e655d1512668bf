/**
 * The monthly service report (003 (四) 2, (九); 004 §7.1): on the first of each month the job
 * drafts last month's report, which waits for the O&M head's approval before it is mailed.
 */
import { serviceReportDefinition } from '../../workflows/service-report/definition';
import { definePeriodicJobKind, scheduledStartArgs } from './kind';

export const serviceReportKind = definePeriodicJobKind({
  kind: 'service-report',
  workflowType: serviceReportDefinition.workflowType,
  startArgs: scheduledStartArgs,
});
