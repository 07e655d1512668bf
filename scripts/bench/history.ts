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

/** Payload bytes in a decoded history event (the data of every payload it carries). */
function payloadBytes(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + payloadBytes(v), 0);
  if (value && typeof value === 'object')
    return Object.values(value as Record<string, unknown>).reduce((n: number, v) => n + payloadBytes(v), 0);
  return 0;
}

export interface HistoryProfile {
  events: number;
  workflowTasks: number;
  activities: number;
  timers: number;
  payloadBytes: number;
  /** Count and payload bytes by event type. */
  byType: Record<string, { count: number; bytes: number }>;
}

/** What a stretch of history (events after `afterId`) cost: tasks, activities, timers, payload bytes. */
export async function profileHistory(
  client: Client,
  workflowId: string,
  afterId = 0,
): Promise<HistoryProfile & { lastId: number }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = (history.events ?? []).filter((e) => Number(e.eventId) > afterId);
  const byType: HistoryProfile['byType'] = {};
  let bytes = 0;
  for (const e of events) {
    const key =
      Object.keys(e).find((k) => k.endsWith('EventAttributes') && (e as Record<string, unknown>)[k]) ??
      'unknown';
    const type = key.replace(/EventAttributes$/, '');
    const b = payloadBytes(e);
    bytes += b;
    byType[type] = { count: (byType[type]?.count ?? 0) + 1, bytes: (byType[type]?.bytes ?? 0) + b };
  }
  return {
    events: events.length,
    workflowTasks: byType.workflowTaskCompleted?.count ?? 0,
    activities: byType.activityTaskScheduled?.count ?? 0,
    timers: byType.timerStarted?.count ?? 0,
    payloadBytes: bytes,
    byType,
    lastId: Number(history.events?.[history.events.length - 1]?.eventId ?? afterId),
  };
}
