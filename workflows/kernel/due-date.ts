/**
 * A step whose due time the process sets (an improvement action's agreed date) instead of its
 * policy's duration: the policy keeps its warning ratio and escalation ladder, counted in elapsed
 * time up to that instant. A due time already past makes the step due at once.
 */
import type { SlaPolicy } from '../contracts/case-records';
import { planSla, type SlaState } from './sla';

/** The policy as the step keeps it: elapsed time, whole seconds up to the due time. */
export function runningTo(policy: SlaPolicy, openedAt: number, dueAt: string): SlaPolicy {
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) throw new Error(`due time ${dueAt} is not an ISO instant`);
  const seconds = Math.max(0, Math.ceil((due - openedAt) / 1000));
  const { calendar: _calendar, ...rest } = policy;
  return { ...rest, basis: 'elapsed', duration: `PT${seconds}S` };
}

/** The clock planned on `runningTo`'s policy, moved so it falls due at the instant itself. */
export function planToDueTime(
  policy: SlaPolicy,
  openedAt: number,
  dueAt: string,
  timeZone: string,
): SlaState {
  const s = planSla(policy, openedAt, timeZone);
  const shift = Math.max(openedAt, Date.parse(dueAt)) - s.dueAt;
  s.dueAt += shift;
  if (s.warnAt !== null) s.warnAt = Math.max(openedAt, s.warnAt + shift);
  s.levelAt = s.levelAt.map((t) => t + shift);
  return s;
}
