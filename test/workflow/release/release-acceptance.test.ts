/**
 * (Its own file, so its own time-skipping server: after the other scenarios' open cases the
 * server's clock stopped advancing for this one on a busy machine.)
 *
 * The release process on the time-skipping server: a software go-live through every stage of
 * 001 §28–31, its three-month trial run in seconds, and the system's version history.
 */
import { listSystemVersions } from '../../../db/release';
import { caseEvents } from '../../support/cases';
import { eventually } from '../../support/db';
import { ChangeDriver } from '../../support/change-cases';
import { releaseForms as f, releasePeople as p } from '../../support/release-cases';
import { DAY, SATURDAY_NIGHT, useReleaseScenario } from '../../support/release-scenario';

describe('release process', () => {
  const { stack, loans, start, sleep } = useReleaseScenario();

  async function throughTrial(c: ChangeDriver, months: number) {
    for (let i = 0; i < months; i++) {
      await sleep(31 * DAY);
      // The month's report task, or the end of the trial: whichever the case reaches (a busy
      // machine may show the case a moment before it has opened the report).
      const view = await eventually(async () => {
        const v = await c.view();
        const waiting = v.pendingSteps.some(
          (s) => s.step.startsWith('trialReport') || s.step.startsWith('acceptanceApplication'),
        );
        return waiting ? v : null;
      }, 'the trial report or the acceptance application');
      const report = view.pendingSteps.find((s) => s.step.startsWith('trialReport'));
      if (report) await c.complete(report.step, p.projectManager, f.trialReport());
    }
    await c.pending('acceptanceApplication');
  }

  test('acceptance refused once extends the trial; accepted the second time', async () => {
    const c = await start({ kind: 'system_release', systems: [{ systemId: loans, version: '3.0.0' }] });
    await c.complete('pmoReview', p.pmo, f.approved());
    await c.complete('securityReview', p.security, f.approved());
    await c.complete('itHeadReview', p.itHead, f.approved());
    // A system release owes the front-end roll-out in its plan, and tracks it in execution.
    const { versionManagementTable: _t, versionBuild: _b, ...common } = f.plan(SATURDAY_NIGHT);
    expect((await c.refusal(c.complete('releasePlan', p.projectManager, common))).code).toBe('FORM_INVALID');
    await c.complete('releasePlan', p.projectManager, {
      ...common,
      frontEndRollout: { version: 'teller 3.0', sites: ['branch-01', 'branch-02'], owner: p.opsEngineer.id },
    });
    await c.decide('planApproval', p.departmentHead, 'approve');
    await c.complete('deploymentConfirmation', p.userRepresentative, f.confirmed);
    await c.complete('backup', p.opsEngineer, f.backup);
    await c.complete('securityCheck', p.security, f.securityCheck);
    await c.complete('executionStep1', p.opsEngineer, f.step());
    await c.complete('executionStep2', p.dba, f.step());
    await c.complete('frontEndRollout', p.opsEngineer, {
      ...f.step(),
      sites: [
        { site: 'branch-01', installedAt: '2031-06-08T08:00:00+08:00', effective: true },
        { site: 'branch-02', installedAt: '2031-06-08T08:30:00+08:00', effective: true },
      ],
    });
    await c.complete('verification', p.businessHead, f.works);
    await throughTrial(c, 3);
    await c.complete('acceptanceApplication', p.projectManager, f.acceptanceApplication);
    await c.complete('acceptanceReview', p.itHead, f.notAccepted('the maintenance manual is missing'));
    const extended = await eventually(async () => {
      const v = await c.view();
      const trial = v.fields.trialRun as { policyId: string; endedAt?: string } | undefined;
      return v.stage === 'trialRun' && trial && !trial.endedAt ? v : null;
    }, 'trial extended');
    expect((extended.fields.trialRun as { policyId: string }).policyId).toBe('release.trialExtension');
    await throughTrial(c, 1);
    await c.complete('acceptanceApplication', p.projectManager, f.acceptanceApplication);
    await c.complete('acceptanceReview', p.itHead, f.accepted);
    const closed = await c.closed();
    expect(closed.outcome).toBe('formal_operation');
    expect(closed.fields.acceptances).toEqual([
      expect.objectContaining({ round: 1, review: expect.objectContaining({ accepted: false }) }),
      expect.objectContaining({ round: 2, review: expect.objectContaining({ accepted: true }) }),
    ]);
    const refused = (await caseEvents(stack.db, c.handle.workflowId)).find(
      (e) => e.type === 'release.acceptance-refused',
    );
    expect(refused?.data.reasons).toBe('the maintenance manual is missing');
    expect((await listSystemVersions(stack.db, loans))[0]).toEqual(
      expect.objectContaining({ version: '3.0.0', caseId: c.handle.workflowId }),
    );
  }, 300_000);
});
