/**
 * The annual drill schedule (004 §8.2): each active `drill_schedules` row is a job `drill-<id>`
 * starting the drill workflow, which opens the drill case with the row's system and plan.
 */
import { activeDrillSchedules, type DrillSchedule } from '../../db/emergency';
import { drillDefinition } from '../../workflows/drill/definition';
import type { ScheduledDrill } from '../../workflows/drill/request-form';
import { definePeriodicJobKind } from './kind';

export const drillScheduleId = (row: Pick<DrillSchedule, 'id'>) => `drill-${row.id}`;

type DrillArgs = Omit<DrillSchedule, 'cron' | 'timeZone'>;

export const drillKind = definePeriodicJobKind({
  kind: 'drill',
  workflowType: drillDefinition.workflowType,
  startArgs(job) {
    const row = job.args as unknown as DrillArgs;
    const input: ScheduledDrill = {
      scheduled: {
        title: row.title,
        system: row.system,
        emergencyPlan: row.emergencyPlan,
        scheduleId: row.id,
        requester: row.requester,
        timeZone: job.timeZone,
      },
    };
    return [input];
  },
  derived: {
    source: 'drill_schedules',
    async jobs(db) {
      return (await activeDrillSchedules(db)).map(({ cron, timeZone, ...row }) => ({
        id: drillScheduleId(row),
        kind: 'drill',
        title: row.title,
        spec: { cron },
        timeZone,
        args: { ...row },
        source: 'drill_schedules',
      }));
    },
  },
});
