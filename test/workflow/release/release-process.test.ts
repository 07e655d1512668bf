/**
 * The release process on the time-skipping server: a software go-live through every stage of
 * 001 §28–31, its three-month trial run in seconds, and the system's version history.
 */
import { listSystemVersions } from '../../../db/release';
import { caseEvents } from '../../support/cases';
import { eventually } from '../../support/db';
import { ChangeDriver } from '../../support/change-cases';
import { releaseForms as f, releasePeople as p } from '../../support/release-cases';
import { DAY, SATURDAY_NIGHT, useReleaseScenario } from '../../support/release-scenario';

const shanghaiDate = (at: string | Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(at));

describe('release process', () => {
  const { stack, loans, start, sleep } = useReleaseScenario();
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
    const view = await eventually(async () => {
      const v = await c.view();
      return v.stage === 'trialRun' && v.fields.trialRun ? v : null;
    }, 'trial run started');
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
  }, 300_000);

  /** Sleeps through a trial, answering each monthly report that opens, until acceptance is asked for. */

  test('a returned application goes back to the team and keeps what it does not resend', async () => {
    const c = await start({ systems: [{ systemId: loans, version: '2.1.0' }] });
    await c.complete('pmoReview', p.pmo, f.returned('the UAT report is not signed'));
    const returned = await c.pending('reviseApplication');
    expect(returned.stage).toBe('reviseApplication');
    await c.complete('reviseApplication', p.projectManager, {
      userAcceptanceTestReport: {
        attachmentRef: 'dms://release/loan-2.1/uat-signed.pdf',
        signedBy: p.businessHead.id,
        signedOn: '2031-06-01',
      },
      response: 'signed report attached',
    });
    // Round 2: PMO approves; security approves but the IT head returns it.
    await c.complete('pmoReview', p.pmo, f.approved());
    await c.complete('securityReview', p.security, f.approved('fine'));
    await c.complete('itHeadReview', p.itHead, f.returned('plan the batch window with operations first'));
    await c.pending('reviseApplication');
    await c.complete('reviseApplication', p.projectManager, {
      plannedDate: '2031-06-14',
      response: 'moved a week',
    });
    await c.complete('pmoReview', p.pmo, f.approved());
    await c.complete('securityReview', p.security, f.approved());
    await c.complete('itHeadReview', p.itHead, f.approved());
    const planning = await c.pending('releasePlan');
    // What the team did not resend stays as first filled in.
    expect(planning.fields.scope).toBe('New loan origination module and its batch jobs');
    expect(planning.fields.plannedDate).toBe('2031-06-14');
    expect(planning.fields.userAcceptanceTestReport).toEqual(
      expect.objectContaining({ attachmentRef: 'dms://release/loan-2.1/uat-signed.pdf' }),
    );
    const reviews = planning.fields.reviews as Array<Record<string, { verdict: string; by: string }>>;
    expect(reviews).toHaveLength(3);
    expect(reviews[1].security.verdict).toBe('approved');
    expect(reviews[1].itHead).toEqual(expect.objectContaining({ verdict: 'returned', by: p.itHead.id }));
    const told = await stack
      .db('notification_outbox')
      .where({ case_id: c.handle.workflowId, template: 'release-returned' });
    expect(told.length).toBe(2);
  });

  test("the user's representative asks for two revisions of the deployment plan before confirming", async () => {
    const c = await start({ systems: [{ systemId: loans, version: '2.2.0' }] });
    await c.complete('pmoReview', p.pmo, f.approved());
    await c.complete('securityReview', p.security, f.approved());
    await c.complete('itHeadReview', p.itHead, f.approved());
    await c.complete('releasePlan', p.projectManager, f.plan(SATURDAY_NIGHT));
    await c.decide('planApproval', p.departmentHead, 'approve');
    await c.complete(
      'deploymentConfirmation',
      p.userRepresentative,
      f.notConfirmed('tell the branches a day earlier'),
    );
    // A revised window inside business hours is refused by the change process's schedule rules.
    const inOfficeHours = await c.refusal(
      c.complete('revisePlan', p.projectManager, {
        windowStart: '2031-06-10T10:00:00+08:00',
        windowEnd: '2031-06-10T11:00:00+08:00',
      }),
    );
    expect(inOfficeHours.code).toBe('FORM_REFUSED');
    await c.complete('revisePlan', p.projectManager, {
      environmentSetup: 'nodes ready a day earlier, branches told on Thursday',
    });
    await c.complete(
      'deploymentConfirmation',
      p.userRepresentative,
      f.notConfirmed('add the batch restart to the steps'),
    );
    await c.complete('revisePlan', p.projectManager, {
      rollbackSteps: [
        { name: 'restore programs', owner: p.opsEngineer.id },
        { name: 'restore database and restart batch', owner: p.dba.id },
      ],
    });
    await c.complete('deploymentConfirmation', p.userRepresentative, f.confirmed);
    const executing = await c.pending('backup');
    expect(executing.stage).toBe('execution');
    expect(executing.fields.planRevisions).toHaveLength(2);
    expect(executing.fields.deploymentConfirmations).toEqual([
      expect.objectContaining({ confirmed: false }),
      expect.objectContaining({ confirmed: false }),
      expect.objectContaining({ confirmed: true, by: p.userRepresentative.id }),
    ]);
    const plan = executing.fields.plan as Record<string, unknown>;
    expect(plan.environmentSetup).toContain('a day earlier');
    expect(plan.windowStart).toBe(SATURDAY_NIGHT.windowStart);
  });

  test('a failed execution step is rolled back along the recorded rollback steps', async () => {
    const c = await start({ systems: [{ systemId: loans, version: '2.3.0' }] });
    await throughReviewsAndPlan(c);
    await c.complete('backup', p.opsEngineer, f.backup);
    await c.complete('securityCheck', p.security, f.securityCheck);
    await c.complete('executionStep1', p.opsEngineer, f.step());
    await c.complete(
      'executionStep2',
      p.dba,
      f.step('failed', 'migration script 14 aborts on duplicate keys'),
    );
    await c.complete('failureDecision', p.projectManager, {
      action: 'rollback',
      reason: 'cannot fix inside the window',
    });
    await c.complete('rollbackStep1', p.opsEngineer, f.step());
    await c.complete('rollbackStep2', p.dba, f.step());
    const closed = await c.closed();
    expect(closed.outcome).toBe('rolled_back');
    expect(closed.fields.rollbackLog).toEqual([
      expect.objectContaining({ step: 'rollbackStep1', by: p.opsEngineer.id, result: 'succeeded' }),
      expect.objectContaining({ step: 'rollbackStep2', by: p.dba.id, result: 'succeeded' }),
    ]);
    expect(closed.fields.executionLog).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ step: 'executionStep2', result: 'failed', by: p.dba.id }),
      ]),
    );
    expect(await stagesOf(c.handle.workflowId)).toContain('rollback');
    const told = await stack
      .db('notification_outbox')
      .where({ case_id: c.handle.workflowId, template: 'release-rolled-back' });
    expect(told.map((r) => r.recipient_user_id)).toEqual(expect.arrayContaining([p.opsHead.id, p.pmo.id]));
    expect(await listSystemVersions(stack.db, loans)).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ version: '2.3.0' })]),
    );
  });
});
