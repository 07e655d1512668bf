/**
 * Emergency drills (004 §8.2, 002 §6.6.3.1 h): the annual drill schedule per system, as master
 * data — each active row becomes a Temporal Schedule `drill-<id>` at worker start, which opens the
 * drill case on time — and the drill's service levels. Choices, where the seed gives no figure:
 * the plan is written within five working days of the case opening and approved within two; each
 * step on the day is logged within the working day; the report within five working days.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

// prettier-ignore
const policies: Array<[id: string, stage: string, duration: string, level2After: string]> = [
  ['drill.drillPlan',         'drillPlan',         'P5D',  'P1D'],
  ['drill.drillPlanApproval', 'drillPlanApproval', 'P2D',  'P1D'],
  ['drill.drillStep',         'drillStep',         'PT8H', 'PT4H'],
  ['drill.drillReport',       'drillReport',       'P5D',  'P1D'],
  ['drill.planRevision',      'planRevision',      'P10D', 'P1D'],
];

export const drillSchedules: NamedMigration = {
  name: '0071_drill_schedules',
  async up(knex: Knex) {
    await knex.raw(`
      CREATE TABLE drill_schedules (
        id             text PRIMARY KEY,
        system         text NOT NULL,
        title          text NOT NULL,
        emergency_plan text NOT NULL,
        -- When the drill case opens, as cron in time_zone: '0 9 15 3 *' is 15 March, 09:00, every year.
        cron           text NOT NULL,
        time_zone      text NOT NULL DEFAULT 'Asia/Shanghai',
        -- Who the case is opened for (the O&M engineer who plans it).
        requester      text NOT NULL,
        active         boolean NOT NULL DEFAULT true,
        updated_at     timestamptz NOT NULL DEFAULT now()
      );
    `);
    await knex('sla_policies')
      .insert(
        policies.map(([id, stage, duration, level2After]) => ({
          id,
          process: 'drill',
          stage,
          priority: '*',
          basis: 'working-hours',
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
  },
  async down(knex: Knex) {
    await knex('sla_policies')
      .whereIn(
        'id',
        policies.map(([id]) => id),
      )
      .delete();
    await knex.raw('DROP TABLE drill_schedules;');
  },
};
