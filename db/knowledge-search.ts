/**
 * Search of the knowledge base in PostgreSQL full-text search, over published versions only.
 *
 * The query goes through the same segmentation as the entries (`knowledge-text.ts`); any of its
 * tokens may match, and `ts_rank` orders the matches — an entry matching more of the query, and
 * matching it in its title or problem (weight A) rather than its solution (D), comes first. That
 * suits both a typed query ("数据库 连接 超时", "connection pool exhausted") and a defect's whole
 * description, which `suggestKnowledge` ranks the same way.
 */
import type { Knex } from 'knex';
import type { CaseReader } from './case-access';
import { publishedVisibleTo } from './knowledge-access';
import { queryTokens } from './knowledge-text';

export interface KnowledgeHit {
  entryId: string;
  version: number;
  title: string;
  problem: string;
  solution: string;
  systems: string[];
  tags: string[];
  sourceCases: string[];
  publishedAt: string;
  /** ts_rank of the published version against the query; higher is better. */
  rank: number;
}

export interface SearchOptions {
  /** At most this many hits (default 10, at most 100). */
  limit?: number;
  /** Only entries tied to this system. */
  system?: string;
  /** Only entries carrying this tag. */
  tag?: string;
  /** When given, only entries this reader may read (vendor staff: their vendor's systems or none). */
  reader?: CaseReader | null;
}

/** The query as a tsquery expression and its bindings; null when it holds no searchable word. */
function tsquery(text: string): { sql: string; bindings: string[] } | null {
  const { latin, han } = queryTokens(text);
  const parts: string[] = [];
  const bindings: string[] = [];
  if (latin) {
    parts.push(`to_tsquery('english', ?)`);
    bindings.push(latin.split(' ').join(' | '));
  }
  if (han) {
    parts.push(`to_tsquery('simple', ?)`);
    bindings.push(han.split(' ').join(' | '));
  }
  return parts.length ? { sql: parts.join(' || '), bindings } : null;
}

/** Published entries matching `text`, best first. */
export async function searchKnowledge(
  db: Knex,
  text: string,
  options: SearchOptions = {},
): Promise<KnowledgeHit[]> {
  const query = tsquery(text.slice(0, 4000));
  if (!query) return [];
  const limit = Math.min(Math.max(options.limit ?? 10, 1), 100);
  const access = publishedVisibleTo(options.reader ?? null);
  const filters: string[] = [];
  const filterBindings: Knex.RawBinding[] = [];
  if (options.system) {
    filters.push('? = ANY(v.systems)');
    filterBindings.push(options.system);
  }
  if (options.tag) {
    filters.push('? = ANY(v.tags)');
    filterBindings.push(options.tag);
  }
  const { rows } = (await db.raw(
    `WITH q AS (SELECT (${query.sql}) AS query)
     SELECT v.entry_id, v.version, v.title, v.problem, v.solution, v.systems, v.tags, v.source_cases,
            e.published_at, ts_rank(v.search_document, q.query) AS rank
       FROM q, knowledge_entries e
       JOIN knowledge_entry_versions v ON v.entry_id = e.id AND v.version = e.published_version
      WHERE v.search_document @@ q.query AND ${access.sql}
        ${filters.map((f) => `AND ${f}`).join(' ')}
      ORDER BY rank DESC, e.published_at DESC, v.entry_id
      LIMIT ?`,
    [...query.bindings, ...access.bindings, ...filterBindings, limit],
  )) as {
    rows: Array<{
      entry_id: string;
      version: number;
      title: string;
      problem: string;
      solution: string;
      systems: string[];
      tags: string[];
      source_cases: string[];
      published_at: Date;
      rank: number;
    }>;
  };
  return rows.map((r) => ({
    entryId: r.entry_id,
    version: r.version,
    title: r.title,
    problem: r.problem,
    solution: r.solution,
    systems: r.systems,
    tags: r.tags,
    sourceCases: r.source_cases,
    publishedAt: r.published_at.toISOString(),
    rank: Number(r.rank),
  }));
}

/**
 * The published entries that best match a text — a defect's title and description as it is
 * registered — best first. `limit` defaults to 5. Pass `reader` to keep to what that person may
 * read (vendor staff see only their vendor's systems' entries and entries tied to no system);
 * without it every published entry counts. An empty or word-less text suggests nothing.
 *
 *   const hits = await suggestKnowledge(db, `${title}\n${actualResult}`, { limit: 3 });
 */
export async function suggestKnowledge(
  db: Knex,
  text: string,
  { limit = 5, reader = null }: { limit?: number; reader?: CaseReader | null } = {},
): Promise<KnowledgeHit[]> {
  return searchKnowledge(db, text, { limit, reader });
}
