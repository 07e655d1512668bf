/** Working calendars: office hours and weekend of an ordinary week, and the dates that differ. */
import type { NamedMigration } from './index';

export const workingCalendars: NamedMigration = {
  name: '0006_working_calendars',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE working_calendars (
        id            text PRIMARY KEY,
        name          text NOT NULL,
        time_zone     text NOT NULL,
        working_hours jsonb NOT NULL,
        weekend_days  integer[] NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now()
      );

      -- A holiday on a weekday, or a make-up working day (调休) on a weekend.
      CREATE TABLE calendar_days (
        calendar_id text NOT NULL REFERENCES working_calendars (id) ON DELETE CASCADE,
        day         date NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('holiday', 'workday')),
        name        text NULL,
        PRIMARY KEY (calendar_id, day)
      );
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE calendar_days; DROP TABLE working_calendars;');
  },
};
