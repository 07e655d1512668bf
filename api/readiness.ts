/** Readiness of the API's dependencies, each probed with a short timeout. */
import type { Connection } from '@temporalio/client';
import type { Knex } from 'knex';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<'temporal' | 'postgres', { ok: boolean; error?: string }>;
}

export interface Readiness {
  check(): Promise<ReadinessReport>;
}

const TIMEOUT_MS = 2000;

async function probe(run: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

export function createReadiness(connection: Connection, namespace: string, db: Knex): Readiness {
  return {
    async check() {
      const [temporal, postgres] = await Promise.all([
        probe(() => connection.workflowService.describeNamespace({ namespace })),
        probe(() => db.raw('select 1')),
      ]);
      return { ready: temporal.ok && postgres.ok, checks: { temporal, postgres } };
    },
  };
}
