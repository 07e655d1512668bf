/**
 * `npm run migrate`: brings the schema up to date and syncs the default calendar's official
 * holidays (the dev stack also does this at every start).
 */
import { createDb } from '../db/connection';
import { commandDatabaseUrl } from '../db/database-url';
import { prepareDatabase } from '../db/migrate';
import { loadConfig, runMain } from '../runtime/config';

async function main(): Promise<void> {
  const db = createDb(commandDatabaseUrl(loadConfig(undefined, { needsSecrets: false })), 1);
  try {
    const { applied, officialHolidays: sync } = await prepareDatabase(db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema already up to date\n');
    if (sync) {
      const span = sync.years.length ? `${Math.min(...sync.years)}-${Math.max(...sync.years)}` : 'no years';
      const admin = sync.adminYears.length ? `; left to the admin: ${sync.adminYears.join(', ')}` : '';
      process.stdout.write(
        `calendar ${sync.calendarId}: official holidays ${span} from chinese-days ${sync.packageVersion}${admin}\n`,
      );
    }
  } finally {
    await db.destroy();
  }
}

runMain(main);
