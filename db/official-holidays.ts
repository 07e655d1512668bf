/**
 * China's official public holidays and make-up workdays (调休), as the State Council announces
 * them each year, from the `chinese-days` package's data (dist/chinese-days.json), kept in the
 * default calendar by a sync that runs after every migration — at `npm start` and
 * `npm run migrate` — so upgrading the package brings next year's schedule without a release.
 *
 * Who owns a day: rows the sync writes are `official`; rows from an import or an admin are
 * `manual`. A year in which the calendar has any manual row belongs to the admin, and the sync
 * leaves that whole year alone (so an admin can also remove an official holiday: import the year
 * without it). Every other year the package holds is the package's: missing days are added,
 * changed ones corrected, withdrawn ones removed. `holidays_through` only ever grows.
 */
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { readCalendarFile, type HolidayYears } from './calendar-import';

export const DEFAULT_CALENDAR_ID = 'default';

/** The package's schedule, checked by the same reader an import of its JSON uses. */
export function officialChinaHolidays(): { version: string; data: HolidayYears } {
  const read = (file: string) => readFileSync(require.resolve(`chinese-days/${file}`), 'utf8');
  const { version } = JSON.parse(read('package.json')) as { version: string };
  const file = readCalendarFile(read('dist/chinese-days.json'), 'json');
  if (file.kind !== 'holidays')
    throw new Error(`chinese-days ${version}: its JSON is not a holiday schedule`);
  return { version, data: file.holidays };
}

export interface OfficialHolidaySync {
  calendarId: string;
  packageVersion: string;
  /** Years written from the package; years the admin owns are left out. */
  years: number[];
  /** Years the package holds that the admin owns. */
  adminYears: number[];
  holidaysThrough: number | null;
}

/** Idempotent; does nothing when the calendar is gone (an admin deleted it). */
export async function syncOfficialHolidays(
  db: Knex,
  calendarId: string = DEFAULT_CALENDAR_ID,
): Promise<OfficialHolidaySync | null> {
  const { version, data } = officialChinaHolidays();
  return db.transaction(async (trx) => {
    // The row lock serialises concurrent starts (API and worker migrating at once).
    const calendar = await trx('working_calendars').where({ id: calendarId }).forUpdate().first();
    if (!calendar) return null;
    const owned: { year: number }[] = await trx('calendar_days')
      .where({ calendar_id: calendarId, source: 'manual' })
      .distinct(trx.raw('extract(year FROM day)::integer AS year'));
    const adminYears = new Set(owned.map((r) => r.year));
    const years = data.years.filter((y) => !adminYears.has(y));
    const inYears = (d: { date: string }) => !adminYears.has(Number(d.date.slice(0, 4)));
    const rows = [
      ...data.holidays.filter(inYears).map((d) => ({ ...d, kind: 'holiday' })),
      ...data.makeUpWorkdays.filter(inYears).map((d) => ({ ...d, kind: 'workday' })),
    ].map((d) => ({ calendar_id: calendarId, day: d.date, kind: d.kind, name: d.name, source: 'official' }));
    if (years.length > 0) {
      await trx('calendar_days')
        .where({ calendar_id: calendarId, source: 'official' })
        .whereRaw('extract(year FROM day)::integer = ANY(?)', [years])
        .whereRaw(`NOT (to_char(day, 'YYYY-MM-DD') = ANY(?))`, [rows.map((r) => r.day)])
        .delete();
      await trx('calendar_days').insert(rows).onConflict(['calendar_id', 'day']).merge(['kind', 'name']);
    }
    const [updated] = await trx('working_calendars')
      .where({ id: calendarId })
      .update({ holidays_through: trx.raw('greatest(holidays_through, ?)', [Math.max(...data.years)]) })
      .returning('holidays_through');
    return {
      calendarId,
      packageVersion: version,
      years,
      adminYears: data.years.filter((y) => adminYears.has(y)),
      holidaysThrough: (updated as { holidays_through: number | null }).holidays_through,
    };
  });
}
