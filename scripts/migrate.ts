/** `npm run migrate`: brings the schema up to date (the dev stack also does this at every start). */
import { createDb } from '../db/connection';
import { commandDatabaseUrl } from '../db/database-url';
import { migrateLatest } from '../db/migrate';
import { loadConfig, runMain } from '../runtime/config';

async function main(): Promise<void> {
  const db = createDb(commandDatabaseUrl(loadConfig(undefined, { needsSecrets: false })), 1);
  try {
    const applied = await migrateLatest(db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema already up to date\n');
  } finally {
    await db.destroy();
  }
}

runMain(main);
