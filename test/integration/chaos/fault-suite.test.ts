/**
 * The short fault suite (issue #10, item 8): `npm run chaos` at a size `npm test` can afford —
 * 60 access requests through both approvals and their mails while the worker, the API, the
 * Temporal dev server and PostgreSQL are each SIGKILLed once and brought back. Its own servers on
 * free ports (scripts/chaos/stack.ts), never the shared test stack. Seeded, so a failure repeats.
 */
import { runChaos } from '../../../scripts/chaos/run';
import { buildCompiled } from '../../support/compiled';

beforeAll(buildCompiled, 180_000);

test(
  'sixty cases through four kills: nothing lost, nothing twice, the read model equal to the workflows',
  async () => {
    const log: string[] = [];
    const report = await runChaos({
      cases: 60,
      concurrency: 8,
      killsPerComponent: 1,
      gapMs: [2_000, 6_000],
      downMs: [500, 3_000],
      seed: 2026,
      keep: false,
      timeLimitMs: 7 * 60_000,
      log: (line) => log.push(line),
    });
    const context = `${report.problems.join('\n')}\n${report.clientFailures.slice(0, 5).join('\n')}\n${log.join('\n')}`;
    expect({ problems: report.problems, context }).toMatchObject({ problems: [] });
    expect(report.faults.map((f) => f.component).sort()).toEqual(['api', 'postgres', 'temporal', 'worker']);
    expect(report.figures).toMatchObject({
      cases: 60,
      casesClosed: 60,
      decisionsAcknowledged: 120,
      decisionsLost: 0,
      duplicateAuditRows: 0,
      auditSeqGaps: 0,
      auditChain: 'intact',
      mailsMissing: 0,
      mailsWithSecondMessageId: 0,
      readModelMismatches: 0,
    });
    expect(report.figures.mailsExactlyOnce).toBe(report.figures.outboxRows);
    expect(report.figures.outboxRows).toBeGreaterThanOrEqual(120); // at least one approval request per step
  },
  15 * 60_000,
);
