/** The test database: the real PostgreSQL the global setup started. */
import type { Knex } from 'knex';
import pg from 'pg';
import { createDb } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';

export function testDb(): Knex {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: the global setup starts PostgreSQL');
  return createDb(url, 4);
}

/**
 * A database of its own on the test server, migrated, for a file that rewrites users and master
 * data (the fuzzer): whatever it leaves behind cannot reach the files that run after it. Its case
 * numbers start at 900001. `drop` removes it, closing any connection still open.
 */
export async function throwAwayDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const shared = process.env.DATABASE_URL;
  if (!shared) throw new Error('DATABASE_URL is not set: the global setup starts PostgreSQL');
  const database = `${name}_${process.pid}_${Date.now()}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: shared });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${database}"`);
  const url = new URL(shared);
  url.pathname = `/${database}`;
  const db = createDb(url.toString(), 1);
  try {
    await migrateLatest(db);
    // The Temporal server is shared: a case number this database hands out must not be one the
    // shared database hands out too (a workflow id Temporal already knows refuses the start).
    await db.raw(`
      CREATE FUNCTION throw_away_case_numbers() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.last_value := NEW.last_value + 900000; RETURN NEW; END $$;
      CREATE TRIGGER throw_away_case_numbers BEFORE INSERT ON case_number_counters
      FOR EACH ROW EXECUTE FUNCTION throw_away_case_numbers();`);
  } finally {
    await db.destroy();
  }
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`) };
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
