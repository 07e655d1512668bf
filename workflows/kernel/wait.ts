/**
 * A durable wait on the case: a timer to an instant (`waitUntil`) or to the end of an SLA policy's
 * duration (`waitForPolicy`, e.g. the three-month trial run of a release), optionally ended early by
 * a condition. Journaled by call position like `approval` and `task`: the deadline is kept in the
 * case state when the wait starts, so a run continued as new resumes the same deadline instead of
 * starting the clock again, and a finished wait returns its recorded result at once.
 */
import { condition, sleep, type TimerOptions } from '@temporalio/workflow';
import { addPolicyDuration } from '../contracts/working-time';
import type { Case } from './case';
import type { CallKey, WaitRecord } from './case-state';
import { iso } from './clock';

export interface WaitResult {
  /** `deadline` when the time came; `cancelled` when the condition ended the wait first. */
  ended: 'deadline' | 'cancelled';
  startedAt: string;
  until: string;
  endedAt: string;
}

export interface WaitOptions {
  /** Ends the wait early when it becomes true (checked whenever the case's state changes). */
  cancelWhen?: () => boolean;
  /** A case field that shows the wait while it runs (`{ startedAt, until, policyId }`, then `endedAt`). */
  field?: string;
}

/** Waits until `instant` (ISO-8601 or epoch ms) unless `cancelWhen` comes first. */
export async function waitUntil(
  kase: Case,
  name: string,
  instant: string | number,
  options: WaitOptions = {},
): Promise<WaitResult> {
  const until = typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(until)) throw new Error(`wait ${name}: ${String(instant)} is not an instant`);
  return kase.journaled(`wait:${name}`, (callIndex) =>
    waitAt(kase, callIndex, name, async () => ({ until, policyId: null }), options),
  );
}

/**
 * Waits for the duration of the SLA policy of `slaStage` (resolved once, when the wait starts, for
 * the case's process and priority), counted on the policy's basis and calendar. The SLA stage must
 * be declared for the current stage in the process's definition, like a step's.
 */
export async function waitForPolicy(
  kase: Case,
  name: string,
  slaStage: string,
  options: WaitOptions = {},
): Promise<WaitResult> {
  return kase.journaled(`wait:${name}`, (callIndex) =>
    waitAt(
      kase,
      callIndex,
      name,
      async () => {
        kase.checkStepClock(slaStage);
        const policy = await kase.resolveSlaPolicy({
          process: kase.state.process,
          stage: slaStage,
          priority: kase.state.priority,
        });
        const now = Date.now();
        return {
          until: addPolicyDuration(now, policy.duration, policy.basis, policy.calendar, kase.state.timeZone),
          policyId: policy.policyId,
        };
      },
      options,
    ),
  );
}

async function waitAt(
  kase: Case,
  callIndex: CallKey,
  name: string,
  deadline: () => Promise<{ until: number; policyId: string | null }>,
  { cancelWhen, field }: WaitOptions,
): Promise<WaitResult> {
  const waits = (kase.state.waits ??= {});
  let wait: WaitRecord | undefined = waits[callIndex];
  if (!wait) {
    const startedAt = Date.now();
    const { until, policyId } = await deadline();
    wait = { name, until, startedAt, policyId };
    waits[callIndex] = wait;
    const shown = { startedAt: iso(startedAt), until: iso(until), policyId };
    if (field) kase.state.fields[field] = shown;
    kase.emit('wait.started', { wait: name, ...shown });
  }
  const left = wait.until - Date.now();
  const cancelled = cancelWhen ?? (() => false);
  const timed = kase.opensStepsInOneTask ? conditionLeavingTimer : condition;
  const ended =
    cancelled() ||
    (left > 0 &&
      (await kase.awaitTime(() => timed(cancelled, left, { summary: `${name} until ${iso(wait.until)}` }))))
      ? 'cancelled'
      : 'deadline';
  delete waits[callIndex];
  const result: WaitResult = {
    ended,
    startedAt: iso(wait.startedAt),
    until: iso(wait.until),
    endedAt: iso(Date.now()),
  };
  if (field) kase.state.fields[field] = { ...result, policyId: wait.policyId };
  kase.emit(ended === 'deadline' ? 'wait.reached' : 'wait.cancelled', { wait: name, ...result });
  return result;
}

/**
 * `condition(fn, ms)` whose timer is never cancelled: when `fn` comes true first, the timer is left
 * to fire into nothing. Two waits of a case can end at the same instant (a one-month trial
 * extension and the monthly trial report, in a thirty-day month); the one that ends second is
 * cancelled by the task the first one wakes, and the Java time-skipping server refuses a task that
 * cancels a timer which fired while the task was with the worker, and never sends it again. In
 * runs that open steps in one task those two timers are set in the same task, milliseconds apart.
 */
async function conditionLeavingTimer(fn: () => boolean, ms: number, options: TimerOptions): Promise<boolean> {
  let fired = false;
  void sleep(ms, options).then(() => (fired = true));
  await condition(() => fired || fn());
  return fn();
}
