/**
 * A database of its own for a change test file, on the PostgreSQL the global setup started:
 * the change process reads master data that other files write concurrently (freeze periods,
 * maintenance windows, role holders), so each change file migrates a fresh database and its
 * worker's activities use it.
 */
import type { Knex } from 'knex';
import { createDb } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';
import { testDb } from './db';

export interface IsolatedDb {
  db: Knex;
  drop(): Promise<void>;
}

export async function isolatedChangeDb(label: string): Promise<IsolatedDb> {
  const name = `chg_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = testDb();
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), 4);
  await migrateLatest(db);
  return {
    db,
    async drop() {
      await db.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
      await admin.destroy();
    },
  };
}
