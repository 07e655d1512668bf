/**
 * `npm run calendar:import -- <file>`: reads a working calendar from a .json or .csv file
 * (db/seeds/calendars/README.md), checks it, and saves it, replacing a calendar with the same id.
 */
import { readFile } from 'node:fs/promises';
import { CalendarImportError, calendarFormatOf, parseCalendarFile } from '../db/calendar-import';
import { saveCalendar } from '../db/calendars';
import { createDb } from '../db/connection';
import { commandDatabaseUrl } from '../db/database-url';
import { loadConfig, runMain } from '../runtime/config';

const USAGE = 'usage: npm run calendar:import -- <calendar.json | calendar.csv>';

function fail(message: string): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined || process.argv.length > 3) return fail(USAGE);

  // A bad or missing file is the operator's to fix: one line naming the field or line, no stack trace.
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return fail(`Cannot read ${file}: ${(err as Error).message}`);
  }
  let calendar;
  try {
    calendar = parseCalendarFile(text, calendarFormatOf(file));
  } catch (err) {
    if (err instanceof CalendarImportError)
      return fail(err.where === file ? err.message : `${file}: ${err.message}`);
    throw err;
  }

  const db = createDb(commandDatabaseUrl(loadConfig(undefined, { needsSecrets: false })));
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
