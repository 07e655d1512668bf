/**
 * Readiness of what a request needs: the Temporal server, PostgreSQL, and a worker polling the
 * task queue new cases start on (without one a case opens but none of its steps ever does).
 * Each is probed with a short timeout.
 */
import type { Connection } from '@temporalio/client';
import type { Knex } from 'knex';
import { workerPolls } from '../runtime/task-queue-pollers';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<'temporal' | 'postgres' | 'worker', { ok: boolean; error?: string }>;
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
      return {
        ready: temporal.ok && postgres.ok && worker.ok,
        checks: { temporal, postgres, worker },
      };
    },
  };
}
