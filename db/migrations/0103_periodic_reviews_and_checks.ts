/**
 * The periodic change review (001 §26–§27) and the quarterly checks (001 §36(3)(4)): service
 * levels and periodic jobs. Five days after each quarter the change review of the quarter opens;
 * ten days after it, the documentation-completeness check (for the PMO) and the security
 * section's check. Choices where the seed gives no figure: the O&M center's assessment within
 * five working days, each opinion within three, the IT head's review within five; each check
 * within ten working days.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

// prettier-ignore
const policies: Array<[process: string, stage: string, duration: string]> = [
  ['change-review',   'reviewSummary',      'P5D'],
  ['change-review',   'opsCenterOpinion',   'P3D'],
  ['change-review',   'developmentOpinion', 'P3D'],
  ['change-review',   'securityOpinion',    'P3D'],
  ['change-review',   'itHeadReview',       'P5D'],
  ['quarterly-check', 'documentationCheck', 'P10D'],
  ['quarterly-check', 'securityCheck',      'P10D'],
];

const jobs = [
  {
    id: 'periodic-change-review',
    kind: 'change-review',
    title: 'Periodic change review of the last quarter (001 §26–§27)',
    cron: '0 9 5 1,4,7,10 *',
    args: { period: 'quarter' },
  },
  {
    id: 'quarterly-documentation-check',
    kind: 'quarterly-check',
    title: 'Documentation completeness of the last quarter’s cases (001 §36(3))',
    cron: '0 9 10 1,4,7,10 *',
    args: { checkType: 'documentation', responsibleRole: 'pmo' },
  },
  {
    id: 'quarterly-security-check',
    kind: 'quarterly-check',
    title: 'Security section’s quarterly check (001 §36(4))',
    cron: '0 9 10 1,4,7,10 *',
    args: { checkType: 'security' },
  },
];

export const periodicReviewsAndChecks: NamedMigration = {
  name: '0103_periodic_reviews_and_checks',
  async up(knex: Knex) {
    await knex('sla_policies')
      .insert(
        policies.map(([process, stage, duration]) => ({
          id: `${process}.${stage}`,
          process,
          stage,
          priority: '*',
          basis: 'working-days',
          duration,
          warn_ratio: 0.75,
          calendar_id: 'default',
          escalation: JSON.stringify([
            { level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] },
            { level: 2, after: 'P1D', notify: [{ role: 'it_head' }] },
          ]),
          active: true,
        })),
      )
      .onConflict('id')
      .ignore();
    await knex('periodic_jobs')
      .insert(jobs.map((j) => ({ ...j, catchup_window_seconds: 7 * 86400, args: JSON.stringify(j.args) })))
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
        policies.map(([process, stage]) => `${process}.${stage}`),
      )
      .delete();
  },
};
