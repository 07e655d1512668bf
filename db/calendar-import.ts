/**
 * Working-calendar import files (formats: db/seeds/calendars/README.md). A whole calendar —
 * JSON or CSV — becomes a checked `WorkingCalendar`; a holiday schedule without office hours —
 * iCalendar (.ics, RFC 5545) or the JSON the `chinese-days` package publishes — becomes
 * `HolidayYears`, merged into an existing calendar. Pure, text in and data out, so the command,
 * the API and tests share it. Calendars are typed in by hand or exported from a spreadsheet every
 * year, so an error names the JSON field, CSV line or calendar event to fix.
 */
import ICAL from 'ical.js';
import type { WorkingCalendar, WorkingPeriod } from '../workflows/contracts/working-calendar';
import {
  checkWorkingCalendar,
  InvalidCalendarError,
  isCalendarDate,
  isoWeekday,
} from '../workflows/contracts/working-time';

export type CalendarFileFormat = 'json' | 'csv' | 'ics';

/** A dated day of a holiday schedule, with its name when the file gives one. */
export interface NamedDay {
  date: string;
  name: string | null;
}

/**
 * Public holidays and make-up workdays (调休) of whole years, without office hours. Merging it
 * into a calendar replaces that calendar's dated days in exactly these years.
 */
export interface HolidayYears {
  years: number[];
  holidays: NamedDay[];
  makeUpWorkdays: NamedDay[];
}

export type CalendarFile =
  { kind: 'calendar'; calendar: WorkingCalendar } | { kind: 'holidays'; holidays: HolidayYears };

export class CalendarImportError extends Error {
  constructor(
    /** The JSON field (`days[3].date`) or CSV line (`line 12`) at fault. */
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'CalendarImportError';
  }
}

type DayKind = 'holiday' | 'workday';

/** One dated exception to the ordinary week, remembered with where it was written. */
interface DayEntry {
  date: unknown;
  kind: unknown;
  where: string;
}

interface CalendarMeta {
  id: unknown;
  name: unknown;
  timeZone: unknown;
  workingHours: WorkingPeriod[];
  weekendDays: number[];
  /** The last year the file has holiday data for; by default the year of its last dated day. */
  holidaysThrough: unknown;
}

const DEFAULT_WEEKEND: number[] = [6, 7];
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function calendarFormatOf(fileName: string): CalendarFileFormat {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'json' || extension === 'csv' || extension === 'ics') return extension;
  throw new CalendarImportError(fileName, 'calendar files must end in .json, .csv or .ics');
}

/** Any import file: a whole calendar (JSON, CSV) or a holiday schedule (iCalendar, chinese-days JSON). */
export function readCalendarFile(text: string, format: CalendarFileFormat): CalendarFile {
  const withoutBom = text.replace(/^\uFEFF/, '');
  if (format === 'ics') return { kind: 'holidays', holidays: parseIcsHolidays(withoutBom) };
  if (format === 'json') {
    const document = parseJson(withoutBom);
    if (isChineseDaysDocument(document)) {
      return { kind: 'holidays', holidays: parseChineseDaysHolidays(document) };
    }
    return { kind: 'calendar', calendar: jsonCalendarOf(document) };
  }
  return { kind: 'calendar', calendar: parseCsvCalendar(withoutBom) };
}

/** A whole calendar from JSON or CSV. */
export function parseCalendarFile(text: string, format: 'json' | 'csv'): WorkingCalendar {
  const withoutBom = text.replace(/^\uFEFF/, '');
  return format === 'json' ? jsonCalendarOf(parseJson(withoutBom)) : parseCsvCalendar(withoutBom);
}

// ---------------------------------------------------------------------------------------------
// Shared: meta checks and the list of dated days
// ---------------------------------------------------------------------------------------------

/** Checks the meta fields; `whereOf` maps a calendar field to where the file wrote it. */
function buildCalendar(
  meta: CalendarMeta,
  days: DayEntry[],
  whereOf: (field: string) => string,
): WorkingCalendar {
  const metaError = (field: string, message: string): CalendarImportError => {
    const where = whereOf(field);
    return new CalendarImportError(where, where === field ? message : `${field}: ${message}`);
  };
  if (typeof meta.id !== 'string' || !ID_PATTERN.test(meta.id)) {
    throw metaError('id', `must be 1-64 letters, digits, ".", "_" or "-", got ${JSON.stringify(meta.id)}`);
  }
  if (typeof meta.name !== 'string' || meta.name.trim() === '') {
    throw metaError('name', 'must be a non-empty text');
  }
  if (typeof meta.timeZone !== 'string') {
    throw metaError('timeZone', 'must be an IANA time zone such as Asia/Shanghai');
  }
  const calendar: WorkingCalendar = {
    id: meta.id,
    name: meta.name.trim(),
    timeZone: meta.timeZone,
    workingHours: meta.workingHours,
    weekendDays: [...meta.weekendDays],
    holidays: [],
    makeUpWorkdays: [],
  };
  check(calendar, whereOf);
  calendar.weekendDays.sort((a, b) => a - b);
  const weekend = new Set(calendar.weekendDays);
  const seen = new Map<string, string>();
  for (const day of days) {
    const date = dateOf(day);
    const kind = kindOf(day);
    const earlier = seen.get(date);
    if (earlier !== undefined)
      throw new CalendarImportError(day.where, `${date} is already listed at ${earlier}`);
    seen.set(date, day.where);
    if (kind === 'workday' && !weekend.has(isoWeekday(date))) {
      throw new CalendarImportError(
        day.where,
        `${date} is not a weekend day, so it cannot be a make-up workday; check the date`,
      );
    }
    (kind === 'holiday' ? calendar.holidays : calendar.makeUpWorkdays).push(date);
  }
  calendar.holidays.sort();
  calendar.makeUpWorkdays.sort();
  const holidaysThrough = holidaysThroughOf(meta.holidaysThrough, [...seen.keys()], whereOf);
  if (holidaysThrough !== undefined) calendar.holidaysThrough = holidaysThrough;
  check(calendar, whereOf);
  return calendar;
}

function holidaysThroughOf(
  given: unknown,
  dates: string[],
  whereOf: (field: string) => string,
): number | undefined {
  const lastListed = dates.length === 0 ? undefined : Math.max(...dates.map((d) => Number(d.slice(0, 4))));
  if (given === undefined || given === '') return lastListed;
  const year = typeof given === 'string' ? Number(given) : given;
  const where = whereOf('holidaysThrough');
  const prefix = where === 'holidaysThrough' ? '' : 'holidaysThrough: ';
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1970 || year > 9999) {
    throw new CalendarImportError(
      where,
      `${prefix}must be a year such as 2026, got ${JSON.stringify(given)}`,
    );
  }
  if (lastListed !== undefined && year < lastListed) {
    throw new CalendarImportError(where, `${prefix}${year} is before the last listed year ${lastListed}`);
  }
  return year;
}

function check(calendar: WorkingCalendar, whereOf: (field: string) => string): void {
  try {
    checkWorkingCalendar(calendar);
  } catch (err) {
    if (!(err instanceof InvalidCalendarError)) throw err;
    const root = err.field.replace(/[[.].*$/, '');
    const where = whereOf(root);
    // JSON names the field itself; CSV names the line, keeping the field in the message.
    if (where === root) throw new CalendarImportError(err.field, err.message.slice(err.field.length + 2));
    throw new CalendarImportError(where, err.message);
  }
}

function dateOf(day: DayEntry): string {
  if (typeof day.date !== 'string' || !isCalendarDate(day.date)) {
    throw new CalendarImportError(
      day.where,
      `date must be a real date YYYY-MM-DD, got ${JSON.stringify(day.date)}`,
    );
  }
  return day.date;
}

function kindOf(day: DayEntry): DayKind {
  if (day.kind !== 'holiday' && day.kind !== 'workday') {
    throw new CalendarImportError(
      day.where,
      `kind must be "holiday" or "workday", got ${JSON.stringify(day.kind)}`,
    );
  }
  return day.kind;
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

const JSON_FIELDS = [
  'id',
  'name',
  'timeZone',
  'workingHours',
  'weekendDays',
  'holidays',
  'makeUpWorkdays',
  'days',
  'holidaysThrough',
  '$comment',
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyFields(value: Record<string, unknown>, allowed: string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const prefix = where === '' ? '' : `${where}.`;
      throw new CalendarImportError(
        `${prefix}${key}`,
        `unknown field; expected one of ${allowed.join(', ')}`,
      );
    }
  }
}

function listOf(value: unknown, field: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new CalendarImportError(field, 'must be a list');
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CalendarImportError('JSON', (err as Error).message);
  }
}

function jsonCalendarOf(document: unknown): WorkingCalendar {
  if (!isObject(document)) throw new CalendarImportError('JSON', 'the file must hold one calendar object');
  onlyFields(document, JSON_FIELDS, '');
  if (!Array.isArray(document.workingHours)) {
    throw new CalendarImportError(
      'workingHours',
      'must be a list of periods {"start": "09:00", "end": "12:00"}',
    );
  }
  const workingHours = document.workingHours.map((period: unknown, i): WorkingPeriod => {
    if (!isObject(period))
      throw new CalendarImportError(`workingHours[${i}]`, 'must be {"start": "HH:MM", "end": "HH:MM"}');
    onlyFields(period, ['start', 'end'], `workingHours[${i}]`);
    return period as unknown as WorkingPeriod;
  });
  const weekendDays =
    document.weekendDays === undefined ? DEFAULT_WEEKEND : listOf(document.weekendDays, 'weekendDays');
  const days: DayEntry[] = [
    ...listOf(document.holidays, 'holidays').map((date, i) => ({
      date,
      kind: 'holiday',
      where: `holidays[${i}]`,
    })),
    ...listOf(document.makeUpWorkdays, 'makeUpWorkdays').map((date, i) => ({
      date,
      kind: 'workday',
      where: `makeUpWorkdays[${i}]`,
    })),
    ...listOf(document.days, 'days').map((day, i) => {
      const where = `days[${i}]`;
      if (!isObject(day))
        throw new CalendarImportError(
          where,
          'must be {"date": "YYYY-MM-DD", "kind": "holiday" | "workday", "name": "…"}',
        );
      onlyFields(day, ['date', 'kind', 'name'], where);
      if (day.name !== undefined && typeof day.name !== 'string') {
        throw new CalendarImportError(`${where}.name`, 'must be a text');
      }
      return { date: day.date, kind: day.kind, where };
    }),
  ];
  const meta: CalendarMeta = {
    id: document.id,
    name: document.name,
    timeZone: document.timeZone,
    workingHours,
    weekendDays: weekendDays as number[],
    holidaysThrough: document.holidaysThrough,
  };
  return buildCalendar(meta, days, (field) => field);
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

const CSV_SETTINGS = ['id', 'name', 'timeZone', 'workingHours', 'weekendDays', 'holidaysThrough'] as const;
type CsvSetting = (typeof CSV_SETTINGS)[number];
const REQUIRED_SETTINGS: CsvSetting[] = ['id', 'name', 'timeZone', 'workingHours'];
const TABLE_HEADER = ['date', 'kind', 'name'];

/** Splits one line into cells; double quotes allow commas in a cell, `""` is a quote. */
function csvCells(line: string, where: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      let cell = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new CalendarImportError(where, 'a quoted cell is not closed');
        if (line[i] === '"' && line[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else {
          cell += line[i++];
        }
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',')
        throw new CalendarImportError(where, 'text after a closing quote');
      cells.push(cell);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      cells.push(line.slice(i, end).trim());
      i = end;
    }
    if (i >= line.length) return cells;
    i++; // the comma
  }
}

function periodsOf(value: string, where: string): WorkingPeriod[] {
  const periods = value.split(/[\s;]+/).filter((p) => p !== '');
  if (periods.length === 0)
    throw new CalendarImportError(where, 'workingHours needs at least one period HH:MM-HH:MM');
  return periods.map((period) => {
    const match = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(period);
    if (match === null) {
      throw new CalendarImportError(
        where,
        `workingHours: "${period}" is not a period HH:MM-HH:MM such as 09:00-12:00`,
      );
    }
    return { start: match[1], end: match[2] };
  });
}

function weekdaysOf(value: string, where: string): number[] {
  const weekdays = value.split(/[\s;]+/).filter((w) => w !== '');
  for (const weekday of weekdays) {
    if (!/^[1-7]$/.test(weekday)) {
      throw new CalendarImportError(
        where,
        `weekendDays: "${weekday}" is not an ISO weekday 1 (Monday) to 7 (Sunday)`,
      );
    }
  }
  return weekdays.map(Number);
}

function parseCsvCalendar(text: string): WorkingCalendar {
  const settings = new Map<CsvSetting, { value: string; line: number }>();
  const days: DayEntry[] = [];
  let inTable = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const where = `line ${line}`;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const cells = csvCells(raw, where);
    if (!inTable) {
      if (cells[0] === 'date') {
        if (cells.join(',') !== TABLE_HEADER.join(',')) {
          throw new CalendarImportError(where, `the table header must be exactly ${TABLE_HEADER.join(',')}`);
        }
        inTable = true;
        return;
      }
      const key = cells[0] as CsvSetting;
      if (!CSV_SETTINGS.includes(key)) {
        throw new CalendarImportError(
          where,
          `unknown setting "${cells[0]}"; expected one of ${CSV_SETTINGS.join(', ')}, then the header ${TABLE_HEADER.join(',')}`,
        );
      }
      if (cells.length !== 2) {
        throw new CalendarImportError(where, `expected "${key},value" (quote a value that contains a comma)`);
      }
      const earlier = settings.get(key);
      if (earlier !== undefined)
        throw new CalendarImportError(where, `${key} is already set on line ${earlier.line}`);
      settings.set(key, { value: cells[1], line });
      return;
    }
    if (cells.length < 2 || cells.length > 3) {
      throw new CalendarImportError(
        where,
        `expected the columns date,kind,name, got ${cells.length} (quote a name that contains a comma)`,
      );
    }
    days.push({ date: cells[0], kind: cells[1], where });
  });
  for (const key of REQUIRED_SETTINGS) {
    if (!settings.has(key)) {
      throw new CalendarImportError(
        key,
        `missing setting; add a line "${key},…" before the header ${TABLE_HEADER.join(',')}`,
      );
    }
  }
  const whereOf = (field: string): string => {
    const setting = settings.get(field as CsvSetting);
    return setting === undefined ? field : `line ${setting.line}`;
  };
  const setting = (key: CsvSetting): string => settings.get(key)?.value ?? '';
  const weekend = settings.get('weekendDays');
  const meta: CalendarMeta = {
    id: setting('id'),
    name: setting('name'),
    timeZone: setting('timeZone'),
    workingHours: periodsOf(setting('workingHours'), whereOf('workingHours')),
    weekendDays: weekend === undefined ? DEFAULT_WEEKEND : weekdaysOf(weekend.value, whereOf('weekendDays')),
    holidaysThrough: settings.get('holidaysThrough')?.value,
  };
  return buildCalendar(meta, days, whereOf);
}

// ---------------------------------------------------------------------------------------------
// Holiday schedules: iCalendar and the chinese-days JSON
// ---------------------------------------------------------------------------------------------

/** Collects dated days, refusing a date given two different kinds. */
class HolidayCollector {
  private readonly days = new Map<string, { kind: DayKind; name: string | null; where: string }>();

  add(date: string, kind: DayKind, name: string | null, where: string): void {
    const earlier = this.days.get(date);
    if (earlier !== undefined && earlier.kind !== kind) {
      throw new CalendarImportError(
        where,
        `${date} is a ${kind} here but a ${earlier.kind} at ${earlier.where}; check the file`,
      );
    }
    if (earlier === undefined) this.days.set(date, { kind, name, where });
  }

  result(where: string): HolidayYears {
    if (this.days.size === 0) throw new CalendarImportError(where, 'the file lists no holidays or workdays');
    const dates = [...this.days.keys()].sort();
    const of = (kind: DayKind): NamedDay[] =>
      dates
        .filter((d) => this.days.get(d)!.kind === kind)
        .map((date) => ({ date, name: this.days.get(date)!.name }));
    const years = [...new Set(dates.map((d) => Number(d.slice(0, 4))))];
    return { years, holidays: of('holiday'), makeUpWorkdays: of('workday') };
  }
}

/**
 * The JSON of the `chinese-days` package (dist/chinese-days.json, dist/years/YYYY.json):
 * `{"holidays": {"2025-10-01": "National Day,国庆节,3", …}, "workdays": {…}, "inLieuDays": {…}}`.
 * `inLieuDays` are days off already listed among the holidays.
 */
function isChineseDaysDocument(document: unknown): document is Record<string, unknown> {
  return isObject(document) && isObject(document.holidays) && isObject(document.workdays);
}

function parseChineseDaysHolidays(document: Record<string, unknown>): HolidayYears {
  onlyFields(document, ['holidays', 'workdays', 'inLieuDays'], '');
  const collector = new HolidayCollector();
  for (const [field, kind] of [
    ['holidays', 'holiday'],
    ['workdays', 'workday'],
  ] as const) {
    for (const [date, label] of Object.entries(document[field] as Record<string, unknown>)) {
      const where = `${field}.${date}`;
      if (!isCalendarDate(date))
        throw new CalendarImportError(where, 'the key must be a real date YYYY-MM-DD');
      if (typeof label !== 'string')
        throw new CalendarImportError(where, 'must be a text "English,中文,days"');
      // "National Day,国庆节,3": the Chinese name is what the people who keep the calendar read.
      const name = label.split(',')[1]?.trim() || label.trim() || null;
      collector.add(date, kind, name, where);
    }
  }
  return collector.result('holidays');
}

/** Marks that say an all-day event is a make-up working day (调休上班) rather than a day off. */
const WORKDAY_MARK = /班|work\s*-?\s*day|working day|make-?up/i;

/**
 * iCalendar (RFC 5545) through ical.js: every all-day VEVENT is a day off for each date it spans
 * (DTEND exclusive), unless it is marked a working day — Apple's X-APPLE-SPECIAL-DAY, or 班 /
 * "workday" in its summary or description, as Chinese holiday calendars mark 调休 days.
 * Cancelled events are skipped; recurring ones are refused, because holiday dates move every year.
 */
function parseIcsHolidays(text: string): HolidayYears {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (err) {
    throw new CalendarImportError('iCalendar', (err as Error).message);
  }
  const calendar = root.name === 'vcalendar' ? root : root.getFirstSubcomponent('vcalendar');
  if (calendar === null) throw new CalendarImportError('iCalendar', 'no VCALENDAR in the file');
  const collector = new HolidayCollector();
  calendar.getAllSubcomponents('vevent').forEach((event, i) => {
    let where = `VEVENT ${i + 1}`;
    try {
      where = readIcsEvent(event, i, collector);
    } catch (err) {
      // ical.js reads property values lazily, so a malformed one throws here, not in ICAL.parse.
      if (err instanceof CalendarImportError) throw err;
      throw new CalendarImportError(where, (err as Error).message);
    }
  });
  return collector.result('iCalendar');
}

/** One event into the collector; returns how errors name it. */
function readIcsEvent(event: ICAL.Component, i: number, collector: HolidayCollector): string {
  const summary = textOf(event, 'summary');
  const where = `VEVENT ${i + 1}${summary ? ` "${summary}"` : ''}`;
  if (textOf(event, 'status')?.toUpperCase() === 'CANCELLED') return where;
  if (event.hasProperty('rrule') || event.hasProperty('rdate')) {
    throw new CalendarImportError(where, "recurring events are not supported: list each year's dates");
  }
  const start = event.getFirstPropertyValue('dtstart');
  if (!(start instanceof ICAL.Time) || !start.isDate) {
    throw new CalendarImportError(where, 'must be an all-day event (DTSTART;VALUE=DATE:YYYYMMDD)');
  }
  const end = endOf(event, start, where);
  const special = textOf(event, 'x-apple-special-day')?.toUpperCase();
  const marks = `${summary ?? ''} ${textOf(event, 'description') ?? ''}`;
  const kind: DayKind =
    special === 'ALTERNATE-WORKDAY' || (special === undefined && WORKDAY_MARK.test(marks))
      ? 'workday'
      : 'holiday';
  const day = start.clone();
  for (let n = 0; day.compare(end) < 0; n++) {
    if (n > 366) throw new CalendarImportError(where, 'spans more than a year; check DTEND');
    const date = day.toString();
    if (!isCalendarDate(date)) throw new CalendarImportError(where, `${date} is not a real date`);
    collector.add(date, kind, summary ?? null, where);
    day.adjust(1, 0, 0, 0);
  }
  return where;
}

function textOf(component: ICAL.Component, property: string): string | undefined {
  const value = component.getFirstPropertyValue(property);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** DTEND (exclusive), or DTSTART plus DURATION, or the one day RFC 5545 gives an all-day event without either. */
function endOf(event: ICAL.Component, start: ICAL.Time, where: string): ICAL.Time {
  const end = event.getFirstPropertyValue('dtend');
  if (end instanceof ICAL.Time) {
    if (!end.isDate) throw new CalendarImportError(where, 'DTEND must be a date like DTSTART');
    if (end.compare(start) <= 0) throw new CalendarImportError(where, 'DTEND must be after DTSTART');
    return end;
  }
  const duration = event.getFirstPropertyValue('duration');
  const result = start.clone();
  if (duration instanceof ICAL.Duration) result.addDuration(duration);
  else result.adjust(1, 0, 0, 0);
  return result;
}
