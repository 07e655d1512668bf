/**
 * The knowledge base's entries and their versions (migration 0085). Every edit is a new version,
 * kept for good; a version is `in_review` until its review case decides, then `published` (the
 * entry's current text; the one before it becomes `superseded`), `rejected`, or `returned` (sent
 * back for changes, followed by the revised version). One review at a time per entry.
 */
import type { Knex } from 'knex';
import { segment } from './knowledge-text';

export type KnowledgeOrigin = 'manual' | 'defect' | 'emergency' | 'change';
export type VersionStatus = 'in_review' | 'published' | 'superseded' | 'rejected' | 'returned';

/** What an entry says (004 §6.2.1 a: description, analysis and solution of a common problem). */
export interface KnowledgeContent {
  title: string;
  problem: string;
  symptoms: string;
  cause: string;
  solution: string;
  systems: string[];
  tags: string[];
  /** Case numbers the entry was learnt from (DEF-…, EMG-…, CHG-…). */
  sourceCases: string[];
}

export interface KnowledgeVersion extends KnowledgeContent {
  entryId: string;
  version: number;
  origin: KnowledgeOrigin;
  status: VersionStatus;
  reviewCaseId: string | null;
  author: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface KnowledgeEntry {
  id: string;
  createdBy: string;
  createdAt: string;
  publishedVersion: number | null;
  publishedAt: string | null;
  latestVersion: number;
  /** The published version, the text readers get; null until one is approved. */
  current: KnowledgeVersion | null;
  /** The version under review, if any, and the case deciding it. */
  inReview: { version: number; reviewCaseId: string | null } | null;
}

interface VersionRow {
  entry_id: string;
  version: number;
  title: string;
  problem: string;
  symptoms: string;
  cause: string;
  solution: string;
  systems: string[];
  tags: string[];
  source_cases: string[];
  origin: KnowledgeOrigin;
  status: VersionStatus;
  review_case_id: string | null;
  author: string;
  created_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toVersion(r: VersionRow): KnowledgeVersion {
  return {
    entryId: r.entry_id,
    version: r.version,
    title: r.title,
    problem: r.problem,
    symptoms: r.symptoms,
    cause: r.cause,
    solution: r.solution,
    systems: r.systems,
    tags: r.tags,
    sourceCases: r.source_cases,
    origin: r.origin,
    status: r.status,
    reviewCaseId: r.review_case_id,
    author: r.author,
    createdAt: r.created_at.toISOString(),
    decidedBy: r.decided_by,
    decidedAt: iso(r.decided_at),
  };
}

export const VERSION_COLUMNS = [
  'entry_id',
  'version',
  'title',
  'problem',
  'symptoms',
  'cause',
  'solution',
  'systems',
  'tags',
  'source_cases',
  'origin',
  'status',
  'review_case_id',
  'author',
  'created_at',
  'decided_by',
  'decided_at',
];

/**
 * The version's search document: title and problem weigh most (A), then symptoms, systems and
 * tags (B), the cause (C), the solution least (D) — a reader searches by what they see.
 */
function searchDocument(db: Knex, c: KnowledgeContent): Knex.Raw {
  const part = (text: string, weight: 'A' | 'B' | 'C' | 'D') => {
    const { latin, han } = segment(text);
    return db.raw(`setweight(to_tsvector('english', ?) || to_tsvector('simple', ?), '${weight}')`, [
      latin,
      han,
    ]);
  };
  const parts = [
    part(`${c.title}\n${c.problem}`, 'A'),
    part(`${c.symptoms}\n${c.systems.join(' ')}\n${c.tags.join(' ')}`, 'B'),
    part(c.cause, 'C'),
    part(c.solution, 'D'),
  ];
  return db.raw(parts.map(() => '?').join(' || '), parts);
}

function versionRow(
  db: Knex,
  entryId: string,
  version: number,
  input: { content: KnowledgeContent; origin: KnowledgeOrigin; author: string; reviewCaseId: string | null },
) {
  const c = input.content;
  return {
    entry_id: entryId,
    version,
    title: c.title,
    problem: c.problem,
    symptoms: c.symptoms,
    cause: c.cause,
    solution: c.solution,
    systems: c.systems,
    tags: c.tags,
    source_cases: c.sourceCases,
    origin: input.origin,
    status: 'in_review',
    review_case_id: input.reviewCaseId,
    author: input.author,
    search_document: searchDocument(db, c),
  };
}

export interface NewVersion {
  content: KnowledgeContent;
  origin: KnowledgeOrigin;
  author: string;
  reviewCaseId: string | null;
}

/** A new entry with its first version, under review. */
export async function createEntry(
  db: Knex,
  input: NewVersion,
): Promise<{ entryId: string; version: number }> {
  return db.transaction(async (trx) => {
    const { rows } = (await trx.raw(
      `SELECT 'KB-' || lpad(nextval('knowledge_entry_numbers')::text, 6, '0') AS id`,
    )) as { rows: Array<{ id: string }> };
    const entryId = rows[0].id;
    await trx('knowledge_entries').insert({ id: entryId, created_by: input.author, latest_version: 1 });
    await trx('knowledge_entry_versions').insert(versionRow(trx, entryId, 1, input));
    return { entryId, version: 1 };
  });
}

/** What an edit found: the new version, the version already under review, or no such entry. */
export type EditResult =
  { version: number } | { pending: { version: number; reviewCaseId: string | null } } | null;

/** An edit: the next version, under review; not made while another version is under review. */
export async function addVersion(db: Knex, entryId: string, input: NewVersion): Promise<EditResult> {
  return db.transaction(async (trx) => {
    const entry = (await trx('knowledge_entries').where({ id: entryId }).forUpdate().first()) as
      { latest_version: number } | undefined;
    if (!entry) return null;
    const open = (await trx('knowledge_entry_versions')
      .where({ entry_id: entryId, status: 'in_review' })
      .first('version', 'review_case_id')) as { version: number; review_case_id: string | null } | undefined;
    if (open) return { pending: { version: open.version, reviewCaseId: open.review_case_id } };
    const version = entry.latest_version + 1;
    await trx('knowledge_entry_versions').insert(versionRow(trx, entryId, version, input));
    await trx('knowledge_entries').where({ id: entryId }).update({ latest_version: version });
    return { version };
  });
}

/** Undoes a version whose review case could not be started, so the entry is not blocked. */
export async function discardVersion(db: Knex, entryId: string, version: number): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('knowledge_entry_versions').where({ entry_id: entryId, version, status: 'in_review' }).delete();
    if (version === 1)
      await trx('knowledge_entries').where({ id: entryId, published_version: null }).delete();
    else
      await trx('knowledge_entries')
        .where({ id: entryId })
        .update({ latest_version: version - 1 });
  });
}

/** The review approved the version: it becomes the entry's current text. Idempotent. */
export async function publishVersion(
  db: Knex,
  input: { entryId: string; version: number; decidedBy: string | null },
): Promise<{ published: boolean }> {
  return db.transaction(async (trx) => {
    const row = (await trx('knowledge_entry_versions')
      .where({ entry_id: input.entryId, version: input.version })
      .forUpdate()
      .first('status')) as { status: VersionStatus } | undefined;
    if (!row) return { published: false };
    if (row.status === 'published' || row.status === 'superseded') return { published: true };
    await trx('knowledge_entry_versions')
      .where({ entry_id: input.entryId, status: 'published' })
      .update({ status: 'superseded' });
    await trx('knowledge_entry_versions')
      .where({ entry_id: input.entryId, version: input.version })
      .update({ status: 'published', decided_by: input.decidedBy, decided_at: trx.fn.now() });
    await trx('knowledge_entries')
      .where({ id: input.entryId })
      .update({ published_version: input.version, published_at: trx.fn.now() });
    return { published: true };
  });
}

/** The review ended without publishing (rejected) or sent the version back (returned). Idempotent. */
export async function closeVersion(
  db: Knex,
  input: { entryId: string; version: number; status: 'rejected' | 'returned'; decidedBy: string | null },
): Promise<void> {
  await db('knowledge_entry_versions')
    .where({ entry_id: input.entryId, version: input.version, status: 'in_review' })
    .update({ status: input.status, decided_by: input.decidedBy, decided_at: db.fn.now() });
}

/**
 * A revision asked for in review: the version under review is `returned` and the revised text is
 * the next version, under the same review case. Idempotent: a retry finds the revision made.
 */
export async function reviseVersion(
  db: Knex,
  input: {
    entryId: string;
    basedOn: number;
    changes: Partial<KnowledgeContent>;
    author: string;
    caseId: string;
  },
): Promise<number> {
  return db.transaction(async (trx) => {
    const entry = (await trx('knowledge_entries').where({ id: input.entryId }).forUpdate().first()) as {
      latest_version: number;
    };
    const base = (await trx('knowledge_entry_versions')
      .where({ entry_id: input.entryId, version: input.basedOn })
      .first(VERSION_COLUMNS)) as VersionRow;
    if (base.status !== 'in_review') return entry.latest_version;
    const current = toVersion(base);
    const content: KnowledgeContent = { ...pickContent(current), ...input.changes };
    await trx('knowledge_entry_versions')
      .where({ entry_id: input.entryId, version: input.basedOn })
      .update({ status: 'returned', decided_at: trx.fn.now() });
    const version = entry.latest_version + 1;
    await trx('knowledge_entry_versions').insert(
      versionRow(trx, input.entryId, version, {
        content,
        origin: current.origin,
        author: input.author,
        reviewCaseId: input.caseId,
      }),
    );
    await trx('knowledge_entries').where({ id: input.entryId }).update({ latest_version: version });
    return version;
  });
}

export function pickContent(v: KnowledgeContent): KnowledgeContent {
  return {
    title: v.title,
    problem: v.problem,
    symptoms: v.symptoms,
    cause: v.cause,
    solution: v.solution,
    systems: v.systems,
    tags: v.tags,
    sourceCases: v.sourceCases,
  };
}

export async function listVersions(db: Knex, entryId: string): Promise<KnowledgeVersion[]> {
  const rows = (await db('knowledge_entry_versions')
    .where({ entry_id: entryId })
    .orderBy('version')
    .select(VERSION_COLUMNS)) as VersionRow[];
  return rows.map(toVersion);
}

export async function getVersion(
  db: Knex,
  entryId: string,
  version: number,
): Promise<KnowledgeVersion | null> {
  const row = (await db('knowledge_entry_versions')
    .where({ entry_id: entryId, version })
    .first(VERSION_COLUMNS)) as VersionRow | undefined;
  return row ? toVersion(row) : null;
}

export async function getEntry(db: Knex, entryId: string): Promise<KnowledgeEntry | null> {
  const entry = (await db('knowledge_entries').where({ id: entryId }).first()) as
    | {
        id: string;
        created_by: string;
        created_at: Date;
        published_version: number | null;
        published_at: Date | null;
        latest_version: number;
      }
    | undefined;
  if (!entry) return null;
  const current = entry.published_version ? await getVersion(db, entryId, entry.published_version) : null;
  const open = (await db('knowledge_entry_versions')
    .where({ entry_id: entryId, status: 'in_review' })
    .first('version', 'review_case_id')) as { version: number; review_case_id: string | null } | undefined;
  return {
    id: entry.id,
    createdBy: entry.created_by,
    createdAt: entry.created_at.toISOString(),
    publishedVersion: entry.published_version,
    publishedAt: iso(entry.published_at),
    latestVersion: entry.latest_version,
    current,
    inReview: open ? { version: open.version, reviewCaseId: open.review_case_id } : null,
  };
}

/** Systems named that the systems register does not hold, as indexes into the list. */
export async function unknownSystems(db: Knex, systems: string[]): Promise<number[]> {
  if (systems.length === 0) return [];
  const known = new Set(
    ((await db('systems').whereIn('id', systems).select('id')) as Array<{ id: string }>).map((r) => r.id),
  );
  return systems.map((s, i) => (known.has(s) ? -1 : i)).filter((i) => i >= 0);
}

/** The version a review case was opened for (its first; revisions follow under the same case). */
export async function versionOpenedBy(db: Knex, caseId: string): Promise<KnowledgeVersion | null> {
  const row = (await db('knowledge_entry_versions')
    .where({ review_case_id: caseId })
    .orderBy('version')
    .first(VERSION_COLUMNS)) as VersionRow | undefined;
  return row ? toVersion(row) : null;
}
