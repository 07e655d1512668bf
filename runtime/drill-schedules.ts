/**
 * The annual drill schedule (004 §8.2, master data `drill_schedules`) as Temporal Schedules
 * `drill-<row id>`, now one kind of periodic job (`runtime/schedules/drill.ts`): the rows are
 * copied into `periodic_jobs` and scheduled like every other job. Kept for its callers.
 */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { ensureSchedules } from './schedules';

export { drillScheduleId } from './schedules/drill';

/** Creates (or updates) a schedule for every active drill row; returns the schedule ids. */
export function ensureDrillSchedules(client: Client, db: Knex, taskQueue: string): Promise<string[]> {
  return ensureSchedules(client, db, taskQueue, { kinds: ['drill'] });
}
