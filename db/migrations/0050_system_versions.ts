/**
 * Configuration records of the systems (004 §7.6.1 d): each system's current version and the date
 * it went live, and the history of every version a release put on it.
 */
import type { NamedMigration } from './index';

export const systemVersions: NamedMigration = {
  name: '0050_system_versions',
  async up(knex) {
    await knex.raw(`
      ALTER TABLE systems ADD COLUMN current_version text NULL, ADD COLUMN live_since timestamptz NULL;
      CREATE TABLE system_versions (
        system_id        text NOT NULL,
        version          text NOT NULL,
        case_id          text NOT NULL,
        previous_version text NULL,
        went_live_at     timestamptz NOT NULL,
        accepted_at      timestamptz NOT NULL,
        recorded_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (system_id, case_id)
      );
      CREATE INDEX system_versions_by_system ON system_versions (system_id, went_live_at DESC);
    `);
  },
  async down(knex) {
    await knex.raw(`
      DROP TABLE system_versions;
      ALTER TABLE systems DROP COLUMN current_version, DROP COLUMN live_since;
    `);
  },
};
