/**
 * The defect flow of 003 (七) 1(2) on the time-skipping server, with the windows of 003 (九) 3
 * (migrations 0008/0020: 2 / 3 / 5 working days from confirmation on the default calendar).
 *
 * The official holiday data of the `chinese-days` package ends with 2026's National Day, and the
 * server's clock cannot go back before today; the window is therefore tested across New Year's
 * Day 2027 entered into the default calendar as an admin enters a newly announced year.
 */
import { getCase } from '../../../db/cases';
import { caseEvents } from '../../support/cases';
import { eventually } from '../../support/db';
import { useChangeStack } from '../../support/change-stack';
import {
  DefectDriver,
  defectPeople,
  defectReport,
  givenDefectDirectory,
  startDefect,
} from '../../support/defect-cases';
import type { DefectReport } from '../../../workflows/defect/request-form';

/** Tuesday before New Year 2027, 10:00 in Shanghai. */
const TUESDAY = Date.parse('2026-12-29T10:00:00+08:00');
/** Wednesday 10:00: confirmation; 3 working days: Thu 31, (Fri 1 holiday, weekend), Mon 4, Tue 5. */
const WEDNESDAY = Date.parse('2026-12-30T10:00:00+08:00');
const THIRD_WORKING_DAY_CLOSE = '2027-01-05T09:30:00.000Z';

const d = defectPeople('dfw');
const { who } = d;

const confirmed = { confirmed: true };
const accepted = { decision: 'accept' };
const resolved = (codeChange = true) => ({
  causeAnalysis: 'The 2026 indexation rule was not loaded into the calculation table',
  solution: 'Load the rule and recalculate the affected cases; program fix in the rule loader',
  codeChange,
});
const passed = { result: 'passed', retestNotes: 'Case 3301 recalculated: 3 120.50 CNY' };
const failed = { result: 'failed', retestNotes: 'Case 3302 still shows the old amount' };

describe('defect process', () => {
  const stack = useChangeStack('defect', TUESDAY);
  beforeAll(async () => {
    await givenDefectDirectory(stack.db, d);
    // New Year's Day 2027, as an admin enters the State Council's notice for the new year.
    await stack.db('calendar_days').insert({
      calendar_id: 'default',
      day: '2027-01-01',
      kind: 'holiday',
      name: '元旦',
      source: 'manual',
    });
    await stack.db('working_calendars').where({ id: 'default' }).update({ holidays_through: 2027 });
  });

  const start = async (overrides: Partial<DefectReport> = {}, requester = who.user.id) =>
    new DefectDriver(
      await startDefect(stack.env.client, stack.taskQueue, requester, defectReport(d, overrides)),
      stack.db,
    );
  const fieldsOf = async (caseId: string) => (await getCase(stack.db, caseId))!.fields;
  const eventTypes = async (caseId: string) => (await caseEvents(stack.db, caseId)).map((e) => e.type);
  const mails = (caseId: string, template: string) =>
    stack.db('notification_outbox').where({ case_id: caseId, template }).orderBy('id');
  const settledFields = (caseId: string, check: (f: Record<string, unknown>) => boolean) =>
    eventually(
      async () => {
        const f = await fieldsOf(caseId);
        return check(f) ? f : null;
      },
      `fields of ${caseId}`,
      60_000,
    );

  let fixedCaseId = '';
  let rejectedCaseId = '';
  let reopenedCaseId = '';

  test('a corrective defect goes through all seven steps, due on the third working day after confirmation across New Year', async () => {
    const c = await start({ ownerId: who.engineer.id });
    const caseId = c.handle.workflowId;
    const opened = await c.pending('confirmation');
    expect(opened.pendingSteps[0]).toMatchObject({
      assignees: [who.user.id],
      formRef: 'defect.confirmation',
    });

    await stack.env.sleep(WEDNESDAY - (await stack.env.currentTimeMs()));
    await c.complete('confirmation', who.user, confirmed);
    const submitted = await c.pending('acceptance');
    expect(submitted.stage).toBe('submitted');
    expect(submitted.pendingSteps[0]).toMatchObject({
      assignees: [who.engineer.id],
      dueAt: THIRD_WORKING_DAY_CLOSE,
    });

    await c.complete('acceptance', who.engineer, accepted);
    const inProgress = await c.pending('resolution');
    expect(inProgress.stage).toBe('inProgress');
    expect(inProgress.pendingSteps[0].dueAt).toBe(THIRD_WORKING_DAY_CLOSE);

    // Every task form carries cause analysis and solution (003 (九) 4).
    const bare = await c.refusal(c.complete('resolution', who.engineer, { codeChange: true }));
    expect(bare.code).toBe('FORM_INVALID');
    await c.complete('resolution', who.engineer, resolved());
    await c.pending('verification');

    // The resolver may not retest their own fix, even when it is handed to them.
    await c.reassign('verification', who.pm, who.engineer.id, 'engineer 1 knows the case best');
    const own = await c.refusal(c.complete('verification', who.engineer, passed));
    expect(own.code).toBe('SOD_IMPLEMENTER');
    await c.reassign('verification', who.pm, who.user.id, 'the user retests');
    await c.complete('verification', who.user, passed);
    const closed = await c.closed();
    expect(closed).toMatchObject({ outcome: 'fixed', stage: 'closed' });

    const fields = await settledFields(caseId, (f) => f.verifiedAt != null);
    expect(fields).toMatchObject({
      defectKind: 'defect',
      defectClass: 'corrective',
      vendorId: d.vendorId,
      ownerId: who.engineer.id,
      windowDueAt: THIRD_WORKING_DAY_CLOSE,
      onTime: true,
      reopenCount: 0,
      codeChange: true,
      causeAnalysis: resolved().causeAnalysis,
    });
    expect(Math.abs(Date.parse(fields.confirmedAt as string) - WEDNESDAY)).toBeLessThan(60_000);
    expect(Date.parse(fields.resolvedAt as string)).toBeLessThanOrEqual(Date.parse(THIRD_WORKING_DAY_CLOSE));
    expect((await getCase(stack.db, caseId))!).toMatchObject({
      system: d.system,
      state: 'closed',
      priority: 'corrective',
    });

    const stages = (await caseEvents(stack.db, caseId))
      .filter((e) => e.type === 'stage.entered')
      .map((e) => e.data.stage);
    expect(stages).toEqual(['confirmation', 'submitted', 'inProgress', 'verification']);
    expect(await eventTypes(caseId)).toEqual(
      expect.arrayContaining([
        'case.opened',
        'task.completed',
        'task.reassigned',
        'case.closed',
        'case.reopenable',
      ]),
    );
    const assigned = await mails(caseId, 'task-assigned');
    expect(assigned.map((m) => m.recipient_user_id)).toEqual(
      expect.arrayContaining([who.user.id, who.engineer.id]),
    );
    expect((await mails(caseId, 'case-closed')).map((m) => m.recipient_user_id)).toEqual([who.user.id]);
    fixedCaseId = caseId;
  }, 400_000);

  test('a closed defect that recurs is reopened with a link to the recurrence, its history kept and the reopen counted', async () => {
    const c = new DefectDriver(stack.env.client.workflow.getHandle(fixedCaseId), stack.db);
    const refused = await c.refusal(c.reopen(who.engineer2, '   '));
    expect(refused.code).toBe('REASON_REQUIRED');

    const view = await c.reopen(
      who.engineer2,
      'Case 3307 shows the same missing indexation',
      'INC-2027-0042',
    );
    expect(view).toMatchObject({ status: 'open', stage: 'inProgress' });
    expect(view.pendingSteps[0]).toMatchObject({ step: 'resolution#2', assignees: [who.engineer.id] });
    const again = await c.refusal(c.reopen(who.engineer2, 'twice'));
    expect(again.code).toBe('NOT_REOPENABLE');

    const fields = await settledFields(fixedCaseId, (f) => f.reopenCount === 1);
    expect(fields).toMatchObject({ reopenCount: 1, resolvedAt: null, verifiedAt: null });
    const events = await caseEvents(stack.db, fixedCaseId);
    expect(events.find((e) => e.type === 'case.reopened')).toMatchObject({
      actor: who.engineer2.id,
      channel: 'api',
      data: {
        reason: 'Case 3307 shows the same missing indexation',
        link: 'INC-2027-0042',
        closedOutcome: 'fixed',
      },
    });
    expect(events.find((e) => e.type === 'defect.reopened')!.data).toMatchObject({
      why: 'recurrence',
      reopenCount: 1,
    });
    // The history before the reopening is the same trail, from the registration on.
    expect(events[0].type).toBe('case.opened');
    await eventually(
      async () => ((await mails(fixedCaseId, 'defect-reopened')).length >= 2 ? true : null),
      'reopen mails',
    );
    expect((await mails(fixedCaseId, 'defect-reopened')).map((m) => m.recipient_user_id).sort()).toEqual(
      [who.engineer.id, who.pm.id].sort(),
    );

    await c.complete('resolution', who.engineer, resolved());
    await c.complete('verification', who.user, passed);
    await c.closed();
    expect(await settledFields(fixedCaseId, (f) => f.verifiedAt != null)).toMatchObject({ reopenCount: 1 });
  }, 300_000);

  test('an unknown owner goes to the vendor PM, who reassigns; a rejection the PM agrees to closes the defect', async () => {
    const c = await start({ defectClass: 'routine' });
    await c.complete('confirmation', who.user, confirmed);
    const view = await c.pending('acceptance');
    expect(view.pendingSteps[0].assignees).toEqual([who.pm.id]);
    const stranger = await c.refusal(c.reassign('acceptance', who.engineer, who.engineer2.id, 'not mine'));
    expect(stranger.code).toBe('NOT_ELIGIBLE');
    await c.reassign('acceptance', who.pm, who.engineer2.id, 'engineer 2 owns the pension module');
    expect((await c.view()).pendingSteps[0].assignees).toEqual([who.engineer2.id]);

    const vague = await c.refusal(c.complete('acceptance', who.engineer2, { decision: 'reject' }));
    expect(vague.code).toBe('FORM_INVALID');
    await c.complete('acceptance', who.engineer2, {
      decision: 'reject',
      rejectionReason: 'cannot_reproduce',
      explanation: 'Case 3301 shows 3 120.50 CNY on the test copy of production',
    });
    const review = await c.pending('rejectionReview');
    expect(review.pendingSteps[0]).toMatchObject({ kind: 'approval', assignees: [who.pm.id] });
    await c.decide('rejectionReview', who.pm, 'approve', 'agreed: not reproducible');
    expect(await c.closed()).toMatchObject({ outcome: 'rejected' });
    rejectedCaseId = c.handle.workflowId;
    expect(await settledFields(c.handle.workflowId, (f) => f.rejection != null)).toMatchObject({
      ownerId: who.engineer2.id,
      rejection: { reason: 'cannot_reproduce', by: who.engineer2.id },
      reopenCount: 0,
    });
  }, 300_000);

  test('a rejection the PM does not agree to reopens the defect; a failed retest reopens it again', async () => {
    const c = await start({ ownerId: who.engineer.id });
    const caseId = c.handle.workflowId;
    await c.complete('confirmation', who.user, confirmed);
    const missingCase = await c.refusal(
      c.complete('acceptance', who.engineer, {
        decision: 'reject',
        rejectionReason: 'duplicate',
        explanation: 'same',
      }),
    );
    expect(missingCase.code).toBe('FORM_INVALID');
    await c.complete('acceptance', who.engineer, {
      decision: 'reject',
      rejectionReason: 'duplicate',
      duplicateOf: 'DEF-2026-000001',
      explanation: 'Same as the November report',
    });
    await c.decide(
      'rejectionReview',
      who.pm,
      'reject',
      'That one was about survivors, this is old-age pension',
    );
    const reopened = await c.pending('resolution');
    expect(reopened.pendingSteps[0].assignees).toEqual([who.engineer.id]);
    expect(await settledFields(caseId, (f) => f.reopenCount === 1)).toMatchObject({ reopenCount: 1 });

    await c.complete('resolution', who.engineer, resolved(false));
    await c.complete('verification', who.user, failed);
    const again = await c.pending('resolution');
    expect(again).toMatchObject({ status: 'open', stage: 'inProgress' });
    expect(await settledFields(caseId, (f) => f.reopenCount === 2)).toMatchObject({
      reopenCount: 2,
      resolvedAt: null,
      onTime: null,
    });
    const whys = (await caseEvents(stack.db, caseId))
      .filter((e) => e.type === 'defect.reopened')
      .map((e) => e.data.why);
    expect(whys).toEqual(['rejection-overruled', 'verification-failed']);
    reopenedCaseId = caseId;
  }, 300_000);

  test("a data fix cannot proceed without the user's approval of its plan", async () => {
    const c = await start({
      kind: 'data-fix',
      defectClass: 'routine',
      ownerId: who.engineer.id,
      title: '参保人缴费记录重复',
    });
    const caseId = c.handle.workflowId;
    await c.complete('confirmation', who.user, confirmed);
    await c.complete('acceptance', who.engineer, accepted);
    await c.pending('fixPlan');
    const plan = {
      statement: 'Delete the duplicated contribution rows of 2026-10 for 12 insured persons',
      causeAnalysis: 'A batch import ran twice on 2026-10-31',
      sqlStatements: ["DELETE FROM contrib WHERE batch_id = 'B-20261031-2'"],
      dataFileRefs: ['dmp://si/contrib-20261031-before.dmp'],
      backout: 'Re-import the rows from the DMP taken before the fix',
    };
    await c.complete('fixPlan', who.engineer, plan);
    const waiting = await c.pending('userApproval');
    expect(waiting.pendingSteps.map((s) => s.step)).toEqual(['userApproval']);
    const early = await c.refusal(c.completeNow('resolution', who.engineer, resolved(false)));
    expect(early.code).toBe('STEP_NOT_PENDING');
    const self = await c.refusal(c.complete('userApproval', who.engineer, { decision: 'approve' }));
    expect(self.code).toBe('NOT_ELIGIBLE');
    const unexplained = await c.refusal(
      c.complete('userApproval', who.user, { decision: 'request_changes' }),
    );
    expect(unexplained.code).toBe('FORM_INVALID');

    await c.complete('userApproval', who.user, {
      decision: 'request_changes',
      comment: 'List the 12 persons in a data file',
    });
    await c.complete('fixPlan', who.engineer, {
      ...plan,
      dataFileRefs: [...plan.dataFileRefs, 'xlsx://si/12-persons.xlsx'],
    });
    await c.complete('userApproval', who.user, {
      decision: 'approve',
      comment: 'approved by the contributions department',
    });
    await c.pending('resolution');
    const fields = await settledFields(
      caseId,
      (f) => (f.fixApproval as { decision?: string } | undefined)?.decision === 'approve',
    );
    expect(fields).toMatchObject({
      defectKind: 'data-fix',
      fixApproval: { decision: 'approve', by: who.user.id, plan: { sqlStatements: plan.sqlStatements } },
      fixPlan: { dataFileRefs: ['dmp://si/contrib-20261031-before.dmp', 'xlsx://si/12-persons.xlsx'] },
    });
  }, 300_000);

  test('a negotiated due date holds once the vendor PM agrees to it', async () => {
    const c = await start({ defectClass: 'perfective', ownerId: who.engineer.id });
    const negotiated = '2027-02-26T17:30:00+08:00';
    const half = await c.refusal(
      c.complete('confirmation', who.user, { confirmed: true, negotiatedDueAt: negotiated }),
    );
    expect(half.code).toBe('FORM_INVALID');
    await c.complete('confirmation', who.user, {
      confirmed: true,
      negotiatedDueAt: negotiated,
      negotiationReason: 'Needs the provincial system team: about 20 working days of work',
    });
    await c.decide('dueDateAgreement', who.pm, 'approve', 'agreed with the provincial team');
    const view = await c.pending('acceptance');
    expect(view.pendingSteps[0].dueAt).toBe(new Date(negotiated).toISOString());
    expect(await settledFields(c.handle.workflowId, (f) => f.negotiatedDue != null)).toMatchObject({
      windowDueAt: new Date(negotiated).toISOString(),
      negotiatedDue: { agreed: true, decidedBy: who.pm.id, proposedBy: who.user.id },
    });
  }, 300_000);

  test("a defect the vendor's team registers is confirmed by the head of the business department owning the system", async () => {
    const c = new DefectDriver(
      await startDefect(
        stack.env.client,
        stack.taskQueue,
        who.engineer.id,
        defectReport(d, { ownerId: who.engineer.id }),
        d.vendorId,
      ),
      stack.db,
    );
    const view = await c.pending('confirmation');
    expect(view.pendingSteps[0].assignees).toEqual([who.head.id]);
    const vendorSelf = await c.refusal(c.complete('confirmation', who.engineer, confirmed));
    expect(vendorSelf.code).toBe('NOT_ELIGIBLE');
    await c.complete('confirmation', who.head, confirmed);
    await c.pending('acceptance');
  }, 300_000);

  test("the owner is warned before the window closes; at its close the O&M head and the vendor's PM hear of it", async () => {
    const c = new DefectDriver(stack.env.client.workflow.getHandle(reopenedCaseId), stack.db);
    const step = (await c.pending('resolution')).pendingSteps[0];
    expect(step.step).toBe('resolution#2');
    await stack.env.sleep(Date.parse(step.dueAt!) + 60_000 - (await stack.env.currentTimeMs()));
    const events = await eventually(
      async () => {
        const all = (await caseEvents(stack.db, reopenedCaseId)).filter((e) => e.data.step === step.step);
        return all.some((e) => e.type === 'sla.escalated') ? all : null;
      },
      'the escalation',
      90_000,
    );
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['sla.warning', 'sla.overdue', 'sla.escalated']),
    );
    const warned = await mails(reopenedCaseId, 'sla-warning');
    expect(warned.map((m) => m.recipient_user_id)).toContain(who.engineer.id);
    const escalated = (await mails(reopenedCaseId, 'sla-escalation')).map((m) => m.recipient_user_id);
    expect(escalated).toEqual(expect.arrayContaining([who.pm.id]));
    expect((await c.view()).pendingSteps[0]).toMatchObject({ overdue: true, escalationLevel: 1 });
  }, 300_000);

  // Last in the file: it moves the server's clock three months on.
  test('a closed defect stays reopenable for the retention period (90 days by policy), then its workflow ends', async () => {
    const c = new DefectDriver(stack.env.client.workflow.getHandle(rejectedCaseId), stack.db);
    expect((await c.handle.describe()).status.name).toBe('RUNNING');
    await stack.env.sleep(91 * 24 * 3600_000);
    await eventually(
      async () => ((await c.handle.describe()).status.name === 'COMPLETED' ? true : null),
      'retention ended',
      90_000,
    );
    expect(await eventTypes(rejectedCaseId)).toEqual(expect.arrayContaining(['case.reopen-window-ended']));
    expect((await getCase(stack.db, rejectedCaseId))!).toMatchObject({ state: 'closed' });
  }, 300_000);
});
