/**
 * Working-calendar import files, JSON or CSV (formats: db/seeds/calendars/README.md), turned
 * into a checked `WorkingCalendar`. Pure, text in and calendar out, so the command and tests
 * share it. Calendars are typed in by hand or exported from a spreadsheet every year, so an
 * error names the JSON field or CSV line to fix rather than just refusing the file.
 */
import type { WorkingCalendar, WorkingPeriod } from '../workflows/contracts/working-calendar';
import {
  checkWorkingCalendar,
  InvalidCalendarError,
  isCalendarDate,
  isoWeekday,
} from '../workflows/contracts/working-time';

export type CalendarFileFormat = 'json' | 'csv';

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
}

const DEFAULT_WEEKEND: number[] = [6, 7];
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function calendarFormatOf(fileName: string): CalendarFileFormat {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'json' || extension === 'csv') return extension;
  throw new CalendarImportError(fileName, 'calendar files must end in .json or .csv');
}

export function parseCalendarFile(text: string, format: CalendarFileFormat): WorkingCalendar {
  const withoutBom = text.replace(/^\uFEFF/, '');
  return format === 'json' ? parseJsonCalendar(withoutBom) : parseCsvCalendar(withoutBom);
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
  check(calendar, whereOf);
  return calendar;
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

function parseJsonCalendar(text: string): WorkingCalendar {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new CalendarImportError('JSON', (err as Error).message);
  }
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
  };
  return buildCalendar(meta, days, (field) => field);
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

const CSV_SETTINGS = ['id', 'name', 'timeZone', 'workingHours', 'weekendDays'] as const;
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
  };
  return buildCalendar(meta, days, whereOf);
}
