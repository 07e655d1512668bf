/**
 * `npm run chaos`: the fault suite. Drives CHAOS_CASES access requests (default 500) through
 * their two approvals and mails while SIGKILLing the worker, the API, the Temporal dev server and
 * PostgreSQL at random moments, then prints what held. Exit code 1 if anything did not.
 *
 *   CHAOS_CASES=500 CHAOS_KILLS=3 CHAOS_CONCURRENCY=16 CHAOS_SEED=1 CHAOS_KEEP=1 npm run chaos
 *
 * CHAOS_TIME_LIMIT_S (default 1800) bounds the run: the load and the kills stop there, the checks
 * run on what was done, and the run fails. Ctrl-C does the same at once.
 */
import { runMain } from '../../runtime/config';
import type { Figures } from './checks';
import { runChaos } from './run';

const int = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return Number(raw);
};

const labels: Record<keyof Figures, string> = {
  cases: 'cases started',
  casesClosed: 'cases closed (workflow)',
  decisionsAcknowledged: 'decisions acknowledged to clients',
  decisionsAcknowledgedOnRetry: '  of which answered to a retry with the same Idempotency-Key',
  decisionsApplied: 'acknowledged decisions in the audit trail',
  decisionsLost: 'acknowledged decisions lost',
  duplicateAuditRows: 'duplicate audit rows',
  auditSeqGaps: 'cases with a gap in the audit seq',
  auditChain: 'audit hash chain',
  outboxRows: 'mails due (outbox rows)',
  mailsExactlyOnce: 'mails received under exactly one Message-ID',
  mailsMissing: 'mails never received',
  mailsWithSecondMessageId: 'mails received under a second Message-ID',
  sameMessageIdRedeliveries: 'redeliveries under the same Message-ID',
  readModelMismatches: 'read-model rows unequal to workflow state',
  unreadableWorkflows: 'workflows that could not answer a query (replay failed)',
};

async function main(): Promise<void> {
  const seed = int('CHAOS_SEED', Date.now() % 100_000);
  // Ctrl-C stops the load and the kills; the servers are stopped and the checks still print.
  const interrupted = new AbortController();
  process.once('SIGINT', () => interrupted.abort());
  process.once('SIGTERM', () => interrupted.abort());
  const report = await runChaos({
    timeLimitMs: int('CHAOS_TIME_LIMIT_S', 1800) * 1000,
    stop: interrupted.signal,
    cases: int('CHAOS_CASES', 500),
    concurrency: int('CHAOS_CONCURRENCY', 16),
    killsPerComponent: int('CHAOS_KILLS', 3),
    gapMs: [int('CHAOS_GAP_MIN_MS', 4_000), int('CHAOS_GAP_MAX_MS', 15_000)],
    downMs: [int('CHAOS_DOWN_MIN_MS', 500), int('CHAOS_DOWN_MAX_MS', 5_000)],
    seed,
    keep: process.env.CHAOS_KEEP === '1',
    log: (line) => process.stdout.write(`[chaos] ${line}\n`),
  });
  const kills = report.faults.reduce<Record<string, number>>((acc, f) => {
    acc[f.component] = (acc[f.component] ?? 0) + 1;
    return acc;
  }, {});
  const lines = [
    '',
    `seed ${seed}, ${report.seconds} s, kills: ${Object.entries(kills)
      .map(([c, n]) => `${c} ×${n}`)
      .join(', ')}; requests with unknown outcome (retried): ${report.unknownOutcomes}`,
    '',
    '| figure | value |',
    '| --- | ---: |',
    ...Object.entries(report.figures).map(([k, v]) => `| ${labels[k as keyof Figures]} | ${String(v)} |`),
    '',
    report.problems.length === 0
      ? 'PASS: nothing lost, nothing twice'
      : `FAIL:\n  ${report.problems.join('\n  ')}`,
    report.options.keep ? `data and process log kept in ${report.dir}` : '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (report.problems.length > 0) process.exitCode = 1;
}

runMain(main);
