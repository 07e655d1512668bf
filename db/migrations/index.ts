/** Every schema migration, in order. Add new ones at the end; never edit a released one. */
import type { Knex } from 'knex';
import { directory } from './0001_directory';
import { cases } from './0002_cases';
import { caseEvents } from './0003_case_events';
import { notificationOutbox } from './0004_notification_outbox';
import { caseNumberCounters } from './0005_case_number_counters';
import { workingCalendars } from './0006_working_calendars';
import { slaPolicies } from './0007_sla_policies';
import { defaultCalendarAndSlaPolicies } from './0008_default_calendar_and_sla_policies';
import { changeScheduleCalendar } from './0009_change_schedule_calendar';
import { standardChangeCatalogue } from './0010_standard_change_catalogue';
import { changeSlaPolicies } from './0011_change_sla_policies';
import { apiIdempotencyKeys } from './0013_api_idempotency_keys';
import { apiKeys } from './0014_api_keys';
import { systems } from './0015_systems';
import { approvalLinkUses } from './0017_approval_link_uses';
import { outboxSendingLease } from './0018_outbox_sending_lease';
import { caseEventsSlaIndex } from './0019_case_events_sla_index';
import { slaWorkingBases } from './0020_sla_working_bases';
import { officialHolidays } from './0021_official_holidays';
import { caseParticipants } from './0025_case_participants';
import { apiCommandKeys } from './0026_api_command_keys';
import { operatorChannel } from './0027_operator_channel';
import { departmentHeads } from './0040_department_heads';
import { casePendingSteps } from './0041_case_pending_steps';
import { systemVersions } from './0050_system_versions';
import { releaseSlaPolicies } from './0051_release_sla_policies';
import { emergencyMasterData } from './0070_emergency_master_data';
import { drillSchedules } from './0071_drill_schedules';
import { defectSlaPolicies } from './0080_defect_sla_policies';
import { knowledgeBase } from './0085_knowledge_base';
import { vendorReview } from './0095_vendor_review';
import { periodicJobs } from './0100_periodic_jobs';
import { handover } from './0090_handover';
import { routineInspections } from './0101_routine_inspections';
import { changePlanReview } from './0102_change_plan_review';
import { periodicReviewsAndChecks } from './0103_periodic_reviews_and_checks';
import { serviceReports } from './0110_service_reports';
import { serviceReportJob } from './0111_service_report_job';
import { readModelIndexes } from './0120_read_model_indexes';
import { serviceReportRedrafts } from './0135_service_report_redrafts';

export interface NamedMigration extends Knex.Migration {
  name: string;
}

export const migrations: NamedMigration[] = [
  directory,
  cases,
  caseEvents,
  notificationOutbox,
  caseNumberCounters,
  workingCalendars,
  slaPolicies,
  defaultCalendarAndSlaPolicies,
  changeScheduleCalendar,
  standardChangeCatalogue,
  changeSlaPolicies,
  apiIdempotencyKeys,
  apiKeys,
  systems,
  approvalLinkUses,
  outboxSendingLease,
  caseEventsSlaIndex,
  slaWorkingBases,
  officialHolidays,
  caseParticipants,
  apiCommandKeys,
  operatorChannel,
  departmentHeads,
  casePendingSteps,
  systemVersions,
  releaseSlaPolicies,
  emergencyMasterData,
  drillSchedules,
  defectSlaPolicies,
  knowledgeBase,
  handover,
  vendorReview,
  periodicJobs,
  routineInspections,
  changePlanReview,
  periodicReviewsAndChecks,
  serviceReports,
  serviceReportJob,
  readModelIndexes,
  serviceReportRedrafts,
];
