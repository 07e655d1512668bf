/**
 * Capacity: how many cases one worker opens per second, what open cases cost in memory, and what
 * a decision costs on a case the worker no longer has in its cache (a full replay).
 *
 * OPEN_CASES access requests are started (client starts at concurrency 32); step-open throughput
 * is cases per second from the first start until every first step is open in the read model.
 * Resident memory of the worker process and the Temporal dev server is read after they are open.
 * Then DECISIONS `decide` Updates (one per case, no HTTP, concurrency 1) are timed twice: on the
 * worker that opened the cases (cached), and after restarting it with maxCachedWorkflows
 * EVICTED_CACHE (every decision replays the case's history). The baseline of each: a bare
 * `executeUpdate` on a trivial workflow, same worker, same run. Last, one case's history is
 * profiled: what opening a step and a decision cost in workflow tasks, activities and payload.
 *
 *   npm run bench:capacity      (OPEN_CASES=1000 DECISIONS=100 EVICTED_CACHE=4 by default)
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runMain } from '../../runtime/config';
import { decideUpdate } from '../../workflows/contracts/messages';
import { rssMiB, say, startBenchStack, TASK_QUEUE } from './bench-stack';
import { echoUpdate } from './bench-workflows';
import { profileHistory, type HistoryProfile } from './history';
import { measure, summarize, type LatencySummary } from './latency';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const OPEN_CASES = env('OPEN_CASES', 1000);
const DECISIONS = env('DECISIONS', 100);
const EVICTED_CACHE = env('EVICTED_CACHE', 4);

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const stack = await startBenchStack();
  try {
    const idleWorker = rssMiB(stack.worker.pid);
    const idleServer = rssMiB(stack.temporal.pid);
    const cases = Array.from({ length: OPEN_CASES }, (_, i) => `CAP-2026-${String(i + 1).padStart(6, '0')}`);
    const echoes = Array.from({ length: 2 * DECISIONS }, (_, i) => `cap-echo-${i}`);
    say(`Opening ${OPEN_CASES} cases…`);
    const started = Date.now();
    await measure(OPEN_CASES, 32, async (i) => {
      await stack.client.workflow.start('accessRequest', {
        taskQueue: TASK_QUEUE,
        workflowId: cases[i],
        args: [
          {
            caseId: cases[i],
            process: 'access',
            title: 'capacity',
            requester: 'bench-requester',
            priority: 'normal',
          },
        ],
      });
    });
    const accepted = Date.now();
    let peakWorker = 0;
    for (;;) {
      peakWorker = Math.max(peakWorker, rssMiB(stack.worker.pid));
      const [{ n }] = await stack.db('cases').where({ stage: 'departmentHeadApproval' }).count({ n: '*' });
      if (Number(n) >= OPEN_CASES) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const opened = Date.now();
    await measure(echoes.length, 32, async (i) => {
      await stack.client.workflow.start('benchEcho', { taskQueue: TASK_QUEUE, workflowId: echoes[i] });
    });
    await new Promise((r) => setTimeout(r, 2000));
    const openWorker = rssMiB(stack.worker.pid);
    const openServer = rssMiB(stack.temporal.pid);
    const profileOpen = await profileHistory(stack.client, cases[0]);

    const decide = (id: string) =>
      stack.client.workflow
        .getHandle(id)
        .executeUpdate(decideUpdate, {
          args: [
            {
              step: 'departmentHeadApproval',
              decision: 'approve',
              actor: { id: 'bench-head', roles: ['department_head'] },
              channel: 'api',
            },
          ],
        })
        .then(() => undefined);
    const echo = (id: string) =>
      stack.client.workflow
        .getHandle(id)
        .executeUpdate(echoUpdate, { args: [1] })
        .then(() => undefined);

    say(`Deciding ${DECISIONS} cases on the worker that has them cached…`);
    const cachedBare = summarize(await measure(DECISIONS, 1, (i) => echo(echoes[i])));
    const cached = summarize(await measure(DECISIONS, 1, (i) => decide(cases[OPEN_CASES - 1 - i])));
    await new Promise((r) => setTimeout(r, 3000));
    const profileDecision = await profileHistory(stack.client, cases[OPEN_CASES - 1], profileOpen.lastId);

    say(`Restarting the worker with maxCachedWorkflows=${EVICTED_CACHE}; deciding ${DECISIONS} more…`);
    // A task runs on a cached case, so the worker runs no more tasks at once than it caches.
    await stack.restartWorker({
      WORKER_MAX_CACHED_WORKFLOWS: String(EVICTED_CACHE),
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: String(EVICTED_CACHE),
      WORKER_WORKFLOW_TASK_POLLERS: String(Math.max(2, Math.floor(EVICTED_CACHE / 2))),
    });
    const evictedBare = summarize(await measure(DECISIONS, 1, (i) => echo(echoes[DECISIONS + i])));
    const evicted = summarize(await measure(DECISIONS, 1, (i) => decide(cases[i])));

    report({
      openRate: OPEN_CASES / ((opened - started) / 1000),
      acceptRate: OPEN_CASES / ((accepted - started) / 1000),
      memory: { idleWorker, idleServer, openWorker, openServer, peakWorker },
      latency: { cachedBare, cached, evictedBare, evicted },
      profileOpen,
      profileDecision,
    });
  } finally {
    await stack.stop();
  }
}

function report(r: {
  openRate: number;
  acceptRate: number;
  memory: Record<'idleWorker' | 'idleServer' | 'openWorker' | 'openServer' | 'peakWorker', number>;
  latency: Record<'cachedBare' | 'cached' | 'evictedBare' | 'evicted', LatencySummary>;
  profileOpen: HistoryProfile;
  profileDecision: HistoryProfile;
}): void {
  const ms = (v: number) => v.toFixed(1).padStart(7);
  const mib = (v: number) => v.toFixed(0);
  const l = r.latency;
  const profile = (name: string, p: HistoryProfile) =>
    [
      `${name}: ${p.events} history events, ${p.workflowTasks} workflow tasks, ${p.activities} activities, ${p.timers} timers, ${p.payloadBytes} payload bytes`,
      ...Object.entries(p.byType)
        .sort((a, b) => b[1].bytes - a[1].bytes)
        .map(([type, v]) => `    ${type}: ${v.count} events, ${v.bytes} bytes`),
    ].join('\n');
  say(
    [
      '',
      `Capacity: ${OPEN_CASES} open cases, one worker (settings: ${
        Object.entries(process.env)
          .filter(([k]) => k.startsWith('WORKER_'))
          .map(([k, v]) => `${k}=${v}`)
          .join(' ') || 'defaults of runtime/config.ts'
      })`,
      '',
      `starts accepted: ${r.acceptRate.toFixed(1)}/s; step-open throughput: ${r.openRate.toFixed(1)} cases/s`,
      '',
      '| process | idle RSS (MiB) | with the cases open (MiB) | peak while opening (MiB) |',
      '| --- | ---: | ---: | ---: |',
      `| worker | ${mib(r.memory.idleWorker)} | ${mib(r.memory.openWorker)} | ${mib(r.memory.peakWorker)} |`,
      `| Temporal dev server | ${mib(r.memory.idleServer)} | ${mib(r.memory.openServer)} | |`,
      '',
      `Decision (\`decide\` Update, no HTTP, concurrency 1, ${DECISIONS} each), ms`,
      '',
      '| worker cache | path | p50 | p95 | p99 |',
      '| --- | --- | ---: | ---: | ---: |',
      `| cached | bare executeUpdate | ${ms(l.cachedBare.p50)} | ${ms(l.cachedBare.p95)} | ${ms(l.cachedBare.p99)} |`,
      `| cached | decide on a case | ${ms(l.cached.p50)} | ${ms(l.cached.p95)} | ${ms(l.cached.p99)} |`,
      `| evicted (maxCachedWorkflows=${EVICTED_CACHE}) | bare executeUpdate | ${ms(l.evictedBare.p50)} | ${ms(l.evictedBare.p95)} | ${ms(l.evictedBare.p99)} |`,
      `| evicted (maxCachedWorkflows=${EVICTED_CACHE}) | decide on a case (full replay) | ${ms(l.evicted.p50)} | ${ms(l.evicted.p95)} | ${ms(l.evicted.p99)} |`,
      '',
      profile('Opening a case up to its first waiting step', r.profileOpen),
      profile('One decision and the next step opening', r.profileDecision),
    ].join('\n'),
  );
}

runMain(main);
