/**
 * Whether a worker polls a task queue, as the Temporal server sees it. The server keeps the
 * pollers it saw in the last few minutes with the time of each one's last poll; a live worker
 * polls again at least once per long-poll interval (about a minute), so a poller seen within
 * `RECENT_POLL_MS` is a worker that is there now.
 */
import type { WorkflowService } from '@temporalio/client';

export const RECENT_POLL_MS = 90_000;

export type PolledTaskType = 'workflow' | 'activity';

// temporal.api.enums.v1.TaskQueueType and TaskQueueKind
const taskQueueType = { workflow: 1, activity: 2 } as const;
const TASK_QUEUE_KIND_NORMAL = 1;

/** Identities of the workers that polled `taskQueue` for `type` tasks within the last RECENT_POLL_MS. */
export async function recentPollers(
  service: WorkflowService,
  namespace: string,
  taskQueue: string,
  type: PolledTaskType,
  now: number = Date.now(),
): Promise<string[]> {
  const { pollers } = await service.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
    taskQueueType: taskQueueType[type],
  });
  return (pollers ?? [])
    .filter((p) => p.lastAccessTime && now - timestampMs(p.lastAccessTime) <= RECENT_POLL_MS)
    .map((p) => p.identity ?? '');
}

function timestampMs(t: { seconds?: number | Long | null; nanos?: number | null }): number {
  return Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}

type Long = { toNumber(): number };

/** Both task types have a recent poller on `taskQueue`. */
export async function workerPolls(
  service: WorkflowService,
  namespace: string,
  taskQueue: string,
): Promise<boolean> {
  const [workflow, activity] = await Promise.all([
    recentPollers(service, namespace, taskQueue, 'workflow'),
    recentPollers(service, namespace, taskQueue, 'activity'),
  ]);
  return workflow.length > 0 && activity.length > 0;
}
