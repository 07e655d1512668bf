/** Idempotency keys of commands on a case (migration 0026): (user, key) → request hash, update id, answer. */
import type { Knex } from 'knex';

export interface CommandKeyRecord {
  caseId: string;
  requestHash: string;
  updateId: string;
  /** The answer the case gave the first time; null while it has not answered. */
  response: Record<string, unknown> | null;
}

/** Binds the key to this request unless it is bound already; returns the record that holds. */
export async function claimCommandKey(
  db: Knex,
  userId: string,
  key: string,
  record: Omit<CommandKeyRecord, 'response'>,
): Promise<CommandKeyRecord> {
  await db('api_command_keys')
    .insert({
      user_id: userId,
      key,
      case_id: record.caseId,
      request_hash: record.requestHash,
      update_id: record.updateId,
    })
    .onConflict(['user_id', 'key'])
    .ignore();
  const row = await db('api_command_keys').where({ user_id: userId, key }).first();
  return {
    caseId: row.case_id,
    requestHash: row.request_hash,
    updateId: row.update_id,
    response: row.response,
  };
}

/** Keeps the first answer; a later one (a concurrent retry) never replaces it. */
export async function recordCommandAnswer(
  db: Knex,
  userId: string,
  key: string,
  response: unknown,
): Promise<void> {
  await db('api_command_keys')
    .where({ user_id: userId, key })
    .whereNull('response')
    .update({ response: JSON.stringify(response), answered_at: db.fn.now() });
}
