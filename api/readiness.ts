/**
/**
 * Readiness of what a request needs: the Temporal server, PostgreSQL, and a worker polling the
 * task queue new cases start on (without one a case opens but none of its steps ever does), each
 * probed with a short timeout; and warnings that do not make it unready but an operator must see:
 * due times computed past a calendar's holiday data.
 */
import type { Connection } from '@temporalio/client';
import type { Knex } from 'knex';
import { openHolidayDataGaps } from '../db/calendars';
import { workerPolls } from '../runtime/task-queue-pollers';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<'temporal' | 'postgres' | 'worker', { ok: boolean; error?: string }>;
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

export interface ReadinessTargets {
  connection: Connection;
  namespace: string;
  /** The task queue the API starts cases on: a worker must poll it. */
  taskQueue: string;
  db: Knex;
}

export function createReadiness({ connection, namespace, taskQueue, db }: ReadinessTargets): Readiness {
  return {
    async check() {
      const [temporal, postgres, worker] = await Promise.all([
        probe(() => connection.workflowService.describeNamespace({ namespace })),
        probe(() => db.raw('select 1')),
        probe(async () => {
          if (!(await workerPolls(connection.workflowService, namespace, taskQueue)))
            throw new Error(`no worker polls task queue ${taskQueue}`);
        }),
      ]);
      const report: ReadinessReport = {
        ready: temporal.ok && postgres.ok && worker.ok,
        checks: { temporal, postgres, worker },
      };
      const warnings = postgres.ok ? await holidayWarnings(db) : [];
      if (warnings.length > 0) report.warnings = warnings;
      return report;
    },
  };
}
