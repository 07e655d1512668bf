/**
 * The scheduling rules of 001 §17(2): a change goes live outside business hours — nights,
 * weekends, public holidays — or inside an agreed maintenance window, and never inside a change
 * freeze; only an emergency change may break them. Checked synchronously when the schedule is
 * submitted, against the freeze periods, maintenance windows and working calendar read when the
 * scheduling step opened.
 */
import { defineFormCheck } from '../kernel/form-checks';
import type { FormError } from '../contracts/form-schema';
import type { WorkingCalendar } from '../contracts/working-calendar';
import { workingTimeBetween } from '../contracts/working-time';

export const SCHEDULE_CHECK = 'change-schedule';

/** How far a reported time may be off the clock: 15 minutes. */
export const REPORTED_TIME_TOLERANCE_MS = 15 * 60_000;

/** A dated period; `systems` empty means every system. */
export interface SchedulePeriod {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  systems: string[];
}

export interface ScheduleRules {
  emergency: boolean;
  systems: string[];
  freezePeriods: SchedulePeriod[];
  maintenanceWindows: SchedulePeriod[];
  calendar: WorkingCalendar;
}

const concerns = (period: SchedulePeriod, systems: string[]) =>
  period.systems.length === 0 || period.systems.some((s) => systems.includes(s));

export function checkSchedule(
  form: { windowStart?: unknown; windowEnd?: unknown },
  rules: ScheduleRules,
  /** When the schedule is decided; without it (a re-check of an accepted window) its past is not judged. */
  asOf?: number,
): FormError[] {
  const start = Date.parse(String(form.windowStart));
  const end = Date.parse(String(form.windowEnd));
  if (!(end > start)) return [{ path: '/windowEnd', message: 'the window must end after it starts' }];
  if (asOf !== undefined && start < asOf - REPORTED_TIME_TOLERANCE_MS) {
    return [
      {
        path: '/windowStart',
        message:
          'the window starts in the past (15 minutes tolerance); a change that already ran is recorded through an offline entry with its real time and evidence',
      },
    ];
  }
  if (rules.emergency) return [];

  const errors: FormError[] = [];
  for (const freeze of rules.freezePeriods.filter((f) => concerns(f, rules.systems))) {
    if (start < Date.parse(freeze.endsAt) && Date.parse(freeze.startsAt) < end) {
      errors.push({
        path: '/windowStart',
        message: `the window falls in the change freeze "${freeze.name}" (${freeze.startsAt} – ${freeze.endsAt}); only an emergency change may go live then`,
      });
    }
  }
  const inMaintenanceWindow = rules.maintenanceWindows.some(
    (w) => concerns(w, rules.systems) && Date.parse(w.startsAt) <= start && end <= Date.parse(w.endsAt),
  );
  if (!inMaintenanceWindow && workingTimeBetween(start, end, rules.calendar) > 0) {
    errors.push({
      path: '/windowStart',
      message:
        'the window overlaps business hours; choose a night, weekend or public holiday, or an agreed maintenance window',
    });
  }
  return errors;
}

defineFormCheck(SCHEDULE_CHECK, (form, data, { asOf }) => checkSchedule(form, data as ScheduleRules, asOf));
