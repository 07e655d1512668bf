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
import { emergencyMasterData } from './0070_emergency_master_data';
import { drillSchedules } from './0071_drill_schedules';

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
  emergencyMasterData,
  drillSchedules,
];
