/**
 * SLA events by type, for the `opsflow_sla_events_total` metric counted at every scrape: a
 * partial index holds only these rows, so the count stays cheap with millions of audit events.
 */
import type { NamedMigration } from './index';

export const caseEventsSlaIndex: NamedMigration = {
  name: '0019_case_events_sla_index',
  async up(knex) {
    await knex.raw(`
      CREATE INDEX case_events_sla_by_type ON case_events (type)
        WHERE type IN ('sla.warning', 'sla.overdue', 'sla.escalated');
    `);
  },
  async down(knex) {
    await knex.raw('DROP INDEX case_events_sla_by_type;');
  },
};
