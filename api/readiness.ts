/**
 * Readiness of the API's dependencies, each probed with a short timeout, and warnings that do not
 * make it unready but an operator must see: due times computed past a calendar's holiday data.
 */
import type { Connection } from '@temporalio/client';
import type { Knex } from 'knex';
import { openHolidayDataGaps } from '../db/calendars';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<'temporal' | 'postgres', { ok: boolean; error?: string }>;
  /** Present only when there is something to say. */
  warnings?: string[];
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

async function holidayWarnings(db: Knex): Promise<string[]> {
  try {
    return (await openHolidayDataGaps(db)).map((gap) => gap.message);
  } catch (err) {
    // A warning that cannot be read must not make the API unready; say so instead.
    return [`holiday-data warnings could not be read: ${err instanceof Error ? err.message : String(err)}`];
  }
}

export function createReadiness(connection: Connection, namespace: string, db: Knex): Readiness {
  return {
    async check() {
      const [temporal, postgres] = await Promise.all([
        probe(() => connection.workflowService.describeNamespace({ namespace })),
        probe(() => db.raw('select 1')),
      ]);
      const report: ReadinessReport = { ready: temporal.ok && postgres.ok, checks: { temporal, postgres } };
      const warnings = postgres.ok ? await holidayWarnings(db) : [];
      if (warnings.length > 0) report.warnings = warnings;
      return report;
    },
  };
}
