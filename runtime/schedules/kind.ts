/**
 * A kind of periodic job: which workflow its schedule starts and with what. One file per kind in
 * this folder, listed in `kinds.ts`; the rows of `periodic_jobs` say when each job of the kind runs.
 */
import type { Knex } from 'knex';
import type { PeriodicJob, PeriodicJobInput } from '../../db/periodic-jobs';
import type { ScheduledStart } from '../../workflows/contracts/scheduled-start';

export interface PeriodicJobKind {
  kind: string;
  /** The workflow type the schedule starts (a process's, from its definition). */
  workflowType: string;
  /** The arguments of that workflow, built from the job's row. */
  startArgs(job: PeriodicJob): unknown[];
  /**
   * Jobs this kind keeps in master data of its own (the annual drill schedule in
   * `drill_schedules`): copied into `periodic_jobs` under `source` at every start, so they are
   * listed and paused like the others. Rows the source no longer has are retired.
   */
  derived?: { source: string; jobs(db: Knex): Promise<PeriodicJobInput[]> };
}

export function definePeriodicJobKind(kind: PeriodicJobKind): PeriodicJobKind {
  return kind;
}

/** The usual start: the job's id, kind, time zone and master-data arguments (`ScheduledStart`). */
export function scheduledStartArgs(job: PeriodicJob): [ScheduledStart] {
  return [{ scheduled: { jobId: job.id, kind: job.kind, timeZone: job.timeZone, args: job.args } }];
}
