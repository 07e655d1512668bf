/**
 * Approval links in e-mail are single-use: a link's nonce is recorded here once the decision it
 * carries has been taken, so the same link opened again changes nothing.
 */
import type { NamedMigration } from './index';

export const approvalLinkUses: NamedMigration = {
  name: '0017_approval_link_uses',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE approval_link_uses (
        nonce       text PRIMARY KEY,
        case_id     text NOT NULL,
        step        text NOT NULL,
        user_id     text NOT NULL,
        decision    text NOT NULL CHECK (decision IN ('approve', 'reject')),
        used_at     timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX approval_link_uses_by_case ON approval_link_uses (case_id);
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE approval_link_uses;');
  },
};
