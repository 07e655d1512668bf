/**
 * Service levels of the release process (001 §28–35), as data an admin edits. The trial run itself
 * (`release.trialRun`, three months) is in 0008. Every waiting step warns its owner at 75 % of the
 * time; level 1 fires at the due time, level 2 after the row's interval.
 *
 * Choices, where the seed gives no figure: each review within two working days; the plan within
 * five, its approval and the user's confirmation within two; a revision within three. Execution
 * steps are due within five working days of the plan's confirmation (the window itself is in the
 * plan); a failed step's decision within two hours and the rollback within four, in elapsed time.
 * The business department verifies within two working days. During the trial the team reports
 * every month (an elapsed interval, not a step) within five working days; a refused acceptance
 * extends the trial by a month. The acceptance application is due within ten working days of the
 * trial's end, the IT department's review within five.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

type Basis = 'elapsed' | 'working-hours';

// prettier-ignore
type ReleasePolicy = [id: string, stage: string, basis: Basis, duration: string, level1: string[], level2After: string, level2: string[]];

// prettier-ignore
const policies: ReleasePolicy[] = [
  // id                                      stage                     basis      duration level 1 notifies       level 2 after, notifies
  ['release.pmoReview',                      'pmoReview',              'working-hours', 'P2D',  ['pmo'],                'P1D',  ['it_head']],
  ['release.securityReview',                 'securityReview',         'working-hours', 'P2D',  ['pmo'],                'P1D',  ['it_head']],
  ['release.itHeadReview',                   'itHeadReview',           'working-hours', 'P2D',  ['pmo'],                'P1D',  ['it_head']],
  ['release.revision',                       'revision',               'working-hours', 'P3D',  ['pmo'],                'P1D',  ['it_head']],
  ['release.plan',                           'plan',                   'working-hours', 'P5D',  ['ops_head', 'pmo'],    'P1D',  ['it_head']],
  ['release.planApproval',                   'planApproval',           'working-hours', 'P2D',  ['pmo'],                'P1D',  ['it_head']],
  ['release.deploymentConfirmation',         'deploymentConfirmation', 'working-hours', 'P2D',  ['pmo'],                'P1D',  ['it_head']],
  ['release.execution',                      'execution',              'working-hours', 'P5D',  ['ops_head'],           'P1D',  ['it_head']],
  ['release.failureDecision',                'failureDecision',        'elapsed', 'PT2H', ['ops_head'],           'PT1H', ['it_head']],
  ['release.rollback',                       'rollback',               'elapsed', 'PT4H', ['ops_head'],           'PT1H', ['it_head']],
  ['release.verification',                   'verification',           'working-hours', 'P2D',  ['ops_head', 'pmo'],    'P1D',  ['it_head']],
  ['release.trialReportInterval',            'trialReportInterval',    'elapsed', 'P1M',  ['pmo'],                'P7D',  ['it_head']],
  ['release.trialReport',                    'trialReport',            'working-hours', 'P5D',  ['pmo'],                'P2D',  ['it_head']],
  ['release.trialExtension',                 'trialExtension',         'elapsed', 'P1M',  ['pmo'],                'P7D',  ['it_head']],
  ['release.acceptanceApplication',          'acceptanceApplication',  'working-hours', 'P10D', ['pmo'],                'P2D',  ['it_head']],
  ['release.acceptanceReview',               'acceptanceReview',       'working-hours', 'P5D',  ['pmo'],                'P2D',  ['it_head']],
];

function row([id, stage, basis, duration, level1, level2After, level2]: ReleasePolicy) {
  return {
    id,
    process: 'release',
    stage,
    priority: '*',
    basis,
    duration,
    warn_ratio: 0.75,
    calendar_id: basis === 'elapsed' ? null : 'default',
    escalation: JSON.stringify([
      { level: 1, after: 'PT0S', notify: level1.map((role) => ({ role })) },
      { level: 2, after: level2After, notify: level2.map((role) => ({ role })) },
    ]),
    active: true,
  };
}

export const releaseSlaPolicies: NamedMigration = {
  name: '0051_release_sla_policies',
  async up(knex: Knex) {
    await knex('sla_policies').insert(policies.map(row)).onConflict('id').ignore();
  },
  async down(knex: Knex) {
    await knex('sla_policies')
      .whereIn(
        'id',
        policies.map(([id]) => id),
      )
      .delete();
  },
};
