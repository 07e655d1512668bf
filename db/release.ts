/**
 * What the release process reads and writes outside its case: the change cases a release carries
 * (read from the `cases` read model when the application arrives) and the systems' configuration
 * records (current version, go-live date, version history) written on formal operation.
 */
import type { Knex } from 'knex';

export interface FieldProblem {
  path: string;
  message: string;
}

/** Stages of an open change that come after its approvals: it may go out with a release. */
const approvedStages = new Set([
  'designAndBuild',
  'planAndTest',
  'scheduling',
  'implementation',
  'postImplementationReview',
  'paperwork',
]);

/**
 * Why each change case a release would carry may not go with it: unknown, not a change, rejected
 * (or otherwise closed without success), or not approved yet. Empty when every one is approved.
 */
export async function unusableChanges(db: Knex, changes: string[]): Promise<FieldProblem[]> {
  if (changes.length === 0) return [];
  const rows: Array<{
    case_id: string;
    process: string;
    state: string;
    stage: string;
    fields: Record<string, unknown>;
  }> = await db('cases').whereIn('case_id', changes).select('case_id', 'process', 'state', 'stage', 'fields');
  const byId = new Map(rows.map((r) => [r.case_id, r]));
  return changes.flatMap((id, i): FieldProblem[] => {
    const path = `/changes/${i}`;
    const row = byId.get(id);
    if (!row) return [{ path, message: `there is no change case ${id}` }];
    if (row.process !== 'change') return [{ path, message: `${id} is a ${row.process} case, not a change` }];
    const outcome = typeof row.fields?.outcome === 'string' ? row.fields.outcome : null;
    if (row.state === 'closed' && outcome !== 'succeeded') {
      return [
        { path, message: `change ${id} was closed as ${outcome ?? 'unknown'}: a release cannot carry it` },
      ];
    }
    if (row.state !== 'closed' && !approvedStages.has(row.stage)) {
      return [{ path, message: `change ${id} is not approved yet (stage ${row.stage})` }];
    }
    return [];
  });
}

export interface ReleasedVersion {
  systemId: string;
  version: string;
  previousVersion: string | null;
}

/** Records each system's new version once per release (a retried call changes nothing). */
export async function recordReleasedVersions(
  db: Knex,
  input: {
    caseId: string;
    systems: Array<{ systemId: string; version: string }>;
    wentLiveAt: string;
    acceptedAt: string;
  },
): Promise<ReleasedVersion[]> {
  return db.transaction(async (trx) => {
    const recorded: ReleasedVersion[] = [];
    for (const { systemId, version } of input.systems) {
      const existing = await trx('system_versions')
        .where({ system_id: systemId, case_id: input.caseId })
        .first();
      if (existing) {
        recorded.push({ systemId, version: existing.version, previousVersion: existing.previous_version });
        continue;
      }
      const system = await trx('systems').where({ id: systemId }).forUpdate().first();
      const previousVersion: string | null = system?.current_version ?? null;
      await trx('system_versions').insert({
        system_id: systemId,
        version,
        case_id: input.caseId,
        previous_version: previousVersion,
        went_live_at: input.wentLiveAt,
        accepted_at: input.acceptedAt,
      });
      if (system) {
        await trx('systems')
          .where({ id: systemId })
          .update({ current_version: version, live_since: input.wentLiveAt, updated_at: trx.fn.now() });
      }
      recorded.push({ systemId, version, previousVersion });
    }
    return recorded;
  });
}

export interface SystemVersionRecord {
  systemId: string;
  version: string;
  previousVersion: string | null;
  caseId: string;
  wentLiveAt: string;
  acceptedAt: string;
}

/** A system's version history, newest first. */
export async function listSystemVersions(db: Knex, systemId: string): Promise<SystemVersionRecord[]> {
  const rows = await db('system_versions').where({ system_id: systemId }).orderBy('went_live_at', 'desc');
  return rows.map((r) => ({
    systemId: r.system_id,
    version: r.version,
    previousVersion: r.previous_version,
    caseId: r.case_id,
    wentLiveAt: new Date(r.went_live_at).toISOString(),
    acceptedAt: new Date(r.accepted_at).toISOString(),
  }));
}
