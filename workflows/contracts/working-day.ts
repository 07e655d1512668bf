/**
 * Days of a working calendar as periodic work reads them: which local date an instant falls on,
 * whether that date is worked (public holidays are not, 调休 make-up days are), and the instant of
 * a local wall-clock time on a date. Pure, so workflows and activities share it.
 */
import type { WorkingCalendar } from './working-calendar';
import { isoWeekday } from './working-time';

/** The local date "YYYY-MM-DD" of an instant in a zone. */
export function localDateOf(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms));
}

/** Whether people work on the date: not a holiday, and a weekday or a make-up workday. */
export function isWorkingDate(calendar: WorkingCalendar, date: string): boolean {
  if (calendar.holidays.includes(date)) return false;
  if (calendar.makeUpWorkdays.includes(date)) return true;
  return !calendar.weekendDays.includes(isoWeekday(date));
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetMs(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (
    Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - (ms - (ms % 1000))
  );
}

/** The instant of the local time "HH:MM" on the date in the zone, as ISO 8601 UTC. */
export function localInstant(date: string, time: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const [h, min] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, h, min);
  let ms = wall - offsetMs(wall, timeZone);
  ms = wall - offsetMs(ms, timeZone);
  return new Date(ms).toISOString();
}

/** The date `days` after a local date (negative: before), as "YYYY-MM-DD". */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
