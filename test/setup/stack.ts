/** Hands the servers started by a global setup to its global teardown (same process). */
import type { EmbeddedPostgres } from '../../db/embedded-postgres';
import type { TemporalDevServer } from '../../runtime/temporal-dev-server';

export interface Stack {
  root: string;
  postgres: EmbeddedPostgres;
  temporal?: TemporalDevServer;
}

const key = Symbol.for('opsflow.test.stack');
type Holder = { [key]?: Stack };

export function registerStack(stack: Stack): void {
  (globalThis as Holder)[key] = stack;
}

export function currentStack(): Stack | undefined {
  return (globalThis as Holder)[key];
}

export function takeStack(): Stack | undefined {
  const stack = (globalThis as Holder)[key];
  delete (globalThis as Holder)[key];
  return stack;
}
