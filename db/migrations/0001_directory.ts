/** People and who they work for: the directory that role recipients and approvers resolve against. */
import type { NamedMigration } from './index';

export const directory: NamedMigration = {
  name: '0001_directory',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE departments (
        id   text PRIMARY KEY,
        name text NOT NULL
      );

      CREATE TABLE vendors (
        id   text PRIMARY KEY,
        name text NOT NULL
      );

      CREATE TABLE users (
        id            text PRIMARY KEY,
        display_name  text NOT NULL,
        email         text NOT NULL,
        locale        text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
        department_id text NULL REFERENCES departments (id),
        vendor_id     text NULL REFERENCES vendors (id),
        active        boolean NOT NULL DEFAULT true
      );

      -- The roles of the specification; a new role is a new migration, so a typo never grants nothing silently.
      CREATE TABLE user_roles (
        user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role    text NOT NULL CHECK (role IN (
          'requester', 'department_head', 'ops_engineer', 'ops_head', 'developer', 'tester',
          'security_officer', 'pmo', 'it_head', 'vendor_engineer', 'vendor_pm', 'receiving_unit',
          'auditor', 'admin'
        )),
        PRIMARY KEY (user_id, role)
      );

      -- "Everyone holding role X" is how notifications and escalations find people.
      CREATE INDEX user_roles_by_role ON user_roles (role);
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE user_roles; DROP TABLE users; DROP TABLE vendors; DROP TABLE departments;');
  },
};
