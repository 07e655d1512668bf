/**
 * The audit trail (case_events): append-only, hash-chained per case, idempotent per (case, seq).
 * The workflow numbers events 1, 2, 3… and may send a batch again after a retry; what is stored
 * already is checked to be the same and skipped, what is new must continue the chain without a gap.
 */
import type { Knex } from 'knex';
import type { CaseEventRecord, Channel } from '../workflows/contracts/case-records';
import { GENESIS_HASH, eventHash, normalisedInstant } from './audit-hash';
import { lockCase } from './case-lock';

/** An earlier batch has not landed yet; retrying later is the cure. */
export class CaseEventGapError extends Error {
  override name = 'CaseEventGapError';
}

/** A batch that can never be stored as it is (wrong case, holes or repeats inside it, bad fields). */
export class InvalidCaseEventBatchError extends Error {
  override name = 'InvalidCaseEventBatchError';
}

/** A different event arrived under a seq that is already recorded: the trail is never rewritten. */
export class CaseEventConflictError extends Error {
  override name = 'CaseEventConflictError';
}

const CHANNELS: Channel[] = ['api', 'email', 'offline', 'operator', 'system'];

interface CaseEventRow {
  case_id: string;
  seq: number;
  type: string;
  occurred_at: Date;
  actor: string | null;
  channel: Channel;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export interface AppendResult {
  written: number;
  /** The seq of the last event of the case after the append; 0 when it has none. */
  lastSeq: number;
}

/**
 * Appends the events of `batch` that the case does not have yet, chaining hashes from its last
 * stored event. Runs inside the caller's transaction and holds the case lock until it ends.
 */
export async function appendCaseEvents(
  trx: Knex.Transaction,
  caseId: string,
  batch: CaseEventRecord[],
): Promise<AppendResult> {
  const events = orderedBatch(caseId, batch);
  await lockCase(trx, caseId);

  const last = await trx<CaseEventRow>('case_events')
    .where({ case_id: caseId })
    .orderBy('seq', 'desc')
    .first('seq', 'hash');
  const lastSeq = last ? Number(last.seq) : 0;

  const recorded = events.filter((e) => e.seq <= lastSeq);
  if (recorded.length > 0) await assertSameAsRecorded(trx, recorded);

  const fresh = events.filter((e) => e.seq > lastSeq);
  if (fresh.length === 0) return { written: 0, lastSeq };
  if (fresh[0].seq !== lastSeq + 1) {
    throw new CaseEventGapError(
      `case ${caseId}: event #${lastSeq + 1} is not recorded yet, so #${fresh[0].seq} cannot follow; ` +
        'an earlier batch has not landed',
    );
  }

  let prevHash = last ? last.hash : GENESIS_HASH;
  const rows = fresh.map((event) => {
    const hash = eventHash(prevHash, event);
    const row = {
      case_id: event.caseId,
      seq: event.seq,
      type: event.type,
      occurred_at: event.occurredAt,
      actor: event.actor,
      channel: event.channel,
      data: JSON.stringify(event.data),
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  await trx('case_events').insert(rows);
  return { written: rows.length, lastSeq: fresh[fresh.length - 1].seq };
}

/**
 * The batch sorted by seq, consecutive, every event of this case, each in the form it takes once
 * stored (instant in UTC milliseconds, actor null rather than absent, data as JSON keeps it), so
 * the hash computed now is the hash a verifier recomputes from the row.
 */
function orderedBatch(caseId: string, batch: CaseEventRecord[]): CaseEventRecord[] {
  if (typeof caseId !== 'string' || caseId === '' || !storable(caseId)) {
    throw new InvalidCaseEventBatchError(`case id ${JSON.stringify(caseId)} cannot be stored`);
  }
  const events = batch.map((event) => storedForm(caseId, event)).sort((a, b) => a.seq - b.seq);
  for (let i = 1; i < events.length; i++) {
    if (events[i].seq !== events[i - 1].seq + 1) {
      throw new InvalidCaseEventBatchError(
        `case ${caseId}: the batch is not consecutive (#${events[i - 1].seq} is followed by #${events[i].seq})`,
      );
    }
  }
  return events;
}

function storedForm(caseId: string, event: CaseEventRecord): CaseEventRecord {
  const invalid = (why: string) =>
    new InvalidCaseEventBatchError(`case ${caseId}, event #${event.seq}: ${why}`);
  if (event.caseId !== caseId) throw invalid(`belongs to case ${event.caseId}`);
  if (!Number.isSafeInteger(event.seq) || event.seq < 1) throw invalid('seq must be a whole number from 1');
  if (typeof event.type !== 'string' || event.type === '') throw invalid('type is missing');
  if (!CHANNELS.includes(event.channel)) throw invalid(`channel must be one of ${CHANNELS.join(', ')}`);
  const actor = event.actor ?? null;
  if (actor !== null && typeof actor !== 'string') throw invalid('actor must be a user id or null');
  if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
    throw invalid('data must be an object');
  }

  let unstorable = !storable(event.type) || (actor !== null && !storable(actor));
  const dataJson = JSON.stringify(event.data, (key, value: unknown) => {
    if (!storable(key) || (typeof value === 'string' && !storable(value))) unstorable = true;
    return value;
  });
  if (unstorable) throw invalid('text with a NUL character or a lone UTF-16 surrogate cannot be stored');

  let occurredAt: string;
  try {
    occurredAt = normalisedInstant(event.occurredAt);
  } catch (err) {
    throw invalid((err as Error).message);
  }
  return {
    caseId,
    seq: event.seq,
    type: event.type,
    occurredAt,
    actor,
    channel: event.channel,
    data: JSON.parse(dataJson) as Record<string, unknown>,
  };
}

/**
 * PostgreSQL refuses NUL in text and jsonb, and a lone surrogate would reach it altered (as U+FFFD)
 * and then fail verification; refusing such text up front beats a write that can never succeed.
 */
function storable(text: string): boolean {
  return !/\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** A retried batch must carry the very events already stored under its seqs. */
async function assertSameAsRecorded(trx: Knex.Transaction, events: CaseEventRecord[]): Promise<void> {
  const stored = await trx<CaseEventRow>('case_events')
    .where({ case_id: events[0].caseId })
    .whereBetween('seq', [events[0].seq, events[events.length - 1].seq])
    .select('seq', 'prev_hash', 'hash');
  const bySeq = new Map(stored.map((row) => [Number(row.seq), row]));
  for (const event of events) {
    const row = bySeq.get(event.seq);
    if (row && eventHash(row.prev_hash, event) !== row.hash) {
      throw new CaseEventConflictError(
        `case ${event.caseId}: event #${event.seq} is already recorded with different content; the audit trail is not rewritten`,
      );
    }
  }
}

export type AuditVerification =
  { ok: true; checked: number; cases: number } | { ok: false; caseId: string; seq: number; reason: string };

const PAGE = 1000;

/**
 * Recomputes the chain of one case, or of every case, and reports the first broken link:
 * an edited event (its hash no longer matches), a deleted one (a gap in seq, or a prev_hash that
 * is not the previous event's hash), or events cut off the end (the case projection reflects
 * more events than the trail holds).
 */
export async function verifyAuditChain(db: Knex, caseId?: string): Promise<AuditVerification> {
  let checked = 0;
  let cases = 0;
  let current: {
    caseId: string;
    lastSeq: number;
    lastHash: string;
    projectionVersion: number | null;
  } | null = null;

  const endOfCase = (): AuditVerification | null => {
    if (current && current.projectionVersion !== null && current.projectionVersion > current.lastSeq) {
      return truncated(current.caseId, current.lastSeq, current.projectionVersion);
    }
    return null;
  };

  let after: { caseId: string; seq: number } | null = null;
  for (;;) {
    const page: (CaseEventRow & { projection_version: number | null })[] = await db('case_events as e')
      .leftJoin('cases as c', 'c.case_id', 'e.case_id')
      .modify((q) => {
        if (caseId !== undefined) q.where('e.case_id', caseId);
        if (after) q.whereRaw('(e.case_id, e.seq) > (?, ?)', [after.caseId, after.seq]);
      })
      .orderBy([
        { column: 'e.case_id', order: 'asc' },
        { column: 'e.seq', order: 'asc' },
      ])
      .limit(PAGE)
      .select('e.*', 'c.version as projection_version');

    for (const row of page) {
      const seq = Number(row.seq);
      if (!current || current.caseId !== row.case_id) {
        const broken = endOfCase();
        if (broken) return broken;
        current = {
          caseId: row.case_id,
          lastSeq: 0,
          lastHash: GENESIS_HASH,
          projectionVersion: row.projection_version === null ? null : Number(row.projection_version),
        };
        cases++;
      }
      const expected = current.lastSeq + 1;
      if (seq !== expected) {
        return broken(
          row.case_id,
          expected,
          `event #${expected} is missing (the next stored event is #${seq})`,
        );
      }
      if (row.prev_hash !== current.lastHash) {
        return broken(
          row.case_id,
          seq,
          seq === 1
            ? 'prev_hash of the first event is not the genesis hash'
            : `prev_hash does not match the hash of event #${seq - 1}`,
        );
      }
      const recomputed = eventHash(row.prev_hash, {
        caseId: row.case_id,
        seq,
        type: row.type,
        occurredAt: row.occurred_at.toISOString(),
        actor: row.actor,
        channel: row.channel,
        data: row.data,
      });
      if (recomputed !== row.hash) {
        return broken(row.case_id, seq, 'hash mismatch: the stored event is not the event that was recorded');
      }
      current.lastSeq = seq;
      current.lastHash = row.hash;
      checked++;
    }

    if (page.length < PAGE) break;
    const last = page[page.length - 1];
    after = { caseId: last.case_id, seq: Number(last.seq) };
  }
  const brokenTail = endOfCase();
  if (brokenTail) return brokenTail;

  // A case whose projection exists but whose every event is gone.
  const emptied = await db('cases as c')
    .where('c.version', '>', 0)
    .modify((q) => {
      if (caseId !== undefined) q.where('c.case_id', caseId);
    })
    .whereNotExists(db('case_events as e').whereRaw('e.case_id = c.case_id'))
    .orderBy('c.case_id')
    .first('c.case_id', 'c.version');
  if (emptied) return truncated(emptied.case_id as string, 0, Number(emptied.version));

  return { ok: true, checked, cases };
}

function broken(caseId: string, seq: number, reason: string): AuditVerification {
  return { ok: false, caseId, seq, reason };
}

function truncated(caseId: string, lastSeq: number, projectionVersion: number): AuditVerification {
  return broken(
    caseId,
    lastSeq + 1,
    `event #${lastSeq + 1} is missing: the case projection reflects ${projectionVersion} events ` +
      `but the trail ends at #${lastSeq}`,
  );
}
