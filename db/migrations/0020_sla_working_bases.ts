/**
 * Two ways to count working time (issue 8): `working-hours` — N hours of the calendar's working
 * time from the instant, what `working` always meant — and `working-days`, as Chinese service
 * contracts count "2 个工作日内": the day of confirmation does not count, due at close of business
 * on the Nth working day after it. The seed's defect windows (003 (九) 3, "以需求确认之日起 2 个工作日内解决")
 * are of the second kind.
 *
 * `working` stays allowed: running cases hold it in their state (their recorded policy never
 * changes), and a migration written elsewhere before this one may still insert it; it counts as
 * `working-hours` everywhere. Rows an admin already moved off the seeded basis are left alone.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

const DEFECT_WINDOWS = [
  'defect.resolution.routine',
  'defect.resolution.corrective',
  'defect.resolution.perfective',
];

export const slaWorkingBases: NamedMigration = {
  name: '0020_sla_working_bases',
  async up(knex: Knex) {
    await knex.raw(`
      ALTER TABLE sla_policies DROP CONSTRAINT sla_policies_basis_check;
      ALTER TABLE sla_policies ADD CONSTRAINT sla_policies_basis_check
        CHECK (basis IN ('elapsed', 'working-hours', 'working-days', 'working'));
    `);
    await knex('sla_policies')
      .whereIn('id', DEFECT_WINDOWS)
      .where({ basis: 'working' })
      .update({ basis: 'working-days', updated_at: knex.fn.now() });
    await knex('sla_policies').where({ basis: 'working' }).update({ basis: 'working-hours' });
  },
  async down(knex: Knex) {
    // Before this migration every working policy counted hours; a working-days row can only go back to that.
    await knex('sla_policies')
      .whereIn('basis', ['working-hours', 'working-days'])
      .update({ basis: 'working' });
    await knex.raw(`
      ALTER TABLE sla_policies DROP CONSTRAINT sla_policies_basis_check;
      ALTER TABLE sla_policies ADD CONSTRAINT sla_policies_basis_check CHECK (basis IN ('elapsed', 'working'));
    `);
  },
};
