/**
 * Periodic jobs as Temporal Schedules, made at worker start from master data: one schedule per
 * active `periodic_jobs` row, with the row's id, spec, time zone, overlap policy, catch-up window
 * and paused state. Idempotent: a schedule that exists is brought up to date with its row, never
 * duplicated, so every worker start (and every worker of a fleet) may call it.
 *
 * Catch-up policy: a slot that comes while the worker is down still starts its workflow on the
 * server, which waits in the task queue; the slots after it find that run still open and are
 * skipped (overlap SKIP), so the worker, once back, runs the job once — not once per missed slot.
 * Slots missed while the Temporal server itself was down are caught up if no older than the
 * row's catch-up window, and the same overlap rule collapses them into one run.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleOptions,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Knex } from 'knex';
import {
  listPeriodicJobs,
  retireDerivedJobs,
  upsertPeriodicJob,
  type PeriodicJob,
} from '../../db/periodic-jobs';
import type { Logger } from '../logger';
import type { PeriodicJobKind } from './kind';
import { periodicJobKinds } from './kinds';

export interface EnsureSchedulesOptions {
  /** Only these jobs (tests on a shared server); every job when absent. */
  jobIds?: readonly string[];
  /** Only jobs of these kinds (the drill schedule alone, say); every kind when absent. */
  kinds?: readonly string[];
  log?: Pick<Logger, 'warn'>;
}

/** The Temporal Schedule of a job: its id is the job's id. */
export function scheduleOptionsOf(
  job: PeriodicJob,
  kind: PeriodicJobKind,
  taskQueue: string,
): ScheduleOptions {
  const spec: ScheduleSpec =
    'cron' in job.spec
      ? { cronExpressions: [job.spec.cron], timezone: job.timeZone }
      : {
          calendars: [job.spec.calendar as NonNullable<ScheduleSpec['calendars']>[number]],
          timezone: job.timeZone,
        };
  return {
    scheduleId: job.id,
    spec,
    action: {
      type: 'startWorkflow',
      workflowType: kind.workflowType,
      // The server appends the slot's time, so each run has an id of its own.
      workflowId: `${job.id}-opening`,
      taskQueue,
      args: kind.startArgs(job),
    },
    policies: { overlap: job.overlap, catchupWindow: job.catchupWindowSeconds * 1000, pauseOnFailure: false },
    state: job.paused ? { paused: true, note: job.pauseNote ?? 'paused by an admin' } : { paused: false },
    memo: { kind: job.kind, title: job.title },
  };
}

/** Copies the jobs kinds keep in master data of their own (drills) into `periodic_jobs`. */
async function syncDerivedJobs(db: Knex, kinds: readonly PeriodicJobKind[]): Promise<void> {
  for (const kind of kinds) {
    if (!kind.derived) continue;
    const jobs = await kind.derived.jobs(db);
    for (const job of jobs) await upsertPeriodicJob(db, job);
    await retireDerivedJobs(
      db,
      kind.derived.source,
      jobs.map((j) => j.id),
    );
  }
}

/** Creates the schedule, or brings the existing one up to date (spec, action, policies, paused). */
async function ensureSchedule(client: Client, options: ScheduleOptions): Promise<void> {
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: options.policies ?? previous.policies,
      state: { ...previous.state, paused: options.state?.paused ?? false, note: options.state?.note },
    }));
  }
}

async function deleteSchedule(client: Client, scheduleId: string): Promise<void> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

/**
 * Creates or updates the Temporal Schedule of every active periodic job (and deletes those of
 * retired ones); returns the ids of the schedules in place. A row of a kind this code does not
 * know is left alone with a warning, so one unknown row does not stop the worker.
 */
export async function ensureSchedules(
  client: Client,
  db: Knex,
  taskQueue: string,
  options: EnsureSchedulesOptions = {},
): Promise<string[]> {
  const kinds = periodicJobKinds.filter((k) => !options.kinds || options.kinds.includes(k.kind));
  await syncDerivedJobs(db, kinds);
  const byKind = new Map(periodicJobKinds.map((k) => [k.kind, k]));
  const ensured: string[] = [];
  for (const job of await listPeriodicJobs(db)) {
    if (options.jobIds && !options.jobIds.includes(job.id)) continue;
    if (options.kinds && !options.kinds.includes(job.kind)) continue;
    if (!job.active) {
      await deleteSchedule(client, job.id);
      continue;
    }
    const kind = byKind.get(job.kind);
    if (!kind) {
      options.log?.warn({ job: job.id, kind: job.kind }, 'periodic job of an unknown kind: no schedule');
      continue;
    }
    await ensureSchedule(client, scheduleOptionsOf(job, kind, taskQueue));
    ensured.push(job.id);
  }
  return ensured;
}
