/** The benchmark's workflow bundle: the product workflows plus the bare baseline. */
import { condition, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

export * from '../../workflows';

export const echoUpdate = defineUpdate<number, [number]>('echo');

/** The bare baseline: a workflow whose only work is to answer one Update. */
export async function benchEcho(): Promise<void> {
  let answered = false;
  setHandler(echoUpdate, (n) => {
    answered = true;
    return n;
  });
  await condition(() => answered);
}

const { benchNoop } = proxyActivities<{ benchNoop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

/**
 * The bare baseline of an SLA clock: a durable timer to each instant (epoch ms), then one trivial
 * activity, as a case fires a milestone and then writes it to the audit trail.
 */
export async function benchTimers(instants: number[]): Promise<void> {
  for (const at of instants) {
    const wait = at - Date.now();
    if (wait > 0) await sleep(wait);
    await benchNoop();
  }
}
