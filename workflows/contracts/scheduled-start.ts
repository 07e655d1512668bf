/**
 * What a Temporal Schedule starts a periodic process's workflow with (`runtime/schedules/`): the
 * job that fired and its master-data arguments, before the case has a number. The workflow opens
 * the case itself (kernel `openScheduledCase`), so a schedule never needs the API.
 */
export interface ScheduledStart<Args = Record<string, unknown>> {
  scheduled: {
    /** The `periodic_jobs` row (and Temporal Schedule id) that fired. */
    jobId: string;
    kind: string;
    /** The job's time zone: the day and week the run is for are read in it. */
    timeZone: string;
    args: Args;
  };
}

/** Whether a workflow was started by its schedule rather than as a case (`CaseInput`). */
export function isScheduledStart<Args, Other extends object>(
  input: Other | ScheduledStart<Args>,
): input is ScheduledStart<Args> {
  return 'scheduled' in input;
}
