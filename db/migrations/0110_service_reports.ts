/**
 * The monthly service report (003 (四) 2, (九); 004 §7.1): each report's figures frozen when it is
 * drafted — the archived document a re-render reproduces, with the cases it was made from, so
 * reading it later is allowed to exactly those who may read every one of them — and the
 * distribution lists it is mailed to after the O&M head approved it. The approval waits two
 * working days (a choice; the seeds give no figure), then the O&M head and the IT head are told.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

export const serviceReports: NamedMigration = {
  name: '0110_service_reports',
  async up(knex: Knex) {
    await knex.raw(`
      CREATE TABLE service_report_snapshots (
        case_id       text PRIMARY KEY,
        -- The month as YYYY-MM in time_zone, and the optional scope.
        month         text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        time_zone     text NOT NULL,
        "system"      text NULL,
        vendor        text NULL,
        figures       jsonb NOT NULL,
        -- Every case a figure counts: who may read the report is who may read all of them.
        covered_cases text[] NOT NULL DEFAULT '{}',
        frozen_at     timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE service_report_distribution (
        list_id  text NOT NULL,
        user_id  text NOT NULL REFERENCES users (id),
        active   boolean NOT NULL DEFAULT true,
        PRIMARY KEY (list_id, user_id)
      );
    `);
    await knex('sla_policies')
      .insert({
        id: 'service-report.reportApproval',
        process: 'service-report',
        stage: 'reportApproval',
        priority: '*',
        basis: 'working-days',
        duration: 'P2D',
        warn_ratio: 0.5,
        calendar_id: 'default',
        escalation: JSON.stringify([
          { level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] },
          { level: 2, after: 'P1D', notify: [{ role: 'it_head' }] },
        ]),
        active: true,
      })
      .onConflict('id')
      .ignore();
  },
  async down(knex: Knex) {
    await knex('sla_policies').where({ id: 'service-report.reportApproval' }).delete();
    await knex.raw('DROP TABLE service_report_distribution; DROP TABLE service_report_snapshots;');
  },
};
