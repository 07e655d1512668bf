/**
 * The scheduling rules of 001 §17(2) as a pure check, shared by the change process (its scheduling
 * step's form check and the re-check at go-live) and the API (which checks a schedule against the
 * master data as it stands when the schedule is sent, before the Update): a change goes live
 * outside business hours — nights, weekends, public holidays — or inside an agreed maintenance
 * window, and never inside a change freeze; only an emergency change may break them.
 */
import type { FormError } from './form-schema';
import type { WorkingCalendar } from './working-calendar';
import { workingTimeBetween } from './working-time';

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

/** How far a time a person reports may lie ahead of the clock: 5 minutes. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * The times an implementation reports (001 §17): not in the future (5 minutes' tolerance), not
 * finished before it started, and not started before its scheduled window (15 minutes' tolerance).
 * A change that really ran earlier was not this window's: it is rescheduled or recorded offline.
 */
export function checkImplementationTimes(
  form: { startedAt?: unknown; finishedAt?: unknown },
  window: { windowStart: string; windowEnd: string },
  asOf: number,
): FormError[] {
  const started = Date.parse(String(form.startedAt));
  const finished = Date.parse(String(form.finishedAt));
  const errors: FormError[] = [];
  const future = (path: string, what: string) =>
    errors.push({
      path,
      message: `${what} lies in the future (more than 5 minutes after ${new Date(asOf).toISOString()}); report it once it has happened`,
    });
  if (started > asOf + FUTURE_TOLERANCE_MS) future('/startedAt', 'the start');
  if (finished > asOf + FUTURE_TOLERANCE_MS) future('/finishedAt', 'the end');
  if (finished < started)
    errors.push({ path: '/finishedAt', message: 'the implementation cannot finish before it started' });
  if (started < Date.parse(window.windowStart) - REPORTED_TIME_TOLERANCE_MS) {
    errors.push({
      path: '/startedAt',
      message: `the start lies before the scheduled window (${window.windowStart}, 15 minutes tolerance); an implementation outside its window is rescheduled first`,
    });
  }
  return errors;
}
