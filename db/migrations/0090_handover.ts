/**
 * The handover (运行维护交接, 002 §6.6.3.5) as master data an admin edits: the deliverables checklist
 * (g, with the asset records of d), the system's O&M owner and the history of its owners, and the
 * service levels of the handover's steps.
 *
 * Choices, where the seed gives no figure: the plan within five working days, its approval and the
 * receiving unit's acceptance within two; each deliverable within ten working days unless the plan
 * dates it, its review by the receiving unit within three; feedback on a session within two working
 * days, its assessment within five; the archive within five. A session's record is due at the end of
 * the session as planned (the step's own due time), warned at three quarters of the time from its
 * notice. Every ladder: level 1 at the due time to the O&M head, level 2 to the IT head a working day later.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

const checklist = [
  {
    code: 'requirement_spec',
    sort: 1,
    clause: '002 §6.6.3.5 g',
    name_zh: '需求说明文件',
    name_en: 'Requirement specification',
  },
  {
    code: 'design_docs',
    sort: 2,
    clause: '002 §6.6.3.5 g',
    name_zh: '设计文档',
    name_en: 'Design documents',
  },
  {
    code: 'implementation_docs',
    sort: 3,
    clause: '002 §6.6.3.5 g',
    name_zh: '实施文档',
    name_en: 'Implementation documents',
  },
  {
    code: 'functional_description',
    sort: 4,
    clause: '002 §6.6.3.5 g',
    name_zh: '功能说明文件',
    name_en: 'Functional description',
  },
  {
    code: 'om_technical_docs',
    sort: 5,
    clause: '002 §6.6.3.5 g',
    name_zh: '运行维护技术文件',
    name_en: 'O&M technical documents',
  },
  {
    code: 'completion_materials',
    sort: 6,
    clause: '002 §6.6.3.5 g',
    name_zh: '竣工资料',
    name_en: 'Completion materials',
  },
  { code: 'asset_records', sort: 7, clause: '002 §6.6.3.5 d', name_zh: '资产记录', name_en: 'Asset records' },
];

// prettier-ignore
const policies: Array<[stage: string, duration: string]> = [
  ['plan', 'P5D'],
  ['planApproval', 'P2D'],
  ['planAcceptance', 'P2D'],
  ['delivery', 'P10D'],
  ['acceptance', 'P3D'],
  ['session', 'P5D'],
  ['feedback', 'P2D'],
  ['assessment', 'P5D'],
  ['archive', 'P5D'],
];

function row([stage, duration]: [string, string]) {
  return {
    id: `handover.${stage}`,
    process: 'handover',
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
  };
}

export const handover: NamedMigration = {
  name: '0090_handover',
  async up(knex: Knex) {
    await knex.raw(`
      CREATE TABLE handover_deliverable_types (
        code    text PRIMARY KEY,
        sort    integer NOT NULL,
        name_zh text NOT NULL,
        name_en text NOT NULL,
        clause  text NOT NULL,
        active  boolean NOT NULL DEFAULT true
      );
      -- Who runs the system day to day (its O&M owner), as distinct from the business owner department.
      ALTER TABLE systems
        ADD COLUMN ops_owner_department_id text NULL REFERENCES departments (id),
        ADD COLUMN ops_owner_since date NULL;
      CREATE TABLE system_ops_owners (
        system_id     text NOT NULL,
        department_id text NOT NULL,
        since         date NOT NULL,
        previous_department_id text NULL,
        case_id       text NOT NULL,
        recorded_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (system_id, case_id)
      );
      CREATE INDEX system_ops_owners_by_system ON system_ops_owners (system_id, since DESC);
    `);
    await knex('handover_deliverable_types').insert(checklist);
    await knex('sla_policies').insert(policies.map(row)).onConflict('id').ignore();
  },
  async down(knex: Knex) {
    await knex('sla_policies')
      .whereIn(
        'id',
        policies.map(([stage]) => `handover.${stage}`),
      )
      .delete();
    await knex.raw(`
      DROP TABLE system_ops_owners;
      ALTER TABLE systems DROP COLUMN ops_owner_department_id, DROP COLUMN ops_owner_since;
      DROP TABLE handover_deliverable_types;
    `);
  },
};
