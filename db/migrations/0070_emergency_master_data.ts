/**
 * Emergency response (004 §8.1, 003 (七) 1(3), (八)) as master data an admin edits: the event
 * levels and their names, which levels convene the emergency command group, the roles that group
 * is made of, and the response windows per level.
 *
 * The seed's windows (migration 0008: on-site response 15 min, arrival 4 h, resolution 8 h; remote
 * response 2 h, diagnosis report 4 h) hold for levels III and IV. Choices, where the seed gives no
 * figure: level I (especially major) halves arrival, resolution, remote response and diagnosis;
 * level II takes three quarters of them; on-site response stays 15 minutes at every level. The
 * milestones without a seed clock — an on-site diagnosis, a remote recovery — get 4 h and 8 h; the
 * other emergency steps (dispatch, business communication) run on elapsed time too, day or night.
 * The reports afterwards are office work: working days. Every ladder: level 1 at the due time to
 * the O&M head and the vendor's project manager, level 2 to the IT head an hour later.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

const levels = [
  { code: 'I', rank: 1, name_en: 'Especially major', name_zh: '特别重大', convenes_command_group: true },
  { code: 'II', rank: 2, name_en: 'Major', name_zh: '重大', convenes_command_group: true },
  { code: 'III', rank: 3, name_en: 'Significant', name_zh: '较大', convenes_command_group: false },
  { code: 'IV', rank: 4, name_en: 'Ordinary', name_zh: '一般', convenes_command_group: false },
];

const commandGroup = [
  { role: 'it_head', duty: '应急指挥组组长 Head of the emergency command group' },
  { role: 'ops_head', duty: '运维负责人 O&M head' },
  { role: 'vendor_pm', duty: '服务商项目经理 Vendor project manager' },
];

type Basis = 'elapsed' | 'working-hours';
// prettier-ignore
type Policy = [id: string, stage: string, priority: string, basis: Basis, duration: string, level2After: string];

// prettier-ignore
const policies: Policy[] = [
  // id                                   stage               priority basis      duration level 2 after
  ['emergency.onsiteArrival.I',           'onsiteArrival',    'I',     'elapsed', 'PT2H',  'PT1H'],
  ['emergency.onsiteResolution.I',        'onsiteResolution', 'I',     'elapsed', 'PT4H',  'PT1H'],
  ['emergency.remoteResponse.I',          'remoteResponse',   'I',     'elapsed', 'PT1H',  'PT1H'],
  ['emergency.diagnosisReport.I',         'diagnosisReport',  'I',     'elapsed', 'PT2H',  'PT1H'],
  ['emergency.onsiteArrival.II',          'onsiteArrival',    'II',    'elapsed', 'PT3H',  'PT1H'],
  ['emergency.onsiteResolution.II',       'onsiteResolution', 'II',    'elapsed', 'PT6H',  'PT1H'],
  ['emergency.remoteResponse.II',         'remoteResponse',   'II',    'elapsed', 'PT90M', 'PT1H'],
  ['emergency.diagnosisReport.II',        'diagnosisReport',  'II',    'elapsed', 'PT3H',  'PT1H'],
  ['emergency.diagnosis',                 'diagnosis',        '*',     'elapsed', 'PT4H',  'PT1H'],
  ['emergency.resolution',                'resolution',       '*',     'elapsed', 'PT8H',  'PT1H'],
  ['emergency.dispatch',                  'dispatch',         '*',     'elapsed', 'PT15M', 'PT15M'],
  ['emergency.communication',             'communication',    '*',     'elapsed', 'PT1H',  'PT1H'],
  ['emergency.recoveryReport',            'recoveryReport',   '*',     'working-hours', 'P2D',   'P1D'],
  ['emergency.recoveryReportApproval',    'recoveryReportApproval', '*', 'working-hours', 'P1D', 'PT4H'],
  ['emergency.summaryReport',             'summaryReport',    '*',     'working-hours', 'P5D',   'P1D'],
  ['emergency.improvement',               'improvement',      '*',     'working-hours', 'P10D',  'P1D'],
];

function row([id, stage, priority, basis, duration, level2After]: Policy) {
  return {
    id,
    process: 'emergency',
    stage,
    priority,
    basis,
    duration,
    warn_ratio: 0.75,
    calendar_id: basis === 'elapsed' ? null : 'default',
    escalation: JSON.stringify([
      { level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }, { role: 'vendor_pm' }] },
      { level: 2, after: level2After, notify: [{ role: 'it_head' }] },
    ]),
    active: true,
  };
}

export const emergencyMasterData: NamedMigration = {
  name: '0070_emergency_master_data',
  async up(knex: Knex) {
    await knex.raw(`
      CREATE TABLE emergency_levels (
        code                   text PRIMARY KEY,
        rank                   integer NOT NULL UNIQUE,
        name_en                text NOT NULL,
        name_zh                text NOT NULL,
        convenes_command_group boolean NOT NULL DEFAULT false,
        active                 boolean NOT NULL DEFAULT true
      );
      CREATE TABLE emergency_command_group (
        role text PRIMARY KEY,
        duty text NOT NULL
      );
    `);
    await knex('emergency_levels').insert(levels);
    await knex('emergency_command_group').insert(commandGroup);
    await knex('sla_policies').insert(policies.map(row)).onConflict('id').ignore();
  },
  async down(knex: Knex) {
    await knex('sla_policies')
      .whereIn(
        'id',
        policies.map(([id]) => id),
      )
      .delete();
    await knex.raw('DROP TABLE emergency_command_group; DROP TABLE emergency_levels;');
  },
};
