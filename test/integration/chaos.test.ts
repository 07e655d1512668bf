/**
 * The fault suite, short: 12 access requests through both approvals and their mails while the
 * worker, the API, the Temporal dev server and PostgreSQL are each SIGKILLed once at a random
 * moment and restarted. `npm run chaos` is the long version (500 cases, several kills each).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { runChaos, type ChaosReport } from '../../scripts/chaos/run';

const root = path.resolve(__dirname, '..', '..');
let report: ChaosReport;

beforeAll(async () => {
  // The worker and the API run compiled, as an operator runs them.
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'pipe',
    },
  );
  report = await runChaos({
    cases: 12,
    concurrency: 12,
    killsPerComponent: 1,
    gapMs: [2_000, 6_000],
    downMs: [500, 2_000],
    seed: Number(process.env.CHAOS_SEED ?? 20261121),
    keep: false,
    timeLimitMs: 360_000,
    log: () => undefined,
  });
}, 600_000);

test('every component was killed once while cases were decided', () => {
  expect(report.faults.map((f) => f.component).sort()).toEqual(['api', 'postgres', 'temporal', 'worker']);
});

test('no acknowledged decision is lost and none is recorded twice', () => {
  const f = report.figures;
  expect(report.clientFailures).toEqual([]);
  expect([f.cases, f.casesClosed, f.decisionsAcknowledged]).toEqual([12, 12, 24]);
  expect([f.decisionsApplied, f.decisionsLost, f.duplicateAuditRows, f.auditSeqGaps]).toEqual([24, 0, 0, 0]);
});

test('the audit chain is intact and the read model equals every workflow', () => {
  expect(report.figures.auditChain).toBe('intact');
  expect(report.figures.readModelMismatches).toBe(0);
});

test('every mail arrives, under exactly one Message-ID', () => {
  const f = report.figures;
  // Per case: two approval requests, two decision notices, one closing notice.
  expect(f.outboxRows).toBe(12 * 5);
  expect([f.mailsExactlyOnce, f.mailsMissing, f.mailsWithSecondMessageId]).toEqual([f.outboxRows, 0, 0]);
  expect(report.problems).toEqual([]);
});
