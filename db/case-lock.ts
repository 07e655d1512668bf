/**
 * Serialises every write to one case: the audit append reads the last event and then inserts
 * after it, which is only right if no other transaction does the same for that case meanwhile.
 * A transaction-scoped advisory lock is released by COMMIT or ROLLBACK, so it cannot leak; taking
 * it again in the same transaction succeeds at once.
 */
import type { Knex } from 'knex';

export async function lockCase(trx: Knex.Transaction, caseId: string): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [caseId]);
}
