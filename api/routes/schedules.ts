/**
 * Periodic jobs for admins: each job with its Temporal Schedule as the server sees it (next runs,
 * recent runs, slots skipped), and pausing / resuming one. The paused state is written to master
 * data first — so a worker restart, which re-applies master data, keeps it — with who and why,
 * then to the Temporal Schedule; a schedule the worker has not created yet is created paused.
 */
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import {
  getPeriodicJob,
  listPeriodicJobs,
  periodicJobEvents,
  setPeriodicJobPaused,
  type PeriodicJob,
} from '../../db/periodic-jobs';
import { NotFoundError } from '../errors';
import type { OperationRegistry } from '../operations';
import {
  pauseScheduleBody,
  scheduleListSchema,
  scheduleSchema,
  unpauseScheduleBody,
} from '../schedule-schemas';
import * as s from '../schemas';

const problem = (description: string) => ({ description, schema: s.problemSchema });
const adminErrors = {
  401: problem('not authenticated'),
  403: problem('admin role required'),
};

async function temporalView(client: Client, id: string) {
  try {
    const d = await client.schedule.getHandle(id).describe();
    return {
      paused: d.state.paused,
      ...(d.state.note ? { note: d.state.note } : {}),
      nextActionTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
      recentActions: d.info.recentActions.map((a) => ({
        scheduledAt: a.scheduledAt.toISOString(),
        takenAt: a.takenAt.toISOString(),
        workflowId: a.action.workflow.workflowId,
      })),
      skippedOverlap: d.info.numActionsSkippedOverlap,
    };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
}

async function view(client: Client, job: PeriodicJob) {
  return { ...job, temporal: await temporalView(client, job.id) };
}

export function registerScheduleOperations(api: OperationRegistry, deps: { client: Client; db: Knex }): void {
  const { client, db } = deps;

  api.add(
    {
      method: 'get',
      path: '/api/v1/admin/schedules',
      operationId: 'listSchedules',
      tag: 'admin',
      summary: 'Every periodic job with its Temporal Schedule (next and recent runs, skipped slots)',
      permission: 'admin',
      responses: { 200: { description: 'the periodic jobs', schema: scheduleListSchema }, ...adminErrors },
    },
    async () => {
      const jobs = await listPeriodicJobs(db);
      return { status: 200, body: { items: await Promise.all(jobs.map((job) => view(client, job))) } };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/admin/schedules/{id}',
      operationId: 'getSchedule',
      tag: 'admin',
      summary: 'One periodic job with its Temporal Schedule and who paused or resumed it',
      permission: 'admin',
      params: { id: s.idParam },
      responses: {
        200: { description: 'the periodic job', schema: scheduleSchema },
        404: problem('no such periodic job'),
        ...adminErrors,
      },
    },
    async ({ params }) => {
      const job = await getPeriodicJob(db, params.id);
      if (!job) throw new NotFoundError(`no periodic job ${params.id}`, 'SCHEDULE_NOT_FOUND');
      return {
        status: 200,
        body: { ...(await view(client, job)), events: await periodicJobEvents(db, job.id) },
      };
    },
  );

  const pausing = (paused: boolean) =>
    api.add(
      {
        method: 'post',
        path: `/api/v1/admin/schedules/{id}/${paused ? 'pause' : 'unpause'}`,
        operationId: paused ? 'pauseSchedule' : 'unpauseSchedule',
        tag: 'admin',
        summary: paused
          ? 'Pause a periodic job: its schedule starts nothing until resumed, also after a restart'
          : 'Resume a paused periodic job from its next slot (missed slots are not run)',
        permission: 'admin',
        params: { id: s.idParam },
        body: paused ? pauseScheduleBody : unpauseScheduleBody,
        bodyOptional: !paused,
        responses: {
          200: { description: 'the periodic job as it now is', schema: scheduleSchema },
          400: problem(paused ? 'reason missing' : 'the body is not valid'),
          404: problem('no such periodic job'),
          ...adminErrors,
        },
      },
      async ({ params, body, principal }) => {
        const reason = (body as { reason?: string } | undefined)?.reason ?? null;
        const job = await setPeriodicJobPaused(db, params.id, { paused, actor: principal.user.id, reason });
        if (!job) throw new NotFoundError(`no periodic job ${params.id}`, 'SCHEDULE_NOT_FOUND');
        const handle = client.schedule.getHandle(job.id);
        try {
          if (paused) await handle.pause(`${reason} (${principal.user.id})`);
          else
            await handle.unpause(
              reason ? `${reason} (${principal.user.id})` : `resumed by ${principal.user.id}`,
            );
        } catch (err) {
          // Not created yet: the worker creates it from master data, paused or not as stored.
          if (!(err instanceof ScheduleNotFoundError)) throw err;
        }
        return {
          status: 200,
          body: { ...(await view(client, job)), events: await periodicJobEvents(db, job.id) },
        };
      },
    );
  pausing(true);
  pausing(false);
}
