/**
 * The setting both release scenario files share: a time-skipping stack starting on a Monday
 * morning in 2031, a system of the file's own, a warmed-up worker, and the helpers to start a
 * release and let time pass. Call inside a `describe`: it registers the stack's hooks.
 */
import { caseViewQuery } from '../../workflows/kernel';
import { ChangeDriver } from './change-cases';
import { useChangeStack } from './change-stack';
import { eventually } from './db';
import { givenReleaseDirectory, releaseRequest, startRelease } from './release-cases';
import { releaseStrayTimeSkippingLock } from './temporal';

export const MONDAY_MORNING = Date.parse('2031-06-02T10:00:00+08:00');
export const SATURDAY_NIGHT = {
  windowStart: '2031-06-07T22:00:00+08:00',
  windowEnd: '2031-06-08T02:00:00+08:00',
};
export const DAY = 24 * 3600_000;

export function useReleaseScenario() {
  const stack = useChangeStack('release', MONDAY_MORNING);
  const loans = `loans-${Math.random().toString(36).slice(2, 7)}`;
  beforeAll(async () => {
    await givenReleaseDirectory(stack.db, [loans]);
    // The first workflow task of a fresh worker can take long on a loaded machine: warm it up once.
    // Cases are left waiting, never terminated: on the time-skipping server a case terminated while
    // its activity is in flight can keep time from skipping for the rest of the file.
    const warm = await startRelease(stack.env.client, stack.taskQueue, releaseRequest());
    await eventually(
      async () => ((await warm.query(caseViewQuery)).pendingSteps.length > 0 ? true : null),
      'warm-up',
      90_000,
    );
  }, 120_000);

  const start = async (overrides: Parameters<typeof releaseRequest>[0] = {}) =>
    new ChangeDriver(
      await startRelease(stack.env.client, stack.taskQueue, releaseRequest(overrides)),
      stack.db,
    );
  const sleep = async (ms: number) => {
    await releaseStrayTimeSkippingLock(stack.env);
    await stack.env.sleep(ms);
  };
  return { stack, loans, start, sleep };
}
