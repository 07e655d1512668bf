import { upsertStandardChange } from '../../../db/change-catalogue';
import { changeReviewFigures } from '../../../db/change-review';
import { upsertFreezePeriod } from '../../../db/change-schedule';
import { getCase } from '../../../db/cases';
import { caseEvents } from '../../support/cases';
import { ChangeDriver, changeRequest, forms, people, startChange } from '../../support/change-cases';
import { useChangeStack } from '../../support/change-stack';
import { eventually } from '../../support/db';

/** Every change of this file closes in March 2031 server time, so the period figures are this file's own. */
const MONDAY_MORNING = Date.parse('2031-03-03T10:00:00+08:00');
const SATURDAY_NIGHT = { windowStart: '2031-03-08T22:00:00+08:00', windowEnd: '2031-03-09T02:00:00+08:00' };
/**
 * Windows the changes of this file go live in, in the order the tests reach them: a change's
 * implementation opens only as its window begins (the rules checked again then), and the times it
 * reports may not lie in the future, so server time is moved to each window in turn.
 */
const MONDAY_NIGHT = { windowStart: '2031-03-03T22:00:00+08:00', windowEnd: '2031-03-03T23:30:00+08:00' };
const TUESDAY_1AM = { windowStart: '2031-03-04T01:00:00+08:00', windowEnd: '2031-03-04T02:00:00+08:00' };
const TUESDAY_230AM = { windowStart: '2031-03-04T02:30:00+08:00', windowEnd: '2031-03-04T03:30:00+08:00' };
const TUESDAY_4AM = { windowStart: '2031-03-04T04:00:00+08:00', windowEnd: '2031-03-04T05:00:00+08:00' };
const TUESDAY_6AM = { windowStart: '2031-03-04T06:00:00+08:00', windowEnd: '2031-03-04T07:00:00+08:00' };
const TUESDAY_OFFICE_HOURS = {
  windowStart: '2031-03-04T10:00:00+08:00',
  windowEnd: '2031-03-04T11:00:00+08:00',
};

describe('change process', () => {
  const stack = useChangeStack('process', MONDAY_MORNING);
  const unique = Math.random().toString(36).slice(2, 7);
  const system = (name: string) => `${name}-${unique}`;

  const start = async (
    overrides: Parameters<typeof changeRequest>[0] = {},
    requester = people.requester.id,
  ) =>
    new ChangeDriver(
      await startChange(stack.env.client, stack.taskQueue, changeRequest(overrides), requester),
      stack.db,
    );
  const types = async (caseId: string) => (await caseEvents(stack.db, caseId)).map((e) => e.type);
  const stagesOf = async (caseId: string) =>
    (await caseEvents(stack.db, caseId)).filter((e) => e.type === 'stage.entered').map((e) => e.data.stage);
  /** The read-model row once it shows the case closed (the projection is written just after the state). */
  const readModel = (caseId: string) =>
    eventually(async () => {
      const row = await getCase(stack.db, caseId);
      return row?.state === 'closed' ? row : null;
    }, `${caseId} closed in the read model`);

  /** The case waits for its window, server time moves to it, and the implementation opens. */
  async function goLive(c: ChangeDriver, window: { windowStart: string }) {
    // The scheduling Update answered once the case waited for its window (or, at its window, opened the step).
    const now = await stack.env.currentTimeMs();
    if (Date.parse(window.windowStart) > now) await stack.env.sleep(Date.parse(window.windowStart) - now);
    return c.pending('implementation');
  }
  /** What the implementer reports once it is done: started and finished by the server's clock. */
  async function implementedNow(overrides: Record<string, unknown> = {}) {
    const now = await stack.env.currentTimeMs();
    return forms.implementation({
      startedAt: new Date(now - 60_000).toISOString(),
      finishedAt: new Date(now).toISOString(),
      ...overrides,
    });
  }

  async function throughApprovals(c: ChangeDriver, assessment: Record<string, unknown>) {
    await c.decide('departmentHeadApproval', people.departmentHead, 'approve');
    await c.complete('opsAssessment', people.opsEngineer, forms.assessment(assessment));
    await c.decide('opsHeadAssessmentApproval', people.opsHead, 'approve');
  }

  test('a normal change passes every stage of 001 §9–§27 and is archived as succeeded', async () => {
    const c = await start({ changeType: 'new_function', affectedSystems: [system('core')] });
    await throughApprovals(c, {
      developmentNeeded: true,
      effortHours: 40,
      riskLevel: 'medium',
      businessInterruption: true,
    });
    await c.complete('designAndBuild', people.developer, forms.designAndBuild);
    // A new function owes the risk analysis of 001 §5(8).
    const { riskAnalysis: _missing, ...planWithoutRiskAnalysis } = forms.plan;
    expect(
      (await c.refusal(c.complete('changePlan', people.opsEngineer, planWithoutRiskAnalysis))).code,
    ).toBe('FORM_INVALID');
    await c.complete('changePlan', people.opsEngineer, forms.plan);
    await c.complete('testReport', people.tester, forms.testReport);
    await c.complete('securityPreReview', people.security, forms.securityPreReview);
    await c.complete('userTestConfirmation', people.requester, forms.userTest);
    await c.complete(
      'scheduling',
      people.opsEngineer,
      forms.schedule(MONDAY_NIGHT, {
        businessInterruption: true,
        interruptionScope: 'transfers unavailable for up to 30 minutes',
        affectedDepartments: ['chg-customer-service'],
      }),
    );
    // Issue 9.3: the implementation is due when its window closes, not a policy's duration after it opened.
    const implementing = (await goLive(c, MONDAY_NIGHT)).pendingSteps.find(
      (s) => s.step === 'implementation',
    );
    expect(implementing?.dueAt).toBe(new Date(MONDAY_NIGHT.windowEnd).toISOString());
    await c.complete('implementation', people.implementer, await implementedNow());
    // The implementer may not review their own work after go-live.
    const selfReview = await c.refusal(
      c.decide('securityPostReview', { id: people.implementer.id, roles: ['security_officer'] }, 'approve'),
    );
    expect(selfReview.code).toBe('SOD_IMPLEMENTER');
    await c.decide('securityPostReview', people.security, 'approve');
    await c.complete('departmentHeadConfirmation', people.departmentHead, forms.confirmation);

    const view = await c.closed();
    expect(view).toMatchObject({ status: 'closed', stage: 'closed', outcome: 'succeeded' });
    expect(await stagesOf(c.handle.workflowId)).toEqual([
      'departmentHeadApproval',
      'opsAssessment',
      'opsHeadAssessmentApproval',
      'designAndBuild',
      'planAndTest',
      'scheduling',
      'scheduled',
      'implementation',
      'postImplementationReview',
    ]);
    const trail = await types(c.handle.workflowId);
    expect(trail).toEqual(
      expect.arrayContaining(['change.interruption-notice', 'change.archived', 'case.closed']),
    );
    expect(trail.indexOf('change.interruption-notice')).toBeLessThan(trail.indexOf('change.archived'));
    const notice = await stack.db('notification_outbox').where({
      case_id: c.handle.workflowId,
      template: 'change-interruption-notice',
    });
    expect(notice.map((n) => n.recipient_user_id)).toEqual([people.customerService.id]);
    expect(notice[0].data).toMatchObject({
      scope: 'transfers unavailable for up to 30 minutes',
      windowStart: MONDAY_NIGHT.windowStart,
    });

    const row = await readModel(c.handle.workflowId);
    expect(row).toMatchObject({ state: 'closed', stage: 'closed', priority: 'normal' });
    expect(row.fields).toMatchObject({
      changeType: 'new_function',
      source: 'business_need',
      urgency: 'normal',
      outcome: 'succeeded',
      goalMet: true,
      riskLevel: 'medium',
      window: MONDAY_NIGHT,
      implementedBy: people.implementer.id,
      securityPostReview: { outcome: 'approved' },
    });
  });

  test('a department head rejection closes the case and tells the requester why', async () => {
    const c = await start({ affectedSystems: [system('crm')] });
    await c.decide('departmentHeadApproval', people.departmentHead, 'reject', 'Not in this year’s budget');
    const view = await c.closed();
    expect(view).toMatchObject({ status: 'closed', outcome: 'rejected' });
    const closed = (await caseEvents(stack.db, c.handle.workflowId)).find((e) => e.type === 'case.closed')!;
    expect(closed.data).toMatchObject({ outcome: 'rejected', reason: 'Not in this year’s budget' });
    const told = await stack.db('notification_outbox').where({
      case_id: c.handle.workflowId,
      recipient_user_id: people.requester.id,
    });
    expect(told.map((n) => [n.template, n.data.outcome, n.data.reason ?? n.data.comment])).toEqual(
      expect.arrayContaining([
        ['decision-made', 'rejected', 'Not in this year’s budget'],
        ['case-closed', 'rejected', 'Not in this year’s budget'],
      ]),
    );
    expect(await readModel(c.handle.workflowId)).toMatchObject({
      state: 'closed',
      fields: { outcome: 'rejected' },
    });
  });

  test('requester cannot approve their own change', async () => {
    const c = await start({ affectedSystems: [system('crm')] }, people.headRequester.id);
    const refused = await c.refusal(c.decide('departmentHeadApproval', people.headRequester, 'approve'));
    expect(refused.code).toBe('SOD_REQUESTER');
    expect((await c.view()).pendingSteps.map((s) => s.step)).toEqual(['departmentHeadApproval']);
    expect(await types(c.handle.workflowId)).not.toContain('step.decided');
    await c.decide('departmentHeadApproval', people.departmentHead, 'reject', 'Raise it through your deputy');
    expect((await c.closed()).outcome).toBe('rejected');
  });

  test('an assessment that does not recommend the change closes it with the reason (001 §13(1))', async () => {
    const c = await start({ affectedSystems: [system('crm')] });
    await throughApprovals(c, {
      recommendation: 'not_recommended',
      reason: 'The existing limit-override function already meets the need',
    });
    const view = await c.closed();
    expect(view.outcome).toBe('not_recommended');
    const closed = (await caseEvents(stack.db, c.handle.workflowId)).find((e) => e.type === 'case.closed')!;
    expect(closed.data.reason).toBe('The existing limit-override function already meets the need');
    const told = await stack
      .db('notification_outbox')
      .where({ case_id: c.handle.workflowId, template: 'case-closed' })
      .first();
    expect(told).toMatchObject({
      recipient_user_id: people.requester.id,
      data: expect.objectContaining({
        outcome: 'not_recommended',
        reason: 'The existing limit-override function already meets the need',
      }),
    });
    // Issue 9.4: the requesting department's head hears why too.
    const headTold = await stack
      .db('notification_outbox')
      .where({ case_id: c.handle.workflowId, template: 'change-declined' });
    expect(headTold.map((n) => [n.recipient_user_id, n.data.outcome, n.data.reason])).toEqual([
      [
        people.departmentHead.id,
        'not_recommended',
        'The existing limit-override function already meets the need',
      ],
    ]);
    expect(await readModel(c.handle.workflowId)).toMatchObject({
      state: 'closed',
      fields: { outcome: 'not_recommended' },
    });
  });

  test('a change too large for the change process is closed as converted to a project (001 §13(3))', async () => {
    const c = await start({ changeType: 'new_function', affectedSystems: [system('crm')] });
    await throughApprovals(c, {
      recommendation: 'too_large',
      effortHours: 2400,
      developmentNeeded: true,
      reason: 'Exceeds the project threshold',
    });
    expect((await c.closed()).outcome).toBe('too_large');
    const closed = (await caseEvents(stack.db, c.handle.workflowId)).find((e) => e.type === 'case.closed')!;
    expect(closed.data).toMatchObject({ outcome: 'too_large', effortHours: 2400 });
    // Issue 9.4: the requester and their department head get the reason and the next step (a project).
    const told = await stack
      .db('notification_outbox')
      .where({ case_id: c.handle.workflowId })
      .whereIn('template', ['case-closed', 'change-declined']);
    expect(told.map((n) => [n.template, n.recipient_user_id, n.data.reason, n.data.next])).toEqual(
      expect.arrayContaining([
        ['case-closed', people.requester.id, 'Exceeds the project threshold', 'project'],
        ['change-declined', people.departmentHead.id, 'Exceeds the project threshold', 'project'],
      ]),
    );
    expect((await readModel(c.handle.workflowId)).fields.outcome).toBe('too_large');
  });

  test('"request changes" sends the request and the assessment back without losing earlier input', async () => {
    const c = await start({ affectedSystems: [system('crm')] });
    await c.decide(
      'departmentHeadApproval',
      people.departmentHead,
      'request_changes',
      'Say which branches asked',
    );
    await c.complete('reviseRequest', people.requester, {
      purpose: 'Branches 0101 and 0230 asked for higher limits',
    });
    await c.decide('departmentHeadApproval', people.departmentHead, 'approve');
    await c.complete('opsAssessment', people.opsEngineer, forms.assessment({ riskLevel: 'low' }));
    await c.decide(
      'opsHeadAssessmentApproval',
      people.opsHead,
      'request_changes',
      'Fraud exposure is not low',
    );
    const revised = await c.pending('reviseAssessment');
    expect(revised.pendingSteps.map((s) => s.step)).toEqual(['reviseAssessment']);
    expect(revised.pendingSteps[0].assignees).toEqual([people.opsEngineer.id]);
    await c.complete('reviseAssessment', people.opsEngineer, {
      riskLevel: 'high',
      recommendation: 'not_recommended',
      reason: 'Fraud exposure too high this quarter',
    });
    await c.decide('opsHeadAssessmentApproval#2', people.opsHead, 'approve');
    expect((await c.closed()).outcome).toBe('not_recommended');

    const fields = (await readModel(c.handle.workflowId)).fields;
    expect(fields).toMatchObject({
      purpose: 'Branches 0101 and 0230 asked for higher limits',
      content: changeRequest().content,
      alternativeMeasure: changeRequest().alternativeMeasure,
      assessment: {
        ...forms.assessment(),
        riskLevel: 'high',
        recommendation: 'not_recommended',
        reason: 'Fraud exposure too high this quarter',
      },
      revisions: [
        {
          step: 'departmentHeadApproval',
          comments: ['Say which branches asked'],
          changed: { purpose: 'Branches 0101 and 0230 asked for higher limits' },
        },
        { step: 'opsHeadAssessmentApproval', comments: ['Fraud exposure is not low'] },
      ],
    });
    expect(await stagesOf(c.handle.workflowId)).toEqual([
      'departmentHeadApproval',
      'reviseRequest',
      'departmentHeadApproval',
      'opsAssessment',
      'opsHeadAssessmentApproval',
      'reviseAssessment',
      'opsHeadAssessmentApproval',
    ]);
  });

  describe('standard changes and the schedule rules', () => {
    const frozen = system('payments');
    beforeAll(async () => {
      await upsertStandardChange(stack.db, {
        id: `std-restart-${unique}`,
        name: 'Restart the batch scheduler service',
        changeType: 'configuration_change',
        systems: [],
        implementationSteps: ['stop scheduler', 'start scheduler', 'check job queue'],
        rollbackSteps: ['start previous scheduler binary'],
        approvedBy: 'chg-it-head',
        approvedAt: '2031-01-15T10:00:00+08:00',
        active: true,
      });
      await upsertFreezePeriod(stack.db, {
        id: `freeze-${unique}`,
        name: '两会 change freeze',
        startsAt: '2031-03-03T00:00:00+08:00',
        endsAt: '2031-03-03T23:00:00+08:00',
        systems: [frozen],
      });
    });

    test('a standard change from the catalogue completes without approval steps, scheduled outside business hours', async () => {
      const c = await start({
        changeType: 'configuration_change',
        standardChangeId: `std-restart-${unique}`,
        affectedSystems: [system('batch')],
      });
      const inOffice = await c.refusal(
        c.complete('scheduling', people.opsEngineer, forms.schedule(TUESDAY_OFFICE_HOURS)),
      );
      expect(inOffice).toMatchObject({
        code: 'FORM_REFUSED',
        message: expect.stringContaining('business hours'),
      });
      await c.complete('scheduling', people.opsEngineer, forms.schedule(MONDAY_NIGHT));
      await goLive(c, MONDAY_NIGHT);
      await c.complete('implementation', people.implementer, await implementedNow());
      expect((await c.closed()).outcome).toBe('succeeded');

      const trail = await caseEvents(stack.db, c.handle.workflowId);
      const opened = trail.filter((e) => e.type === 'step.opened').map((e) => e.data.step);
      expect(opened).toEqual(['scheduling', 'implementation']);
      expect(trail.some((e) => e.data.kind === 'approval')).toBe(false);
      expect(trail.map((e) => e.type)).toEqual(
        expect.arrayContaining(['change.standard-change-applied', 'change.archived']),
      );
      expect((await readModel(c.handle.workflowId)).fields).toMatchObject({
        standardChange: { id: `std-restart-${unique}`, approvedBy: 'chg-it-head' },
        outcome: 'succeeded',
        goalMet: true,
      });
    });

    test('a freeze declared after the scheduling step opened holds the change and sends it back to scheduling (issue 9.1)', async () => {
      const late = system('late-freeze');
      const c = await start({
        changeType: 'configuration_change',
        standardChangeId: `std-restart-${unique}`,
        affectedSystems: [late],
      });
      await c.pending('scheduling');
      await upsertFreezePeriod(stack.db, {
        id: `late-freeze-${unique}`,
        name: 'late year-end freeze',
        startsAt: '2031-03-08T00:00:00+08:00',
        endsAt: '2031-03-10T00:00:00+08:00',
        systems: [late],
      });
      // The step's rules were read when it opened, so the form check lets the window through …
      await c.complete('scheduling', people.opsEngineer, forms.schedule(SATURDAY_NIGHT));
      // … and the process, re-reading the rules in force, holds it and asks for a new window.
      const again = await c.pending('scheduling#2');
      expect(again.pendingSteps.map((s) => s.step)).toEqual(['scheduling#2']);
      const trail = await eventually(async () => {
        const events = await caseEvents(stack.db, c.handle.workflowId);
        return events.some((e) => e.type === 'change.schedule-held') ? events : null;
      }, 'change.schedule-held recorded');
      const held = trail.find((e) => e.type === 'change.schedule-held');
      expect(JSON.stringify(held?.data.problems)).toContain('late year-end freeze');
      const told = await stack.db('notification_outbox').where({
        case_id: c.handle.workflowId,
        template: 'change-schedule-held',
      });
      expect(told.length).toBeGreaterThan(0);
      await c.complete(
        'scheduling#2',
        people.opsEngineer,
        forms.schedule({
          windowStart: '2031-03-15T22:00:00+08:00',
          windowEnd: '2031-03-16T02:00:00+08:00',
        }),
      );
      // Accepted: it waits for its window.
      await eventually(async () => ((await c.view()).stage === 'scheduled' ? true : null), 'scheduled');
    });

    test('a plan inside a change freeze is refused; the same plan as an emergency change is allowed', async () => {
      const normal = await start({
        changeType: 'configuration_change',
        standardChangeId: `std-restart-${unique}`,
        affectedSystems: [frozen],
      });
      const refused = await normal.refusal(
        normal.complete('scheduling', people.opsEngineer, forms.schedule(MONDAY_NIGHT)),
      );
      expect(refused.code).toBe('FORM_REFUSED');
      expect(refused.message).toContain('两会 change freeze');
      expect(await types(normal.handle.workflowId)).not.toContain('task.completed');

      const emergency = await start(
        { urgency: 'emergency', changeType: 'defect_fix', source: 'incident', affectedSystems: [frozen] },
        people.headRequester.id,
      );
      await emergency.decide('emergencyAuthorisation', people.opsHead, 'approve', undefined, {
        channel: 'email',
        evidenceRef: 'mail-2031-0303-77',
      });
      await emergency.complete('scheduling', people.opsEngineer, forms.schedule(MONDAY_NIGHT));
      expect((await goLive(emergency, MONDAY_NIGHT)).stage).toBe('implementation');
      await emergency.complete('implementation', people.implementer, await implementedNow());
      await emergency.complete('completedChangeForm', people.headRequester, {
        formCompleted: true,
        signedBy: people.headRequester.id,
      });
      await emergency.complete('signedTestResults', people.tester, forms.testReport);
      await emergency.complete('backupConfirmation', people.opsEngineer, {
        programBackupRef: 'BK-P-1',
        dataBackupRef: 'BK-D-1',
      });
      await emergency.complete('jointReview', people.opsHead, {
        log: 'fix applied 22:05, verified 23:10',
        opsSignedBy: people.opsHead.id,
        requesterSignedBy: people.headRequester.id,
        goalMet: true,
        negativeEffects: 'Transfers slow for 10 minutes',
      });
      expect((await emergency.closed()).outcome).toBe('succeeded');
      expect((await readModel(emergency.handle.workflowId)).fields).toMatchObject({
        window: MONDAY_NIGHT,
        authorisation: { by: people.opsHead.id, channel: 'email', evidenceRef: 'mail-2031-0303-77' },
        paperworkComplete: true,
      });

      // The normal change is still waiting for a window outside the freeze.
      await normal.complete('scheduling', people.opsEngineer, forms.schedule(TUESDAY_1AM));
      await goLive(normal, TUESDAY_1AM);
      await normal.complete('implementation', people.implementer, await implementedNow());
      expect((await normal.closed()).outcome).toBe('succeeded');
    });

    test('a failed implementation is rolled back, closed as rolled back and counted as such', async () => {
      const c = await start({
        changeType: 'patch_update',
        source: 'vendor_patch',
        standardChangeId: `std-restart-${unique}`,
        affectedSystems: [system('batch')],
      });
      await c.complete('scheduling', people.opsEngineer, forms.schedule(TUESDAY_230AM));
      await goLive(c, TUESDAY_230AM);
      await c.complete(
        'implementation',
        people.implementer,
        await implementedNow({ result: 'rolled_back', cause: 'scheduler did not start: missing library' }),
      );
      expect((await c.closed()).outcome).toBe('rolled_back');
      const trail = await caseEvents(stack.db, c.handle.workflowId);
      expect(trail.find((e) => e.type === 'change.rolled-back')?.data.cause).toBe(
        'scheduler did not start: missing library',
      );
      expect(trail.find((e) => e.type === 'case.closed')?.data.outcome).toBe('rolled_back');
      expect((await readModel(c.handle.workflowId)).fields).toMatchObject({
        outcome: 'rolled_back',
        rollbackCause: 'scheduler did not start: missing library',
        goalMet: false,
      });
    });

    test('a freeze declared after the change was scheduled holds it at go-live and tells the assessor and the O&M head; the times the implementation reports are checked (issue 9.1, 9.2)', async () => {
      const held = system('held-at-go-live');
      const c = await start({ affectedSystems: [held] });
      await throughApprovals(c, { developmentNeeded: false, riskLevel: 'low' });
      await c.complete('changePlan', people.opsEngineer, forms.plan);
      await c.complete('testReport', people.tester, forms.testReport);
      await c.complete('securityPreReview', people.security, forms.securityPreReview);
      await c.complete('userTestConfirmation', people.requester, forms.userTest);
      await c.complete('scheduling', people.opsEngineer, forms.schedule(TUESDAY_4AM));
      await eventually(async () => ((await c.view()).stage === 'scheduled' ? true : null), 'scheduled');
      // Declared after the window was accepted; nobody touches the case.
      await upsertFreezePeriod(stack.db, {
        id: `go-live-freeze-${unique}`,
        name: 'sudden audit freeze',
        startsAt: '2031-03-04T03:30:00+08:00',
        endsAt: '2031-03-04T05:30:00+08:00',
        systems: [held],
      });
      await stack.env.sleep(Date.parse(TUESDAY_4AM.windowStart) - (await stack.env.currentTimeMs()));
      const again = await c.pending('scheduling#2');
      expect(again.pendingSteps.map((s) => s.step)).toEqual(['scheduling#2']);
      const opened = (await caseEvents(stack.db, c.handle.workflowId)).filter(
        (e) => e.type === 'step.opened',
      );
      expect(opened.map((e) => e.data.step)).not.toContain('implementation');
      const heldAt = await eventually(async () => {
        const events = await caseEvents(stack.db, c.handle.workflowId);
        return events.find((e) => e.type === 'change.schedule-held') ?? null;
      }, 'change.schedule-held recorded');
      expect(heldAt.data).toMatchObject({ at: 'go-live', window: TUESDAY_4AM });
      expect(JSON.stringify(heldAt.data.problems)).toContain('sudden audit freeze');
      const told = await eventually(async () => {
        const rows = await stack.db('notification_outbox').where({
          case_id: c.handle.workflowId,
          template: 'change-schedule-held',
        });
        return rows.length >= 2 ? rows : null;
      }, 'the hold mailed');
      // The assessor (who assessed this change) and the O&M head.
      expect(told.map((n) => n.recipient_user_id)).toEqual(
        expect.arrayContaining([people.opsEngineer.id, people.opsHead.id]),
      );
      expect(await stagesOf(c.handle.workflowId)).toEqual(
        expect.arrayContaining(['scheduling', 'scheduled', 'scheduling']),
      );

      // Rescheduled after the freeze; at its window the implementation opens and its times are checked.
      await c.complete('scheduling#2', people.opsEngineer, forms.schedule(TUESDAY_6AM));
      await goLive(c, TUESDAY_6AM);
      const now = await stack.env.currentTimeMs();
      const inAnHour = new Date(now + 3600_000).toISOString();
      const future = await c.refusal(
        c.complete(
          'implementation',
          people.implementer,
          forms.implementation({ startedAt: inAnHour, finishedAt: inAnHour }),
        ),
      );
      expect(future.code).toBe('FORM_REFUSED');
      expect(future.message).toContain('the start lies in the future');
      const early = await c.refusal(
        c.complete(
          'implementation',
          people.implementer,
          forms.implementation({
            startedAt: TUESDAY_4AM.windowStart,
            finishedAt: new Date(now).toISOString(),
          }),
        ),
      );
      expect(early).toMatchObject({
        code: 'FORM_REFUSED',
        message: expect.stringContaining('before the scheduled window'),
      });
      await c.complete('implementation', people.implementer, await implementedNow());
      await c.complete('departmentHeadConfirmation', people.departmentHead, forms.confirmation);
      expect((await c.closed()).outcome).toBe('succeeded');
    });
  });

  test('the period figures of 001 §26 match a hand count of this file’s changes', async () => {
    const figures = await changeReviewFigures(stack.db, {
      from: '2031-03-01T00:00:00+08:00',
      to: '2031-04-01T00:00:00+08:00',
    });
    // normal succeeded (new function), dept-head reject, SOD case rejected, not recommended, too large,
    // revision round trip not recommended, standard succeeded, freeze: emergency + standard succeeded, rolled back,
    // held at go-live and then succeeded.
    expect(figures.total).toBe(11);
    expect(figures.byOutcome).toEqual({
      succeeded: 5,
      rejected: 2,
      not_recommended: 2,
      too_large: 1,
      rolled_back: 1,
    });
    expect(figures.byType).toEqual({
      new_function: 2,
      business_parameter_change: 5,
      configuration_change: 2,
      defect_fix: 1,
      patch_update: 1,
    });
    expect(figures.bySource).toEqual({ business_need: 9, incident: 1, vendor_patch: 1 });
    expect(figures.byUrgency).toEqual({ normal: 10, emergency: 1 });
    expect(figures.rollbacks).toEqual({
      count: 1,
      causes: [{ caseId: expect.any(String), cause: 'scheduler did not start: missing library' }],
    });
    expect(figures.goals).toEqual({ met: 5, notMet: 1, unknown: 5 });
    expect(figures.negativeEffects.map((n) => n.effects)).toEqual(['Transfers slow for 10 minutes']);
  });
});
