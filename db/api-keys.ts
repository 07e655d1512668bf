/** API keys of integrations (migration 0014). The key is shown once; only its SHA-256 is stored. */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export interface ApiKeyInfo {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Creates a key acting as `userId`; the returned `key` is never retrievable again. */
export async function createApiKey(
  db: Knex,
  userId: string,
  name: string,
): Promise<ApiKeyInfo & { key: string }> {
  const id = `key_${randomBytes(6).toString('hex')}`;
  const key = `ofk_${randomBytes(32).toString('base64url')}`;
  const [row] = await db('api_keys')
    .insert({ id, key_hash: hashApiKey(key), user_id: userId, name })
    .returning(['id', 'user_id', 'name', 'created_at', 'revoked_at']);
  return { ...toInfo(row), key };
}

/** The user a live key acts as, or null. */
export async function userIdForApiKey(db: Knex, key: string): Promise<string | null> {
  const row = await db('api_keys')
    .where({ key_hash: hashApiKey(key) })
    .whereNull('revoked_at')
    .first('user_id');
  return row ? (row.user_id as string) : null;
}

export async function revokeApiKey(db: Knex, id: string): Promise<boolean> {
  const count = await db('api_keys')
    .where({ id })
    .whereNull('revoked_at')
    .update({ revoked_at: db.fn.now() });
  return count === 1;
}

export async function listApiKeys(db: Knex): Promise<ApiKeyInfo[]> {
  const rows = await db('api_keys')
    .orderBy('created_at')
    .select('id', 'user_id', 'name', 'created_at', 'revoked_at');
  return rows.map(toInfo);
}

function toInfo(row: {
  id: string;
  user_id: string;
  name: string;
  created_at: Date;
  revoked_at: Date | null;
}): ApiKeyInfo {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
  };
}
