/**
 * Escalation lag: are SLA warnings and escalations on time while new cases pour in?
 *
 * OPEN_CASES access requests are opened with priority `bench`, whose SLA policy (inserted here
 * for access / departmentHeadApproval / bench) is short: SLA_SECONDS, a warning at WARN_RATIO,
 * two escalation levels ESCALATION_SECONDS apart. When their first milestones come due, BURST
 * new cases are started through the API at concurrency 32. Every milestone's lag from its
 * scheduled instant is measured three ways — when the server fired the timer (TimerFired), when
 * the worker picked up the workflow task that handles it (WorkflowTaskStarted), and when the
 * audit row was written (case_events.recorded_at) — split into milestones due while cases were
 * opening (a start waiting for its first step) and those due with no backlog. The baseline, in
 * the same run on the same worker: one bare workflow per case with timers at the same instants,
 * each followed by a trivial activity. Missed, doubled and out-of-order SLA events are counted.
 *
 *   npm run bench:escalation-lag       (OPEN_CASES=500 BURST=500 SLA_SECONDS=180 by default)
 *
 * Worker settings come from the WORKER_* variables (runtime/config.ts), e.g. to compare:
 *   WORKER_STICKY_QUEUE_TIMEOUT_SECONDS=10 npm run bench:escalation-lag
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { upsertSlaPolicy } from '../../db/sla-policies';
import { runMain } from '../../runtime/config';
import { rssMiB, say, startBenchStack, TASK_QUEUE, type BenchStack } from './bench-stack';
import { firstAfter, forEachLimited, readHistory, type HistoryEvent } from './history';
import { measure, summarize } from './latency';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const OPEN_CASES = env('OPEN_CASES', 500);
const BURST = env('BURST', OPEN_CASES);
const SLA_SECONDS = env('SLA_SECONDS', 180);
const WARN_RATIO = env('WARN_RATIO', 0.5);
const ESCALATION_SECONDS = env('ESCALATION_SECONDS', 15);
const GRACE_SECONDS = env('GRACE_SECONDS', 300);
const MILESTONES = ['warning', 'overdue', 'escalation level 1', 'escalation level 2'] as const;
type Milestone = (typeof MILESTONES)[number];

interface Sample {
  milestone: Milestone;
  scheduled: number;
  value: number;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const stack = await startBenchStack();
  const memory = watchMemory(stack);
  try {
    await upsertSlaPolicy(stack.db, {
      id: 'bench-access-short',
      process: 'access',
      stage: 'departmentHeadApproval',
      priority: 'bench',
      basis: 'elapsed',
      duration: `PT${SLA_SECONDS}S`,
      warnRatio: WARN_RATIO,
      calendarId: null,
      escalation: [
        { level: 1, after: `PT${ESCALATION_SECONDS}S`, notify: [{ role: 'ops_head' }] },
        { level: 2, after: `PT${ESCALATION_SECONDS}S`, notify: [{ role: 'it_head' }] },
      ],
      active: true,
    });

    // Phase 1: the open cases whose clocks will come due, each with its bare twin.
    say(`Opening ${OPEN_CASES} cases with a ${SLA_SECONDS} s SLA (priority bench)…`);
    const ids = Array.from({ length: OPEN_CASES }, (_, i) => `LAG-2026-${String(i + 1).padStart(6, '0')}`);
    const openStart = Date.now();
    await measure(OPEN_CASES, 32, async (i) => {
      await stack.client.workflow.start('accessRequest', {
        taskQueue: TASK_QUEUE,
        workflowId: ids[i],
        args: [
          {
            caseId: ids[i],
            process: 'access',
            title: 'lag',
            requester: 'bench-requester',
            priority: 'bench',
          },
        ],
      });
    });
    const twins = startTwinsAsStepsOpen(stack, ids);
    const openEnd = await waitForFirstSteps(stack, ids);
    await twins.done;
    const openRate = OPEN_CASES / ((openEnd - openStart) / 1000);
    say(
      `  every first step open after ${((openEnd - openStart) / 1000).toFixed(1)} s (${openRate.toFixed(1)} cases/s)`,
    );

    // Phase 2: the burst, started as the first milestones come due.
    const firstDue = twins.firstInstant();
    if (firstDue > Date.now()) await new Promise((r) => setTimeout(r, firstDue - Date.now()));
    say(`Starting a burst of ${BURST} cases through the API…`);
    const burstStart = Date.now();
    const burstIds: string[] = [];
    await measure(BURST, 32, async (i) => {
      const res = await stack.post('bench-requester', '/api/v1/cases/access', {
        title: `burst ${i}`,
        system: 'si-core',
        justification: 'escalation-lag benchmark',
      });
      if (res.status !== 201) throw new Error(`start: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      burstIds.push((res.body as { caseId: string }).caseId);
    });
    const burstAccepted = Date.now();
    const burstEnd = await waitForFirstSteps(stack, burstIds);
    say(
      `  API accepted ${BURST} starts in ${((burstAccepted - burstStart) / 1000).toFixed(1)} s ` +
        `(${(BURST / ((burstAccepted - burstStart) / 1000)).toFixed(1)}/s); every first step open after ` +
        `${((burstEnd - burstStart) / 1000).toFixed(1)} s (${(BURST / ((burstEnd - burstStart) / 1000)).toFixed(1)} cases/s)`,
    );

    // Wait for every milestone to be recorded (or for the grace time after the last one).
    const lastDue = twins.lastInstant();
    say(`Waiting for the last milestones (due ${new Date(lastDue).toISOString()})…`);
    for (;;) {
      const [{ n }] = await stack
        .db('case_events')
        .whereIn('case_id', ids)
        .where('type', 'like', 'sla.%')
        .count({ n: '*' });
      if (Number(n) >= OPEN_CASES * MILESTONES.length || Date.now() > lastDue + GRACE_SECONDS * 1000) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    // Give a doubled event the chance to show.
    await new Promise((r) => setTimeout(r, 3000));
    memory.stop();

    const loaded = (t: number) => (t >= openStart && t <= openEnd) || (t >= burstStart && t <= burstEnd);
    const result = await collect(stack, ids, twins.workflowIds);
    report({
      result,
      loaded,
      windows: { openStart, openEnd, burstStart, burstEnd },
      openRate,
      burstRate: BURST / ((burstEnd - burstStart) / 1000),
      memory: memory.peaks(),
    });
  } finally {
    memory.stop();
    await stack.stop();
  }
}

/** Starts each case's bare twin as soon as the case's step is open, with its milestones' instants. */
function startTwinsAsStepsOpen(stack: BenchStack, ids: string[]) {
  const started = new Set<string>();
  const instants: number[] = [];
  const workflowIds: string[] = [];
  const done = (async () => {
    while (started.size < ids.length) {
      const rows: Array<{ case_id: string; due_at: Date }> = await stack
        .db('cases')
        .whereIn('case_id', ids)
        .whereNotNull('due_at')
        .select('case_id', 'due_at');
      const fresh = rows.filter((r) => !started.has(r.case_id));
      await forEachLimited(fresh, 16, async (r) => {
        started.add(r.case_id);
        const due = r.due_at.getTime();
        const at = [
          due - (1 - WARN_RATIO) * SLA_SECONDS * 1000,
          due,
          due + ESCALATION_SECONDS * 1000,
          due + 2 * ESCALATION_SECONDS * 1000,
        ];
        instants.push(...at);
        const id = `twin-${r.case_id}`;
        workflowIds.push(id);
        // An overloaded dev server may refuse a start for a moment; a lost twin would skew the baseline.
        for (let attempt = 1; ; attempt++) {
          try {
            await stack.client.workflow.start('benchTimers', {
              taskQueue: TASK_QUEUE,
              workflowId: id,
              args: [at],
            });
            break;
          } catch (err) {
            if (attempt >= 5) throw err;
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      });
      if (started.size < ids.length) await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    done,
    workflowIds,
    firstInstant: () => Math.min(...instants),
    lastInstant: () => Math.max(...instants),
  };
}

/** Resolves with the time when every case in `ids` has its first step open in the read model. */
async function waitForFirstSteps(stack: BenchStack, ids: string[]): Promise<number> {
  for (;;) {
    let open = 0;
    for (let i = 0; i < ids.length; i += 5000) {
      const [{ n }] = await stack
        .db('cases')
        .whereIn('case_id', ids.slice(i, i + 5000))
        .where({ stage: 'departmentHeadApproval' })
        .whereNotNull('due_at')
        .count({ n: '*' });
      open += Number(n);
    }
    if (open >= ids.length) return Date.now();
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Collected {
  timerFired: Sample[];
  taskStarted: Sample[];
  audit: Sample[];
  bareTimerFired: Sample[];
  bareTaskStarted: Sample[];
  bareActivityDone: Sample[];
  expected: number;
  missed: number;
  doubled: number;
  outOfOrder: number;
  stickyTimeouts: number;
  otherTaskTimeouts: number;
}

const milestoneOf = (type: string, level: number | null): Milestone =>
  type === 'sla.warning'
    ? 'warning'
    : type === 'sla.overdue'
      ? 'overdue'
      : level === 1
        ? 'escalation level 1'
        : 'escalation level 2';

async function collect(stack: BenchStack, ids: string[], twinIds: string[]): Promise<Collected> {
  say('Reading the audit trail and the histories…');
  const rows: Array<{
    case_id: string;
    seq: string;
    type: string;
    recorded_at: Date;
    scheduled: string;
    level: string | null;
  }> = await stack
    .db('case_events')
    .whereIn('case_id', ids)
    .where('type', 'like', 'sla.%')
    .orderBy([{ column: 'case_id' }, { column: 'seq' }])
    .select(
      'case_id',
      'seq',
      'type',
      'recorded_at',
      stack.db.raw(`data->>'scheduledAt' AS scheduled`),
      stack.db.raw(`data->>'level' AS level`),
    );
  const audit: Sample[] = [];
  const scheduledOf = new Map<string, number>();
  const seen = new Set<string>();
  let doubled = 0;
  let outOfOrder = 0;
  const byCase = new Map<string, typeof rows>();
  for (const r of rows) {
    const milestone = milestoneOf(r.type, r.level === null ? null : Number(r.level));
    const key = `${r.case_id}/${milestone}`;
    if (seen.has(key)) doubled += 1;
    seen.add(key);
    const scheduled = Date.parse(r.scheduled);
    scheduledOf.set(key, scheduled);
    audit.push({ milestone, scheduled, value: r.recorded_at.getTime() - scheduled });
    byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r]);
  }
  for (const list of byCase.values()) {
    const order = list.map((r) =>
      MILESTONES.indexOf(milestoneOf(r.type, r.level === null ? null : Number(r.level))),
    );
    if (order.some((v, i) => i > 0 && v <= order[i - 1])) outOfOrder += 1;
  }

  const timerFired: Sample[] = [];
  const taskStarted: Sample[] = [];
  let stickyTimeouts = 0;
  let otherTaskTimeouts = 0;
  const countTimeouts = (events: HistoryEvent[]) => {
    for (const e of events.filter((x) => x.kind === 'workflowTaskTimedOut')) {
      if (e.timeoutType === 2) stickyTimeouts += 1;
      else otherTaskTimeouts += 1;
    }
  };
  await forEachLimited(ids, 16, async (id) => {
    const events = await readHistory(stack.client, id);
    countTimeouts(events);
    for (const started of events.filter((e) => e.kind === 'timerStarted')) {
      const milestone = MILESTONES.find((m) => started.summary?.endsWith(`: ${m}`));
      const scheduled = milestone && scheduledOf.get(`${id}/${milestone}`);
      const fired = events.find((e) => e.kind === 'timerFired' && e.timerId === started.timerId);
      if (!milestone || !scheduled || !fired) continue;
      timerFired.push({ milestone, scheduled, value: fired.time - scheduled });
      const task = firstAfter(events, fired.id, 'workflowTaskStarted');
      if (task) taskStarted.push({ milestone, scheduled, value: task.time - scheduled });
    }
  });

  const bareTimerFired: Sample[] = [];
  const bareTaskStarted: Sample[] = [];
  const bareActivityDone: Sample[] = [];
  await forEachLimited(twinIds, 16, async (id) => {
    const events = await readHistory(stack.client, id);
    countTimeouts(events);
    const instants = (events[0]?.input as number[] | undefined) ?? [];
    const fired = events.filter((e) => e.kind === 'timerFired');
    fired.forEach((f, i) => {
      const scheduled = instants[i];
      if (scheduled === undefined) return;
      const milestone = MILESTONES[i];
      bareTimerFired.push({ milestone, scheduled, value: f.time - scheduled });
      const task = firstAfter(events, f.id, 'workflowTaskStarted');
      if (task) bareTaskStarted.push({ milestone, scheduled, value: task.time - scheduled });
      const done = firstAfter(events, f.id, 'activityTaskCompleted');
      if (done) bareActivityDone.push({ milestone, scheduled, value: done.time - scheduled });
    });
  });

  const expected = ids.length * MILESTONES.length;
  return {
    timerFired,
    taskStarted,
    audit,
    bareTimerFired,
    bareTaskStarted,
    bareActivityDone,
    expected,
    missed: expected - seen.size,
    doubled,
    outOfOrder,
    stickyTimeouts,
    otherTaskTimeouts,
  };
}

function watchMemory(stack: BenchStack) {
  const peak = { worker: 0, temporal: 0, driver: 0 };
  const timer = setInterval(() => {
    peak.worker = Math.max(peak.worker, rssMiB(stack.worker.pid));
    peak.temporal = Math.max(peak.temporal, rssMiB(stack.temporal.pid));
    peak.driver = Math.max(peak.driver, process.memoryUsage().rss / 2 ** 20);
  }, 1000);
  return { stop: () => clearInterval(timer), peaks: () => ({ ...peak }) };
}

function report(r: {
  result: Collected;
  loaded: (t: number) => boolean;
  windows: { openStart: number; openEnd: number; burstStart: number; burstEnd: number };
  openRate: number;
  burstRate: number;
  memory: { worker: number; temporal: number; driver: number };
}): void {
  const { result, loaded } = r;
  const s = (v: number) => (v / 1000).toFixed(2).padStart(7);
  const lines = [
    '',
    `Escalation lag: ${OPEN_CASES} open cases (SLA ${SLA_SECONDS} s, warning at ${WARN_RATIO}, escalations every ${ESCALATION_SECONDS} s), burst of ${BURST}`,
    `worker settings: ${
      Object.entries(process.env)
        .filter(([k]) => k.startsWith('WORKER_'))
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || 'defaults of runtime/config.ts'
    }`,
    '',
    'Lag of each SLA milestone from its scheduled instant, in seconds ("opening": due while cases were',
    'opening — a start waiting for its first step; "quiet": no such backlog)',
    '',
    '| path | measured at | when due | n | p50 | p95 | p99 | max |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const row = (path: string, at: string, samples: Sample[]) => {
    for (const [when, subset] of [
      ['opening', samples.filter((x) => loaded(x.scheduled))],
      ['quiet', samples.filter((x) => !loaded(x.scheduled))],
    ] as const) {
      if (subset.length === 0) {
        lines.push(`| ${path} | ${at} | ${when} | 0 | | | | |`);
        continue;
      }
      const l = summarize(subset.map((x) => x.value));
      const max = Math.max(...subset.map((x) => x.value));
      lines.push(
        `| ${path} | ${at} | ${when} | ${l.count} | ${s(l.p50)} | ${s(l.p95)} | ${s(l.p99)} | ${s(max)} |`,
      );
    }
  };
  row('case', 'timer fired (server)', result.timerFired);
  row('case', 'workflow task started (worker)', result.taskStarted);
  row('case', 'audit row written', result.audit);
  row('bare', 'timer fired (server)', result.bareTimerFired);
  row('bare', 'workflow task started (worker)', result.bareTaskStarted);
  row('bare', 'activity completed', result.bareActivityDone);
  lines.push(
    '',
    `SLA events: expected ${result.expected}, missed ${result.missed}, doubled ${result.doubled}, cases out of order ${result.outOfOrder}`,
    `workflow tasks timed out: ${result.stickyTimeouts} schedule-to-start (sticky queue), ${result.otherTaskTimeouts} other`,
    `step-open throughput: ${r.openRate.toFixed(1)} cases/s opening the ${OPEN_CASES}, ${r.burstRate.toFixed(1)} cases/s in the burst`,
    `opening windows: ${((r.windows.openEnd - r.windows.openStart) / 1000).toFixed(0)} s, burst ${((r.windows.burstEnd - r.windows.burstStart) / 1000).toFixed(0)} s`,
    `peak RSS: worker ${r.memory.worker.toFixed(0)} MiB, Temporal dev server ${r.memory.temporal.toFixed(0)} MiB, benchmark + API ${r.memory.driver.toFixed(0)} MiB`,
  );
  say(lines.join('\n'));
}

runMain(main);
