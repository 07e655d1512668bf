/**
 * The SLA clock of one step, as pure state: due time, warning point and escalation ladder
 * planned once from the resolved policy, then moved only by pause/resume and explicit re-plans.
 * Milestones fire in a fixed order — warning, overdue, level 1, level 2, … — each exactly once;
 * the workflow side (`sla-clock.ts`) waits for the next one and reports it.
 */
import type { SlaPolicy } from '../contracts/case-records';
import {
  addPolicyDuration,
  addWorkingTime,
  holidayDataShortfall,
  measurePolicyTime,
  parseIsoDuration,
} from '../contracts/working-time';

export interface SlaState {
  policy: SlaPolicy;
  /** Organisation zone, for calendar days and months on the elapsed basis. */
  timeZone: string;
  startedAt: number;
  dueAt: number;
  warnAt: number | null;
  /** When each escalation level is due, in ladder order. */
  levelAt: number[];
  fired: { warning: boolean; overdue: boolean; levels: number };
  pausedSince: number | null;
  /** Policy time spent paused, kept so a re-plan does not count it as consumed. */
  pausedMeasure: number;
  /** Bumped on every re-plan, pause and resume, so a waiting clock re-reads the plan. */
  version: number;
  /** The process gave the due time (a scheduled window's end): a re-plan keeps it. */
  fixedDue?: boolean;
}

export type SlaMilestone =
  | { kind: 'warning'; at: number }
  | { kind: 'overdue'; at: number }
  | { kind: 'escalation'; level: number; at: number };

function measure(s: SlaState, a: number, b: number): number {
  return measurePolicyTime(a, b, s.policy.basis, s.policy.calendar);
}

/**
 * `at` plus `ms` of policy time (elapsed or working). On the working basis even no time left lands
 * on working time, the first working instant at or after `at`, never on a weekend or at night.
 */
function advance(s: SlaState, at: number, ms: number): number {
  if (s.policy.basis === 'elapsed') return ms <= 0 ? at : at + ms;
  return addWorkingTime(at, Math.max(0, ms), s.policy.calendar!);
}

function ladderFrom(policy: SlaPolicy, dueAt: number, timeZone: string): number[] {
  const times: number[] = [];
  let previous = dueAt;
  for (const level of policy.escalation) {
    // "PT0S after" means at that instant — level 1 at the due time itself, even when the due time is
    // the end of a working day (working-time addition of zero would move it to the next morning).
    if (!isZeroDuration(level.after)) {
      previous = addPolicyDuration(previous, level.after, policy.basis, policy.calendar, timeZone);
    }
    times.push(previous);
  }
  return times;
}

function isZeroDuration(duration: string): boolean {
  return Object.values(parseIsoDuration(duration)).every((part) => part === 0);
}

/**
 * The clock of a step opening at `startedAt`. Due after the policy's duration, or at `givenDueAt`
 * when the process sets it (a scheduled window's end); the warning point and the escalation ladder
 * come from the policy either way, the warning at its ratio of the time the step is given.
 */
export function planSla(
  policy: SlaPolicy,
  startedAt: number,
  timeZone: string,
  givenDueAt?: number,
): SlaState {
  const dueAt =
    givenDueAt !== undefined
      ? Math.max(startedAt, givenDueAt)
      : addPolicyDuration(startedAt, policy.duration, policy.basis, policy.calendar, timeZone);
  const s: SlaState = {
    policy,
    timeZone,
    startedAt,
    dueAt,
    warnAt: null,
    levelAt: [],
    fired: { warning: false, overdue: false, levels: 0 },
    pausedSince: null,
    pausedMeasure: 0,
    version: 0,
    ...(givenDueAt !== undefined ? { fixedDue: true } : {}),
  };
  if (policy.warnRatio !== null)
    s.warnAt = advance(s, startedAt, Math.floor(policy.warnRatio * measure(s, startedAt, dueAt)));
  s.levelAt = ladderFrom(policy, dueAt, timeZone);
  return s;
}

/**
 * Whether the plan reaches past the last year of the calendar's holiday data, where it knows only
 * weekends: the step records it once (an audit event) and the worker reports it to admins.
 */
export function slaHolidayDataShortfall(
  s: SlaState,
): { calendarId: string; holidaysThrough: number; reachedYear: number } | null {
  const calendar = s.policy.calendar;
  if (s.policy.basis === 'elapsed' || calendar === undefined) return null;
  const shortfall = holidayDataShortfall(Math.max(s.dueAt, ...s.levelAt), calendar);
  return shortfall && { calendarId: calendar.id, ...shortfall };
}

/** The next milestone to fire, or null when the ladder is exhausted (or the clock is paused). */
export function nextMilestone(s: SlaState): SlaMilestone | null {
  if (s.pausedSince !== null) return null;
  if (!s.fired.warning && s.warnAt !== null) return { kind: 'warning', at: s.warnAt };
  if (!s.fired.overdue) return { kind: 'overdue', at: s.dueAt };
  if (s.fired.levels < s.levelAt.length) {
    return { kind: 'escalation', level: s.fired.levels + 1, at: s.levelAt[s.fired.levels] };
  }
  return null;
}

export function markFired(s: SlaState, m: SlaMilestone): void {
  if (m.kind === 'warning') s.fired.warning = true;
  else if (m.kind === 'overdue') s.fired.overdue = true;
  else s.fired.levels = m.level;
}

/** Stops the clock (e.g. waiting on the requester). */
export function pause(s: SlaState, now: number): void {
  if (s.pausedSince !== null) return;
  s.pausedSince = now;
  s.version += 1;
}

/** Restarts the clock: every milestone not yet fired moves by the policy time spent paused. */
export function resume(s: SlaState, now: number): void {
  const since = s.pausedSince;
  if (since === null) return;
  const move = (t: number) => (t <= since ? now : advance(s, now, measure(s, since, t)));
  if (!s.fired.warning && s.warnAt !== null) s.warnAt = move(s.warnAt);
  if (!s.fired.overdue) s.dueAt = move(s.dueAt);
  s.levelAt = s.levelAt.map((t, i) => (i < s.fired.levels ? t : move(t)));
  s.pausedMeasure += measure(s, since, now);
  s.pausedSince = null;
  s.version += 1;
}

/**
 * Applies a new policy (another priority, or an edited policy on explicit request) to the time
 * that is left: what was consumed so far stays consumed. Milestones already fired stay fired.
 */
export function replan(s: SlaState, policy: SlaPolicy, now: number): void {
  const until = s.pausedSince ?? now;
  const consumed = Math.max(0, measure(s, s.startedAt, until) - s.pausedMeasure);
  const next: SlaState = { ...s, policy };
  const total = measure(
    next,
    s.startedAt,
    addPolicyDuration(s.startedAt, policy.duration, policy.basis, policy.calendar, s.timeZone),
  );
  const base = s.pausedSince ?? now;
  s.policy = policy;
  if (s.fixedDue) {
    // The due time is the process's (a window's end); only the ladder follows the new policy.
    s.levelAt = ladderFrom(policy, s.dueAt, s.timeZone).map((t, i) =>
      i < s.fired.levels ? s.levelAt[i] : t,
    );
    s.version += 1;
    return;
  }
  if (!s.fired.overdue) s.dueAt = advance(next, base, total - consumed);
  if (!s.fired.warning) {
    s.warnAt =
      policy.warnRatio === null ? null : advance(next, base, Math.floor(policy.warnRatio * total) - consumed);
  }
  const ladder = ladderFrom(policy, s.dueAt, s.timeZone);
  s.levelAt = ladder.map((t, i) => (i < s.fired.levels && i < s.levelAt.length ? s.levelAt[i] : t));
  s.version += 1;
}
