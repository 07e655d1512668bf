/** The test database: the real PostgreSQL the global setup started. */
import type { Knex } from 'knex';
import { createDb } from '../../db/connection';

export function testDb(): Knex {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: the global setup starts PostgreSQL');
  return createDb(url, 4);
}

/** Polls until `read` returns something truthy, for state written asynchronously (activities). */
export async function eventually<T>(
  read: () => Promise<T>,
  what: string,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
