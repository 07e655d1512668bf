/**
 * The case read model (cases): one row per case, written from the workflow's projection and read
 * by inboxes and lists. Activities may deliver projections late or twice; the row only moves
 * forward in version, so a stale write can never undo a newer one.
 */
import type { Knex } from 'knex';
import type { CaseProjection, PendingStepSummary } from '../workflows/contracts/case-records';

/** A `cases` row as pg returns it. */
export interface CaseRow {
  case_id: string;
  version: number;
  process: string;
  title: string;
  state: string;
  stage: string;
  priority: string;
  system: string | null;
  requester: string;
  assignees: string[];
  due_at: Date | null;
  overdue: boolean;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  fields: Record<string, unknown>;
  pending_steps?: PendingStepSummary[];
}

/** Writes the projection unless the stored row is as new or newer; true when it was written. */
export async function upsertCaseProjection(db: Knex, projection: CaseProjection): Promise<boolean> {
  const result = await db.raw(
    `INSERT INTO cases (case_id, version, process, title, state, stage, priority, "system", requester,
                        assignees, due_at, overdue, created_at, updated_at, closed_at, fields, pending_steps)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)
     ON CONFLICT (case_id) DO UPDATE SET
       version = excluded.version, process = excluded.process, title = excluded.title,
       state = excluded.state, stage = excluded.stage, priority = excluded.priority,
       "system" = excluded."system", requester = excluded.requester, assignees = excluded.assignees,
       due_at = excluded.due_at, overdue = excluded.overdue, created_at = excluded.created_at,
       updated_at = excluded.updated_at, closed_at = excluded.closed_at, fields = excluded.fields,
       pending_steps = excluded.pending_steps
     WHERE cases.version < excluded.version`,
    [
      projection.caseId,
      projection.version,
      projection.process,
      projection.title,
      projection.state,
      projection.stage,
      projection.priority,
      projection.system,
      projection.requester,
      projection.assignees,
      projection.dueAt,
      projection.overdue,
      projection.createdAt,
      projection.updatedAt,
      projection.closedAt,
      JSON.stringify(projection.fields ?? {}),
      JSON.stringify(projection.pendingSteps ?? []),
    ],
  );
  return (result as { rowCount: number }).rowCount === 1;
}

export async function getCase(db: Knex, caseId: string): Promise<CaseProjection | null> {
  const row = await db<CaseRow>('cases').where({ case_id: caseId }).first();
  return row ? toProjection(row) : null;
}

export interface ListOptions {
  limit?: number;
}

/** Open cases waiting for the user, soonest due first; those without a due time last. */
export async function listInbox(
  db: Knex,
  userId: string,
  options: ListOptions = {},
): Promise<CaseProjection[]> {
  const rows = await db<CaseRow>('cases')
    .where({ state: 'open' })
    .whereRaw('assignees @> ARRAY[?]::text[]', [userId])
    .orderByRaw('due_at ASC NULLS LAST, case_id ASC')
    .limit(listLimit(options));
  return rows.map(toProjection);
}

/** Open cases past their due time, longest overdue first. */
export async function listOverdue(
  db: Knex,
  options: ListOptions & { process?: string } = {},
): Promise<CaseProjection[]> {
  const rows = await db<CaseRow>('cases')
    .where({ overdue: true, state: 'open' })
    .modify((q) => {
      if (options.process !== undefined) q.where({ process: options.process });
    })
    .orderByRaw('due_at ASC NULLS LAST, case_id ASC')
    .limit(listLimit(options));
  return rows.map(toProjection);
}

function listLimit(options: ListOptions): number {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError('limit must be 1 to 1000');
  return limit;
}

export function toProjection(row: CaseRow): CaseProjection {
  const iso = (value: Date | null) => (value ? value.toISOString() : null);
  return {
    caseId: row.case_id,
    version: Number(row.version),
    process: row.process,
    title: row.title,
    state: row.state,
    stage: row.stage,
    priority: row.priority,
    system: row.system,
    requester: row.requester,
    assignees: row.assignees,
    dueAt: iso(row.due_at),
    overdue: row.overdue,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: iso(row.closed_at),
    fields: row.fields,
    pendingSteps: row.pending_steps ?? [],
  };
}
