import { randomUUID } from 'node:crypto';
import { loadCalendar, saveCalendar } from '../../../db/calendars';
import { createDb } from '../../../db/connection';
import type { WorkingCalendar } from '../../../workflows/contracts/working-calendar';

const db = createDb(process.env.DATABASE_URL as string);
const id = `test-${randomUUID().slice(0, 8)}`;

// The 2026 Spring Festival as the State Council announced it: holidays, and two weekend make-up days.
const calendar: WorkingCalendar = {
  id,
  name: '2026 国务院办公厅节假日安排',
  timeZone: 'Asia/Shanghai',
  workingHours: [
    { start: '08:30', end: '12:00' },
    { start: '14:00', end: '17:30' },
  ],
  weekendDays: [6, 7],
  holidays: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23'],
  makeUpWorkdays: ['2026-02-14', '2026-02-28'],
};

afterAll(async () => {
  await db('working_calendars').where({ id }).delete();
  await db.destroy();
});

describe('working calendars', () => {
  it('a saved calendar loads back the same', async () => {
    await saveCalendar(db, calendar);

    expect(await loadCalendar(db, id)).toEqual(calendar);
  });

  it('saving a calendar again replaces its hours and dated exceptions', async () => {
    await saveCalendar(db, calendar);
    const revised = {
      ...calendar,
      workingHours: [{ start: '09:00', end: '17:00' }],
      holidays: ['2026-10-01'],
      makeUpWorkdays: [],
    };

    await saveCalendar(db, revised);

    expect(await loadCalendar(db, id)).toEqual(revised);
  });

  it('an unknown calendar loads as null', async () => {
    expect(await loadCalendar(db, `${id}-missing`)).toBeNull();
  });

  it('a date that is both a holiday and a make-up working day is refused and nothing changes', async () => {
    await saveCalendar(db, calendar);

    await expect(saveCalendar(db, { ...calendar, holidays: ['2026-02-14'] })).rejects.toThrow(
      'both a holiday',
    );

    expect(await loadCalendar(db, id)).toEqual(calendar);
  });

  it('the seeded default calendar is Asia/Shanghai office hours with a Saturday-Sunday weekend', async () => {
    expect(await loadCalendar(db, 'default')).toMatchObject({
      timeZone: 'Asia/Shanghai',
      workingHours: [
        { start: '09:00', end: '12:00' },
        { start: '13:30', end: '17:30' },
      ],
      weekendDays: [6, 7],
    });
  });
});
