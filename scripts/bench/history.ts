/** Reading workflow histories for the benchmarks: event times, timers with their summaries. */
import type { Client } from '@temporalio/client';

export interface HistoryEvent {
  id: number;
  time: number;
  kind:
    | 'timerStarted'
    | 'timerFired'
    | 'workflowTaskScheduled'
    | 'workflowTaskStarted'
    | 'workflowTaskCompleted'
    | 'workflowTaskTimedOut'
    | 'activityTaskScheduled'
    | 'activityTaskCompleted'
    | 'other';
  timerId?: string;
  /** The summary a timer was started with (the SLA clock names its milestone there). */
  summary?: string;
  /** Of a timed-out workflow task: 1 start-to-close, 2 schedule-to-start, 3 schedule-to-close. */
  timeoutType?: number;
  /** Of the start event: the first argument, decoded. */
  input?: unknown;
}

type Ts = { seconds?: unknown; nanos?: number | null } | null | undefined;
const ms = (t: Ts) => (t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0);

export async function readHistory(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).map((e) => {
    const base = { id: Number(e.eventId), time: ms(e.eventTime as Ts) };
    if (e.workflowExecutionStartedEventAttributes) {
      const data = e.workflowExecutionStartedEventAttributes.input?.payloads?.[0]?.data;
      return {
        ...base,
        kind: 'other',
        input: data ? JSON.parse(Buffer.from(data).toString('utf8')) : undefined,
      };
    }
    if (e.timerStartedEventAttributes) {
      const data = e.userMetadata?.summary?.data;
      const summary = data ? (JSON.parse(Buffer.from(data).toString('utf8')) as string) : undefined;
      return { ...base, kind: 'timerStarted', timerId: e.timerStartedEventAttributes.timerId ?? '', summary };
    }
    if (e.timerFiredEventAttributes)
      return { ...base, kind: 'timerFired', timerId: e.timerFiredEventAttributes.timerId ?? '' };
    if (e.workflowTaskScheduledEventAttributes) return { ...base, kind: 'workflowTaskScheduled' };
    if (e.workflowTaskStartedEventAttributes) return { ...base, kind: 'workflowTaskStarted' };
    if (e.workflowTaskCompletedEventAttributes) return { ...base, kind: 'workflowTaskCompleted' };
    if (e.workflowTaskTimedOutEventAttributes)
      return {
        ...base,
        kind: 'workflowTaskTimedOut',
        timeoutType: Number(e.workflowTaskTimedOutEventAttributes.timeoutType ?? 0),
      };
    if (e.activityTaskScheduledEventAttributes) return { ...base, kind: 'activityTaskScheduled' };
    if (e.activityTaskCompletedEventAttributes) return { ...base, kind: 'activityTaskCompleted' };
    return { ...base, kind: 'other' };
  });
}

/** The first event of `kind` after event `afterId`. */
export function firstAfter(
  events: HistoryEvent[],
  afterId: number,
  kind: HistoryEvent['kind'],
): HistoryEvent | undefined {
  return events.find((e) => e.id > afterId && e.kind === kind);
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function forEachLimited<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}
