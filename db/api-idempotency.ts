/** Idempotency keys of case starts (migration 0013): (user, key) → reserved case number + request hash. */
import type { Knex } from 'knex';

export interface IdempotencyRecord {
  caseId: string;
  requestHash: string;
  started: boolean;
}

export async function findIdempotencyKey(
  db: Knex,
  userId: string,
  key: string,
): Promise<IdempotencyRecord | null> {
  const row = await db('api_idempotency_keys').where({ user_id: userId, key }).first();
  return row
    ? { caseId: row.case_id, requestHash: row.request_hash, started: row.started_at !== null }
    : null;
}

/**
 * Records the key for a freshly reserved case number, inside the caller's transaction. Returns
 * the record that won: a concurrent request with the same key may have committed first.
 */
export async function recordIdempotencyKey(
  trx: Knex.Transaction,
  userId: string,
  key: string,
  requestHash: string,
  caseId: string,
): Promise<boolean> {
  const inserted = await trx('api_idempotency_keys')
    .insert({ user_id: userId, key, request_hash: requestHash, case_id: caseId })
    .onConflict(['user_id', 'key'])
    .ignore()
    .returning('case_id');
  return inserted.length === 1;
}

export async function markIdempotencyKeyStarted(db: Knex, userId: string, key: string): Promise<void> {
  await db('api_idempotency_keys')
    .where({ user_id: userId, key })
    .whereNull('started_at')
    .update({ started_at: db.fn.now() });
}
