/**
 * The execution window of a release plan obeys the change process's scheduling rules (001 §17(2)):
 * the same check, against the same master data (maintenance windows, freeze periods, working
 * calendar). A revision may resend only one end of the window; the other comes from the plan.
 */
import { defineFormCheck } from '../kernel/form-checks';
import { checkSchedule, type ScheduleRules } from '../change/schedule-check';

export const RELEASE_WINDOW_CHECK = 'release-window';

export interface ReleaseWindowRules {
  rules: ScheduleRules;
  /** The window of the plan being revised, if any. */
  current: { windowStart: string; windowEnd: string } | null;
}

defineFormCheck(RELEASE_WINDOW_CHECK, (form, data) => {
  const { rules, current } = data as ReleaseWindowRules;
  if (current && form.windowStart === undefined && form.windowEnd === undefined) return [];
  return checkSchedule(
    {
      windowStart: form.windowStart ?? current?.windowStart,
      windowEnd: form.windowEnd ?? current?.windowEnd,
    },
    rules,
  );
});
