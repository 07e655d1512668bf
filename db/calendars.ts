/**
 * Working calendars as master data: saved whole (hours, weekend, dated exceptions) and loaded
 * whole; holiday schedules merged in year by year; and the years due times ran into without
 * holiday data, for admins to see.
 */
import type { Knex } from 'knex';
import type { WorkingCalendar, WorkingPeriod } from '../workflows/contracts/working-calendar';
import { isoWeekday } from '../workflows/contracts/working-time';
import type { CalendarFile, HolidayYears } from './calendar-import';
import { DEFAULT_CALENDAR_ID, syncOfficialHolidays } from './official-holidays';

interface CalendarRow {
  id: string;
  name: string;
  time_zone: string;
  working_hours: WorkingPeriod[];
  weekend_days: number[];
  holidays_through: number | null;
}

/** Upserts the calendar and replaces its dated exceptions, in one transaction. */
export async function saveCalendar(db: Knex, calendar: WorkingCalendar): Promise<void> {
  assertSavable(calendar);
  await db.transaction(async (trx) => {
    await trx('working_calendars')
      .insert({
        id: calendar.id,
        name: calendar.name,
        time_zone: calendar.timeZone,
        working_hours: JSON.stringify(calendar.workingHours),
        weekend_days: calendar.weekendDays,
        holidays_through: calendar.holidaysThrough ?? null,
        updated_at: trx.fn.now(),
      })
      .onConflict('id')
      .merge();
    await trx('calendar_days').where({ calendar_id: calendar.id }).delete();
    const days = [
      ...[...new Set(calendar.holidays)].map((day) => ({ calendar_id: calendar.id, day, kind: 'holiday' })),
      ...[...new Set(calendar.makeUpWorkdays)].map((day) => ({
        calendar_id: calendar.id,
        day,
        kind: 'workday',
      })),
    ];
    if (days.length > 0) await trx('calendar_days').insert(days);
  });
}

export async function loadCalendar(db: Knex, id: string): Promise<WorkingCalendar | null> {
  const row = await db<CalendarRow>('working_calendars').where({ id }).first();
  if (!row) return null;
  // As text: pg would turn a date into a JS Date at local midnight, which shifts with the server's zone.
  const days: { day: string; kind: 'holiday' | 'workday' }[] = await db('calendar_days')
    .where({ calendar_id: id })
    .orderBy('day')
    .select(db.raw(`to_char(day, 'YYYY-MM-DD') AS day`), 'kind');
  const calendar: WorkingCalendar = {
    id: row.id,
    name: row.name,
    timeZone: row.time_zone,
    workingHours: row.working_hours,
    weekendDays: row.weekend_days,
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.day),
    makeUpWorkdays: days.filter((d) => d.kind === 'workday').map((d) => d.day),
  };
  if (row.holidays_through !== null) calendar.holidaysThrough = row.holidays_through;
  return calendar;
}

export class CalendarNotFoundError extends Error {
  constructor(readonly calendarId: string) {
    super(`no calendar ${calendarId}`);
    this.name = 'CalendarNotFoundError';
  }
}

/**
 * Merges a holiday schedule (iCalendar, chinese-days JSON) into a calendar: the calendar's dated
 * days in the schedule's years are replaced by the schedule's, as `manual` rows, so the start-up
 * sync of official holidays leaves those years to the admin from then on. Other years stay.
 */
export async function mergeHolidayYears(db: Knex, calendarId: string, data: HolidayYears): Promise<void> {
  await db.transaction(async (trx) => {
    const row = await trx<CalendarRow>('working_calendars').where({ id: calendarId }).forUpdate().first();
    if (!row) throw new CalendarNotFoundError(calendarId);
    const weekend = new Set(row.weekend_days);
    const weekday = data.makeUpWorkdays.find((d) => !weekend.has(isoWeekday(d.date)));
    if (weekday) {
      throw new RangeError(
        `calendar ${calendarId}: ${weekday.date} is not one of its weekend days, so it cannot be a make-up workday`,
      );
    }
    await trx('calendar_days')
      .where({ calendar_id: calendarId })
      .whereRaw('extract(year FROM day)::integer = ANY(?)', [data.years])
      .delete();
    const rows = [
      ...data.holidays.map((d) => ({ ...d, kind: 'holiday' })),
      ...data.makeUpWorkdays.map((d) => ({ ...d, kind: 'workday' })),
    ].map((d) => ({ calendar_id: calendarId, day: d.date, kind: d.kind, name: d.name, source: 'manual' }));
    if (rows.length > 0) await trx('calendar_days').insert(rows);
    await trx('working_calendars')
      .where({ id: calendarId })
      .update({
        holidays_through: trx.raw('greatest(holidays_through, ?)', [Math.max(...data.years)]),
        updated_at: trx.fn.now(),
      });
  });
}

/**
 * Stores what an import file holds: a whole calendar replaces the one with its id; a holiday
 * schedule is merged into `holidaysInto`. Returns the id of the calendar that changed.
 */
export async function storeCalendarFile(
  db: Knex,
  file: CalendarFile,
  holidaysInto: string = DEFAULT_CALENDAR_ID,
): Promise<string> {
  if (file.kind === 'holidays') {
    await mergeHolidayYears(db, holidaysInto, file.holidays);
    return holidaysInto;
  }
  await saveCalendar(db, file.calendar);
  // A whole-calendar import of the default calendar keeps the official years it did not set.
  if (file.calendar.id === DEFAULT_CALENDAR_ID) await syncOfficialHolidays(db);
  return file.calendar.id;
}

/** A year that a due time reached without holiday data in the calendar it was computed on. */
export interface HolidayDataGap {
  calendarId: string;
  year: number;
  holidaysThrough: number | null;
  firstCaseId: string;
  firstSeenAt: string;
  message: string;
}

/**
 * Notes gaps (from `calendar.holiday-data-missing` events) and returns those not noted before, so the
 * caller logs each once however many cases and workers run into it.
 */
export async function noteHolidayDataGaps(
  db: Knex,
  gaps: { calendarId: string; year: number; caseId: string }[],
): Promise<{ calendarId: string; year: number }[]> {
  if (gaps.length === 0) return [];
  // A calendar deleted since the case read it is skipped: this runs inside the audit write, which
  // must not fail on a warning.
  const result = await db.raw(
    `INSERT INTO calendar_holiday_gaps (calendar_id, year, first_case_id)
     SELECT g.calendar_id, g.year, g.case_id
       FROM jsonb_to_recordset(?::jsonb) AS g(calendar_id text, year integer, case_id text)
      WHERE EXISTS (SELECT 1 FROM working_calendars c WHERE c.id = g.calendar_id)
     ON CONFLICT DO NOTHING
     RETURNING calendar_id AS "calendarId", year`,
    [JSON.stringify(gaps.map((g) => ({ calendar_id: g.calendarId, year: g.year, case_id: g.caseId })))],
  );
  return result.rows as { calendarId: string; year: number }[];
}

/** Gaps still open: years reached beyond the calendar's holiday data, until that year's data arrives. */
export async function openHolidayDataGaps(db: Knex, calendarId?: string): Promise<HolidayDataGap[]> {
  const rows: {
    calendar_id: string;
    year: number;
    holidays_through: number | null;
    first_case_id: string;
    first_seen_at: Date;
  }[] = await db('calendar_holiday_gaps as g')
    .join('working_calendars as c', 'c.id', 'g.calendar_id')
    .whereRaw('g.year > coalesce(c.holidays_through, 0)')
    .modify((q) => {
      if (calendarId !== undefined) q.where('g.calendar_id', calendarId);
    })
    .orderBy(['g.calendar_id', 'g.year'])
    .select('g.calendar_id', 'g.year', 'c.holidays_through', 'g.first_case_id', 'g.first_seen_at');
  return rows.map((r) => ({
    calendarId: r.calendar_id,
    year: r.year,
    holidaysThrough: r.holidays_through,
    firstCaseId: r.first_case_id,
    firstSeenAt: r.first_seen_at.toISOString(),
    message:
      `calendar ${r.calendar_id} has holiday data through ${r.holidays_through ?? 'no year'}, but a due time ` +
      `(first: case ${r.first_case_id}) runs into ${r.year}: there it knows only weekends. ` +
      `Import ${r.year}'s holidays (npm run calendar:import) or upgrade the chinese-days package.`,
  }));
}

/** What the tables cannot say for themselves; the working-time arithmetic relies on it. */
function assertSavable(calendar: WorkingCalendar): void {
  const fail = (why: string) => {
    throw new RangeError(`calendar ${calendar.id}: ${why}`);
  };
  try {
    new Intl.DateTimeFormat('en', { timeZone: calendar.timeZone });
  } catch {
    fail(`"${calendar.timeZone}" is not an IANA time zone`);
  }
  const clock = /^([01]\d|2[0-3]):[0-5]\d$/;
  let previousEnd = '';
  for (const period of calendar.workingHours) {
    if (!clock.test(period.start) || !(clock.test(period.end) || period.end === '24:00')) {
      fail(`working period ${period.start}-${period.end} is not HH:MM-HH:MM`);
    }
    if (period.start >= period.end || period.start < previousEnd) {
      fail(`working periods must be in order and not overlap (${period.start}-${period.end})`);
    }
    previousEnd = period.end;
  }
  if (!calendar.weekendDays.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) {
    fail('weekend days are ISO weekday numbers 1 (Monday) to 7 (Sunday)');
  }
  const date = /^\d{4}-\d{2}-\d{2}$/;
  const both = calendar.holidays.filter((d) => calendar.makeUpWorkdays.includes(d));
  if (both.length > 0) fail(`${both.join(', ')} cannot be both a holiday and a make-up working day`);
  for (const day of [...calendar.holidays, ...calendar.makeUpWorkdays]) {
    if (!date.test(day)) fail(`"${day}" is not a YYYY-MM-DD date`);
  }
}
