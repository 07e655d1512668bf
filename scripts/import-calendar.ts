/**
 * `npm run calendar:import -- <file> [--calendar <id>]`: reads a working calendar (.json, .csv)
 * or a holiday schedule (.ics, or the JSON of the chinese-days package) — formats:
 * db/seeds/calendars/README.md — checks it, and saves it. A calendar replaces the one with the
 * same id; a holiday schedule replaces the dated days of its years in calendar `--calendar`
 * (`default` unless given).
 */
import { readFile } from 'node:fs/promises';
import {
  CalendarImportError,
  calendarFormatOf,
  readCalendarFile,
  type CalendarFile,
} from '../db/calendar-import';
import { CalendarNotFoundError, loadCalendar, storeCalendarFile } from '../db/calendars';
import { createDb } from '../db/connection';
import { commandDatabaseUrl } from '../db/database-url';
import { DEFAULT_CALENDAR_ID } from '../db/official-holidays';
import { loadConfig, runMain } from '../runtime/config';

const USAGE =
  'usage: npm run calendar:import -- <calendar.json | calendar.csv | holidays.ics | chinese-days.json> [--calendar <id>]';

function fail(message: string): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
}

function argumentsOf(argv: string[]): { file: string; calendarId: string } | null {
  const [file, flag, calendarId, ...rest] = argv;
  if (file === undefined || file.startsWith('--') || rest.length > 0) return null;
  if (flag === undefined) return { file, calendarId: DEFAULT_CALENDAR_ID };
  if (flag !== '--calendar' || calendarId === undefined) return null;
  return { file, calendarId };
}

async function main(): Promise<void> {
  const args = argumentsOf(process.argv.slice(2));
  if (args === null) return fail(USAGE);
  const { file } = args;

  // A bad or missing file is the operator's to fix: one line naming the field or line, no stack trace.
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return fail(`Cannot read ${file}: ${(err as Error).message}`);
  }
  let parsed: CalendarFile;
  try {
    parsed = readCalendarFile(text, calendarFormatOf(file));
  } catch (err) {
    if (err instanceof CalendarImportError)
      return fail(err.where === file ? err.message : `${file}: ${err.message}`);
    throw err;
  }

  const db = createDb(commandDatabaseUrl(loadConfig(undefined, { needsSecrets: false })));
  try {
    const id = await storeCalendarFile(db, parsed, args.calendarId);
    const calendar = await loadCalendar(db, id);
    const what =
      parsed.kind === 'holidays'
        ? `Merged the holidays of ${parsed.holidays.years.join(', ')} into calendar ${id}`
        : `Imported calendar ${id}`;
    process.stdout.write(
      `${what} "${calendar?.name}" (${calendar?.timeZone}): ${calendar?.holidays.length} holidays, ` +
        `${calendar?.makeUpWorkdays.length} make-up workdays, holiday data through ${calendar?.holidaysThrough ?? 'no year'}.\n`,
    );
  } catch (err) {
    if (err instanceof CalendarNotFoundError || err instanceof RangeError)
      return fail(`${file}: ${err.message}`);
    throw err;
  } finally {
    await db.destroy();
  }
}

runMain(main);
