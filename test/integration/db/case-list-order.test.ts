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
  listInboxFor,
  type CaseListFilter,
  type CaseListPosition,
  type CaseSortKey,
  type SortDirection,
} from '../../../db/api-case-queries';
import { visibleTo, type CaseReader } from '../../../db/case-access';
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

/** A department head's queue spans departments: most of it they may not read. */
const head: CaseReader = {
  id: `dhead-${run}`,
  roles: ['department_head'],
  departmentId: `dept-${run}`,
  vendorId: null,
};
const headKeys = [head.id, 'role:department_head'];
// Soonest due first: five cases of other departments, then three the head acted on (readable).
const inboxSeeds = [
  ...[1, 2, 3, 4, 5].map((n) => ({
    name: `x${n}`,
    dueAt: `2026-01-0${n}T09:00:00.000Z`,
    actor: `other-${run}`,
  })),
  { name: 'v2', dueAt: '2026-01-10T09:00:00.000Z', actor: head.id },
  { name: 'v1', dueAt: '2026-01-10T09:00:00.000Z', actor: head.id },
  { name: 'v3', dueAt: null, actor: head.id },
];
const inboxIdOf = (name: string) => `INB-${run}-${name}`;

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

beforeAll(async () => {
  for (const s of inboxSeeds) {
    const caseId = inboxIdOf(s.name);
    await recordCaseEvents({
      caseId,
      events: [
        {
          caseId,
          seq: 1,
          type: 'case.opened',
          occurredAt: '2026-01-01T00:00:00Z',
          actor: s.actor,
          channel: 'api',
          data: {},
        },
      ],
      projection: {
        caseId,
        version: 1,
        process: `inbox-${run}`,
        title: s.name,
        state: 'open',
        stage: 'departmentHeadApproval',
        priority: 'normal',
        system: null,
        requester: `requester-${run}`,
        assignees: ['role:department_head'],
        dueAt: s.dueAt,
        overdue: false,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        closedAt: null,
        fields: {},
      },
    });
  }
});

afterAll(async () => {
  const ids = [...seeds.map((s) => caseIdOf(s.name)), ...inboxSeeds.map((s) => inboxIdOf(s.name))];
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

describe('the inbox, asked in batches', () => {
  /** The inbox as one statement, as it was asked before the batches. */
  async function oneStatement(reader: CaseReader, keys: string[], limit: number): Promise<string[]> {
    const rows = await db('cases')
      .where({ state: 'open' })
      .modify(visibleTo(reader))
      .whereRaw('assignees && ?::text[]', [keys])
      .orderByRaw('due_at ASC NULLS LAST, case_id ASC')
      .limit(limit);
    return rows.map((r: { case_id: string }) => r.case_id);
  }

  it('holds what a department head may read of their queue, soonest due first, undated last', async () => {
    const inbox = await listInboxFor(db, head, headKeys, 50);
    expect(inbox.map((c) => c.caseId)).toEqual(['v1', 'v2', 'v3'].map(inboxIdOf));
  });

  it.each([1, 2, 3, 4, 50])(
    'with %p per page equals the one-statement answer, however many unreadable cases come first',
    async (limit) => {
      const inbox = await listInboxFor(db, head, headKeys, limit);
      expect(inbox.map((c) => c.caseId)).toEqual(await oneStatement(head, headKeys, limit));
    },
  );

  it('of an organisation-wide reader equals the one-statement answer', async () => {
    const keys = [opsHead.id, 'role:ops_head', 'role:department_head'];
    for (const limit of [1, 5, 50]) {
      const inbox = await listInboxFor(db, opsHead, keys, limit);
      expect(inbox.map((c) => c.caseId)).toEqual(await oneStatement(opsHead, keys, limit));
    }
  });
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
