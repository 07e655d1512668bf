/** The audit trail: every event of every case, hash-chained per case so an edit or deletion shows. */
import type { NamedMigration } from './index';

export const caseEvents: NamedMigration = {
  name: '0003_case_events',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE case_events (
        case_id     text NOT NULL,
        seq         bigint NOT NULL CHECK (seq >= 1),
        type        text NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        actor       text NULL,
        channel     text NOT NULL CHECK (channel IN ('api', 'email', 'offline', 'system')),
        data        jsonb NOT NULL DEFAULT '{}',
        prev_hash   char(64) NOT NULL,
        hash        char(64) NOT NULL,
        PRIMARY KEY (case_id, seq)
      );
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE case_events;');
  },
};
