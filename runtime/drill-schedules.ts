/**
 * The annual drill schedule (004 §8.2, master data `drill_schedules`) as Temporal Schedules: one
 * per active row, id `drill-<row id>`, each starting the drill workflow on time with the row's
 * system and emergency plan (the workflow allocates the case number). Created at worker start,
 * idempotently: a schedule that exists is brought up to date with its row, never duplicated.
 */
import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Knex } from 'knex';
import { activeDrillSchedules, type DrillSchedule } from '../db/emergency';
import { drillDefinition } from '../workflows/drill/definition';
import type { ScheduledDrill } from '../workflows/drill/request-form';

export const drillScheduleId = (row: Pick<DrillSchedule, 'id'>) => `drill-${row.id}`;

function optionsOf(row: DrillSchedule, taskQueue: string): ScheduleOptions {
  const input: ScheduledDrill = {
    scheduled: {
      title: row.title,
      system: row.system,
      emergencyPlan: row.emergencyPlan,
      scheduleId: row.id,
      requester: row.requester,
      timeZone: row.timeZone,
    },
  };
  return {
    scheduleId: drillScheduleId(row),
    spec: { cronExpressions: [row.cron], timezone: row.timeZone },
    action: {
      type: 'startWorkflow',
      workflowType: drillDefinition.workflowType,
      workflowId: `${drillScheduleId(row)}-opening`,
      taskQueue,
      args: [input],
    },
    memo: { system: row.system },
  };
}

/** Creates (or updates) a schedule for every active drill row; returns the schedule ids. */
export async function ensureDrillSchedules(client: Client, db: Knex, taskQueue: string): Promise<string[]> {
  const ids: string[] = [];
  for (const row of await activeDrillSchedules(db)) {
    const options = optionsOf(row, taskQueue);
    try {
      await client.schedule.create(options);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
      }));
    }
    ids.push(options.scheduleId);
  }
  return ids;
}
