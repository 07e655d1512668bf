/** The read model keeps each case's waiting steps, so an inbox item names the step, its action, form and due time. */
import type { NamedMigration } from './index';

export const casePendingSteps: NamedMigration = {
  name: '0041_case_pending_steps',
  async up(knex) {
    await knex.raw(`ALTER TABLE cases ADD COLUMN pending_steps jsonb NOT NULL DEFAULT '[]'::jsonb;`);
  },
  async down(knex) {
    await knex.raw('ALTER TABLE cases DROP COLUMN pending_steps;');
  },
};
