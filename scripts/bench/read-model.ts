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
import { PROCESSES, ROLES, WORDS, WORDS_ZH, caseNumber, fillReadModel } from './read-model-data';

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
    await fillReadModel(db, { cases: CASES, events: EVENTS, users: USERS });
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
    await run('overdue list of one process, then page 2', async () => {
      const process = pick(PROCESSES);
      const first = await listCases(db, {
        reader: opsHead,
        filter: { state: 'open', overdue: true, process },
        sort: 'due_at',
        direction: 'asc',
        limit: 50,
      });
      if (first.next)
        await listCases(db, {
          reader: opsHead,
          filter: { state: 'open', overdue: true, process },
          sort: 'due_at',
          direction: 'asc',
          limit: 50,
          after: first.next,
        });
    });
    await run('all cases, newest first (the list default, 50)', () =>
      listCases(db, { reader: opsHead, filter: {}, sort: 'created_at', direction: 'desc', limit: 50 }),
    );
    const search = (text: string) =>
      listCases(db, { reader: opsHead, filter: { text }, sort: 'created_at', direction: 'desc', limit: 50 });
    await run('case search: a word in 1/8 of titles (newest 50)', () => search(pick(WORDS)));
    await run('case search: a Chinese word in 1/8 of titles', () => search(pick(WORDS_ZH)));
    await run('case search: a phrase in 1/200 of titles', () => {
      const g = i++ * 7919;
      return search(`${WORDS[(g * 7) % 8]} on system ${g % 50} /`);
    });
    await run('case search: a case number', () => search(caseNumber(1 + ((i++ * 104729) % CASES))));
    await run('audit trail of one case', () => listCaseEvents(db, caseNumber(1 + ((i++ * 7919) % CASES))));

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

runMain(main);
