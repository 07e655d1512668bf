/**
 * Runs the schema migrations. Migrations are listed in code (`migrations/index.ts`) rather
 * than discovered on disk, so the same list works from TypeScript sources, compiled JS and tests.
 */
import type { Knex } from 'knex';
import { migrations } from './migrations';

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map((m) => m.name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find((m) => m.name === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found;
  },
};

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource: source })) as [number, string[]];
  return applied;
}
