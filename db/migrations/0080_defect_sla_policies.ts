/**
 * Service levels of the defect steps other than the window itself (the `resolution` rows of 0008,
 * working days since 0020: 2 / 3 / 5 by class, 003 (九) 3). Every waiting step warns at 75 %;
 * level 1 at the due time, level 2 after the row's interval.
 *
 * Choices, where the seed gives no figure: the user confirms the requirement within two working
 * days, the vendor's PM agrees a negotiated date or decides on a rejection within one, the
 * business department approves a data fix plan within two, the retest is done within two.
 * A closed defect stays reopenable for 90 days (an elapsed retention period, not a step).
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

type Basis = 'elapsed' | 'working-days';

// prettier-ignore
type DefectPolicy = [id: string, stage: string, basis: Basis, duration: string, level1: string[], level2After: string, level2: string[]];

// prettier-ignore
const policies: DefectPolicy[] = [
  // id                            stage               basis           duration level 1 notifies           level 2 after, notifies
  ['defect.confirmation',          'confirmation',     'working-days', 'P2D',   ['department_head'],       'P1D', ['ops_head']],
  ['defect.dueDateAgreement',      'dueDateAgreement', 'working-days', 'P1D',   ['ops_head'],              'P1D', ['it_head']],
  ['defect.rejectionReview',       'rejectionReview',  'working-days', 'P1D',   ['ops_head'],              'P1D', ['it_head']],
  ['defect.userApproval',          'userApproval',     'working-days', 'P2D',   ['department_head'],       'P1D', ['ops_head']],
  ['defect.verification',          'verification',     'working-days', 'P2D',   ['vendor_pm', 'ops_head'], 'P1D', ['it_head']],
  ['defect.recurrenceWatch',       'recurrenceWatch',  'elapsed',      'P90D',  [],                        'P1D', []],
];

function row([id, stage, basis, duration, level1, level2After, level2]: DefectPolicy) {
  return {
    id,
    process: 'defect',
    stage,
    priority: '*',
    basis,
    duration,
    warn_ratio: basis === 'elapsed' ? null : 0.75,
    calendar_id: basis === 'elapsed' ? null : 'default',
    escalation: JSON.stringify(
      level1.length === 0
        ? []
        : [
            { level: 1, after: 'PT0S', notify: level1.map((role) => ({ role })) },
            { level: 2, after: level2After, notify: level2.map((role) => ({ role })) },
          ],
    ),
    active: true,
  };
}

export const defectSlaPolicies: NamedMigration = {
  name: '0080_defect_sla_policies',
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
