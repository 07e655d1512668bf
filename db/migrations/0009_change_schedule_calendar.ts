/**
 * When changes may go live (001 §17(2)): change freeze periods (year-end closing, national
 * holidays, regulatory reporting) and agreed maintenance windows, per system or for all ('{}').
 */
import type { NamedMigration } from './index';

export const changeScheduleCalendar: NamedMigration = {
  name: '0009_change_schedule_calendar',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE change_freeze_periods (
        id         text PRIMARY KEY,
        name       text NOT NULL,
        starts_at  timestamptz NOT NULL,
        ends_at    timestamptz NOT NULL CHECK (ends_at > starts_at),
        -- Empty: every system is frozen.
        systems    text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX change_freeze_periods_by_end ON change_freeze_periods (ends_at);

      CREATE TABLE change_maintenance_windows (
        id         text PRIMARY KEY,
        name       text NOT NULL,
        starts_at  timestamptz NOT NULL,
        ends_at    timestamptz NOT NULL CHECK (ends_at > starts_at),
        systems    text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX change_maintenance_windows_by_end ON change_maintenance_windows (ends_at);
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE change_maintenance_windows; DROP TABLE change_freeze_periods;');
  },
};
