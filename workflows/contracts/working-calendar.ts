/**
 * A working calendar as master data describes it. Pure data: the arithmetic over it lives in
 * `working-time.ts` and is shared by workflows (due times) and the API (time left).
 */
export interface WorkingPeriod {
  /** Local wall-clock time "HH:MM" in the calendar's time zone, inclusive. */
  start: string;
  /** Local wall-clock time "HH:MM", exclusive; after `start`. */
  end: string;
}

export interface WorkingCalendar {
  id: string;
  name: string;
  /** IANA zone, e.g. Asia/Shanghai. */
  timeZone: string;
  /** Working periods of an ordinary working day, in order, not overlapping. */
  workingHours: WorkingPeriod[];
  /** ISO weekday numbers that are normally not worked: 6 = Saturday, 7 = Sunday. */
  weekendDays: number[];
  /** Local dates "YYYY-MM-DD" that are not worked although they are weekdays (public holidays). */
  holidays: string[];
  /** Local dates "YYYY-MM-DD" that are worked although they fall on a weekend (调休 make-up days). */
  makeUpWorkdays: string[];
  /**
   * The last year whose public holidays and make-up days the calendar holds. Past its end the
   * calendar knows only weekends, so due times there are reported, not trusted. Absent for a
   * calendar that keeps no public holidays (and in calendars recorded before it existed).
   */
  holidaysThrough?: number;
}
