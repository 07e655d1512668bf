/** Master data the change process reads when a stage opens: schedule rules, the catalogue, the directory. */
import type { Knex } from 'knex';
import { loadCalendar } from '../db/calendars';
import { approvedStandardChange, type StandardChange } from '../db/change-catalogue';
import {
  departmentContacts,
  freezePeriodsAhead,
  maintenanceWindowsAhead,
  overlappingChanges,
  type ScheduledChange,
} from '../db/change-schedule';
import { getUser, headsOfDepartmentOf, type DepartmentHeads } from '../db/directory';
import type { ScheduleRules } from '../workflows/change/schedule-check';

export function createChangeActivities(db: Knex) {
  return {
    async loadChangeScheduleRules(input: {
      systems: string[];
      emergency: boolean;
      now: string;
    }): Promise<ScheduleRules> {
      const now = new Date(input.now);
      const calendar = await loadCalendar(db, 'default');
      if (!calendar) throw new Error('the default working calendar is missing');
      return {
        emergency: input.emergency,
        systems: input.systems,
        freezePeriods: await freezePeriodsAhead(db, input.systems, now),
        maintenanceWindows: await maintenanceWindowsAhead(db, input.systems, now),
        calendar,
      };
    },

    async findOverlappingChanges(input: {
      caseId: string;
      systems: string[];
      windowStart: string;
      windowEnd: string;
    }): Promise<ScheduledChange[]> {
      return overlappingChanges(db, input);
    },

    async findStandardChange(input: { id: string; systems: string[] }): Promise<StandardChange | null> {
      return approvedStandardChange(db, input.id, input.systems);
    },

    async changeDepartmentContacts(input: { departments: string[] }): Promise<string[]> {
      return departmentContacts(db, input.departments);
    },

    /** The head and deputy of the requester's department, as the directory has them. */
    async requesterDepartmentHeads(input: { userId: string }): Promise<DepartmentHeads | null> {
      return headsOfDepartmentOf(db, input.userId);
    },

    async isDepartmentHead(input: { userId: string }): Promise<boolean> {
      const user = await getUser(db, input.userId);
      return user?.active === true && user.roles.includes('department_head');
    },
  };
}
