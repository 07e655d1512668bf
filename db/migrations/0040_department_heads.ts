/**
 * Each department's head and deputy: the department-head steps of a case go to the head of the
 * requester's own department, not to anyone holding `department_head`.
 */
import type { NamedMigration } from './index';

export const departmentHeads: NamedMigration = {
  name: '0040_department_heads',
  async up(knex) {
    await knex.raw(`
      ALTER TABLE departments
        ADD COLUMN head_user_id   text NULL REFERENCES users (id) ON DELETE SET NULL,
        ADD COLUMN deputy_user_id text NULL REFERENCES users (id) ON DELETE SET NULL;
    `);
  },
  async down(knex) {
    await knex.raw('ALTER TABLE departments DROP COLUMN deputy_user_id, DROP COLUMN head_user_id;');
  },
};
