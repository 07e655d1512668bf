/**
 * The killer: SIGKILLs each component a planned number of times, in a shuffled order, at random
 * moments, and brings it back after a random pause (same port, same data). Seeded, so a run
 * that finds something can be repeated.
 */
import type { ChaosStack, ComponentName } from './stack';

export interface FaultOptions {
  killsPerComponent: number;
  /** Random wait before each kill, in ms. */
  gapMs: [number, number];
  /** Random time a component stays dead, in ms. */
  downMs: [number, number];
  seed: number;
  stop: AbortSignal;
  log: (line: string) => void;
}

export interface FaultRecord {
  component: ComponentName;
  at: Date;
  downMs: number;
}

/** mulberry32: small, seedable, good enough to pick moments. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runFaults(stack: ChaosStack, options: FaultOptions): Promise<FaultRecord[]> {
  const rnd = random(options.seed);
  const between = ([lo, hi]: [number, number]) => Math.round(lo + rnd() * (hi - lo));
  const plan: ComponentName[] = [];
  for (let i = 0; i < options.killsPerComponent; i++) plan.push('worker', 'api', 'temporal', 'postgres');
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [plan[i], plan[j]] = [plan[j], plan[i]];
  }
  const records: FaultRecord[] = [];
  for (const name of plan) {
    await sleep(between(options.gapMs));
    if (options.stop.aborted) break;
    const down = between(options.downMs);
    const component = stack.components[name];
    options.log(`SIGKILL ${name}; back in ${down} ms`);
    records.push({ component: name, at: new Date(), downMs: down });
    await component.kill();
    await sleep(down);
    await component.restart();
  }
  return records;
}
