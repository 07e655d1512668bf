/** Working calendars as master data: saved whole (hours, weekend, dated exceptions) and loaded whole. */
import type { Knex } from 'knex';
import type { WorkingCalendar, WorkingPeriod } from '../workflows/contracts/working-calendar';

interface CalendarRow {
  id: string;
  name: string;
  time_zone: string;
  working_hours: WorkingPeriod[];
  weekend_days: number[];
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
  return {
    id: row.id,
    name: row.name,
    timeZone: row.time_zone,
    workingHours: row.working_hours,
    weekendDays: row.weekend_days,
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.day),
    makeUpWorkdays: days.filter((d) => d.kind === 'workday').map((d) => d.day),
  };
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
