/**
 * What the default calendar needs to carry China's official holidays from a package (issue 8):
 * - `calendar_days.source`: `official` rows belong to the start-up sync (db/official-holidays.ts),
 *   which corrects and extends them; `manual` rows (an import, an admin) it never touches.
 * - `working_calendars.holidays_through`: the last year the calendar has holiday data for; NULL
 *   for a calendar that keeps none.
 * - `calendar_holiday_gaps`: each (calendar, year) a due time ran into without holiday data, so
 *   readiness and the admin calendar view can show it until the year's data arrives.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

export const officialHolidays: NamedMigration = {
  name: '0021_official_holidays',
  async up(knex: Knex) {
    await knex.raw(`
      ALTER TABLE calendar_days
        ADD COLUMN source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'official'));
      ALTER TABLE working_calendars ADD COLUMN holidays_through integer NULL;
      -- A calendar that already lists dated days has data for the years they fall in.
      UPDATE working_calendars c
         SET holidays_through = (SELECT max(extract(year FROM d.day))::integer
                                   FROM calendar_days d WHERE d.calendar_id = c.id);

      CREATE TABLE calendar_holiday_gaps (
        calendar_id   text NOT NULL REFERENCES working_calendars (id) ON DELETE CASCADE,
        year          integer NOT NULL,
        first_case_id text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (calendar_id, year)
      );
    `);
  },
  async down(knex: Knex) {
    await knex.raw(`
      DROP TABLE calendar_holiday_gaps;
      ALTER TABLE working_calendars DROP COLUMN holidays_through;
      ALTER TABLE calendar_days DROP COLUMN source;
    `);
  },
};
