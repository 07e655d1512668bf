/**
 * The periodic outsourcing review (外包服务评价, 002 §6.6.3.8 e, §6.3.3 c, §6.4 b; 003 (九)):
 *
 * - `vendor_review_settings`: master data — which vendors are reviewed, monthly or quarterly, and
 *   who the review is opened for (the O&M engineer who runs it). Each active row is a schedule.
 * - `survey_link_uses`: the satisfaction survey's mail links are single-use, like approval links
 *   (`approval_link_uses`); a link's nonce is recorded once its answer has been taken.
 * - The review's service levels. Choices, where the seeds give no figure: the vendor's own report
 *   within five working days; the survey reminder after three working days, the survey due after
 *   five and closed after seven (`surveyClose` counts the four after the reminder; unanswered
 *   surveys then count as not responded); scoring within
 *   five working days, sign-off within two, the vendor PM's acknowledgement within three. A
 *   corrective action is due on the date the scoring gives it; its ladder tells the O&M head at
 *   the due time and the IT head a working day later (002 §6.4 d: the improvement is supervised).
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

type Ladder = 'ops' | 'none';
// prettier-ignore
const policies: Array<[stage: string, duration: string, warnRatio: number | null, ladder: Ladder]> = [
  ['vendorReport',       'P5D',  0.6,  'ops'],
  ['satisfactionSurvey', 'P5D',  null, 'none'],
  ['surveyReminder',     'P3D',  null, 'none'],
  ['surveyClose',        'P4D',  null, 'none'],
  ['scoring',            'P5D',  0.6,  'ops'],
  ['signOff',            'P2D',  0.5,  'ops'],
  ['acknowledgement',    'P3D',  0.6,  'ops'],
  ['correctiveAction',   'P10D', 0.8,  'ops'],
];

const ids = policies.map(([stage]) => `vendor-review.${stage}`);

export const vendorReview: NamedMigration = {
  name: '0095_vendor_review',
  async up(knex: Knex) {
    await knex.raw(`
      CREATE TABLE vendor_review_settings (
        vendor_id  text PRIMARY KEY REFERENCES vendors (id) ON DELETE CASCADE,
        period     text NOT NULL CHECK (period IN ('monthly', 'quarterly')),
        -- Who the review case is opened for: the O&M engineer who runs it.
        requester  text NOT NULL,
        time_zone  text NOT NULL DEFAULT 'Asia/Shanghai',
        active     boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE survey_link_uses (
        nonce    text PRIMARY KEY,
        case_id  text NOT NULL,
        step     text NOT NULL,
        user_id  text NOT NULL,
        used_at  timestamptz NOT NULL DEFAULT now()
      );
      -- The review's figures: SLA events of one period, by type and time.
      CREATE INDEX IF NOT EXISTS case_events_by_type_time ON case_events (type, occurred_at);
    `);
    await knex('sla_policies')
      .insert(
        policies.map(([stage, duration, warnRatio, ladder], i) => ({
          id: ids[i],
          process: 'vendor-review',
          stage,
          priority: '*',
          basis: 'working-days',
          duration,
          warn_ratio: warnRatio,
          calendar_id: 'default',
          escalation: JSON.stringify(
            ladder === 'none'
              ? []
              : [
                  { level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] },
                  { level: 2, after: 'P1D', notify: [{ role: 'it_head' }] },
                ],
          ),
          active: true,
        })),
      )
      .onConflict('id')
      .ignore();
  },
  async down(knex: Knex) {
    await knex('sla_policies').whereIn('id', ids).delete();
    await knex.raw(`
      DROP INDEX IF EXISTS case_events_by_type_time;
      DROP TABLE survey_link_uses;
      DROP TABLE vendor_review_settings;
    `);
  },
};
