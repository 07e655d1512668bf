/**
 * The weekly change-plan review (001 §17(1)): its service level and its periodic job. Every
 * Friday at 09:00 (Asia/Shanghai) a review of the coming week's changes opens for the O&M head,
 * due by the end of that working day; the IT head hears of it two working hours after it is late.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

const policy = {
  id: 'change-plan-review.planReview',
  process: 'change-plan-review',
  stage: 'planReview',
  priority: '*',
  basis: 'working-hours',
  duration: 'PT7H',
  warn_ratio: 0.75,
  calendar_id: 'default',
  escalation: JSON.stringify([
    { level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] },
    { level: 2, after: 'PT2H', notify: [{ role: 'it_head' }] },
  ]),
  active: true,
};

const job = {
  id: 'weekly-change-plan-review',
  kind: 'change-plan-review',
  title: "O&M head's weekly review of the coming week's change plan (001 §17(1))",
  cron: '0 9 * * 5',
  args: JSON.stringify({}),
};

export const changePlanReview: NamedMigration = {
  name: '0102_change_plan_review',
  async up(knex: Knex) {
    await knex('sla_policies').insert(policy).onConflict('id').ignore();
    await knex('periodic_jobs').insert(job).onConflict('id').ignore();
  },
  async down(knex: Knex) {
    await knex('periodic_jobs').where({ id: job.id }).delete();
    await knex('sla_policies').where({ id: policy.id }).delete();
  },
};
