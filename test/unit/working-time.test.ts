import fc from 'fast-check';
import { officialChinaHolidays } from '../../db/official-holidays';
import type { WorkingCalendar } from '../../workflows/contracts/working-calendar';
import {
  addPolicyDuration,
  addWorkingDays,
  addWorkingTime,
  checkWorkingCalendar,
  holidayDataShortfall,
  isWorkingInstant,
  measurePolicyTime,
  nextWorkingInstant,
  parseIsoDuration,
  workingDayLengthMs,
  workingDurationMs,
  workingTimeBetween,
} from '../../workflows/contracts/working-time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** 09:00–12:00 and 13:30–17:30. */
const OFFICE_DAY = 7 * HOUR;

/** An instant written with its UTC offset, e.g. at('2027-06-11T16:00+08:00'). */
const at = (text: string): number => {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`bad test instant ${text}`);
  return ms;
};
const iso = (ms: number): string => new Date(ms).toISOString();

const shanghai: WorkingCalendar = {
  id: 'test-shanghai',
  name: 'Test calendar, Shanghai office hours',
  timeZone: 'Asia/Shanghai',
  workingHours: [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '17:30' },
  ],
  weekendDays: [6, 7],
  // 2027-06-14 is a Monday; 2027-10-01..07 a holiday block; 2027-09-26 a make-up Sunday.
  holidays: ['2027-06-14', '2027-10-01', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07'],
  makeUpWorkdays: ['2027-09-26', '2027-10-09'],
};

const withHolidays = (calendar: WorkingCalendar, holidays: string[], makeUpWorkdays: string[] = []) => ({
  ...calendar,
  holidays,
  makeUpWorkdays,
});

const berlinOffice: WorkingCalendar = {
  id: 'test-berlin',
  name: 'Test calendar, Berlin office hours',
  timeZone: 'Europe/Berlin',
  workingHours: [{ start: '09:00', end: '17:00' }],
  weekendDays: [6, 7],
  holidays: [],
  makeUpWorkdays: [],
};

const newYorkOffice: WorkingCalendar = { ...berlinOffice, id: 'test-new-york', timeZone: 'America/New_York' };

/** Periods through the small hours, so the clock changes (02:00↔03:00 in Berlin) fall inside them. */
const berlinNightShift: WorkingCalendar = {
  id: 'test-berlin-night',
  name: 'Test calendar, Berlin night shift',
  timeZone: 'Europe/Berlin',
  workingHours: [
    { start: '00:30', end: '02:30' },
    { start: '02:45', end: '04:00' },
    { start: '22:00', end: '24:00' },
  ],
  weekendDays: [7],
  holidays: ['2027-03-29'],
  makeUpWorkdays: ['2027-10-31'],
};

const P2D = 2 * OFFICE_DAY;

describe('due times on the working basis (Asia/Shanghai, 09:00–12:00 and 13:30–17:30)', () => {
  test('a defect confirmed Friday 16:00 with P2D working is due Tuesday 16:00', () => {
    const due = addWorkingTime(at('2027-06-04T16:00+08:00'), P2D, shanghai);
    expect(iso(due)).toBe(iso(at('2027-06-08T16:00+08:00')));
  });

  test('a holiday Monday pushes the due time by one working day', () => {
    const due = addWorkingTime(at('2027-06-11T16:00+08:00'), P2D, shanghai);
    expect(iso(due)).toBe(iso(at('2027-06-16T16:00+08:00')));
  });

  test('a make-up Sunday counts as a working day', () => {
    const friday = at('2027-09-24T16:00+08:00');
    expect(iso(addWorkingTime(friday, P2D, shanghai))).toBe(iso(at('2027-09-27T16:00+08:00')));
    const ordinary = withHolidays(shanghai, []);
    expect(iso(addWorkingTime(friday, P2D, ordinary))).toBe(iso(at('2027-09-28T16:00+08:00')));
  });

  test('a holiday block and a make-up Saturday are both honoured', () => {
    // Thursday 30 Sep 16:00: 1.5h Thu, Fri 1 Oct to Thu 7 Oct off, Fri 8 Oct 7h, Sat 9 Oct make-up.
    const due = addWorkingTime(at('2027-09-30T16:00+08:00'), P2D, shanghai);
    expect(iso(due)).toBe(iso(at('2027-10-09T16:00+08:00')));
  });

  test('the lunch break 12:00–13:30 is skipped', () => {
    const due = addWorkingTime(at('2027-06-08T11:00+08:00'), 2 * HOUR, shanghai);
    expect(iso(due)).toBe(iso(at('2027-06-08T14:30+08:00')));
  });

  test('a start before 09:00 counts from 09:00', () => {
    const due = addWorkingTime(at('2027-06-08T07:15+08:00'), HOUR, shanghai);
    expect(iso(due)).toBe(iso(at('2027-06-08T10:00+08:00')));
  });

  test('a start during lunch counts from 13:30', () => {
    const due = addWorkingTime(at('2027-06-08T12:40+08:00'), HOUR, shanghai);
    expect(iso(due)).toBe(iso(at('2027-06-08T14:30+08:00')));
  });

  test('a start after 17:30 counts from the next working morning', () => {
    const due = addWorkingTime(at('2027-06-04T19:00+08:00'), 30 * MINUTE, shanghai);
    expect(iso(due)).toBe(iso(at('2027-06-07T09:30+08:00')));
  });

  test('time that runs out exactly at 12:00 is due at 12:00, not after lunch', () => {
    const due = addWorkingTime(at('2027-06-08T11:00+08:00'), HOUR, shanghai);
    expect(iso(due)).toBe(iso(at('2027-06-08T12:00+08:00')));
  });

  test('one working day from 09:00 is due 17:30 the same day, not 09:00 the next', () => {
    const due = addWorkingTime(at('2027-06-08T09:00+08:00'), OFFICE_DAY, shanghai);
    expect(iso(due)).toBe(iso(at('2027-06-08T17:30+08:00')));
  });

  test('zero duration is due at the start when it is working time', () => {
    expect(addWorkingTime(at('2027-06-08T10:00+08:00'), 0, shanghai)).toBe(at('2027-06-08T10:00+08:00'));
  });

  test('zero duration at 12:00 is due when work resumes at 13:30', () => {
    expect(iso(addWorkingTime(at('2027-06-08T12:00+08:00'), 0, shanghai))).toBe(
      iso(at('2027-06-08T13:30+08:00')),
    );
  });

  test('a negative or non-finite duration is refused', () => {
    expect(() => addWorkingTime(at('2027-06-08T10:00+08:00'), -1, shanghai)).toThrow(/non-negative/);
    expect(() => addWorkingTime(at('2027-06-08T10:00+08:00'), NaN, shanghai)).toThrow(/non-negative/);
  });
});

describe('working time between two instants', () => {
  test('a working day from 08:00 to 18:00 holds 7 working hours', () => {
    expect(workingTimeBetween(at('2027-06-08T08:00+08:00'), at('2027-06-08T18:00+08:00'), shanghai)).toBe(
      7 * HOUR,
    );
  });

  test('a weekend and a holiday Monday hold no working time', () => {
    const fridayEvening = at('2027-06-11T17:30+08:00');
    const tuesdayMorning = at('2027-06-15T09:00+08:00');
    expect(workingTimeBetween(fridayEvening, tuesdayMorning, shanghai)).toBe(0);
  });

  test('an interval that ends before it starts holds no working time', () => {
    expect(workingTimeBetween(at('2027-06-08T15:00+08:00'), at('2027-06-08T10:00+08:00'), shanghai)).toBe(0);
  });

  test('the interval is half-open: [10:00, 11:00) holds exactly one hour', () => {
    expect(workingTimeBetween(at('2027-06-08T10:00+08:00'), at('2027-06-08T11:00+08:00'), shanghai)).toBe(
      HOUR,
    );
  });
});

describe('working instants', () => {
  test('a period includes its start and excludes its end', () => {
    expect(isWorkingInstant(at('2027-06-08T09:00+08:00'), shanghai)).toBe(true);
    expect(isWorkingInstant(at('2027-06-08T12:00+08:00') - 1, shanghai)).toBe(true);
    expect(isWorkingInstant(at('2027-06-08T12:00+08:00'), shanghai)).toBe(false);
    expect(isWorkingInstant(at('2027-06-08T17:30+08:00'), shanghai)).toBe(false);
  });

  test('holidays and ordinary weekends are not working time, make-up days are', () => {
    expect(isWorkingInstant(at('2027-06-14T10:00+08:00'), shanghai)).toBe(false);
    expect(isWorkingInstant(at('2027-06-12T10:00+08:00'), shanghai)).toBe(false);
    expect(isWorkingInstant(at('2027-09-26T10:00+08:00'), shanghai)).toBe(true);
  });

  test('the next working instant after Friday evening is Monday 09:00', () => {
    expect(iso(nextWorkingInstant(at('2027-06-04T18:00+08:00'), shanghai))).toBe(
      iso(at('2027-06-07T09:00+08:00')),
    );
  });

  test('a working day lasts the sum of its periods', () => {
    expect(workingDayLengthMs(shanghai)).toBe(OFFICE_DAY);
  });
});

describe('clock changes', () => {
  test('Berlin, spring forward: Friday 16:00 CET plus 2 working hours is Monday 10:00 CEST', () => {
    const due = addWorkingTime(at('2027-03-26T16:00+01:00'), 2 * HOUR, berlinOffice);
    expect(iso(due)).toBe(iso(at('2027-03-29T10:00+02:00')));
  });

  test('Berlin, fall back: Friday 16:00 CEST plus 2 working hours is Monday 10:00 CET', () => {
    const due = addWorkingTime(at('2027-10-29T16:00+02:00'), 2 * HOUR, berlinOffice);
    expect(iso(due)).toBe(iso(at('2027-11-01T10:00+01:00')));
  });

  test('New York, spring forward: Friday 16:00 EST plus 2 working hours is Monday 10:00 EDT', () => {
    const due = addWorkingTime(at('2027-03-12T16:00-05:00'), 2 * HOUR, newYorkOffice);
    expect(iso(due)).toBe(iso(at('2027-03-15T10:00-04:00')));
  });

  test('New York, fall back: Friday 16:00 EDT plus 2 working hours is Monday 10:00 EST', () => {
    const due = addWorkingTime(at('2027-11-05T16:00-04:00'), 2 * HOUR, newYorkOffice);
    expect(iso(due)).toBe(iso(at('2027-11-08T10:00-05:00')));
  });

  test('a period spanning the skipped hour is an hour shorter, one spanning the repeated hour an hour longer', () => {
    const roundTheClock: WorkingCalendar = {
      ...berlinOffice,
      workingHours: [{ start: '00:00', end: '24:00' }],
      weekendDays: [],
    };
    const springDay = workingTimeBetween(
      at('2027-03-28T00:00+01:00'),
      at('2027-03-29T00:00+02:00'),
      roundTheClock,
    );
    const autumnDay = workingTimeBetween(
      at('2027-10-31T00:00+02:00'),
      at('2027-11-01T00:00+01:00'),
      roundTheClock,
    );
    expect(springDay).toBe(23 * HOUR);
    expect(autumnDay).toBe(25 * HOUR);
  });

  test('a period starting in the skipped hour starts when the clocks jump', () => {
    // 2027-03-28 is a Sunday, a weekend day of the night shift; use a calendar without weekend.
    const everyDay = { ...berlinNightShift, weekendDays: [] };
    expect(isWorkingInstant(at('2027-03-28T03:00+02:00'), everyDay)).toBe(true);
    expect(isWorkingInstant(at('2027-03-28T02:00+02:00') - 1, everyDay)).toBe(true);
    // 00:30 CET to 02:30 (= the jump, 03:00 CEST) is 1.5 h; 03:00 CEST to 04:00 CEST is 1 h.
    const night = workingTimeBetween(at('2027-03-28T00:00+01:00'), at('2027-03-28T12:00+02:00'), everyDay);
    expect(night).toBe(2.5 * HOUR);
  });

  test('Asia/Shanghai has no clock change: a working day is always 7 hours of real time', () => {
    const monday = at('2027-03-29T00:00+08:00');
    expect(workingTimeBetween(monday, monday + 24 * HOUR, shanghai)).toBe(OFFICE_DAY);
  });
});

describe('ISO-8601 durations', () => {
  test('the durations SLA policies use are parsed', () => {
    expect(parseIsoDuration('PT15M')).toEqual({
      years: 0,
      months: 0,
      weeks: 0,
      days: 0,
      hours: 0,
      minutes: 15,
      seconds: 0,
    });
    expect(parseIsoDuration('PT4H').hours).toBe(4);
    expect(parseIsoDuration('P5D').days).toBe(5);
    expect(parseIsoDuration('P3M').months).toBe(3);
    expect(parseIsoDuration('P1Y2M3W4DT5H6M7S')).toEqual({
      years: 1,
      months: 2,
      weeks: 3,
      days: 4,
      hours: 5,
      minutes: 6,
      seconds: 7,
    });
  });

  test.each([
    '',
    'P',
    'PT',
    '2D',
    'P1H',
    'P-1D',
    'P1.5D',
    'p2d',
    'PT4H ',
    'P2DT',
    'PT1M1H',
    'P99999999999999999D',
  ])('garbage "%s" is refused with a message that shows it', (text) => {
    expect(() => parseIsoDuration(text)).toThrow(`Invalid ISO-8601 duration ${JSON.stringify(text)}`);
  });

  test('on the working basis a day is one working day', () => {
    expect(workingDurationMs('P2D', shanghai)).toBe(2 * OFFICE_DAY);
    expect(workingDurationMs('P1DT2H30M', shanghai)).toBe(OFFICE_DAY + 2.5 * HOUR);
  });

  test.each(['P3M', 'P1Y', 'P1W'])('on the working basis %s is refused', (duration) => {
    expect(() => workingDurationMs(duration, shanghai)).toThrow(/cannot be counted in working time/);
  });
});

describe('policy durations', () => {
  test('P2D on the working basis from Friday 16:00 is Tuesday 16:00', () => {
    const due = addPolicyDuration(at('2027-06-04T16:00+08:00'), 'P2D', 'working', shanghai, 'Asia/Shanghai');
    expect(iso(due)).toBe(iso(at('2027-06-08T16:00+08:00')));
  });

  test('PT15M on the working basis from 11:50 is 13:35 after lunch', () => {
    const due = addPolicyDuration(
      at('2027-06-08T11:50+08:00'),
      'PT15M',
      'working',
      shanghai,
      'Asia/Shanghai',
    );
    expect(iso(due)).toBe(iso(at('2027-06-08T13:35+08:00')));
  });

  test('the working basis without a calendar is refused', () => {
    expect(() => addPolicyDuration(0, 'P2D', 'working', undefined, 'Asia/Shanghai')).toThrow(
      /needs a working calendar/,
    );
  });

  test('an unknown basis is refused rather than counted as working time', () => {
    const basis = 'calendar' as 'working-hours';
    expect(() => addPolicyDuration(0, 'P2D', basis, shanghai, 'Asia/Shanghai')).toThrow(/basis must be/);
  });

  test('P3M elapsed from 31 January is 30 April at the same local time', () => {
    const due = addPolicyDuration(at('2027-01-31T10:00+08:00'), 'P3M', 'elapsed', undefined, 'Asia/Shanghai');
    expect(iso(due)).toBe(iso(at('2027-04-30T10:00+08:00')));
  });

  test('P1M elapsed from 31 January of a leap year is 29 February', () => {
    const due = addPolicyDuration(at('2028-01-31T10:00+08:00'), 'P1M', 'elapsed', undefined, 'Asia/Shanghai');
    expect(iso(due)).toBe(iso(at('2028-02-29T10:00+08:00')));
  });

  test('P2D elapsed ignores weekends and holidays', () => {
    const due = addPolicyDuration(at('2027-06-11T16:00+08:00'), 'P2D', 'elapsed', shanghai, 'Asia/Shanghai');
    expect(iso(due)).toBe(iso(at('2027-06-13T16:00+08:00')));
  });

  test('elapsed P1D across spring forward keeps the wall-clock time, PT24H keeps the exact length', () => {
    const start = at('2027-03-27T10:00+01:00');
    expect(iso(addPolicyDuration(start, 'P1D', 'elapsed', undefined, 'Europe/Berlin'))).toBe(
      iso(at('2027-03-28T10:00+02:00')),
    );
    expect(iso(addPolicyDuration(start, 'PT24H', 'elapsed', undefined, 'Europe/Berlin'))).toBe(
      iso(at('2027-03-28T11:00+02:00')),
    );
  });

  test('elapsed P1D from the day before spring forward at 02:30 lands when the clocks jump', () => {
    const due = addPolicyDuration(at('2027-03-27T02:30+01:00'), 'P1D', 'elapsed', undefined, 'Europe/Berlin');
    expect(iso(due)).toBe(iso(at('2027-03-28T03:00+02:00')));
  });

  test('elapsed P1D into the repeated hour of fall back takes the earlier 02:30', () => {
    const due = addPolicyDuration(at('2027-10-30T02:30+02:00'), 'P1D', 'elapsed', undefined, 'Europe/Berlin');
    expect(iso(due)).toBe(iso(at('2027-10-31T02:30+02:00')));
  });

  test('measured time is elapsed or working milliseconds, never negative', () => {
    const a = at('2027-06-11T16:00+08:00');
    const b = at('2027-06-15T10:00+08:00');
    expect(measurePolicyTime(a, b, 'elapsed', undefined)).toBe(b - a);
    expect(measurePolicyTime(a, b, 'working', shanghai)).toBe(2.5 * HOUR);
    expect(measurePolicyTime(b, a, 'elapsed', undefined)).toBe(0);
  });

  test('an unknown time zone on the elapsed basis is refused', () => {
    expect(() => addPolicyDuration(0, 'P1D', 'elapsed', undefined, 'Asia/Peking')).toThrow(
      /Unknown time zone "Asia\/Peking"/,
    );
  });
});

describe('broken calendars fail loudly instead of hanging', () => {
  test('a calendar without working periods is refused', () => {
    const none = { ...shanghai, workingHours: [] };
    expect(() => addWorkingTime(0, HOUR, none)).toThrow(
      /workingHours: must list at least one working period/,
    );
  });

  test('a calendar where every day is a weekend day stops searching after a few years', () => {
    const neverWorks = { ...shanghai, weekendDays: [1, 2, 3, 4, 5, 6, 7], makeUpWorkdays: [] };
    expect(() => addWorkingTime(at('2027-06-08T10:00+08:00'), HOUR, neverWorks)).toThrow(
      /"test-shanghai" has no working time in the 1098 days after/,
    );
    expect(() => nextWorkingInstant(at('2027-06-08T10:00+08:00'), neverWorks)).toThrow(/no working time/);
  });

  test('a calendar whose every weekday is a holiday for years stops searching', () => {
    const holidays: string[] = [];
    for (let day = Date.UTC(2027, 0, 1); day < Date.UTC(2031, 0, 1); day += 24 * HOUR) {
      holidays.push(new Date(day).toISOString().slice(0, 10));
    }
    const allHolidays = withHolidays(shanghai, holidays);
    expect(() => addWorkingTime(at('2027-01-01T10:00+08:00'), HOUR, allHolidays)).toThrow(/no working time/);
  });

  test.each([
    [{ workingHours: [{ start: '9:00', end: '12:00' }] }, 'workingHours[0].start: must be a time HH:MM'],
    [{ workingHours: [{ start: '13:00', end: '12:00' }] }, 'workingHours[0]: end must be after start'],
    [
      {
        workingHours: [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '13:00' },
        ],
      },
      'workingHours[1]: periods must be in order and must not overlap',
    ],
    [{ weekendDays: [6, 8] }, 'weekendDays[1]: must be a distinct ISO weekday 1-7'],
    [{ holidays: ['2027-02-30'] }, 'holidays[0]: must be a date YYYY-MM-DD'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone: Unknown time zone "Mars/Olympus"'],
    [{ makeUpWorkdays: ['2027-06-14'] }, 'makeUpWorkdays: 2027-06-14 is also listed as a holiday'],
    [{ holidaysThrough: 2026.5 }, 'holidaysThrough: must be a year'],
  ])('an invalid calendar %j is refused naming the field', (change, message) => {
    expect(() => checkWorkingCalendar({ ...shanghai, ...change } as WorkingCalendar)).toThrow(message);
  });
});

describe('speed', () => {
  test('adding 5 working days takes well under a millisecond', () => {
    const start = at('2027-06-04T16:00+08:00');
    const runs = 2000;
    const begin = performance.now();
    for (let i = 0; i < runs; i++) addWorkingTime(start + i * MINUTE, 5 * OFFICE_DAY, shanghai);
    const perCall = (performance.now() - begin) / runs;
    expect(perCall).toBeLessThan(0.5);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const RUNS = 300;
const DAY = 24 * HOUR;

/** Instants from 2026 to 2029 at millisecond resolution, biased to period boundaries by minute steps. */
const anyInstant = fc.oneof(
  fc.integer({ min: at('2026-01-01T00:00Z'), max: at('2029-01-01T00:00Z') }),
  fc
    .integer({ min: 0, max: 3 * 366 * 24 * 4 })
    .map((quarter) => at('2026-01-01T00:00Z') + quarter * 15 * MINUTE),
);

/** Instants within ten days of the European clock changes of 2027 and 2028. */
const nearBerlinClockChange = fc
  .tuple(
    fc.constantFrom(
      at('2027-03-28T01:00Z'),
      at('2027-10-31T01:00Z'),
      at('2028-03-26T01:00Z'),
      at('2028-10-29T01:00Z'),
    ),
    fc.integer({ min: -10 * DAY, max: 10 * DAY }),
    fc.boolean(),
  )
  .map(([change, offset, onTheMinute]) => change + (onTheMinute ? offset - (offset % MINUTE) : offset));

/** Up to ten working days, sometimes whole minutes. */
const anyDuration = fc.oneof(
  fc.integer({ min: 0, max: 10 * OFFICE_DAY }),
  fc.integer({ min: 0, max: (10 * OFFICE_DAY) / MINUTE }).map((m) => m * MINUTE),
  fc.constantFrom(0, 1, OFFICE_DAY, 2 * OFFICE_DAY),
);

const cases: Array<[string, WorkingCalendar, fc.Arbitrary<number>]> = [
  ['Asia/Shanghai office hours with holidays and make-up days', shanghai, anyInstant],
  ['Europe/Berlin office hours across the clock changes', berlinOffice, nearBerlinClockChange],
  ['Europe/Berlin night shift spanning the changed hours', berlinNightShift, nearBerlinClockChange],
  ['America/New_York office hours', newYorkOffice, anyInstant],
];

describe.each(cases)('properties of %s', (_label, calendar, instant) => {
  test('a later start never gives an earlier due time', () => {
    fc.assert(
      fc.property(instant, instant, anyDuration, (a, b, d) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(addWorkingTime(early, d, calendar)).toBeLessThanOrEqual(addWorkingTime(late, d, calendar));
      }),
      { numRuns: RUNS },
    );
  });

  test('a longer duration never gives an earlier due time', () => {
    fc.assert(
      fc.property(instant, anyDuration, anyDuration, (start, a, b) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        expect(addWorkingTime(start, short, calendar)).toBeLessThanOrEqual(
          addWorkingTime(start, long, calendar),
        );
      }),
      { numRuns: RUNS },
    );
  });

  test('the working time from start to due is exactly the duration', () => {
    fc.assert(
      fc.property(instant, anyDuration, (start, d) => {
        expect(workingTimeBetween(start, addWorkingTime(start, d, calendar), calendar)).toBe(d);
      }),
      { numRuns: RUNS },
    );
  });

  test('a due time for a positive duration closes working time: the millisecond before it is worked', () => {
    fc.assert(
      fc.property(instant, anyDuration, (start, d) => {
        fc.pre(d > 0);
        const due = addWorkingTime(start, d, calendar);
        expect(due).toBeGreaterThan(start);
        expect(isWorkingInstant(due - 1, calendar)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  test('a zero duration is due at a working instant no earlier than the start', () => {
    fc.assert(
      fc.property(instant, (start) => {
        const due = addWorkingTime(start, 0, calendar);
        expect(due).toBeGreaterThanOrEqual(start);
        expect(isWorkingInstant(due, calendar)).toBe(true);
        expect(workingTimeBetween(start, due, calendar)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  test('working time adds up over adjacent intervals', () => {
    fc.assert(
      fc.property(instant, instant, instant, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q);
        expect(workingTimeBetween(a, b, calendar) + workingTimeBetween(b, c, calendar)).toBe(
          workingTimeBetween(a, c, calendar),
        );
      }),
      { numRuns: RUNS },
    );
  });

  test('an instant is working time exactly when the millisecond from it is counted', () => {
    fc.assert(
      fc.property(instant, (t) => {
        expect(isWorkingInstant(t, calendar)).toBe(workingTimeBetween(t, t + 1, calendar) === 1);
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * An independent model: read the wall clock of an instant with Intl and look the time up in the
 * calendar, without the module's local-to-UTC conversion. Valid for calendars whose periods never
 * touch a clock change (office hours).
 */
function wallClockModel(calendar: WorkingCalendar): (ms: number) => boolean {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: calendar.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
  });
  const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  return (ms) => {
    const parts = format.formatToParts(ms);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    const date = `${part('year')}-${part('month')}-${part('day')}`;
    const weekday = weekdays.indexOf(part('weekday')) + 1;
    const time = `${part('hour')}:${part('minute')}`;
    const workingDay =
      !calendar.holidays.includes(date) &&
      (calendar.makeUpWorkdays.includes(date) || !calendar.weekendDays.includes(weekday));
    return workingDay && calendar.workingHours.some((p) => p.start <= time && time < p.end);
  };
}

describe.each(cases.filter(([, calendar]) => calendar !== berlinNightShift))(
  'agreement with the wall-clock model for %s',
  (_label, calendar, instant) => {
    const modelIsWorking = wallClockModel(calendar);

    test('an instant is working time exactly when its wall-clock time is in a working period', () => {
      fc.assert(
        fc.property(instant, (t) => {
          expect(isWorkingInstant(t, calendar)).toBe(modelIsWorking(t));
        }),
        { numRuns: RUNS },
      );
    });

    test('the due time is where a minute-by-minute walk of the wall clock ends', () => {
      fc.assert(
        fc.property(instant, fc.integer({ min: 1, max: 2 * (OFFICE_DAY / MINUTE) }), (t, minutes) => {
          const start = t - (((t % MINUTE) + MINUTE) % MINUTE);
          let minute = start;
          for (let counted = 0; ; minute += MINUTE) {
            if (modelIsWorking(minute) && ++counted === minutes) break;
          }
          expect(iso(addWorkingTime(start, minutes * MINUTE, calendar))).toBe(iso(minute + MINUTE));
        }),
        { numRuns: 60 },
      );
    });
  },
);

// ---------------------------------------------------------------------------------------------
// Working days as people count them, on the official calendar of China (chinese-days package)
// ---------------------------------------------------------------------------------------------

const official = officialChinaHolidays().data;
/** The default calendar of a fresh installation: Shanghai office hours and the official holidays. */
const china: WorkingCalendar = {
  ...shanghai,
  id: 'default',
  holidays: official.holidays.map((d) => d.date),
  makeUpWorkdays: official.makeUpWorkdays.map((d) => d.date),
  holidaysThrough: Math.max(...official.years),
};
const due = (start: string, duration: string, basis: 'working-days' | 'working-hours' | 'working') =>
  iso(addPolicyDuration(at(start), duration, basis, china, 'Asia/Shanghai'));

describe('the official calendar of China 2025-2026 (chinese-days)', () => {
  test('National Day 2025: 1-8 October off (with Mid-autumn), Sunday 28 September and Saturday 11 October worked', () => {
    expect(china.holidays.filter((d) => d.startsWith('2025-10'))).toEqual([
      '2025-10-01',
      '2025-10-02',
      '2025-10-03',
      '2025-10-04',
      '2025-10-05',
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
    ]);
    expect(china.makeUpWorkdays.filter((d) => d.startsWith('2025-09') || d.startsWith('2025-10'))).toEqual([
      '2025-09-28',
      '2025-10-11',
    ]);
  });

  test('Spring Festival 2026: 15-23 February off, Saturdays 14 and 28 February worked', () => {
    expect(china.holidays.filter((d) => d.startsWith('2026-02'))).toEqual([
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
    ]);
    expect(china.makeUpWorkdays.filter((d) => d.startsWith('2026-02'))).toEqual(['2026-02-14', '2026-02-28']);
  });
});

describe('working days: the start day does not count, due at close of business on the Nth working day', () => {
  test('P2D from Tuesday 30 September 2025 10:00 is Friday 10 October 17:30 (National Day in between)', () => {
    expect(due('2025-09-30T10:00+08:00', 'P2D', 'working-days')).toBe(iso(at('2025-10-10T17:30+08:00')));
  });

  test('the same P2D on working hours is 14 working hours later: Friday 10 October 10:00', () => {
    // 30 Sep: 10:00-12:00 and 13:30-17:30 = 6 h; 9 Oct: 7 h; 10 Oct: 1 h from 09:00.
    expect(due('2025-09-30T10:00+08:00', 'P2D', 'working-hours')).toBe(iso(at('2025-10-10T10:00+08:00')));
  });

  test('P5D from Monday 28 September 2026 09:00: working hours count the start day, working days do not', () => {
    expect(due('2026-09-28T09:00+08:00', 'P5D', 'working-hours')).toBe(iso(at('2026-10-09T17:30+08:00')));
    expect(due('2026-09-28T09:00+08:00', 'P5D', 'working-days')).toBe(iso(at('2026-10-10T17:30+08:00')));
  });

  test('the earlier basis name "working" still counts working hours, so running cases replay unchanged', () => {
    expect(due('2025-09-30T10:00+08:00', 'P2D', 'working')).toBe(
      due('2025-09-30T10:00+08:00', 'P2D', 'working-hours'),
    );
  });

  test.each([
    // routine (2), corrective (3), perfective (5) working days, 003 (九) 3
    [
      '2026-02-13T15:00+08:00',
      'P2D',
      '2026-02-24T17:30+08:00',
      'make-up Saturday 14 Feb, then Spring Festival',
    ],
    ['2026-09-24T11:00+08:00', 'P3D', '2026-09-30T17:30+08:00', 'Mid-autumn 25-27 Sep'],
    ['2026-09-28T09:00+08:00', 'P5D', '2026-10-10T17:30+08:00', 'National Day, make-up Saturday 10 Oct'],
    [
      '2025-09-30T19:00+08:00',
      'P1D',
      '2025-10-09T17:30+08:00',
      'confirmed after hours: the day still does not count',
    ],
    ['2025-10-04T10:00+08:00', 'P1D', '2025-10-09T17:30+08:00', 'confirmed on a holiday'],
    ['2025-09-27T10:00+08:00', 'P1D', '2025-09-28T17:30+08:00', 'a make-up Sunday is the first working day'],
    ['2025-09-30T10:00+08:00', 'P1DT2H', '2025-10-10T11:00+08:00', 'hours run on as working time'],
    ['2025-09-30T10:00+08:00', 'PT4H', '2025-09-30T15:30+08:00', 'hours alone are working hours'],
  ])('from %s %s is due %s (%s)', (start, duration, expected) => {
    expect(due(start, duration, 'working-days')).toBe(iso(at(expected)));
  });

  test('one working day after a due time at close of business is the next working day at close of business', () => {
    // The defect ladder's level 2: P1D after the due time, on the make-up Saturday.
    expect(due('2025-10-10T17:30+08:00', 'P1D', 'working-days')).toBe(iso(at('2025-10-11T17:30+08:00')));
  });

  test.each(['P1W', 'P1M', 'P1Y'])('%s is refused on the working-days basis too', (duration) => {
    expect(() => due('2025-09-30T10:00+08:00', duration, 'working-days')).toThrow(/cannot be counted/);
  });

  test('zero days is the next working instant; a negative or fractional count is refused', () => {
    expect(iso(addWorkingDays(at('2025-10-01T10:00+08:00'), 0, china))).toBe(
      iso(at('2025-10-09T09:00+08:00')),
    );
    expect(() => addWorkingDays(0, -1, china)).toThrow(/whole number/);
    expect(() => addWorkingDays(0, 1.5, china)).toThrow(/whole number/);
  });

  test('a calendar without working days stops searching', () => {
    const neverWorks = { ...shanghai, weekendDays: [1, 2, 3, 4, 5, 6, 7], makeUpWorkdays: [] };
    expect(() => addWorkingDays(at('2027-06-08T10:00+08:00'), 1, neverWorks)).toThrow(/no working day/);
  });
});

describe('holiday data coverage', () => {
  test('a due time in a year after the last with holiday data is a shortfall, in the calendar zone', () => {
    expect(holidayDataShortfall(at('2026-12-31T17:29+08:00'), china)).toBeNull();
    // 17:00 UTC on 31 December is already 1 January 01:00 in Shanghai.
    expect(holidayDataShortfall(at('2026-12-31T17:00Z'), china)).toEqual({
      holidaysThrough: 2026,
      reachedYear: 2027,
    });
  });

  test('a calendar that keeps no holiday data has no shortfall', () => {
    expect(holidayDataShortfall(at('2040-01-01T00:00Z'), shanghai)).toBeNull();
  });
});

/** Starts across 2025-2026, the years of the official data. */
const officialInstant = fc.integer({ min: at('2025-01-01T00:00+08:00'), max: at('2026-12-01T00:00+08:00') });
const localDate = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);

describe('properties of working days on the official calendar', () => {
  test('the due time is close of business: the millisecond before it is worked, 17:30 local', () => {
    fc.assert(
      fc.property(officialInstant, fc.integer({ min: 1, max: 10 }), (start, days) => {
        const dueAt = addWorkingDays(start, days, china);
        expect(isWorkingInstant(dueAt - 1, china)).toBe(true);
        expect(new Date(dueAt + 8 * HOUR).toISOString().slice(11, 16)).toBe('17:30');
      }),
      { numRuns: RUNS },
    );
  });

  test('exactly N working days lie after the start day up to and including the due day', () => {
    fc.assert(
      fc.property(officialInstant, fc.integer({ min: 1, max: 10 }), (start, days) => {
        const dueDate = localDate(addWorkingDays(start, days, china));
        let counted = 0;
        for (let d = at(`${localDate(start)}T12:00+08:00`) + DAY; localDate(d) <= dueDate; d += DAY) {
          if (isWorkingInstant(at(`${localDate(d)}T10:00+08:00`), china)) counted++;
        }
        expect(counted).toBe(days);
      }),
      { numRuns: RUNS },
    );
  });

  test('a later start or more days never gives an earlier due time; the start day never counts', () => {
    fc.assert(
      fc.property(officialInstant, officialInstant, fc.integer({ min: 1, max: 10 }), (a, b, days) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(addWorkingDays(early, days, china)).toBeLessThanOrEqual(addWorkingDays(late, days, china));
        expect(addWorkingDays(early, days, china)).toBeLessThan(addWorkingDays(early, days + 1, china));
        expect(localDate(addWorkingDays(early, days, china)) > localDate(early)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  test('"working" and "working-hours" give the same due time for any start and duration', () => {
    fc.assert(
      fc.property(
        officialInstant,
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 30 }),
        (start, d, h) => {
          const duration = `P${d}DT${h}H`;
          expect(addPolicyDuration(start, duration, 'working', china, 'Asia/Shanghai')).toBe(
            addPolicyDuration(start, duration, 'working-hours', china, 'Asia/Shanghai'),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});
