import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CalendarImportError,
  calendarFormatOf,
  parseCalendarFile,
  readCalendarFile,
  type HolidayYears,
} from '../../db/calendar-import';
import type { WorkingCalendar } from '../../workflows/contracts/working-calendar';
import { addWorkingTime } from '../../workflows/contracts/working-time';

const seeds = path.join(__dirname, '../../db/seeds/calendars');
const seed = (file: string) =>
  parseCalendarFile(readFileSync(path.join(seeds, file), 'utf8'), calendarFormatOf(file) as 'json' | 'csv');

const expected: WorkingCalendar = {
  id: 'small-office',
  name: 'Small office',
  timeZone: 'Asia/Shanghai',
  workingHours: [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '17:30' },
  ],
  weekendDays: [6, 7],
  holidays: ['2027-01-01', '2027-06-14'],
  makeUpWorkdays: ['2027-09-26'],
  holidaysThrough: 2027,
};

const goodJson = JSON.stringify({
  id: 'small-office',
  name: 'Small office',
  timeZone: 'Asia/Shanghai',
  workingHours: [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '17:30' },
  ],
  weekendDays: [7, 6],
  holidays: ['2027-06-14'],
  days: [
    { date: '2027-09-26', kind: 'workday', name: 'Make-up Sunday' },
    { date: '2027-01-01', kind: 'holiday', name: "New Year's Day" },
  ],
});

const goodCsv = [
  '# a small office',
  'id,small-office',
  'name,Small office',
  'timeZone,Asia/Shanghai',
  'workingHours,09:00-12:00 13:30-17:30',
  'weekendDays,6 7',
  '',
  'date,kind,name',
  '2027-06-14,holiday,',
  '2027-09-26,workday,"Make-up Sunday, for the autumn block"',
  "2027-01-01,holiday,New Year's Day",
].join('\r\n');

/** goodCsv with line `line` (1-based) replaced. */
const csvWith = (line: number, text: string) => {
  const lines = goodCsv.split('\r\n');
  lines[line - 1] = text;
  return lines.join('\n');
};

const jsonWith = (change: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(goodJson), ...change });

function importError(text: string, format: 'json' | 'csv'): CalendarImportError {
  try {
    parseCalendarFile(text, format);
  } catch (err) {
    if (err instanceof CalendarImportError) return err;
    throw err;
  }
  throw new Error('the file was accepted');
}

describe('good files', () => {
  test('JSON and CSV describing the same calendar import to the same calendar', () => {
    expect(parseCalendarFile(goodJson, 'json')).toEqual(expected);
    expect(parseCalendarFile(goodCsv, 'csv')).toEqual(expected);
  });

  test('the example JSON and CSV files import to the same calendar', () => {
    const fromJson = seed('example-calendar.json');
    expect(seed('example-calendar.csv')).toEqual(fromJson);
    expect(fromJson.holidays.length).toBeGreaterThan(0);
    expect(fromJson.makeUpWorkdays.length).toBeGreaterThan(0);
  });

  test('the example calendar says plainly that it is an example', () => {
    expect(seed('example-calendar.json').name).toMatch(/^EXAMPLE — not an official holiday schedule$/);
  });

  test('the imported example calendar drives the arithmetic: a make-up Saturday is worked', () => {
    const calendar = seed('example-calendar.csv');
    // Friday 2027-02-19 16:00 + 2 h: 1.5 h Friday, then Saturday 2027-02-20 is a make-up workday.
    const due = addWorkingTime(Date.parse('2027-02-19T16:00+08:00'), 2 * 3_600_000, calendar);
    expect(new Date(due).toISOString()).toBe(new Date('2027-02-20T09:30+08:00').toISOString());
  });

  test('weekend days default to Saturday and Sunday', () => {
    const { weekendDays } = parseCalendarFile(jsonWith({ weekendDays: undefined }), 'json');
    expect(weekendDays).toEqual([6, 7]);
    const withoutWeekendLine = goodCsv.replace('weekendDays,6 7\r\n', '');
    expect(parseCalendarFile(withoutWeekendLine, 'csv').weekendDays).toEqual([6, 7]);
  });

  test('a spreadsheet byte-order mark is ignored', () => {
    expect(parseCalendarFile(`\uFEFF${goodCsv}`, 'csv')).toEqual(expected);
    expect(parseCalendarFile(`\uFEFF${goodJson}`, 'json')).toEqual(expected);
  });

  test('the format is chosen by the file extension', () => {
    expect(calendarFormatOf('db/seeds/calendars/2027.JSON')).toBe('json');
    expect(calendarFormatOf('holidays.csv')).toBe('csv');
    expect(calendarFormatOf('holidays.ICS')).toBe('ics');
    expect(() => calendarFormatOf('holidays.xlsx')).toThrow('calendar files must end in .json, .csv or .ics');
  });
});

describe('bad JSON names the field', () => {
  test.each([
    [{ id: 'has space' }, 'id'],
    [{ name: '' }, 'name'],
    [{ timeZone: 'Asia/Peking' }, 'timeZone'],
    [{ workingHours: [{ start: '09:00', end: '25:00' }] }, 'workingHours[0].end'],
    [{ workingHours: [{ start: '09:00', end: '12:00', lunch: true }] }, 'workingHours[0].lunch'],
    [{ weekendDays: [6, 0] }, 'weekendDays[1]'],
    [{ holidays: ['2027-06-14', '2027-02-30'] }, 'holidays[1]'],
    [{ makeUpWorkdays: ['2027-06-16'] }, 'makeUpWorkdays[0]'],
    [{ days: [{ date: '2027-01-01', kind: 'off' }] }, 'days[0]'],
    [{ days: [{ date: '2027-01-01', kind: 'holiday', name: 7 }] }, 'days[0].name'],
    [{ holiday: ['2027-01-01'] }, 'holiday'],
  ])('%j is refused at %s', (change, where) => {
    expect(importError(jsonWith(change), 'json').where).toBe(where);
  });

  test('a date listed twice names both places', () => {
    const error = importError(jsonWith({ makeUpWorkdays: ['2027-06-14'] }), 'json');
    expect(error.message).toBe('makeUpWorkdays[0]: 2027-06-14 is already listed at holidays[0]');
  });

  test('a make-up workday on a weekday is refused as a typing error', () => {
    const error = importError(jsonWith({ makeUpWorkdays: ['2027-06-16'] }), 'json');
    expect(error.message).toMatch(/2027-06-16 is not a weekend day/);
  });

  test('text that is not JSON is refused', () => {
    expect(importError('{"id": ', 'json').where).toBe('JSON');
    expect(importError('[]', 'json').message).toBe('JSON: the file must hold one calendar object');
  });
});

describe('bad CSV names the line', () => {
  test.each([
    [2, 'id,', 'line 2'],
    [4, 'timeZone,Asia/Peking', 'line 4'],
    [5, 'workingHours,09:00-12:00 1330-1730', 'line 5'],
    [5, 'workingHours,09:00-12:00 11:00-17:30', 'line 5'],
    [6, 'weekendDays,6 8', 'line 6'],
    [6, 'weekenddays,6 7', 'line 6'],
    [8, 'date,kind', 'line 8'],
    [9, '2027-06-31,holiday,', 'line 9'],
    [10, '2027-09-26,work,Make-up Sunday', 'line 10'],
    [10, '2027-09-26,workday,Make-up Sunday, for the autumn block', 'line 10'],
    [11, '2027-06-14,holiday,Again', 'line 11'],
    [11, '2027-01-01,holiday,"unclosed', 'line 11'],
  ])('line %i as %j is refused at %s', (line, text, where) => {
    expect(importError(csvWith(line, text), 'csv').where).toBe(where);
  });

  test('the message says what is wrong on the line', () => {
    expect(importError(csvWith(10, '2027-09-26,work,x'), 'csv').message).toBe(
      'line 10: kind must be "holiday" or "workday", got "work"',
    );
    expect(importError(csvWith(11, '2027-06-14,holiday,Again'), 'csv').message).toBe(
      'line 11: 2027-06-14 is already listed at line 9',
    );
    expect(importError(csvWith(5, 'workingHours,09:00-12:00 11:00-17:30'), 'csv').message).toBe(
      'line 5: workingHours[1]: periods must be in order and must not overlap',
    );
  });

  test('a missing setting is named', () => {
    const error = importError(goodCsv.replace('timeZone,Asia/Shanghai\r\n', ''), 'csv');
    expect(error.where).toBe('timeZone');
  });

  test('a setting given twice names the line of the second', () => {
    expect(importError(csvWith(3, 'id,other'), 'csv').message).toBe('line 3: id is already set on line 2');
  });
});

describe('holiday schedules: iCalendar and the chinese-days JSON', () => {
  const packageFile = (file: string) => readFileSync(require.resolve(`chinese-days/dist/${file}`), 'utf8');
  const holidaysOf = (text: string, format: 'ics' | 'json'): HolidayYears => {
    const file = readCalendarFile(text, format);
    if (file.kind !== 'holidays') throw new Error(`expected a holiday schedule, got ${file.kind}`);
    return file.holidays;
  };
  const dates = (days: { date: string }[], prefix = '') =>
    days.map((d) => d.date).filter((d) => d.startsWith(prefix));
  const ics = (...events: string[]) =>
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR'].join('\r\n');
  const event = (...lines: string[]) =>
    ['BEGIN:VEVENT', 'UID:x', 'DTSTAMP:20250101T000000Z', ...lines, 'END:VEVENT'].join('\r\n');

  test("the package's 2025 iCalendar file gives National Day 1-8 October off and Sat 11 October worked", () => {
    const data = holidaysOf(packageFile('years/2025.ics'), 'ics');
    expect(data.years).toEqual([2025]);
    expect(dates(data.holidays, '2025-10')).toEqual([
      '2025-10-01',
      '2025-10-02',
      '2025-10-03',
      '2025-10-04',
      '2025-10-05',
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
    ]);
    expect(dates(data.makeUpWorkdays)).toEqual([
      '2025-01-26',
      '2025-02-08',
      '2025-04-27',
      '2025-09-28',
      '2025-10-11',
    ]);
    expect(data.holidays.find((d) => d.date === '2025-10-01')?.name).toBe('国庆节(休)');
  });

  test('the iCalendar files, Chinese and English, and the JSON of the package agree day for day', () => {
    const fromJson = holidaysOf(packageFile('chinese-days.json'), 'json');
    for (const file of ['holidays.ics', 'holidays.en.ics']) {
      const fromIcs = holidaysOf(packageFile(file), 'ics');
      for (const year of fromIcs.years) {
        expect([file, dates(fromIcs.holidays, `${year}`)]).toEqual([
          file,
          dates(fromJson.holidays, `${year}`),
        ]);
        expect([file, dates(fromIcs.makeUpWorkdays, `${year}`)]).toEqual([
          file,
          dates(fromJson.makeUpWorkdays, `${year}`),
        ]);
      }
    }
  });

  test('the chinese-days JSON gives every year it holds, with the Chinese names', () => {
    const data = holidaysOf(packageFile('chinese-days.json'), 'json');
    expect(data.years).toEqual(expect.arrayContaining([2004, 2025, 2026]));
    expect(data.holidays).toContainEqual({ date: '2026-02-17', name: '春节' });
    expect(data.makeUpWorkdays).toContainEqual({ date: '2026-02-28', name: '春节' });
  });

  test('a hand-written calendar: multi-day, DURATION, no end, and cancelled events', () => {
    const data = holidaysOf(
      ics(
        event('SUMMARY:Company day', 'DTSTART;VALUE=DATE:20270104', 'DTEND;VALUE=DATE:20270106'),
        event('SUMMARY:Spring Festival', 'DTSTART;VALUE=DATE:20270208', 'DURATION:P2D'),
        event('SUMMARY:调休上班', 'DTSTART;VALUE=DATE:20270220'),
        event('SUMMARY:Called off', 'STATUS:CANCELLED', 'DTSTART;VALUE=DATE:20270301'),
      ),
      'ics',
    );
    expect(data).toEqual({
      years: [2027],
      holidays: [
        { date: '2027-01-04', name: 'Company day' },
        { date: '2027-01-05', name: 'Company day' },
        { date: '2027-02-08', name: 'Spring Festival' },
        { date: '2027-02-09', name: 'Spring Festival' },
      ],
      makeUpWorkdays: [{ date: '2027-02-20', name: '调休上班' }],
    });
  });

  test.each([
    [
      event('SUMMARY:Yearly', 'DTSTART;VALUE=DATE:20270101', 'RRULE:FREQ=YEARLY'),
      /VEVENT 1 "Yearly": recurring events/,
    ],
    [event('SUMMARY:Meeting', 'DTSTART:20270101T090000Z'), /VEVENT 1 "Meeting": must be an all-day event/],
    [
      [
        event('SUMMARY:Off', 'DTSTART;VALUE=DATE:20270102'),
        event('SUMMARY:Worked (班)', 'DTSTART;VALUE=DATE:20270102'),
      ].join('\r\n'),
      /VEVENT 2 "Worked \(班\)": 2027-01-02 is a workday here but a holiday at VEVENT 1/,
    ],
    ['', /the file lists no holidays or workdays/],
  ])('a bad iCalendar event is named: %#', (events, message) => {
    expect(() => readCalendarFile(ics(events), 'ics')).toThrow(message);
  });

  test('a malformed date value is named by its event, not thrown as an internal error', () => {
    const bad = ics(event('SUMMARY:Bad', 'DTSTART;VALUE=DATE:2027')); // ical.js reads values lazily
    expect(() => readCalendarFile(bad, 'ics')).toThrow(CalendarImportError);
  });

  test('text that is not iCalendar is refused as such', () => {
    expect(() => readCalendarFile('hello', 'ics')).toThrow(CalendarImportError);
  });

  test('a bad date in the chinese-days JSON is named', () => {
    const text = JSON.stringify({ holidays: { '2027-02-30': 'x,y,1' }, workdays: {} });
    expect(() => readCalendarFile(text, 'json')).toThrow('holidays.2027-02-30: the key must be a real date');
  });
});
