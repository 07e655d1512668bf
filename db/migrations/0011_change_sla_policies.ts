/**
 * Service levels of the change process (001 §9–§27), as data an admin edits. Every row warns the
 * owner at 75 % of the time; level 1 fires at the due time, level 2 after the row's interval.
 *
 * Choices, where the seed gives no figure: a department head approves within eight working hours
 * (four when urgent); O&M assesses within two working days (one when urgent) and its head
 * approves within one; development gets ten working days before anyone is chased; plan and test
 * three; scheduling one; implementation five (the window itself is set by scheduling); the
 * post-implementation reviews two or three. An emergency is counted in elapsed time: the O&M head
 * authorises within 30 minutes, day or night. The paperwork an emergency owes is due within two
 * working days; past that the O&M head and the requesting department heads are told, and the IT
 * head one working day later — the case stays open until every paper is in.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

type Basis = 'elapsed' | 'working';

// prettier-ignore
type ChangePolicy = [id: string, stage: string, priority: string, basis: Basis, duration: string, level1: string[], level2After: string, level2: string[]];

// prettier-ignore
const policies: ChangePolicy[] = [
  // id                                       stage                         priority     basis      duration level 1 notifies                 level 2 after, notifies
  ['change.departmentHeadApproval',          'departmentHeadApproval',     '*',         'working', 'PT8H',  ['ops_head'],                      'PT4H', ['it_head']],
  ['change.departmentHeadApproval.urgent',   'departmentHeadApproval',     'urgent',    'working', 'PT4H',  ['ops_head'],                      'PT2H', ['it_head']],
  ['change.revision',                        'revision',                   '*',         'working', 'P2D',   ['ops_head'],                      'P1D',  ['it_head']],
  ['change.opsAssessment',                   'opsAssessment',              '*',         'working', 'P2D',   ['ops_head'],                      'P1D',  ['it_head']],
  ['change.opsAssessment.urgent',            'opsAssessment',              'urgent',    'working', 'P1D',   ['ops_head'],                      'PT4H', ['it_head']],
  ['change.opsHeadAssessmentApproval',       'opsHeadAssessmentApproval',  '*',         'working', 'P1D',   ['it_head'],                       'PT4H', ['it_head']],
  ['change.designAndBuild',                  'designAndBuild',             '*',         'working', 'P10D',  ['ops_head'],                      'P2D',  ['it_head']],
  ['change.planAndTest',                     'planAndTest',                '*',         'working', 'P3D',   ['ops_head'],                      'P1D',  ['it_head']],
  ['change.scheduling',                      'scheduling',                 '*',         'working', 'P1D',   ['ops_head'],                      'PT4H', ['it_head']],
  ['change.implementation',                  'implementation',             '*',         'working', 'P5D',   ['ops_head'],                      'P1D',  ['it_head']],
  ['change.securityPostReview',              'securityPostReview',         '*',         'working', 'P2D',   ['ops_head'],                      'P1D',  ['it_head']],
  ['change.departmentHeadConfirmation',      'departmentHeadConfirmation', '*',         'working', 'P3D',   ['ops_head'],                      'P1D',  ['it_head']],
  ['change.emergencyAuthorisation',          'emergencyAuthorisation',     '*',         'elapsed', 'PT30M', ['it_head'],                       'PT30M', ['it_head']],
  ['change.scheduling.emergency',            'scheduling',                 'emergency', 'elapsed', 'PT1H',  ['ops_head'],                      'PT1H', ['it_head']],
  ['change.implementation.emergency',        'implementation',             'emergency', 'elapsed', 'PT4H',  ['ops_head'],                      'PT1H', ['it_head']],
  ['change.paperwork',                       'paperwork',                  '*',         'working', 'P2D',   ['ops_head', 'department_head'],   'P1D',  ['it_head']],
];

function row([id, stage, priority, basis, duration, level1, level2After, level2]: ChangePolicy) {
  return {
    id,
    process: 'change',
    stage,
    priority,
    basis,
    duration,
    warn_ratio: 0.75,
    calendar_id: basis === 'working' ? 'default' : null,
    escalation: JSON.stringify([
      { level: 1, after: 'PT0S', notify: level1.map((role) => ({ role })) },
      { level: 2, after: level2After, notify: level2.map((role) => ({ role })) },
    ]),
    active: true,
  };
}

export const changeSlaPolicies: NamedMigration = {
  name: '0011_change_sla_policies',
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
