/** The information systems cases concern (change, release, defect…): master data for forms and filters. */
import type { NamedMigration } from './index';

export const systems: NamedMigration = {
  name: '0015_systems',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE systems (
        id                  text PRIMARY KEY,
        name                text NOT NULL,
        owner_department_id text NULL REFERENCES departments (id),
        vendor_id           text NULL REFERENCES vendors (id),
        active              boolean NOT NULL DEFAULT true,
        updated_at          timestamptz NOT NULL DEFAULT now()
      );
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE systems;');
  },
};
