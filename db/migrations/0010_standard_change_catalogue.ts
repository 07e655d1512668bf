/**
 * The standard-change catalogue: low-risk, repeatable changes whose procedure an admin has
 * approved once. A change citing an approved, active template skips the approvals but is still
 * scheduled, implemented and audited.
 */
import type { NamedMigration } from './index';

export const standardChangeCatalogue: NamedMigration = {
  name: '0010_standard_change_catalogue',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE standard_changes (
        id                   text PRIMARY KEY,
        name                 text NOT NULL,
        change_type          text NOT NULL,
        -- Empty: the template applies to any system.
        systems              text[] NOT NULL DEFAULT '{}',
        risk_level           text NOT NULL DEFAULT 'low' CHECK (risk_level = 'low'),
        implementation_steps jsonb NOT NULL DEFAULT '[]',
        rollback_steps       jsonb NOT NULL DEFAULT '[]',
        approved_by          text NULL,
        approved_at          timestamptz NULL,
        active               boolean NOT NULL DEFAULT true,
        updated_at           timestamptz NOT NULL DEFAULT now(),
        CHECK ((approved_by IS NULL) = (approved_at IS NULL))
      );
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE standard_changes;');
  },
};
