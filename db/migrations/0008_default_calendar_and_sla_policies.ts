/**
 * The defaults a fresh installation starts with: a working calendar for Asia/Shanghai office
 * hours (public holidays and 调休 days come from an import) and the service levels the seed
 * documents commit to. They are data: an admin changes them without a release.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

const calendar = {
  id: 'default',
  name: '默认工作日历 Default working calendar',
  time_zone: 'Asia/Shanghai',
  working_hours: JSON.stringify([
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '17:30' },
  ]),
  weekend_days: [6, 7],
};

interface SeedPolicy {
  id: string;
  process: string;
  stage: string;
  priority: string;
  basis: 'elapsed' | 'working';
  duration: string;
  /** When the second level fires, after the first (which fires at the due time). */
  secondLevelAfter: string;
  /** Told at the due time, besides the O&M head. */
  alsoNotify?: string[];
}

// 003 (八): on-site — respond in 15 min, arrive in 4 h, resolve in 8 h; remote — phone response
// in 2 h, diagnosis report in 4 h. The vendor's project manager hears of a missed commitment
// with the O&M head; the IT head soon after — within one more window for the 15-minute one.
// 003 (九) 3: defects resolved in 2 / 3 / 5 working days from confirmation (routine, corrective,
// perfective); one working day late goes to the IT head. 001 §31: the release trial run lasts
// 3 months, then the team applies for acceptance.
const policies: SeedPolicy[] = [
  { id: 'emergency.onsiteResponse', process: 'emergency', stage: 'onsiteResponse', priority: '*', basis: 'elapsed', duration: 'PT15M', secondLevelAfter: 'PT15M', alsoNotify: ['vendor_pm'] },
  { id: 'emergency.onsiteArrival', process: 'emergency', stage: 'onsiteArrival', priority: '*', basis: 'elapsed', duration: 'PT4H', secondLevelAfter: 'PT1H', alsoNotify: ['vendor_pm'] },
  { id: 'emergency.onsiteResolution', process: 'emergency', stage: 'onsiteResolution', priority: '*', basis: 'elapsed', duration: 'PT8H', secondLevelAfter: 'PT1H', alsoNotify: ['vendor_pm'] },
  { id: 'emergency.remoteResponse', process: 'emergency', stage: 'remoteResponse', priority: '*', basis: 'elapsed', duration: 'PT2H', secondLevelAfter: 'PT1H', alsoNotify: ['vendor_pm'] },
  { id: 'emergency.diagnosisReport', process: 'emergency', stage: 'diagnosisReport', priority: '*', basis: 'elapsed', duration: 'PT4H', secondLevelAfter: 'PT1H', alsoNotify: ['vendor_pm'] },
  { id: 'defect.resolution.routine', process: 'defect', stage: 'resolution', priority: 'routine', basis: 'working', duration: 'P2D', secondLevelAfter: 'P1D', alsoNotify: ['vendor_pm'] },
  { id: 'defect.resolution.corrective', process: 'defect', stage: 'resolution', priority: 'corrective', basis: 'working', duration: 'P3D', secondLevelAfter: 'P1D', alsoNotify: ['vendor_pm'] },
  { id: 'defect.resolution.perfective', process: 'defect', stage: 'resolution', priority: 'perfective', basis: 'working', duration: 'P5D', secondLevelAfter: 'P1D', alsoNotify: ['vendor_pm'] },
  { id: 'release.trialRun', process: 'release', stage: 'trialRun', priority: '*', basis: 'elapsed', duration: 'P3M', secondLevelAfter: 'P7D', alsoNotify: ['pmo'] },
  { id: 'default', process: '*', stage: '*', priority: '*', basis: 'working', duration: 'PT8H', secondLevelAfter: 'PT2H' },
];

function row(policy: SeedPolicy) {
  const firstLevel = ['ops_head', ...(policy.alsoNotify ?? [])].map((role) => ({ role }));
  return {
    id: policy.id,
    process: policy.process,
    stage: policy.stage,
    priority: policy.priority,
    basis: policy.basis,
    duration: policy.duration,
    warn_ratio: 0.75,
    calendar_id: policy.basis === 'working' ? calendar.id : null,
    escalation: JSON.stringify([
      { level: 1, after: 'PT0S', notify: firstLevel },
      { level: 2, after: policy.secondLevelAfter, notify: [{ role: 'it_head' }] },
    ]),
    active: true,
  };
}

export const defaultCalendarAndSlaPolicies: NamedMigration = {
  name: '0008_default_calendar_and_sla_policies',
  async up(knex: Knex) {
    await knex('working_calendars').insert(calendar).onConflict('id').ignore();
    await knex('sla_policies').insert(policies.map(row)).onConflict('id').ignore();
  },
  async down(knex: Knex) {
    await knex('sla_policies')
      .whereIn(
        'id',
        policies.map((p) => p.id),
      )
      .delete();
    await knex('working_calendars').where({ id: calendar.id }).delete();
  },
};
