/**
 * The read-model benchmark's data (scripts/bench/read-model.ts): cases, their participants and
 * their audit trails, made by PostgreSQL itself with generate_series, one statement per table,
 * then analysed. Shapes follow what the product writes: every current assignee is also a
 * participant (written in the same transaction as the event that assigned it), and a case has a
 * few more participants from its earlier steps. Titles are bilingual, as users write them.
 */
import type { Knex } from 'knex';

export interface ReadModelSize {
  cases: number;
  events: number;
  users: number;
}

export const PROCESSES = ['change', 'access', 'release', 'emergency', 'defect', 'handover'];
export const ROLES = [
  'role:department_head',
  'role:ops_head',
  'role:ops_engineer',
  'role:security',
  'role:dev_center',
  'role:test_center',
  'role:pmo',
  'role:it_head',
];
const STAGES = [
  'departmentHeadApproval',
  'opsAssessment',
  'opsHeadApproval',
  'implementation',
  'securityReview',
  'confirmation',
];
/** Title words, English and Chinese at the same index; case `g` has word `(g * 7) % 8`. */
export const WORDS = ['disk', 'firewall', 'database', 'certificate', 'backup', 'network', 'core', 'patch'];
export const WORDS_ZH = ['磁盘', '防火墙', '数据库', '证书', '备份', '网络', '核心', '补丁'];

const sqlArray = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]`;

/** Case number `g` (1-based), as the generated rows spell it. */
export const caseNumber = (g: number) => `CHG-2026-${String(g).padStart(6, '0')}`;

export async function fillReadModel(db: Knex, size: ReadModelSize): Promise<void> {
  const { cases, events, users } = size;
  // 30 % open; of the open ones a quarter past due. Assignee: a role, or a person (1 in 4).
  await db.raw(`
    INSERT INTO cases (case_id, version, process, title, state, stage, priority, "system", requester,
                       assignees, due_at, overdue, created_at, updated_at, closed_at, fields)
    SELECT 'CHG-2026-' || lpad(g::text, 6, '0'),
           20,
           (${sqlArray(PROCESSES)})[1 + g % ${PROCESSES.length}],
           'Change ' || g || ': ' || (${sqlArray(WORDS)})[1 + (g * 7) % 8]
             || ' on system ' || (g % 50) || ' / 系统' || (g % 50) || (${sqlArray(WORDS_ZH)})[1 + (g * 7) % 8] || '变更',
           CASE WHEN g % 10 < 3 THEN 'open' ELSE 'closed' END,
           CASE WHEN g % 10 < 3 THEN (${sqlArray(STAGES)})[1 + g % ${STAGES.length}] ELSE 'closed' END,
           (ARRAY['low','normal','high'])[1 + g % 3],
           'sys-' || (g % 50),
           'u-' || (g % ${users}),
           CASE WHEN g % 10 >= 3 THEN '{}'::text[]
                WHEN g % 4 = 0 THEN ARRAY['u-' || ((g * 13) % ${users})]
                ELSE ARRAY[(${sqlArray(ROLES)})[1 + g % ${ROLES.length}]] END,
           CASE WHEN g % 10 < 3 THEN now() + ((g % 400) - 100) * interval '1 hour' END,
           g % 10 < 3 AND (g % 400) < 100,
           now() - (g % 365) * interval '1 day',
           now() - (g % 30) * interval '1 day',
           CASE WHEN g % 10 >= 3 THEN now() - (g % 30) * interval '1 day' END,
           '{}'::jsonb
    FROM generate_series(1, ${cases}) AS g
  `);
  // Participants: the current assignees, the role queues of two earlier steps, three people who acted.
  await db.raw(`
    INSERT INTO case_participants (case_id, participant)
    SELECT case_id, unnest(assignees) FROM cases
    UNION
    SELECT 'CHG-2026-' || lpad(g::text, 6, '0'), p
      FROM generate_series(1, ${cases}) AS g,
           unnest(ARRAY[(${sqlArray(ROLES)})[1 + (g * 3) % ${ROLES.length}],
                        (${sqlArray(ROLES)})[1 + (g * 5) % ${ROLES.length}],
                        'u-' || ((g * 17) % ${users}),
                        'u-' || ((g * 29 + 1) % ${users}),
                        'u-' || ((g * 31 + 2) % ${users})]) AS p
  `);
  const perCase = Math.max(1, Math.floor(events / cases));
  await db.raw(`
    INSERT INTO case_events (case_id, seq, type, occurred_at, recorded_at, actor, channel, data, prev_hash, hash)
    SELECT 'CHG-2026-' || lpad((1 + (g - 1) / ${perCase})::text, 6, '0'),
           1 + (g - 1) % ${perCase},
           (ARRAY['case.opened','step.opened','step.decided','sla.warning','sla.overdue','sla.escalated','stage.entered','case.note'])[1 + (g % 8)],
           now() - (g % 365) * interval '1 day',
           now() - (g % 365) * interval '1 day',
           'u-' || (g % ${users}),
           'api',
           jsonb_build_object('step', 'departmentHeadApproval', 'n', g),
           md5(g::text) || md5((g + 1)::text),
           md5((g + 2)::text) || md5((g + 3)::text)
    FROM generate_series(1, ${perCase * cases}) AS g
  `);
  await db.raw('VACUUM ANALYZE cases');
  await db.raw('VACUUM ANALYZE case_participants');
  await db.raw('VACUUM ANALYZE case_events');
}
