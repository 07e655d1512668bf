/**
 * A monthly service report the O&M head sends back is redrafted (#15): its figures are frozen again
 * as a new draft of the same report — the earlier drafts kept beside it, numbered — so the archive
 * shows the draft that was decided last, the approved one, and a re-render gives that document. The
 * redraft is a task for whoever drafted the report (the O&M engineers when the schedule did), two
 * working days, then the O&M head is told (a choice, as for the approval; the seeds give no figure).
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

export const serviceReportRedrafts: NamedMigration = {
  name: '0135_service_report_redrafts',
  async up(knex: Knex) {
    await knex.raw(`
      ALTER TABLE service_report_snapshots
        ADD COLUMN draft integer NOT NULL DEFAULT 1 CHECK (draft >= 1);
      ALTER TABLE service_report_snapshots DROP CONSTRAINT service_report_snapshots_pkey;
      ALTER TABLE service_report_snapshots ADD PRIMARY KEY (case_id, draft);
    `);
    await knex('sla_policies')
      .insert({
        id: 'service-report.redraftReport',
        process: 'service-report',
        stage: 'redraftReport',
        priority: '*',
        basis: 'working-days',
        duration: 'P2D',
        warn_ratio: 0.5,
        calendar_id: 'default',
        escalation: JSON.stringify([{ level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] }]),
        active: true,
      })
      .onConflict('id')
      .ignore();
  },
  async down(knex: Knex) {
    await knex('sla_policies').where({ id: 'service-report.redraftReport' }).delete();
    await knex.raw(`
      DELETE FROM service_report_snapshots WHERE draft > 1;
      ALTER TABLE service_report_snapshots DROP CONSTRAINT service_report_snapshots_pkey;
      ALTER TABLE service_report_snapshots DROP COLUMN draft;
      ALTER TABLE service_report_snapshots ADD PRIMARY KEY (case_id);
    `);
  },
};
