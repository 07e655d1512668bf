/**
 * The case list's order, paging and search (db/api-case-queries.ts) stay what they were when
 * migration 0120 gave them indexes: undated cases last in either direction, ties broken by case
 * id, every case exactly once across pages, search a case-insensitive "contains" with `%` and `_`
 * taken literally. And the indexes really serve the orders: the planner matches an expression
 * index only on the very same expression, so a changed sort key would silently sort again.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createCaseEventActivities } from '../../../activities/case-events';
import {
  listCases,
  type CaseListFilter,
  type CaseListPosition,
  type CaseSortKey,
  type SortDirection,
} from '../../../db/api-case-queries';
import type { CaseReader } from '../../../db/case-access';
import { createDb } from '../../../db/connection';
import type { CaseProjection } from '../../../workflows/contracts/case-records';

const url = process.env.DATABASE_URL as string;
const db = createDb(url);
const { recordCaseEvents } = createCaseEventActivities(db);
const run = randomUUID().slice(0, 8);
const process_ = `order-${run}`;
const opsHead: CaseReader = { id: `head-${run}`, roles: ['ops_head'], departmentId: null, vendorId: null };

interface Seed {
  name: string;
  title: string;
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
}

// Ties on purpose: a and b share a due time and a creation time with f; c and d have no due time.
const seeds: Seed[] = [
  {
    name: 'a',
    title: 'Disk 100% full',
    dueAt: '2026-03-03T09:00:00.000Z',
    createdAt: '2026-03-02T01:00:00.000Z',
    updatedAt: '2026-03-06T01:00:00.000Z',
  },
  {
    name: 'b',
    title: 'disk_quota raised',
    dueAt: '2026-03-03T09:00:00.000Z',
    createdAt: '2026-03-02T01:00:00.000Z',
    updatedAt: '2026-03-05T01:00:00.000Z',
  },
  {
    name: 'c',
    title: '数据库 连接超时',
    dueAt: null,
    createdAt: '2026-03-01T01:00:00.000Z',
    updatedAt: '2026-03-06T01:00:00.000Z',
  },
  {
    name: 'd',
    title: 'Firewall rule for DISKSTATION',
    dueAt: null,
    createdAt: '2026-03-04T01:00:00.000Z',
    updatedAt: '2026-03-02T01:00:00.000Z',
  },
  {
    name: 'e',
    title: '证书 expires',
    dueAt: '2026-03-01T09:00:00.000Z',
    createdAt: '2026-03-03T01:00:00.000Z',
    updatedAt: '2026-03-04T01:00:00.000Z',
  },
  {
    name: 'f',
    title: 'Patch the core switch',
    dueAt: '2026-03-05T09:00:00.000Z',
    createdAt: '2026-03-02T01:00:00.000Z',
    updatedAt: '2026-03-03T01:00:00.000Z',
  },
];
const caseIdOf = (name: string) => `ORD-${run}-${name}`;

beforeAll(async () => {
  for (const s of seeds) {
    const caseId = caseIdOf(s.name);
    const projection: CaseProjection = {
      caseId,
      version: 1,
      process: process_,
      title: s.title,
      state: 'open',
      stage: 'opsAssessment',
      priority: 'normal',
      system: null,
      requester: `requester-${run}`,
      assignees: [`engineer-${run}`],
      dueAt: s.dueAt,
      overdue: s.dueAt !== null,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      closedAt: null,
      fields: {},
    };
    const event = { caseId, seq: 1, type: 'case.opened', occurredAt: s.createdAt, actor: `requester-${run}` };
    await recordCaseEvents({ caseId, events: [{ ...event, channel: 'api', data: {} }], projection });
  }
});

afterAll(async () => {
  const ids = seeds.map((s) => caseIdOf(s.name));
  await db('case_participants').whereIn('case_id', ids).delete();
  await db('case_events').whereIn('case_id', ids).delete();
  await db('cases').whereIn('case_id', ids).delete();
  await db.destroy();
});

/** Every page of the list, `limit` at a time, following the cursor. */
async function allPages(sort: CaseSortKey, direction: SortDirection, filter: CaseListFilter = {}) {
  const names: string[] = [];
  let after: CaseListPosition | undefined;
  for (let page = 0; page < 10; page++) {
    const result = await listCases(db, {
      reader: opsHead,
      filter: { process: process_, ...filter },
      sort,
      direction,
      limit: 2,
      after,
    });
    names.push(...result.items.map((c) => c.caseId.slice(-1)));
    if (!result.next) return names;
    after = result.next;
  }
  throw new Error('the cursor never ended');
}

/** The documented order: by the sort value, undated last either way, ties by case id in the same direction. */
function expected(sort: CaseSortKey, direction: SortDirection): string[] {
  const field = { due_at: 'dueAt', created_at: 'createdAt', updated_at: 'updatedAt' }[sort] as keyof Seed;
  const sign = direction === 'asc' ? 1 : -1;
  return [...seeds]
    .sort((x, y) => {
      const vx = x[field] === null ? sign * Infinity : Date.parse(x[field] as string);
      const vy = y[field] === null ? sign * Infinity : Date.parse(y[field] as string);
      if (vx !== vy) return sign * (vx - vy);
      return sign * (caseIdOf(x.name) < caseIdOf(y.name) ? -1 : 1);
    })
    .map((s) => s.name);
}

describe('the case list', () => {
  it.each([
    ['due_at', 'asc'],
    ['due_at', 'desc'],
    ['created_at', 'asc'],
    ['created_at', 'desc'],
    ['updated_at', 'asc'],
    ['updated_at', 'desc'],
  ] as const)(
    'sorted by %s %s pages through every case once, undated last, ties by case id',
    async (sort, direction) => {
      expect(await allPages(sort, direction)).toEqual(expected(sort, direction));
    },
  );

  it('sorted by due time puts the undated cases last in both directions', async () => {
    expect((await allPages('due_at', 'asc')).slice(-2)).toEqual(['c', 'd']);
    expect((await allPages('due_at', 'desc')).slice(-2)).toEqual(['d', 'c']);
  });

  it.each([
    ['DISK', ['a', 'b', 'd']],
    ['%', ['a']],
    ['k_q', ['b']],
    ['数据库', ['c']],
    ['证书', ['e']],
    ['ru', ['d']],
    [`ORD-${run}-f`, ['f']],
    [`ord-${run}`, ['a', 'b', 'c', 'd', 'e', 'f']],
    ['no such words', []],
  ])(
    'search %p finds the cases whose title or number contains it, whatever the case',
    async (text, names) => {
      expect((await allPages('created_at', 'asc', { text })).sort()).toEqual(names);
    },
  );
});

describe('the indexes of migration 0120', () => {
  /** The plan of the query listCases sends, with sorting and full scans priced out of reach. */
  async function planOf(
    sort: CaseSortKey,
    direction: SortDirection,
    filter: CaseListFilter,
  ): Promise<string> {
    const sent: Array<{ sql: string; bindings: unknown[] }> = [];
    const capture = (q: { sql: string; bindings: unknown[] }) => sent.push(q);
    db.on('query', capture);
    try {
      await listCases(db, { reader: opsHead, filter, sort, direction, limit: 50 });
    } finally {
      db.off('query', capture);
    }
    const client = new pg.Client(url);
    await client.connect();
    try {
      await client.query('SET enable_sort = off; SET enable_seqscan = off; SET enable_bitmapscan = off');
      const { rows } = await client.query(`EXPLAIN ${sent[0].sql}`, sent[0].bindings);
      return rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    } finally {
      await client.end();
    }
  }

  it('the overdue list is read in order from the due-time key index, not sorted', async () => {
    const plan = await planOf('due_at', 'asc', { state: 'open', overdue: true });
    expect(plan).toMatch(/Index Scan using cases_(overdue|open)_by_due_key/);
    expect(plan).not.toMatch(/Sort/);
  });

  it('the newest-first default is read backwards from (created_at, case_id), not sorted', async () => {
    const plan = await planOf('created_at', 'desc', {});
    expect(plan).toMatch(/Index Scan Backward using cases_by_created/);
    expect(plan).not.toMatch(/Sort/);
  });
});
