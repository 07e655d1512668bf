/** The workflow bundle of the tests: every product workflow, plus the few that exist only to test the platform. */
import { sleep } from '@temporalio/workflow';

export * from '../../workflows';

/** Proves the time-skipping server: eight hours of workflow time, seconds of wall time. */
export async function eightHourSleeper(): Promise<number> {
  const start = Date.now();
  await sleep('8 hours');
  return Date.now() - start;
}
