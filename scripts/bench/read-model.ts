/**
 * Read-model latency at size: the inbox, the overdue list and case search, through the same db
 * functions the API calls (db/api-case-queries.ts), on CASES cases and EVENTS audit events
 * bulk-inserted into a throw-away PostgreSQL with generate_series. Prints p50/p95/p99 per query,
 * QUERIES runs each, after a warm-up. A bare `SELECT 1` round trip on the same pool is the
 * baseline.
 *
 *   npm run bench:read-model      (CASES=100000 EVENTS=2000000 QUERIES=300 by default)
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { listCaseEvents, listCases, listInboxFor } from '../../db/api-case-queries';
import type { CaseReader } from '../../db/case-access';
import { createDb } from '../../db/connection';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { migrateLatest } from '../../db/migrate';
import { runMain } from '../../runtime/config';
import { say } from './bench-stack';
import { measure, summarize, type LatencySummary } from './latency';

/** Lists and search as the O&M head reads them: every case (the access rule's widest reader). */
const opsHead: CaseReader = { id: 'u-ops-head', roles: ['ops_head'], departmentId: null, vendorId: null };

/** A person's inbox, through the access rule as that person (not an organisation-wide reader). */
function inboxOf(db: Knex, userId: string, queues: string[]) {
  const roles = queues.map((q) => q.replace(/^role:/, ''));
  const reader: CaseReader = { id: userId, roles, departmentId: 'd-1', vendorId: null };
  return listInboxFor(db, reader, [userId, ...queues], 50);
}

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CASES = env('CASES', 100_000);
const EVENTS = env('EVENTS', 2_000_000);
const QUERIES = env('QUERIES', 300);
const USERS = 2000;

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'opsflow-bench-'));
  chmodSync(root, 0o755);
  say(`Starting PostgreSQL (throw-away data in ${root})…`);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg') });
  const db = createDb(pg.url, 10);
  try {
    await migrateLatest(db);
    const loadStart = Date.now();
    await fill(db);
    say(
      `  ${CASES} cases and ${EVENTS} audit events inserted and analysed in ${((Date.now() - loadStart) / 1000).toFixed(1)} s`,
    );
    const [{ open, overdue }] = (
      await db.raw(
        `SELECT count(*) FILTER (WHERE state = 'open') AS open, count(*) FILTER (WHERE overdue) AS overdue FROM cases`,
      )
    ).rows;
    say(`  ${open} open, ${overdue} overdue`);

    let i = 0;
    const pick = <T>(xs: T[]) => xs[i++ % xs.length];
    const words = ['disk', 'firewall', 'database', 'certificate', 'backup', 'network', 'core', 'patch'];
    const rows: Array<[string, LatencySummary]> = [];
    const run = async (name: string, work: () => Promise<unknown>) => {
      await measure(Math.min(50, QUERIES), 4, () => work().then(() => undefined));
      rows.push([name, summarize(await measure(QUERIES, 1, () => work().then(() => undefined)))]);
    };
    await run('baseline: SELECT 1', () => db.raw('SELECT 1'));
    await run('inbox of a person with 2 roles (50 soonest due)', () =>
      inboxOf(db, `u-${(i++ * 7919) % USERS}`, [pick(ROLES), pick(ROLES)]),
    );
    await run('overdue list (open, overdue, soonest due, 50)', () =>
      listCases(db, {
        reader: opsHead,
        filter: { state: 'open', overdue: true },
        sort: 'due_at',
        direction: 'asc',
        limit: 50,
      }),
    );
    await run('overdue list of one process, page 2', async () => {
      const first = await listCases(db, {
        reader: opsHead,
        filter: { state: 'open', overdue: true, process: pick(PROCESSES) },
        sort: 'due_at',
        direction: 'asc',
        limit: 50,
      });
      if (first.next)
        await listCases(db, {
          reader: opsHead,
          filter: { state: 'open', overdue: true },
          sort: 'due_at',
          direction: 'asc',
          limit: 50,
          after: first.next,
        });
    });
    await run('case search: title or id contains a word (newest 50)', () =>
      listCases(db, {
        reader: opsHead,
        filter: { text: pick(words) },
        sort: 'created_at',
        direction: 'desc',
        limit: 50,
      }),
    );
    await run('case search: a case number', () =>
      listCases(db, {
        reader: opsHead,
        filter: { text: `CHG-2026-${String(1 + ((i++ * 104729) % CASES)).padStart(6, '0')}` },
        sort: 'created_at',
        direction: 'desc',
        limit: 50,
      }),
    );
    await run('audit trail of one case', () =>
      listCaseEvents(db, `CHG-2026-${String(1 + ((i++ * 7919) % CASES)).padStart(6, '0')}`),
    );

    const ms = (v: number) => v.toFixed(2).padStart(8);
    say(
      [
        '',
        `Read model: ${CASES} cases, ${EVENTS} audit events, ${QUERIES} queries each, one at a time (ms)`,
        '',
        '| query | p50 | p95 | p99 |',
        '| --- | ---: | ---: | ---: |',
        ...rows.map(([name, l]) => `| ${name} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} |`),
      ].join('\n'),
    );
  } finally {
    await db.destroy();
    await pg.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

const PROCESSES = ['change', 'access', 'release', 'emergency', 'defect', 'handover'];
const ROLES = [
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
const sqlArray = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]`;

/** One statement per table: rows made by PostgreSQL itself, then indexes brought up to date. */
async function fill(db: Knex): Promise<void> {
  // 30 % open; of the open ones a quarter past due. Assignee: a role, or a person (1 in 4).
  await db.raw(`
    INSERT INTO cases (case_id, version, process, title, state, stage, priority, "system", requester,
                       assignees, due_at, overdue, created_at, updated_at, closed_at, fields)
    SELECT 'CHG-2026-' || lpad(g::text, 6, '0'),
           20,
           (${sqlArray(PROCESSES)})[1 + g % ${PROCESSES.length}],
           'Change ' || g || ': ' || (ARRAY['disk','firewall','database','certificate','backup','network','core','patch'])[1 + (g * 7) % 8]
             || ' on system ' || (g % 50),
           CASE WHEN g % 10 < 3 THEN 'open' ELSE 'closed' END,
           CASE WHEN g % 10 < 3 THEN (${sqlArray(STAGES)})[1 + g % ${STAGES.length}] ELSE 'closed' END,
           (ARRAY['low','normal','high'])[1 + g % 3],
           'sys-' || (g % 50),
           'u-' || (g % ${USERS}),
           CASE WHEN g % 10 >= 3 THEN '{}'::text[]
                WHEN g % 4 = 0 THEN ARRAY['u-' || ((g * 13) % ${USERS})]
                ELSE ARRAY[(${sqlArray(ROLES)})[1 + g % ${ROLES.length}]] END,
           CASE WHEN g % 10 < 3 THEN now() + ((g % 400) - 100) * interval '1 hour' END,
           g % 10 < 3 AND (g % 400) < 100,
           now() - (g % 365) * interval '1 day',
           now() - (g % 30) * interval '1 day',
           CASE WHEN g % 10 >= 3 THEN now() - (g % 30) * interval '1 day' END,
           '{}'::jsonb
    FROM generate_series(1, ${CASES}) AS g
  `);
  const perCase = Math.max(1, Math.floor(EVENTS / CASES));
  await db.raw(`
    INSERT INTO case_events (case_id, seq, type, occurred_at, recorded_at, actor, channel, data, prev_hash, hash)
    SELECT 'CHG-2026-' || lpad((1 + (g - 1) / ${perCase})::text, 6, '0'),
           1 + (g - 1) % ${perCase},
           (ARRAY['case.opened','step.opened','step.decided','sla.warning','sla.overdue','sla.escalated','stage.entered','case.note'])[1 + (g % 8)],
           now() - (g % 365) * interval '1 day',
           now() - (g % 365) * interval '1 day',
           'u-' || (g % ${USERS}),
           'api',
           jsonb_build_object('step', 'departmentHeadApproval', 'n', g),
           md5(g::text) || md5((g + 1)::text),
           md5((g + 2)::text) || md5((g + 3)::text)
    FROM generate_series(1, ${perCase * CASES}) AS g
  `);
  await db.raw('VACUUM ANALYZE cases');
  await db.raw('VACUUM ANALYZE case_events');
}

runMain(main);
