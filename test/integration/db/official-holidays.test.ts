import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readCalendarFile } from '../../../db/calendar-import';
import {
  loadCalendar,
  noteHolidayDataGaps,
  openHolidayDataGaps,
  saveCalendar,
  storeCalendarFile,
} from '../../../db/calendars';
import { syncOfficialHolidays } from '../../../db/official-holidays';
import { findSlaPolicy } from '../../../db/sla-policies';
import { planSla } from '../../../workflows/kernel/sla';
import type { WorkingCalendar } from '../../../workflows/contracts/working-calendar';
import { addPolicyDuration } from '../../../workflows/contracts/working-time';
import { testDb } from '../../support/db';

const db = testDb();
const at = (text: string) => Date.parse(text);
const iso = (ms: number) => new Date(ms).toISOString();
const packageFile = (file: string) => readFileSync(require.resolve(`chinese-days/dist/${file}`), 'utf8');

/** A calendar of its own for tests that change days, so the shared default calendar stays as migrated. */
async function scratchCalendar(): Promise<string> {
  const id = `holidays-${randomUUID().slice(0, 8)}`;
  const calendar: WorkingCalendar = {
    id,
    name: 'scratch',
    timeZone: 'Asia/Shanghai',
    workingHours: [
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '17:30' },
    ],
    weekendDays: [6, 7],
    holidays: [],
    makeUpWorkdays: [],
  };
  await saveCalendar(db, calendar);
  created.push(id);
  return id;
}
const created: string[] = [];

afterAll(async () => {
  await db('working_calendars').whereIn('id', created).delete();
  await db.destroy();
});

describe('a freshly migrated database knows the official holidays of China', () => {
  test('the default calendar holds National Day 2025 and Spring Festival 2026 with their make-up days', async () => {
    const calendar = await loadCalendar(db, 'default');
    expect(calendar?.holidaysThrough).toBeGreaterThanOrEqual(2026);
    expect(calendar?.holidays).toEqual(
      expect.arrayContaining(['2025-10-01', '2025-10-08', '2026-02-16', '2026-02-23', '2026-10-07']),
    );
    expect(calendar?.makeUpWorkdays).toEqual(
      expect.arrayContaining(['2025-09-28', '2025-10-11', '2026-02-14', '2026-02-28', '2026-10-10']),
    );
  });

  test('the seeded routine-defect window P2D counts working days: from 30 Sep 2025 10:00 due 10 Oct 17:30', async () => {
    const policy = await findSlaPolicy(db, { process: 'defect', stage: 'resolution', priority: 'routine' });
    expect(policy).toMatchObject({ basis: 'working-days', duration: 'P2D' });
    const plan = planSla(policy!, at('2025-09-30T10:00+08:00'), 'Asia/Shanghai');
    expect(iso(plan.dueAt)).toBe(iso(at('2025-10-10T17:30+08:00')));
    // Level 2 of the ladder: one working day later, the make-up Saturday.
    expect(iso(plan.levelAt[1])).toBe(iso(at('2025-10-11T17:30+08:00')));
  });

  test('on the working-hours basis the same P2D is 10 Oct 2025 10:00', async () => {
    const calendar = (await loadCalendar(db, 'default'))!;
    const due = addPolicyDuration(
      at('2025-09-30T10:00+08:00'),
      'P2D',
      'working-hours',
      calendar,
      'Asia/Shanghai',
    );
    expect(iso(due)).toBe(iso(at('2025-10-10T10:00+08:00')));
  });

  test.each([
    ['corrective', 'P3D'],
    ['perfective', 'P5D'],
  ])('the %s-defect window is %s working days', async (priority, duration) => {
    const policy = await findSlaPolicy(db, { process: 'defect', stage: 'resolution', priority });
    expect(policy).toMatchObject({ basis: 'working-days', duration });
  });

  test('no policy keeps the earlier basis name "working"; change, release and emergency count working hours', async () => {
    // The policies the migrations seed, not rows other tests and the API fuzz wrote on this database.
    // Seeded ids read `process.stage[.priority]`; test rows carry a suffix with a hyphen.
    const seeded = /^[a-z][A-Za-z-]*(\.[A-Za-z0-9]+){1,2}$/;
    const rows = (await db('sla_policies').whereNot({ basis: 'elapsed' }).select('id', 'basis')).filter((r) =>
      seeded.test(String(r.id)),
    );
    expect(rows.filter((r) => r.basis === 'working')).toEqual([]);
    // Later processes choose working days where their seeds count days (defect windows, reviews).
    const hourly = rows.filter((r) => /^(change|release|emergency)\./.test(String(r.id)));
    expect(hourly.length).toBeGreaterThan(3);
    for (const row of hourly) expect([row.id, row.basis]).toEqual([row.id, 'working-hours']);
  });
});

describe('the start-up sync of official holidays', () => {
  test('fills a calendar, and running it again changes nothing', async () => {
    const id = await scratchCalendar();
    const first = await syncOfficialHolidays(db, id);
    const once = await loadCalendar(db, id);
    const second = await syncOfficialHolidays(db, id);
    expect(second).toEqual(first);
    expect(await loadCalendar(db, id)).toEqual(once);
    expect(once?.holidays).toContain('2025-10-01');
    expect(await db('calendar_days').where({ calendar_id: id }).distinct('source').pluck('source')).toEqual([
      'official',
    ]);
  });

  test('corrects an official day it wrote, but leaves a year the admin set by hand alone', async () => {
    const id = await scratchCalendar();
    await syncOfficialHolidays(db, id);
    // A stale official row, as if the package had since corrected its data.
    await db('calendar_days').where({ calendar_id: id, day: '2025-10-08' }).delete();
    // The admin's own 2026: one company holiday, imported as a schedule.
    const admin2026 = JSON.stringify({ holidays: { '2026-03-02': 'Company day,公司日,1' }, workdays: {} });
    await storeCalendarFile(db, readCalendarFile(admin2026, 'json'), id);

    const sync = await syncOfficialHolidays(db, id);
    const calendar = await loadCalendar(db, id);

    expect(sync?.adminYears).toEqual([2026]);
    expect(calendar?.holidays).toContain('2025-10-08');
    expect(calendar?.holidays.filter((d) => d.startsWith('2026'))).toEqual(['2026-03-02']);
    expect(calendar?.holidaysThrough).toBe(sync?.holidaysThrough);
  });

  test('does nothing for a calendar that does not exist', async () => {
    expect(await syncOfficialHolidays(db, 'no-such-calendar')).toBeNull();
  });
});

describe('importing a holiday schedule', () => {
  test("an .ics file's years replace the calendar's days in those years; other years stay", async () => {
    const id = await scratchCalendar();
    await storeCalendarFile(
      db,
      readCalendarFile(JSON.stringify({ holidays: { '2024-05-01': 'x,劳动节,1' }, workdays: {} }), 'json'),
      id,
    );
    await storeCalendarFile(db, readCalendarFile(packageFile('years/2025.ics'), 'ics'), id);

    const calendar = (await loadCalendar(db, id))!;
    expect(calendar.holidays).toContain('2024-05-01');
    expect(calendar.holidays.filter((d) => d.startsWith('2025-10'))).toHaveLength(8);
    expect(calendar.makeUpWorkdays).toEqual([
      '2025-01-26',
      '2025-02-08',
      '2025-04-27',
      '2025-09-28',
      '2025-10-11',
    ]);
    expect(calendar.holidaysThrough).toBe(2025);
    const due = addPolicyDuration(
      at('2025-09-30T10:00+08:00'),
      'P2D',
      'working-days',
      calendar,
      'Asia/Shanghai',
    );
    expect(iso(due)).toBe(iso(at('2025-10-10T17:30+08:00')));
  });

  test('a make-up workday on a weekday of the calendar is refused and nothing changes', async () => {
    const id = await scratchCalendar();
    const monday = JSON.stringify({ holidays: {}, workdays: { '2025-09-29': 'x,国庆节,1' } });
    await expect(storeCalendarFile(db, readCalendarFile(monday, 'json'), id)).rejects.toThrow(
      '2025-09-29 is not one of its weekend days',
    );
    expect((await loadCalendar(db, id))?.makeUpWorkdays).toEqual([]);
  });
});

describe('holiday-data gaps', () => {
  test('a year is noted once, shown until its data is imported', async () => {
    const id = await scratchCalendar();
    await storeCalendarFile(db, readCalendarFile(packageFile('years/2025.ics'), 'ics'), id);

    expect(await noteHolidayDataGaps(db, [{ calendarId: id, year: 2026, caseId: 'DEF-1' }])).toEqual([
      { calendarId: id, year: 2026 },
    ]);
    expect(await noteHolidayDataGaps(db, [{ calendarId: id, year: 2026, caseId: 'DEF-2' }])).toEqual([]);
    const [gap] = await openHolidayDataGaps(db, id);
    expect(gap).toMatchObject({ calendarId: id, year: 2026, holidaysThrough: 2025, firstCaseId: 'DEF-1' });
    expect(gap.message).toContain(`calendar ${id} has holiday data through 2025`);

    await storeCalendarFile(db, readCalendarFile(packageFile('years/2026.ics'), 'ics'), id);
    expect(await openHolidayDataGaps(db, id)).toEqual([]);
  });

  test('a gap on a calendar that no longer exists is skipped, not an error', async () => {
    expect(await noteHolidayDataGaps(db, [{ calendarId: 'gone', year: 2030, caseId: 'DEF-3' }])).toEqual([]);
  });
});
