/** What the periodic processes read: the working calendar's days, the systems, the week's change plan, the period's figures. */
import type { Knex } from 'knex';
import { listSystems } from '../db/api-master-data';
import { loadCalendar } from '../db/calendars';
import { changesPlannedBetween, type PlannedChange } from '../db/change-plan';
import { changeReviewFigures, type ChangeReviewFigures } from '../db/change-review';
import { documentationCompleteness, type DocumentationCompleteness } from '../db/documentation-completeness';
import { isWorkingDate } from '../workflows/contracts/working-day';

export function createPeriodicWorkActivities(db: Knex) {
  return {
    /**
     * Whether the date is a working day of the calendar, read when the schedule fires, so a
     * holiday imported or a make-up day announced after the schedule was made still counts.
     */
    async isWorkingDay(input: {
      calendarId: string;
      date: string;
    }): Promise<{ working: boolean; holidayDataKnown: boolean }> {
      const calendar = await loadCalendar(db, input.calendarId);
      if (!calendar) throw new Error(`no working calendar ${input.calendarId}`);
      const year = Number(input.date.slice(0, 4));
      return {
        working: isWorkingDate(calendar, input.date),
        holidayDataKnown: calendar.holidaysThrough === undefined || year <= calendar.holidaysThrough,
      };
    },

    /** The systems in service, which the routine inspection covers. */
    async systemsInService(): Promise<string[]> {
      return (await listSystems(db)).filter((s) => s.active).map((s) => s.id);
    },

    async changesPlannedBetween(input: { from: string; to: string }): Promise<PlannedChange[]> {
      return changesPlannedBetween(db, input);
    },

    async changeReviewFigures(input: { from: string; to: string }): Promise<ChangeReviewFigures> {
      return changeReviewFigures(db, input);
    },

    async documentationCompleteness(input: { from: string; to: string }): Promise<DocumentationCompleteness> {
      return documentationCompleteness(db, input);
    },
  };
}
