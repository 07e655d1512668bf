/** One counter per case-number prefix and year: CHG-2026-000123 is the 123rd change of 2026. */
import type { NamedMigration } from './index';

export const caseNumberCounters: NamedMigration = {
  name: '0005_case_number_counters',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE case_number_counters (
        prefix     text NOT NULL,
        year       integer NOT NULL,
        last_value bigint NOT NULL CHECK (last_value >= 1),
        PRIMARY KEY (prefix, year)
      );
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE case_number_counters;');
  },
};
