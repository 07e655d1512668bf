/**
 * Routine inspections (003 (七) 1(1)): their service levels and their two periodic jobs. The
 * daily round fires at 08:30 every day in Asia/Shanghai and opens a case only on working days of
 * the default calendar; each system's check is due at 12:00 (the job's `dueBy`) — missed, the
 * O&M head is told at once and the IT head two working hours later. The annual comprehensive
 * inspection opens on 1 December; its checks and report are due in five working days each.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

// prettier-ignore
const policies: Array<[id: string, stage: string, basis: string, duration: string, level2After: string]> = [
  ['inspection.dailyCheck',                 'dailyCheck',                 'working-hours', 'PT3H', 'PT2H'],
  ['inspection.annualCheck',                'annualCheck',                'working-days',  'P5D',  'P1D'],
  ['inspection.inspectionReport',           'inspectionReport',           'working-days',  'P5D',  'P1D'],
  ['inspection.inspectionReportAcceptance', 'inspectionReportAcceptance', 'working-days',  'P3D',  'P1D'],
];

const jobs = [
  {
    id: 'daily-inspection',
    kind: 'inspection',
    title: 'Daily inspection of the systems in service (003 (七) 1(1))',
    cron: '30 8 * * *',
    args: { scope: 'daily', calendarId: 'default', dueBy: '12:00' },
  },
  {
    id: 'annual-inspection',
    kind: 'inspection',
    title: 'Annual comprehensive inspection with its formal report (003 (七) 1(1))',
    cron: '0 9 1 12 *',
    args: { scope: 'annual' },
  },
];

export const routineInspections: NamedMigration = {
  name: '0101_routine_inspections',
  async up(knex: Knex) {
    await knex('sla_policies')
      .insert(
        policies.map(([id, stage, basis, duration, level2After]) => ({
          id,
          process: 'inspection',
          stage,
          priority: '*',
          basis,
          duration,
          warn_ratio: 0.75,
          calendar_id: 'default',
          escalation: JSON.stringify([
            { level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] },
            { level: 2, after: level2After, notify: [{ role: 'it_head' }] },
          ]),
          active: true,
        })),
      )
      .onConflict('id')
      .ignore();
    await knex('periodic_jobs')
      .insert(jobs.map((j) => ({ ...j, args: JSON.stringify(j.args) })))
      .onConflict('id')
      .ignore();
  },
  async down(knex: Knex) {
    await knex('periodic_jobs')
      .whereIn(
        'id',
        jobs.map((j) => j.id),
      )
      .delete();
    await knex('sla_policies')
      .whereIn(
        'id',
        policies.map(([id]) => id),
      )
      .delete();
  },
};
