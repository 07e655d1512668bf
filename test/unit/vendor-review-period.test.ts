/** The period a vendor review covers, in the organisation's zone, and the one a schedule firing on the 1st reviews. */
import { periodBefore, reviewPeriod } from '../../db/vendor-review';

const zone = 'Asia/Shanghai';

test('a quarter is [its first day, the next quarter’s first day) at midnight in Shanghai', () => {
  expect(reviewPeriod('quarterly', '2026-07-01', zone)).toEqual({
    kind: 'quarterly',
    start: '2026-07-01',
    from: '2026-06-30T16:00:00.000Z',
    to: '2026-09-30T16:00:00.000Z',
    label: '2026-Q3',
  });
  expect(reviewPeriod('quarterly', '2026-10-01', zone)).toMatchObject({
    to: '2026-12-31T16:00:00.000Z',
    label: '2026-Q4',
  });
});

test('a month runs to the next month’s first day, across the year end', () => {
  expect(reviewPeriod('monthly', '2026-12-01', zone)).toMatchObject({
    from: '2026-11-30T16:00:00.000Z',
    to: '2026-12-31T16:00:00.000Z',
    label: '2026-12',
  });
});

test('a schedule firing on the first day reviews the period just ended, in the job’s zone', () => {
  // 1 October 09:00 in Shanghai is still 30 September in UTC: the zone decides.
  expect(periodBefore('quarterly', '2026-10-01T01:00:00Z', zone)).toBe('2026-07-01');
  expect(periodBefore('quarterly', '2027-01-01T01:00:00Z', zone)).toBe('2026-10-01');
  expect(periodBefore('quarterly', '2026-11-21T23:00:00Z', zone)).toBe('2026-07-01');
  expect(periodBefore('monthly', '2027-01-01T01:00:00Z', zone)).toBe('2026-12-01');
  expect(periodBefore('monthly', '2026-03-01T01:00:00Z', zone)).toBe('2026-02-01');
});
