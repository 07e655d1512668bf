/**
 * The scheduling rules of 001 §17(2) as form checks of the change's steps: the scheduling step's
 * window (against the freeze periods, maintenance windows and working calendar read when the step
 * opened; the API checks it again against the master data as it stands when the form is sent) and
 * the times the implementation reports (against the clock and the scheduled window). The rules
 * themselves are `workflows/contracts/change-schedule.ts`, shared with the API.
 */
import { defineFormCheck } from '../kernel/form-checks';
import { checkImplementationTimes, checkSchedule, type ScheduleRules } from '../contracts/change-schedule';

export {
  checkSchedule,
  REPORTED_TIME_TOLERANCE_MS,
  type SchedulePeriod,
  type ScheduleRules,
} from '../contracts/change-schedule';

export const SCHEDULE_CHECK = 'change-schedule';
export const IMPLEMENTATION_TIMES_CHECK = 'change-implementation-times';

defineFormCheck(SCHEDULE_CHECK, (form, data, { asOf }) => checkSchedule(form, data as ScheduleRules, asOf));
defineFormCheck(IMPLEMENTATION_TIMES_CHECK, (form, data, { asOf }) =>
  checkImplementationTimes(form, data as { windowStart: string; windowEnd: string }, asOf),
);
