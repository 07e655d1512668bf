/**
 * `npm run calendar:import -- <file>`: reads a working calendar from a .json or .csv file
 * (db/seeds/calendars/README.md), checks it, and saves it, replacing a calendar with the same id.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CalendarImportError, calendarFormatOf, parseCalendarFile } from '../db/calendar-import';
import { saveCalendar } from '../db/calendars';
import { createDb } from '../db/connection';
import { loadConfig, runMain } from '../runtime/config';

const USAGE = 'usage: npm run calendar:import -- <calendar.json | calendar.csv>';

/** DATABASE_URL, or else the embedded PostgreSQL that a running `npm start` announces. */
function databaseUrlOf(configured: string | undefined, dataDir: string): string | undefined {
  if (configured !== undefined) return configured;
  const announced = path.join(dataDir, 'database-url');
  if (!existsSync(announced)) return undefined;
  const url = readFileSync(announced, 'utf8').trim();
  return url === '' ? undefined : url;
}

function fail(message: string): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined || process.argv.length > 3) return fail(USAGE);

  let calendar;
  try {
    calendar = parseCalendarFile(await readFile(file, 'utf8'), calendarFormatOf(file));
  } catch (err) {
    if (err instanceof CalendarImportError) return fail(`${file}: ${err.message}`);
    throw err;
  }

  const config = loadConfig();
  const databaseUrl = databaseUrlOf(config.databaseUrl, config.dataDir);
  if (databaseUrl === undefined) {
    return fail(
      'No database: set DATABASE_URL (postgres://…) or start the dev stack with `npm start`, ' +
        `which writes the URL of its embedded PostgreSQL to ${path.join(config.dataDir, 'database-url')}.`,
    );
  }

  const db = createDb(databaseUrl);
  try {
    await saveCalendar(db, calendar);
  } finally {
    await db.destroy();
  }
  process.stdout.write(
    `Imported calendar ${calendar.id} "${calendar.name}" (${calendar.timeZone}): ` +
      `${calendar.holidays.length} holidays, ${calendar.makeUpWorkdays.length} make-up workdays.\n`,
  );
}

runMain(main);
