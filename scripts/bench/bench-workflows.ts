/** The benchmark's workflow bundle: the product workflows plus the bare baseline. */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

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
