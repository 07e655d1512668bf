/** The dates periodic work reads: which day a run is for, the working day, its due instant, the period reviewed. */
import { previousMonth, previousQuarter, quarterRange } from '../../workflows/contracts/periods';
import type { WorkingCalendar } from '../../workflows/contracts/working-calendar';
import { addDays, isWorkingDate, localDateOf, localInstant } from '../../workflows/contracts/working-day';

const calendar: WorkingCalendar = {
  id: 'test',
  name: 'test',
  timeZone: 'Asia/Shanghai',
  workingHours: [{ start: '09:00', end: '17:30' }],
  weekendDays: [6, 7],
  holidays: ['2026-10-01', '2026-10-02'],
  makeUpWorkdays: ['2026-10-10'],
};

describe('periodic work dates', () => {
  it('a run at 08:30 in Shanghai is for that local day, though it is the evening before in UTC', () => {
    expect(localDateOf(Date.parse('2026-10-10T00:30:00Z'), 'Asia/Shanghai')).toBe('2026-10-10');
    expect(localDateOf(Date.parse('2026-10-09T23:30:00Z'), 'Asia/Shanghai')).toBe('2026-10-10');
  });

  it('holidays are not worked, make-up Saturdays are, ordinary weekends are not', () => {
    expect(isWorkingDate(calendar, '2026-10-01')).toBe(false);
    expect(isWorkingDate(calendar, '2026-10-10')).toBe(true);
    expect(isWorkingDate(calendar, '2026-10-11')).toBe(false);
    expect(isWorkingDate(calendar, '2026-10-09')).toBe(true);
  });

  it('a local due time is the right instant, also across a daylight-saving change', () => {
    expect(localInstant('2026-10-10', '12:00', 'Asia/Shanghai')).toBe('2026-10-10T04:00:00.000Z');
    expect(localInstant('2026-03-29', '12:00', 'Europe/Berlin')).toBe('2026-03-29T10:00:00.000Z');
    expect(localInstant('2026-03-28', '12:00', 'Europe/Berlin')).toBe('2026-03-28T11:00:00.000Z');
  });

  it('the period reviewed is the quarter or month before the day the schedule fires', () => {
    expect(previousQuarter('2026-01-05')).toBe('2025-Q4');
    expect(previousQuarter('2026-07-10')).toBe('2026-Q2');
    expect(quarterRange('2025-Q4')).toEqual({ from: '2025-10-01', to: '2026-01-01' });
    expect(quarterRange('2026-Q2')).toEqual({ from: '2026-04-01', to: '2026-07-01' });
    expect(previousMonth('2026-01-05')).toEqual({ from: '2025-12-01', to: '2026-01-01' });
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
  });
});
