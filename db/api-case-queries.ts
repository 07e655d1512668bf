/**
 * The read-model queries of the REST API: filtered, sorted case lists with keyset pagination,
 * the personal inbox (my id or any of my roles among the assignees) and a case's audit trail.
 * Every list is limited in SQL to the cases its reader may read (db/case-access.ts).
 */
import type { Knex } from 'knex';
import { visibleTo, type CaseReader } from './case-access';
import { toProjection, type CaseRow } from './cases';
import type { CaseProjection } from '../workflows/contracts/case-records';

export type CaseSortKey = 'due_at' | 'created_at' | 'updated_at';
export type SortDirection = 'asc' | 'desc';

export interface CaseListFilter {
  process?: string;
  state?: string;
  stage?: string;
  system?: string;
  priority?: string;
  overdue?: boolean;
  /** Assignee strings any of which must be among the case's assignees (my id, `role:x`…). */
  assigneesAny?: string[];
  createdFrom?: string;
  createdTo?: string;
  /** Case id or title contains this, case-insensitively. */
  text?: string;
}

/** Where the previous page ended: the sort value as PostgreSQL printed it, and the case id. */
export interface CaseListPosition {
  value: string;
  caseId: string;
}

export interface CaseListOptions {
  /** Whose list it is: only the cases they may read are listed. */
  reader: CaseReader;
  filter: CaseListFilter;
  sort: CaseSortKey;
  direction: SortDirection;
  limit: number;
  after?: CaseListPosition;
}

export interface CaseListPage {
  items: CaseProjection[];
  /** Present when there may be more: the position of the last item. */
  next: CaseListPosition | null;
}

/**
 * The sort key of each order, as an SQL expression the indexes of migration 0120 are built on
 * (the planner matches an index only on the same expression). Cases without a due time sort last
 * either way; infinity keeps the keyset comparison total. created_at and updated_at are NOT NULL:
 * the bare column is the same order and lets the (created_at, case_id) index serve it.
 */
function sortKey(sort: CaseSortKey, asc: boolean): string {
  if (sort === 'due_at') return `coalesce(due_at, '${asc ? 'infinity' : '-infinity'}'::timestamptz)`;
  return sort === 'created_at' ? 'created_at' : 'updated_at';
}

export async function listCases(db: Knex, options: CaseListOptions): Promise<CaseListPage> {
  const asc = options.direction === 'asc';
  const key = sortKey(options.sort, asc);
  const f = options.filter;
  const rows = await db('cases')
    .select('*', db.raw(`${key}::text AS sort_value`))
    .modify(visibleTo(options.reader))
    .modify((q) => {
      if (f.process !== undefined) q.where('process', f.process);
      if (f.state !== undefined) q.where('state', f.state);
      if (f.stage !== undefined) q.where('stage', f.stage);
      if (f.system !== undefined) q.where('system', f.system);
      if (f.priority !== undefined) q.where('priority', f.priority);
      if (f.overdue !== undefined) q.where('overdue', f.overdue);
      if (f.assigneesAny !== undefined) q.whereRaw('assignees && ?::text[]', [f.assigneesAny]);
      if (f.createdFrom !== undefined) q.where('created_at', '>=', f.createdFrom);
      if (f.createdTo !== undefined) q.where('created_at', '<', f.createdTo);
      if (f.text !== undefined) {
        const pattern = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q.where((w) => {
          void w.whereILike('title', pattern).orWhereILike('case_id', pattern);
        });
      }
      if (options.after) {
        q.whereRaw(`(${key}, case_id) ${asc ? '>' : '<'} (?::timestamptz, ?)`, [
          options.after.value,
          options.after.caseId,
        ]);
      }
    })
    .orderByRaw(`${key} ${asc ? 'ASC' : 'DESC'}, case_id ${asc ? 'ASC' : 'DESC'}`)
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toProjection),
    next: rows.length > options.limit && last ? { value: last.sort_value, caseId: last.case_id } : null,
  };
}

/** The inbox's order: the lists' due-time key (undated last), which cases_open_by_due_key holds. */
const DUE_KEY = `coalesce(due_at, 'infinity'::timestamptz)`;

/**
 * Open cases waiting for any of `assignees` (a user's id and `role:<r>` for each role), soonest
 * due first, undated last, ties by case id. Asked in batches: candidates taken in due order from
 * cases_open_by_due_key, the access rule applied to each batch in the same statement. Asked in
 * one statement, the planner fetched every open case of the reader's queues and hashed every case
 * those queues ever took part in (20–30 ms at 100,000 cases for a reader without an
 * organisation-wide role; README, Performance → Read model). A batch holds twice the page; when
 * too few of its cases are readable (a department head's queue spans departments) the next, four
 * times larger, continues after its last candidate — the result is the one statement's.
 */
export async function listInboxFor(
  db: Knex,
  reader: CaseReader,
  assignees: string[],
  limit: number,
): Promise<CaseProjection[]> {
  const found: CaseRow[] = [];
  let after: { sortValue: string; caseId: string } | null = null;
  for (let batch = 2 * limit; ; batch *= 4) {
    const from = after;
    const candidates = (q: Knex.QueryBuilder): void => {
      void q
        .from('cases')
        .where({ state: 'open' })
        .whereRaw('assignees && ?::text[]', [assignees])
        .modify((c) => {
          if (from) c.whereRaw(`(${DUE_KEY}, case_id) > (?::timestamptz, ?)`, [from.sortValue, from.caseId]);
        })
        .orderByRaw(`${DUE_KEY} ASC, case_id ASC`)
        .limit(batch);
    };
    const rows = await db('cases')
      .whereIn('case_id', db.select('case_id').modify(candidates))
      .modify(visibleTo(reader))
      .orderByRaw(`${DUE_KEY} ASC, case_id ASC`)
      .limit(limit - found.length);
    found.push(...rows);
    if (found.length >= limit) break;
    // Too few readable: where did the batch end, and was it full (more candidates after it)?
    const [tail] = (await db
      .select('case_id', 'sort_value', db.raw('count(*) OVER () AS n'))
      .from(
        db
          .select('case_id', db.raw(`${DUE_KEY} AS sort_key`), db.raw(`${DUE_KEY}::text AS sort_value`))
          .modify(candidates)
          .as('batch'),
      )
      .orderByRaw('sort_key DESC, case_id DESC')
      .limit(1)) as Array<{ case_id: string; sort_value: string; n: string }>;
    if (!tail || Number(tail.n) < batch) break;
    after = { sortValue: tail.sort_value, caseId: tail.case_id };
  }
  return found.map(toProjection);
}

export interface CaseEventView {
  seq: number;
  type: string;
  occurredAt: string;
  actor: string | null;
  channel: string;
  data: Record<string, unknown>;
  hash: string;
}

export async function listCaseEvents(db: Knex, caseId: string): Promise<CaseEventView[]> {
  const rows = await db('case_events').where({ case_id: caseId }).orderBy('seq');
  return rows.map((r) => ({
    seq: Number(r.seq),
    type: r.type,
    occurredAt: (r.occurred_at as Date).toISOString(),
    actor: r.actor,
    channel: r.channel,
    data: r.data,
    hash: r.hash,
  }));
}
