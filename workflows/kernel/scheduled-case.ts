/**
 * A case a Temporal Schedule opens (`contracts/scheduled-start.ts`): the scheduled run takes a
 * case number as the API would and starts the process's case as a child that outlives it, then
 * ends. The run's start time is the slot it fired for, also when a worker outage delayed it.
 */
import { ParentClosePolicy, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { OpsActivities } from '../../activities';
import type { ProcessDefinition } from '../contracts/process-definition';
import type { CaseInput } from './case-state';

const numbering = proxyActivities<OpsActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
});

export interface ScheduledCaseOptions {
  requester: string;
  timeZone: string;
  /** The job that opened it (`periodic_jobs.id`), kept as the case's business key. */
  jobId: string;
}

/** The instant the schedule fired for this run (the workflow's start), as ISO 8601. */
export function scheduledAt(): string {
  return workflowInfo().startTime.toISOString();
}

/** Opens a case of `definition` with `request` as its form; returns its case number. */
export async function openScheduledCase<Request>(
  definition: ProcessDefinition<Request>,
  request: Request,
  options: ScheduledCaseOptions,
): Promise<{ caseId: string }> {
  const caseId = await numbering.allocateCaseNumber({
    prefix: definition.casePrefix,
    at: scheduledAt(),
    timeZone: options.timeZone,
  });
  const headline = definition.headline(request);
  const input: CaseInput = {
    caseId,
    process: definition.name,
    title: headline.title,
    requester: options.requester,
    priority: headline.priority,
    system: headline.system,
    businessKey: options.jobId,
    fields: request as Record<string, unknown>,
    timeZone: options.timeZone,
  };
  await startChild(definition.workflowType, {
    workflowId: caseId,
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [input],
  });
  return { caseId };
}
