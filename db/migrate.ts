/**
 * Runs the schema migrations. Migrations are listed in code (`migrations/index.ts`) rather
 * than discovered on disk, so the same list works from TypeScript sources, compiled JS and tests.
 * Then brings the default calendar's official holidays up to the installed `chinese-days`
 * package — data that follows a package, not a schema version, so it is a sync, not a migration.
 */
import type { Knex } from 'knex';
import { migrations } from './migrations';
import { syncOfficialHolidays, type OfficialHolidaySync } from './official-holidays';

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
  return (await prepareDatabase(db)).applied;
}

export async function prepareDatabase(
  db: Knex,
): Promise<{ applied: string[]; officialHolidays: OfficialHolidaySync | null }> {
  const [, applied] = (await db.migrate.latest({ migrationSource: source })) as [number, string[]];
  return { applied, officialHolidays: await syncOfficialHolidays(db) };
}
