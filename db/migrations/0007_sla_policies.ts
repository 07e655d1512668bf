/** Service-level policies: (process, stage, priority) → due time, warning point and escalation ladder. */
import type { NamedMigration } from './index';

export const slaPolicies: NamedMigration = {
  name: '0007_sla_policies',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE sla_policies (
        id          text PRIMARY KEY,
        -- '*' matches any value; the most specific active row wins.
        process     text NOT NULL,
        stage       text NOT NULL,
        priority    text NOT NULL,
        basis       text NOT NULL CHECK (basis IN ('elapsed', 'working')),
        -- ISO-8601 duration such as PT15M, P2D, P3M. ({0,1} because knex reads a question mark as a binding.)
        duration    text NOT NULL CHECK (
          duration ~ '^P(\\d+Y){0,1}(\\d+M){0,1}(\\d+W){0,1}(\\d+D){0,1}(T(\\d+H){0,1}(\\d+M){0,1}(\\d+S){0,1}){0,1}$'
          AND duration NOT IN ('P', 'PT') AND duration !~ 'T$'
        ),
        warn_ratio  numeric NULL CHECK (warn_ratio > 0 AND warn_ratio < 1),
        calendar_id text NULL REFERENCES working_calendars (id),
        escalation  jsonb NOT NULL DEFAULT '[]',
        active      boolean NOT NULL DEFAULT true,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (process, stage, priority),
        -- Working-time arithmetic needs a calendar to run on.
        CHECK (basis = 'elapsed' OR calendar_id IS NOT NULL)
      );
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE sla_policies;');
  },
};
