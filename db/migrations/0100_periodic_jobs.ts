/**
 * Periodic work (design: "runs from Temporal Schedules created idempotently at start from master
 * data"): one row per job — what kind of work (`runtime/schedules/` maps the kind to a workflow),
 * when (a cron expression or a Temporal calendar spec, in a time zone), what happens when a slot
 * comes while the last run still runs (overlap) or while the Temporal server was down (catch-up
 * window), and whether an admin paused it. The worker makes each row a Temporal Schedule with the
 * row's id; the paused state lives here so a restart does not unpause. Pauses and resumes are kept
 * in `periodic_job_events`, who and why.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

export const periodicJobs: NamedMigration = {
  name: '0100_periodic_jobs',
  async up(knex: Knex) {
    await knex.raw(`
      CREATE TABLE periodic_jobs (
        id                     text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$'),
        kind                   text NOT NULL,
        title                  text NOT NULL,
        -- Either a cron expression ('0 9 * * 5') or a Temporal calendar spec ({"hour":9,"dayOfWeek":"FRIDAY"}).
        cron                   text,
        calendar               jsonb,
        time_zone              text NOT NULL DEFAULT 'Asia/Shanghai',
        -- A slot that comes while the last run still runs: SKIP it, or BUFFER_ONE to run once after.
        overlap                text NOT NULL DEFAULT 'SKIP'
                               CHECK (overlap IN ('SKIP', 'BUFFER_ONE', 'BUFFER_ALL', 'CANCEL_OTHER', 'TERMINATE_OTHER', 'ALLOW_ALL')),
        -- Slots missed while the Temporal server was down are caught up if no older than this.
        catchup_window_seconds integer NOT NULL DEFAULT 86400 CHECK (catchup_window_seconds >= 10),
        paused                 boolean NOT NULL DEFAULT false,
        pause_note             text,
        -- What the kind's workflow is started with (system, calendar, roles…).
        args                   jsonb NOT NULL DEFAULT '{}'::jsonb,
        -- 'periodic_jobs' for rows kept here; the master-data table a derived row is copied from (drill_schedules).
        source                 text NOT NULL DEFAULT 'periodic_jobs',
        active                 boolean NOT NULL DEFAULT true,
        updated_at             timestamptz NOT NULL DEFAULT now(),
        CHECK ((cron IS NULL) <> (calendar IS NULL))
      );
      CREATE TABLE periodic_job_events (
        id         bigserial PRIMARY KEY,
        job_id     text NOT NULL REFERENCES periodic_jobs(id) ON DELETE CASCADE,
        at         timestamptz NOT NULL DEFAULT now(),
        actor      text NOT NULL,
        action     text NOT NULL,
        reason     text,
        data       jsonb NOT NULL DEFAULT '{}'::jsonb
      );
      CREATE INDEX periodic_job_events_job ON periodic_job_events (job_id, at);
    `);
  },
  async down(knex: Knex) {
    await knex.raw('DROP TABLE periodic_job_events; DROP TABLE periodic_jobs;');
  },
};
