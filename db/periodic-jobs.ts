/**
 * Periodic jobs (master data `periodic_jobs`, migration 0100): what runs by the calendar, when,
 * and whether an admin paused it. The worker turns each active row into a Temporal Schedule
 * (`runtime/schedules/`); pausing is written here first, so a restart keeps it paused.
 */
import type { Knex } from 'knex';

export type OverlapPolicy =
  'SKIP' | 'BUFFER_ONE' | 'BUFFER_ALL' | 'CANCEL_OTHER' | 'TERMINATE_OTHER' | 'ALLOW_ALL';

/** When a job runs: a cron expression, or a Temporal calendar spec (`{ hour: 9, dayOfWeek: 'FRIDAY' }`). */
export type PeriodicJobSpec = { cron: string } | { calendar: Record<string, unknown> };

export interface PeriodicJob {
  id: string;
  kind: string;
  title: string;
  spec: PeriodicJobSpec;
  timeZone: string;
  overlap: OverlapPolicy;
  catchupWindowSeconds: number;
  paused: boolean;
  pauseNote: string | null;
  args: Record<string, unknown>;
  /** `periodic_jobs`, or the master-data table a derived job is copied from (`drill_schedules`). */
  source: string;
  active: boolean;
}

/** A job as written: the defaults of the table for what is left out. */
export type PeriodicJobInput = Pick<PeriodicJob, 'id' | 'kind' | 'title' | 'spec'> &
  Partial<Pick<PeriodicJob, 'timeZone' | 'overlap' | 'catchupWindowSeconds' | 'args' | 'source' | 'active'>>;

interface Row {
  id: string;
  kind: string;
  title: string;
  cron: string | null;
  calendar: Record<string, unknown> | null;
  time_zone: string;
  overlap: OverlapPolicy;
  catchup_window_seconds: number;
  paused: boolean;
  pause_note: string | null;
  args: Record<string, unknown>;
  source: string;
  active: boolean;
}

const toJob = (r: Row): PeriodicJob => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  spec: r.cron !== null ? { cron: r.cron } : { calendar: r.calendar ?? {} },
  timeZone: r.time_zone,
  overlap: r.overlap,
  catchupWindowSeconds: r.catchup_window_seconds,
  paused: r.paused,
  pauseNote: r.pause_note,
  args: r.args,
  source: r.source,
  active: r.active,
});

/** Every job, by id; `active` only the ones that should have a schedule. */
export async function listPeriodicJobs(db: Knex, options: { active?: boolean } = {}): Promise<PeriodicJob[]> {
  const query = db<Row>('periodic_jobs').orderBy('id');
  if (options.active !== undefined) void query.where({ active: options.active });
  return (await query).map(toJob);
}

export async function getPeriodicJob(db: Knex, id: string): Promise<PeriodicJob | null> {
  const row = await db<Row>('periodic_jobs').where({ id }).first();
  return row ? toJob(row) : null;
}

/**
 * Creates or updates a job's definition. The paused state is never touched here: it is the
 * admin's (`setPeriodicJobPaused`), and a re-synced or re-seeded row keeps it.
 */
export async function upsertPeriodicJob(db: Knex, job: PeriodicJobInput): Promise<void> {
  const row = {
    id: job.id,
    kind: job.kind,
    title: job.title,
    cron: 'cron' in job.spec ? job.spec.cron : null,
    calendar: 'calendar' in job.spec ? JSON.stringify(job.spec.calendar) : null,
    time_zone: job.timeZone ?? 'Asia/Shanghai',
    overlap: job.overlap ?? 'SKIP',
    catchup_window_seconds: job.catchupWindowSeconds ?? 86400,
    args: JSON.stringify(job.args ?? {}),
    source: job.source ?? 'periodic_jobs',
    active: job.active ?? true,
    updated_at: db.fn.now(),
  };
  await db('periodic_jobs').insert(row).onConflict('id').merge();
}

/**
 * Marks derived rows of `source` that its master data no longer holds as inactive (their
 * schedules are then deleted at the next start), keeping the ones in `keep`.
 */
export async function retireDerivedJobs(db: Knex, source: string, keep: string[]): Promise<void> {
  await db('periodic_jobs')
    .where({ source, active: true })
    .whereNotIn('id', keep)
    .update({ active: false, updated_at: db.fn.now() });
}

export interface PeriodicJobEvent {
  jobId: string;
  at: string;
  actor: string;
  action: string;
  reason: string | null;
}

/**
 * Pauses or resumes a job in master data and records who did it and why, in one transaction.
 * Returns the job as it now is, or null when there is no such job.
 */
export async function setPeriodicJobPaused(
  db: Knex,
  id: string,
  change: { paused: boolean; actor: string; reason: string | null },
): Promise<PeriodicJob | null> {
  return db.transaction(async (trx) => {
    const updated: Row[] = await trx('periodic_jobs')
      .where({ id })
      .update({
        paused: change.paused,
        pause_note: change.paused ? change.reason : null,
        updated_at: trx.fn.now(),
      })
      .returning('*');
    if (updated.length === 0) return null;
    await trx('periodic_job_events').insert({
      job_id: id,
      actor: change.actor,
      action: change.paused ? 'paused' : 'unpaused',
      reason: change.reason,
    });
    return toJob(updated[0]);
  });
}

/** What admins did to a job, oldest first. */
export async function periodicJobEvents(db: Knex, id: string): Promise<PeriodicJobEvent[]> {
  const rows: Array<{ job_id: string; at: Date; actor: string; action: string; reason: string | null }> =
    await db('periodic_job_events').where({ job_id: id }).orderBy('id');
  return rows.map((r) => ({
    jobId: r.job_id,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    reason: r.reason,
  }));
}
