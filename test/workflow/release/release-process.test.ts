/**
 * The release process on the time-skipping server: a software go-live through every stage of
 * 001 §28–31, its three-month trial run in seconds, and the system's version history.
 */
import { listSystemVersions } from '../../../db/release';
import { caseEvents } from '../../support/cases';
import { ChangeDriver } from '../../support/change-cases';
import { useChangeStack } from '../../support/change-stack';
import {
  givenReleaseDirectory,
  releaseForms as f,
  releasePeople as p,
  releaseRequest,
  startRelease,
} from '../../support/release-cases';

const MONDAY_MORNING = Date.parse('2031-06-02T10:00:00+08:00');
const SATURDAY_NIGHT = { windowStart: '2031-06-07T22:00:00+08:00', windowEnd: '2031-06-08T02:00:00+08:00' };
const DAY = 24 * 3600_000;
const shanghaiDate = (at: string | Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(at));

describe('release process', () => {
  const stack = useChangeStack('release', MONDAY_MORNING);
  const unique = Math.random().toString(36).slice(2, 7);
  const loans = `loans-${unique}`;
  beforeAll(() => givenReleaseDirectory(stack.db, [loans]));

  const start = async (overrides: Parameters<typeof releaseRequest>[0] = {}) =>
    new ChangeDriver(
      await startRelease(stack.env.client, stack.taskQueue, releaseRequest(overrides)),
      stack.db,
    );
  const sleep = (ms: number) => stack.env.sleep(ms);
  const stagesOf = async (caseId: string) =>
    (await caseEvents(stack.db, caseId)).filter((e) => e.type === 'stage.entered').map((e) => e.data.stage);

  async function throughReviewsAndPlan(c: ChangeDriver) {
    await c.complete('pmoReview', p.pmo, f.approved());
    await c.complete('securityReview', p.security, f.approved('no security objection'));
    await c.complete('itHeadReview', p.itHead, f.approved('go ahead'));
    await c.complete('releasePlan', p.projectManager, f.plan(SATURDAY_NIGHT));
    await c.decide('planApproval', p.departmentHead, 'approve');
    await c.complete('deploymentConfirmation', p.userRepresentative, f.confirmed);
  }

  test('a go-live passes every stage, its three-month trial run, and updates the version history', async () => {
    const c = await start({ systems: [{ systemId: loans, version: '2.0.0' }] });
    const caseId = c.handle.workflowId;
    await throughReviewsAndPlan(c);

    // Execution: backup first, the security check, then each planned step by its owner.
    await c.complete('backup', p.opsEngineer, f.backup);
    await c.complete('securityCheck', p.security, f.securityCheck);
    const wrongOwner = await c.refusal(c.complete('executionStep1', p.dba, f.step()));
    expect(wrongOwner.code).toBe('NOT_ELIGIBLE');
    await c.complete('executionStep1', p.opsEngineer, f.step());
    await c.complete('executionStep2', p.dba, f.step());
    await c.complete('verification', p.businessHead, f.works);

    // The trial run: monthly reports on a timer, a problem recorded on the release.
    const trialStarted = await stack.env.currentTimeMs();
    const view = await c.view();
    expect(view.stage).toBe('trialRun');
    const trial = view.fields.trialRun as { until: string; policyId: string };
    expect(trial.policyId).toBe('release.trialRun');
    expect(Date.parse(trial.until) - trialStarted).toBeGreaterThan(88 * DAY);

    await sleep(31 * DAY);
    await c.complete(
      'trialReport',
      p.projectManager,
      f.trialReport([
        { description: 'interest report slow at month end', severity: 'medium', status: 'open' },
      ]),
    );
    await sleep(31 * DAY);
    await c.complete('trialReport', p.projectManager, f.trialReport());
    await sleep(31 * DAY);

    await c.complete('acceptanceApplication', p.projectManager, f.acceptanceApplication);
    await c.complete('acceptanceReview', p.itHead, f.accepted);
    const closed = await c.closed();
    expect(closed.outcome).toBe('formal_operation');
    expect(closed.fields.trialProblems).toEqual([
      expect.objectContaining({ description: 'interest report slow at month end', status: 'open' }),
    ]);
    expect(closed.fields.versionComparison).toContain('1.9.4 → 2.0.0');

    expect(await stagesOf(caseId)).toEqual([
      'pmoReview',
      'securityAndItHeadReview',
      'plan',
      'planApproval',
      'deploymentConfirmation',
      'execution',
      'verification',
      'trialRun',
      'acceptance',
    ]);

    // The PMO is told on the day the policy's three months end.
    const events = await caseEvents(stack.db, caseId);
    const ended = events.find((e) => e.type === 'release.trial-ended')!;
    // Started on Monday 2 June (Asia/Shanghai), the trial's three months end on 2 September.
    expect(shanghaiDate(trial.until)).toBe('2031-09-02');
    expect(Math.abs(new Date(ended.occurred_at).getTime() - Date.parse(trial.until))).toBeLessThan(60_000);
    const told = await stack
      .db('notification_outbox')
      .where({ case_id: caseId, template: 'release-trial-ended' });
    expect(told.map((r) => r.recipient_user_id)).toEqual(expect.arrayContaining([p.pmo.id]));
    const problems = await stack
      .db('notification_outbox')
      .where({ case_id: caseId, template: 'release-trial-problems' });
    expect(problems.length).toBeGreaterThan(0);

    // 004 §7.6.1 d: the configuration records.
    const versions = await listSystemVersions(stack.db, loans);
    expect(versions).toEqual([expect.objectContaining({ version: '2.0.0', caseId, previousVersion: null })]);
    const system = await stack.db('systems').where({ id: loans }).first();
    expect(system.current_version).toBe('2.0.0');

    const row = await stack.db('cases').where({ case_id: caseId }).first();
    expect(row.state).toBe('closed');
    expect(row.fields.outcome).toBe('formal_operation');
  });
});
