/**
 * Working-time arithmetic over a `WorkingCalendar`: due times of SLA clocks in workflows and
 * time left in the API, so both must get the same answer. Pure and deterministic because it is
 * bundled into workflow code: no Node built-ins, no packages; a zone's UTC offset comes from
 * `Intl.DateTimeFormat`. Instants are epoch milliseconds.
 *
 * Conventions:
 * - A working period is half-open, [start, end), in the calendar's wall-clock time.
 * - `addWorkingTime(start, d)` is the earliest instant by which `d` of working time has elapsed
 *   since `start`. For d > 0 that may be a period's end (12:00, 17:30): the time ran out at the
 *   end of the morning, so the step is due at 12:00, not at 13:30 after lunch. For d = 0 it is
 *   the first working instant at or after `start`: a step opened at lunch is due when work resumes.
 * - Wall-clock times skipped when clocks go forward resolve to the instant the clocks jump; times
 *   repeated when clocks go back resolve to the earlier instant. Local-to-UTC thereby never runs
 *   backwards, so a period never inverts and later starts never give earlier due times.
 */
import type { SlaBasis } from './case-records';
import type { WorkingCalendar } from './working-calendar';

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** UTC offsets lie within -12h..+14h, so a local day's instants lie this close to its local-as-UTC value. */
const MAX_OFFSET_MS = 14 * HOUR_MS;
/** More consecutive days than this without working time means the calendar is broken, not busy. */
const MAX_DAYS_WITHOUT_WORK = 3 * 366;

export class InvalidCalendarError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InvalidCalendarError';
  }
}

// ---------------------------------------------------------------------------------------------
// Time zones: offsets and local wall-clock time
// ---------------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`Unknown time zone "${timeZone}": expected an IANA name such as Asia/Shanghai`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Milliseconds to add to UTC to get the zone's wall-clock time at `ms`. */
function zoneOffsetMs(timeZone: string, ms: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
    else if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
    else if (part.type === 'second') second = Number(part.value);
  }
  const wholeSecond = ms - mod(ms, SECOND_MS);
  return Date.UTC(year, month - 1, day, hour, minute, second) - wholeSecond;
}

// Offsets at local midnights, per zone: walking a calendar asks for the same few again and again.
// The values are pure functions of (zone, day), so caching them keeps replay deterministic.
const midnightOffsets = new Map<string, Map<number, number>>();
const MIDNIGHT_OFFSETS_KEPT = 20_000;

/** The zone's offset at the instant numerically equal to local midnight of `day`. */
function offsetNearMidnight(timeZone: string, day: number): number {
  let offsets = midnightOffsets.get(timeZone);
  if (offsets === undefined) {
    offsets = new Map();
    midnightOffsets.set(timeZone, offsets);
  }
  let offset = offsets.get(day);
  if (offset === undefined) {
    if (offsets.size >= MIDNIGHT_OFFSETS_KEPT) offsets.clear();
    offset = zoneOffsetMs(timeZone, day * DAY_MS);
    offsets.set(day, offset);
  }
  return offset;
}

/** The local day (days since 1970-01-01 on the zone's calendar) that contains `ms`. */
function localDayOf(timeZone: string, ms: number): number {
  return Math.floor((ms + zoneOffsetMs(timeZone, ms)) / DAY_MS);
}

/**
 * The instant of a wall-clock time given as local-as-UTC milliseconds, where `before` and
 * `after` are the zone's offsets a day either side (equal unless a clock change is near).
 */
function instantOfLocal(timeZone: string, local: number, before: number, after: number): number {
  if (before === after) return local - before;
  const underBefore = local - before;
  const underAfter = local - after;
  const beforeFits = zoneOffsetMs(timeZone, underBefore) === before;
  const afterFits = zoneOffsetMs(timeZone, underAfter) === after;
  if (beforeFits && afterFits) return Math.min(underBefore, underAfter);
  if (beforeFits) return underBefore;
  if (afterFits) return underAfter;
  // Skipped wall-clock time: find the instant the clocks jumped.
  let lo = Math.min(underBefore, underAfter);
  let hi = Math.max(underBefore, underAfter);
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (zoneOffsetMs(timeZone, mid) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

function instantOfLocalTime(timeZone: string, local: number): number {
  const before = zoneOffsetMs(timeZone, local - DAY_MS);
  const after = zoneOffsetMs(timeZone, local + DAY_MS);
  return instantOfLocal(timeZone, local, before, after);
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

// ---------------------------------------------------------------------------------------------
// Calendar dates
// ---------------------------------------------------------------------------------------------

/** Days since 1970-01-01 of a "YYYY-MM-DD" date, or undefined if it is not a real date. */
function dayNumberOf(date: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  return ms / DAY_MS;
}

/** 1 = Monday … 7 = Sunday; 1970-01-01 was a Thursday. */
function isoWeekdayOfDay(day: number): number {
  return mod(day + 3, 7) + 1;
}

/** Whether `text` is a real calendar date written "YYYY-MM-DD". */
export function isCalendarDate(text: string): boolean {
  return dayNumberOf(text) !== undefined;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a "YYYY-MM-DD" date. */
export function isoWeekday(date: string): number {
  const day = dayNumberOf(date);
  if (day === undefined) throw new RangeError(`Not a date YYYY-MM-DD: "${date}"`);
  return isoWeekdayOfDay(day);
}

// ---------------------------------------------------------------------------------------------
// The calendar, checked and in a form the arithmetic can walk quickly
// ---------------------------------------------------------------------------------------------

interface CompiledCalendar {
  id: string;
  timeZone: string;
  /** Working periods as minutes since local midnight: [start0, end0, start1, end1, …]. */
  periodMinutes: number[];
  weekend: Set<number>;
  holidays: Set<number>;
  makeUpWorkdays: Set<number>;
  holidaysThrough: number | undefined;
}

function minutesOf(text: unknown, field: string, allowEndOfDay: boolean): number {
  const match = typeof text === 'string' ? /^(\d{2}):(\d{2})$/.exec(text) : null;
  const minutes = match === null ? NaN : Number(match[1]) * 60 + Number(match[2]);
  const valid =
    match !== null && Number(match[2]) < 60 && (minutes < 24 * 60 || (allowEndOfDay && minutes === 24 * 60));
  if (!valid) {
    throw new InvalidCalendarError(
      field,
      `must be a time HH:MM${allowEndOfDay ? ' (or 24:00)' : ''}, got ${JSON.stringify(text)}`,
    );
  }
  return minutes;
}

function datesOf(list: unknown, field: string): Set<number> {
  if (!Array.isArray(list)) throw new InvalidCalendarError(field, 'must be a list of dates YYYY-MM-DD');
  const days = new Set<number>();
  list.forEach((date: unknown, i) => {
    const day = typeof date === 'string' ? dayNumberOf(date) : undefined;
    if (day === undefined) {
      throw new InvalidCalendarError(
        `${field}[${i}]`,
        `must be a date YYYY-MM-DD, got ${JSON.stringify(date)}`,
      );
    }
    days.add(day);
  });
  return days;
}

function compile(calendar: WorkingCalendar): CompiledCalendar {
  const { timeZone, workingHours, weekendDays } = calendar;
  if (typeof timeZone !== 'string') throw new InvalidCalendarError('timeZone', 'must be an IANA time zone');
  try {
    formatterFor(timeZone);
  } catch (err) {
    throw new InvalidCalendarError('timeZone', (err as Error).message);
  }
  if (!Array.isArray(workingHours) || workingHours.length === 0) {
    throw new InvalidCalendarError('workingHours', 'must list at least one working period {start, end}');
  }
  const periodMinutes: number[] = [];
  workingHours.forEach((period, i) => {
    const start = minutesOf(period?.start, `workingHours[${i}].start`, false);
    const end = minutesOf(period?.end, `workingHours[${i}].end`, true);
    if (end <= start) throw new InvalidCalendarError(`workingHours[${i}]`, 'end must be after start');
    const previousEnd = periodMinutes[periodMinutes.length - 1];
    if (previousEnd !== undefined && start < previousEnd) {
      throw new InvalidCalendarError(`workingHours[${i}]`, 'periods must be in order and must not overlap');
    }
    periodMinutes.push(start, end);
  });
  if (!Array.isArray(weekendDays))
    throw new InvalidCalendarError('weekendDays', 'must be a list of ISO weekdays');
  const weekend = new Set<number>();
  weekendDays.forEach((weekday, i) => {
    if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7 || weekend.has(weekday)) {
      throw new InvalidCalendarError(
        `weekendDays[${i}]`,
        `must be a distinct ISO weekday 1-7, got ${JSON.stringify(weekday)}`,
      );
    }
    weekend.add(weekday);
  });
  const holidays = datesOf(calendar.holidays, 'holidays');
  const makeUpWorkdays = datesOf(calendar.makeUpWorkdays, 'makeUpWorkdays');
  for (const day of makeUpWorkdays) {
    if (holidays.has(day)) {
      const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      throw new InvalidCalendarError('makeUpWorkdays', `${date} is also listed as a holiday`);
    }
  }
  const { holidaysThrough } = calendar;
  if (holidaysThrough !== undefined && !(Number.isInteger(holidaysThrough) && holidaysThrough >= 1970)) {
    throw new InvalidCalendarError(
      'holidaysThrough',
      `must be a year, got ${JSON.stringify(holidaysThrough)}`,
    );
  }
  return {
    id: String(calendar.id),
    timeZone,
    periodMinutes,
    weekend,
    holidays,
    makeUpWorkdays,
    holidaysThrough,
  };
}

/** Throws `InvalidCalendarError` naming the first bad field; the arithmetic runs this on every call. */
export function checkWorkingCalendar(calendar: WorkingCalendar): void {
  compile(calendar);
}

function isWorkingDay(calendar: CompiledCalendar, day: number): boolean {
  if (calendar.holidays.has(day)) return false;
  return calendar.makeUpWorkdays.has(day) || !calendar.weekend.has(isoWeekdayOfDay(day));
}

/** The working periods of one local day as instants [start0, end0, start1, end1, …]. */
function workingWindowsOn(calendar: CompiledCalendar, day: number): number[] {
  const midnight = day * DAY_MS;
  // A day before and two after the local midnight bracket the whole local day in any zone.
  const before = offsetNearMidnight(calendar.timeZone, day - 1);
  const after = offsetNearMidnight(calendar.timeZone, day + 2);
  return calendar.periodMinutes.map((minutes) =>
    instantOfLocal(calendar.timeZone, midnight + minutes * MINUTE_MS, before, after),
  );
}

function assertInstant(ms: number, name: string): void {
  if (!Number.isFinite(ms))
    throw new RangeError(`${name} must be an instant in epoch milliseconds, got ${ms}`);
}

// ---------------------------------------------------------------------------------------------
// Working-time arithmetic
// ---------------------------------------------------------------------------------------------

/**
 * The instant by which `durationMs` of working time has elapsed after `startMs` (see the
 * conventions at the top). Counting starts at the next working period if `startMs` is outside one.
 */
export function addWorkingTime(startMs: number, durationMs: number, calendar: WorkingCalendar): number {
  assertInstant(startMs, 'startMs');
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`durationMs must be a non-negative number of milliseconds, got ${durationMs}`);
  }
  const compiled = compile(calendar);
  let remaining = durationMs;
  let cursor = startMs;
  let daysWithoutWork = 0;
  for (let day = localDayOf(compiled.timeZone, startMs); ; day++) {
    let worked = false;
    if (isWorkingDay(compiled, day)) {
      const windows = workingWindowsOn(compiled, day);
      for (let i = 0; i < windows.length; i += 2) {
        const from = Math.max(windows[i], cursor);
        const end = windows[i + 1];
        if (from >= end) continue;
        worked = true;
        if (remaining <= end - from) return from + remaining;
        remaining -= end - from;
        cursor = end;
      }
    }
    daysWithoutWork = worked ? 0 : daysWithoutWork + 1;
    if (daysWithoutWork > MAX_DAYS_WITHOUT_WORK) {
      throw new Error(
        `Working calendar "${compiled.id}" has no working time in the ${MAX_DAYS_WITHOUT_WORK} days after ` +
          `${new Date(cursor).toISOString()}: check its working hours, weekend days and holidays`,
      );
    }
  }
}

/** Working milliseconds in [aMs, bMs); 0 when bMs <= aMs. */
export function workingTimeBetween(aMs: number, bMs: number, calendar: WorkingCalendar): number {
  assertInstant(aMs, 'aMs');
  assertInstant(bMs, 'bMs');
  const compiled = compile(calendar);
  if (bMs <= aMs) return 0;
  let total = 0;
  for (let day = localDayOf(compiled.timeZone, aMs); day * DAY_MS - MAX_OFFSET_MS < bMs; day++) {
    if (!isWorkingDay(compiled, day)) continue;
    const windows = workingWindowsOn(compiled, day);
    for (let i = 0; i < windows.length; i += 2) {
      const overlap = Math.min(windows[i + 1], bMs) - Math.max(windows[i], aMs);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/**
 * Working days as contracts count them: the local day of `startMs` does not count, whatever the
 * hour; the result is close of business (the end of the last working period) on the `days`-th
 * working day after it. Zero days is the first working instant at or after `startMs`.
 */
export function addWorkingDays(startMs: number, days: number, calendar: WorkingCalendar): number {
  assertInstant(startMs, 'startMs');
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new RangeError(`days must be a whole number of working days, got ${days}`);
  }
  const compiled = compile(calendar);
  if (days === 0) return addWorkingTime(startMs, 0, calendar);
  let counted = 0;
  let daysWithoutWork = 0;
  for (let day = localDayOf(compiled.timeZone, startMs) + 1; ; day++) {
    if (isWorkingDay(compiled, day)) {
      daysWithoutWork = 0;
      counted += 1;
      if (counted === days) {
        const windows = workingWindowsOn(compiled, day);
        return windows[windows.length - 1];
      }
    } else if (++daysWithoutWork > MAX_DAYS_WITHOUT_WORK) {
      throw new Error(
        `Working calendar "${compiled.id}" has no working day in the ${MAX_DAYS_WITHOUT_WORK} days after ` +
          `${new Date(day * DAY_MS).toISOString().slice(0, 10)}: check its weekend days and holidays`,
      );
    }
  }
}

/**
 * When arithmetic that reaches `untilMs` ran past the calendar's holiday data, the year it reached
 * and the last year it had data for; null while it stays covered (or the calendar keeps no
 * holidays). Pure, so the workflow can record the gap and the worker report it.
 */
export function holidayDataShortfall(
  untilMs: number,
  calendar: WorkingCalendar,
): { holidaysThrough: number; reachedYear: number } | null {
  assertInstant(untilMs, 'untilMs');
  const { holidaysThrough, timeZone } = compile(calendar);
  if (holidaysThrough === undefined) return null;
  const reachedYear = new Date(localDayOf(timeZone, untilMs) * DAY_MS).getUTCFullYear();
  return reachedYear > holidaysThrough ? { holidaysThrough, reachedYear } : null;
}

/** Whether `ms` lies inside a working period (start inclusive, end exclusive). */
export function isWorkingInstant(ms: number, calendar: WorkingCalendar): boolean {
  assertInstant(ms, 'ms');
  const compiled = compile(calendar);
  const day = localDayOf(compiled.timeZone, ms);
  if (!isWorkingDay(compiled, day)) return false;
  const windows = workingWindowsOn(compiled, day);
  for (let i = 0; i < windows.length; i += 2) {
    if (windows[i] <= ms && ms < windows[i + 1]) return true;
  }
  return false;
}

/** `ms` itself if it is working time, otherwise the start of the next working period. */
export function nextWorkingInstant(ms: number, calendar: WorkingCalendar): number {
  return addWorkingTime(ms, 0, calendar);
}

/** Length of an ordinary working day (wall-clock sum of the periods): one day on the working basis. */
export function workingDayLengthMs(calendar: WorkingCalendar): number {
  const { periodMinutes } = compile(calendar);
  let minutes = 0;
  for (let i = 0; i < periodMinutes.length; i += 2) minutes += periodMinutes[i + 1] - periodMinutes[i];
  return minutes * MINUTE_MS;
}

// ---------------------------------------------------------------------------------------------
// ISO-8601 durations of SLA policies
// ---------------------------------------------------------------------------------------------

export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const ISO_DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Parses PnYnMnWnDTnHnMnS with whole, non-negative numbers (PT15M, PT4H, P2D, P3M, P1DT12H). */
export function parseIsoDuration(text: string): IsoDuration {
  const match = typeof text === 'string' ? ISO_DURATION.exec(text) : null;
  const numbers = match === null ? [] : match.slice(1).map((n) => (n === undefined ? undefined : Number(n)));
  const valid =
    match !== null &&
    numbers.some((n) => n !== undefined) &&
    !(text.includes('T') && numbers.slice(4).every((n) => n === undefined)) &&
    numbers.every((n) => n === undefined || Number.isSafeInteger(n));
  if (!valid) {
    throw new RangeError(
      `Invalid ISO-8601 duration ${JSON.stringify(text)}: expected whole numbers such as PT15M, PT4H, P2D, P3M, P1DT12H`,
    );
  }
  const [years, months, weeks, days, hours, minutes, seconds] = numbers.map((n) => n ?? 0);
  return { years, months, weeks, days, hours, minutes, seconds };
}

/**
 * Working milliseconds of a duration on the working-hours basis: a day is one working day
 * (`workingDayLengthMs`), hours/minutes/seconds are working time. Months, years and weeks are
 * refused because they hold no fixed number of working days in a calendar with make-up days.
 */
export function workingDurationMs(duration: string, calendar: WorkingCalendar): number {
  return workingMsOf(parseIsoDuration(duration), duration, calendar);
}

function workingMsOf(d: IsoDuration, duration: string, calendar: WorkingCalendar): number {
  if (d.years !== 0 || d.months !== 0 || d.weeks !== 0) {
    throw new RangeError(
      `Duration "${duration}" cannot be counted in working time: years, months and weeks have no fixed ` +
        `number of working days; use days (e.g. P5D) or the elapsed basis`,
    );
  }
  return (
    d.days * workingDayLengthMs(calendar) + d.hours * HOUR_MS + d.minutes * MINUTE_MS + d.seconds * SECOND_MS
  );
}

/**
 * Elapsed basis: years, months, weeks and days move the wall-clock date in `timeZone`, keeping
 * the local time of day (a day is a calendar day even across a clock change); a day of month
 * that the target month lacks clamps to its last day (P1M from 31 January → 28/29 February).
 * The date part is applied first, then hours, minutes and seconds as exact time.
 */
function addElapsedDuration(startMs: number, d: IsoDuration, timeZone: string): number {
  let dateMoved = startMs;
  if (d.years !== 0 || d.months !== 0 || d.weeks !== 0 || d.days !== 0) {
    const local = startMs + zoneOffsetMs(timeZone, startMs);
    const day = Math.floor(local / DAY_MS);
    const timeOfDay = local - day * DAY_MS;
    const date = new Date(day * DAY_MS);
    const monthIndex = date.getUTCFullYear() * 12 + date.getUTCMonth() + d.years * 12 + d.months;
    const year = Math.floor(monthIndex / 12);
    const month = monthIndex - year * 12;
    const lastDayOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const dayOfMonth = Math.min(date.getUTCDate(), lastDayOfMonth);
    const targetDay = Date.UTC(year, month, dayOfMonth) / DAY_MS + d.weeks * 7 + d.days;
    dateMoved = instantOfLocalTime(timeZone, targetDay * DAY_MS + timeOfDay);
  }
  return dateMoved + d.hours * HOUR_MS + d.minutes * MINUTE_MS + d.seconds * SECOND_MS;
}

/** Whether a basis counts on a working calendar (`working` is the earlier name of `working-hours`). */
export function isWorkingBasis(basis: SlaBasis): boolean {
  return basis === 'working-hours' || basis === 'working-days' || basis === 'working';
}

function assertBasis(basis: SlaBasis): void {
  // Policies arrive from the database; a typo must not silently count as working time.
  if (!isWorkingBasis(basis)) {
    throw new RangeError(
      `SLA basis must be "elapsed", "working-hours" or "working-days", got "${String(basis)}"`,
    );
  }
}

/**
 * Working-days basis: the days part counts whole working days (`addWorkingDays`), then hours,
 * minutes and seconds run on as working time; P1DT2H is two working hours into the day after.
 */
function addWorkingDaysDuration(startMs: number, duration: string, calendar: WorkingCalendar): number {
  const d = parseIsoDuration(duration);
  const { days } = d;
  const timeMs = workingMsOf({ ...d, days: 0 }, duration, calendar);
  if (days === 0) return addWorkingTime(startMs, timeMs, calendar);
  const closeOfBusiness = addWorkingDays(startMs, days, calendar);
  return timeMs === 0 ? closeOfBusiness : addWorkingTime(closeOfBusiness, timeMs, calendar);
}

function requireCalendar(calendar: WorkingCalendar | undefined): WorkingCalendar {
  if (calendar === undefined) throw new Error('The working basis needs a working calendar; none was given');
  return calendar;
}

/**
 * The due instant of an SLA duration started at `startMs`. `timeZone` (the organisation's) gives
 * calendar days and months on the elapsed basis; the working basis uses the calendar's own zone.
 */
export function addPolicyDuration(
  startMs: number,
  duration: string,
  basis: SlaBasis,
  calendar: WorkingCalendar | undefined,
  timeZone: string,
): number {
  assertInstant(startMs, 'startMs');
  if (basis === 'elapsed') return addElapsedDuration(startMs, parseIsoDuration(duration), timeZone);
  assertBasis(basis);
  const workingCalendar = requireCalendar(calendar);
  if (basis === 'working-days') return addWorkingDaysDuration(startMs, duration, workingCalendar);
  return addWorkingTime(startMs, workingDurationMs(duration, workingCalendar), workingCalendar);
}

/** Time counted by a policy between two instants: elapsed or working milliseconds, 0 if b <= a. */
export function measurePolicyTime(
  aMs: number,
  bMs: number,
  basis: SlaBasis,
  calendar: WorkingCalendar | undefined,
): number {
  if (basis === 'elapsed') {
    assertInstant(aMs, 'aMs');
    assertInstant(bMs, 'bMs');
    return Math.max(0, bMs - aMs);
  }
  assertBasis(basis);
  return workingTimeBetween(aMs, bMs, requireCalendar(calendar));
}
