/**
 * The handover on the time-skipping server (002 §6.6.3.5): a vendor hands a pension system to the
 * O&M center. Six deliverables from the checklist, one returned twice before it is accepted; two
 * knowledge-transfer sessions, the second not recorded by its date and chased; and on completion
 * the archive goes to the receiving unit and the system's O&M owner changes, with the date.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { caseAccess } from '../../../db/case-access';
import { getUser } from '../../../db/directory';
import { listSystemOpsOwners, transferSystemOpsOwner } from '../../../db/handover';
import { caseEvents } from '../../support/cases';
import { ChangeDriver } from '../../support/change-cases';
import { useChangeStack } from '../../support/change-stack';
import { eventually } from '../../support/db';
import { apiSigned } from '../../support/api-signed';
import {
  BUSINESS_DEPARTMENT,
  RECEIVING_UNIT,
  givenHandoverDirectory,
  handoverForms as f,
  handoverPeople as p,
  handoverPlan,
  handoverRequest,
  session,
  startHandover,
} from '../../support/handover-cases';
import { taskUpdate, withdrawUpdate } from '../../../workflows/kernel';
import * as search from '../../../workflows/contracts/search-attributes';

const MONDAY_MORNING = Date.parse('2031-06-02T10:00:00+08:00');
const at = (instant: string) => Date.parse(instant);

describe('handover process', () => {
  const stack = useChangeStack('handover', MONDAY_MORNING);
  const unique = Math.random().toString(36).slice(2, 7);
  const pension = `pension-${unique}`;
  const ledger = `ledger-${unique}`;
  const archive = `archive-${unique}`;
  const selfStarted = `self-started-${unique}`;
  beforeAll(async () => {
    await givenHandoverDirectory(stack.db, [pension, ledger, archive, selfStarted]);
    // The ledger is run by the business department until its handover.
    await stack.db('systems').where({ id: ledger }).update({ ops_owner_department_id: BUSINESS_DEPARTMENT });
    // The checklist is master data: this installation keeps its asset records elsewhere, so six items.
    await stack.db('handover_deliverable_types').where({ code: 'asset_records' }).update({ active: false });
  }, 120_000);

  const sleepUntil = async (instant: string) =>
    stack.env.sleep(Math.max(0, at(instant) - (await stack.env.currentTimeMs())));
  const outbox = (caseId: string, template: string) =>
    stack.db('notification_outbox').where({ case_id: caseId, template }).orderBy('id');

  /** An Update sent straight away, without waiting for the step to open: the refusal is the answer. */
  async function refusalOf(
    c: ChangeDriver,
    step: string,
    actor: typeof p.vendorPm,
    form: Record<string, unknown>,
  ) {
    try {
      await c.handle.executeUpdate(taskUpdate, {
        args: [
          apiSigned(c.handle.workflowId, 'task', {
            step,
            action: 'complete' as const,
            actor,
            form,
            channel: 'api' as const,
          }),
        ],
      });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) return (err.cause as { type?: string }).type;
      throw err;
    }
    return 'accepted';
  }

  test('six deliverables, one returned twice, a late session chased, and the O&M owner changed on completion', async () => {
    const c = new ChangeDriver(
      await startHandover(stack.env.client, stack.taskQueue, handoverRequest(pension)),
      stack.db,
    );
    const caseId = c.handle.workflowId;

    // The plan: written by the vendor, approved by the O&M head, accepted by the receiving unit.
    const onTime = session({ assessment: true });
    const late = session({
      topic: 'Recovery and emergency drills',
      plannedAt: '2031-06-20T09:30:00+08:00',
      plannedMinutes: 90,
    });
    await c.complete('handoverPlan', p.vendorPm, {
      ...handoverPlan([onTime, late]),
      deliverableDueDates: [{ item: 'design_docs', dueAt: '2031-06-16T17:30:00+08:00' }],
    });
    await c.decide('planApproval', p.opsHead, 'approve');
    expect(await c.refusal(c.decide('planAcceptance', p.opsHead, 'approve'))).toMatchObject({
      code: 'NOT_ELIGIBLE',
    });
    await c.decide('planAcceptance', p.receiver, 'approve');

    // Every item of the checklist opens at once, each with its own clock; the plan dates one of them.
    const transfer = await c.pending('deliver-requirement_spec');
    const deliverSteps = transfer.pendingSteps.filter((s) => s.step.startsWith('deliver-'));
    expect(deliverSteps.map((s) => s.step).sort()).toEqual(
      [
        'completion_materials',
        'design_docs',
        'functional_description',
        'implementation_docs',
        'om_technical_docs',
        'requirement_spec',
      ]
        .map((code) => `deliver-${code}`)
        .sort(),
    );
    expect(deliverSteps.every((s) => s.formRef === 'handover.deliverable')).toBe(true);
    expect(deliverSteps.find((s) => s.step === 'deliver-design_docs')!.dueAt).toBe(
      '2031-06-16T09:30:00.000Z',
    );
    // The knowledge-transfer session within a week is announced at once.
    expect(transfer.pendingSteps.find((s) => s.step === 'session-1')).toMatchObject({
      formRef: 'handover.sessionRecord',
    });

    const codes = deliverSteps.map((s) => s.step.replace('deliver-', ''));
    for (const code of codes) {
      const answered = await c.complete(
        `deliver-${code}`,
        p.vendorPm,
        f.delivered(`dms://pension/${code}/v1`),
      );
      // The answer is what the next read shows: this item's review is open, the other items wait on.
      expect(answered.pendingSteps.map((x) => x.step)).toContain(`accept-${code}`);
    }
    for (const code of codes.filter((x) => x !== 'design_docs'))
      await c.complete(`accept-${code}`, p.receiver, f.accepted);

    // Returned twice with reasons, then accepted; meanwhile the handover cannot complete.
    await c.complete(
      'accept-design_docs',
      p.receiver,
      f.returned('the interface design of the payment batch is missing'),
    );
    expect(await refusalOf(c, 'archiveTransfer', p.vendorPm, f.archive)).toBe('STEP_NOT_PENDING');
    expect((await stack.db('systems').where({ id: pension }).first()).ops_owner_department_id).toBeNull();
    await c.complete('deliver-design_docs', p.vendorPm, f.delivered('dms://pension/design_docs/v2'));
    await c.complete(
      'accept-design_docs',
      p.receiver,
      f.returned('the database design is still the 2029 version'),
    );
    const returned = await c.pending('deliver-design_docs');
    expect(returned.fields.deliverables).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'design_docs', status: 'returned' })]),
    );
    expect(await refusalOf(c, 'archiveTransfer', p.vendorPm, f.archive)).toBe('STEP_NOT_PENDING');
    await c.complete('deliver-design_docs', p.vendorPm, f.delivered('dms://pension/design_docs/v3'));
    await c.complete('accept-design_docs', p.receiver, f.accepted);

    // Session 1 is held on its date, answered and assessed.
    await sleepUntil('2031-06-05T16:30:00+08:00');
    await c.complete('session-1', p.vendorPm, f.held('2031-06-05T14:00:00+08:00'));
    await c.complete('feedback-1', p.receiver, f.feedback);
    await c.complete('assessment-1', p.receiver, f.passed);

    // Session 2: announced a week ahead; not recorded by its end, it is chased.
    await sleepUntil('2031-06-13T09:31:00+08:00');
    await c.pending('session-2');
    await sleepUntil('2031-06-23T10:00:00+08:00');
    const chased = await eventually(async () => {
      const v = await c.view();
      const step = v.pendingSteps.find((s) => s.step === 'session-2');
      return step?.overdue && step.escalationLevel >= 1 ? step : null;
    }, 'session 2 overdue and escalated');
    expect(chased.dueAt).toBe('2031-06-20T15:59:59.000Z');
    // An operator finds it in the Temporal UI: an overdue handover of this system, waiting for the vendor.
    const attributes = (await c.handle.describe()).typedSearchAttributes;
    expect(attributes.get(search.OpsProcess)).toBe('handover');
    expect(attributes.get(search.OpsStage)).toBe('transfer');
    expect(attributes.get(search.OpsSystem)).toBe(pension);
    expect(attributes.get(search.OpsOverdue)).toBe(true);
    expect(attributes.get(search.OpsAssignees)).toEqual([p.vendorPm.id]);
    // …or by the project's reference, the handover's business key.
    expect(attributes.get(search.OpsBusinessKey)).toBe('PRJ-2030-017');
    expect(await refusalOf(c, 'archiveTransfer', p.vendorPm, f.archive)).toBe('STEP_NOT_PENDING');
    await c.complete('session-2', p.vendorPm, f.held('2031-06-23T10:00:00+08:00', 90));
    await c.complete('feedback-2', p.receiver, f.feedback);

    // Completion: the archive to the receiving unit, the system's O&M owner changed from today.
    await c.complete('archiveTransfer', p.vendorPm, f.archive);
    const closed = await c.closed();
    expect(closed.outcome).toBe('handed_over');

    // State: every item accepted, the refused one with its three rounds; the late session marked.
    const deliverables = closed.fields.deliverables as Array<{
      code: string;
      status: string;
      rounds: Array<Record<string, unknown>>;
    }>;
    expect(deliverables).toHaveLength(6);
    expect(deliverables.every((d) => d.status === 'accepted')).toBe(true);
    const design = deliverables.find((d) => d.code === 'design_docs')!;
    expect(design.rounds.map((r) => [r.verdict, r.reference])).toEqual([
      ['returned', 'dms://pension/design_docs/v1'],
      ['returned', 'dms://pension/design_docs/v2'],
      ['accepted', 'dms://pension/design_docs/v3'],
    ]);
    expect(design.rounds[0]).toMatchObject({
      reasons: 'the interface design of the payment batch is missing',
      reviewedBy: p.receiver.id,
    });
    const sessions = closed.fields.sessions as Array<{
      topic: string;
      status: string;
      held: Array<Record<string, unknown>>;
    }>;
    expect(sessions.map((s) => [s.topic, s.status, s.held[0].chased])).toEqual([
      [onTime.topic, 'done', false],
      [late.topic, 'done', true],
    ]);
    expect(sessions[0].held[0]).toMatchObject({
      durationMinutes: 120,
      feedback: expect.objectContaining({ satisfaction: 4, by: p.receiver.id }),
      assessment: expect.objectContaining({ passed: true }),
    });
    expect(closed.fields.opsOwner).toMatchObject({
      departmentId: RECEIVING_UNIT,
      since: '2031-06-23',
      previousDepartmentId: null,
    });

    // Master data: the O&M owner and its history.
    const system = await stack.db('systems').where({ id: pension }).first();
    expect(system.ops_owner_department_id).toBe(RECEIVING_UNIT);
    expect(await listSystemOpsOwners(stack.db, pension)).toEqual([
      {
        systemId: pension,
        departmentId: RECEIVING_UNIT,
        previousDepartmentId: null,
        since: '2031-06-23',
        caseId,
      },
    ]);

    // Audit: the stages in order, both returns with reasons, the chase, the archive.
    const events = await caseEvents(stack.db, caseId);
    expect(events.filter((e) => e.type === 'stage.entered').map((e) => e.data.stage)).toEqual([
      'planning',
      'planApproval',
      'planAcceptance',
      'transfer',
      'completion',
    ]);
    expect(events.filter((e) => e.type === 'handover.deliverable-returned').map((e) => e.data)).toEqual([
      expect.objectContaining({ item: 'design_docs', round: 1 }),
      expect.objectContaining({
        item: 'design_docs',
        round: 2,
        reasons: 'the database design is still the 2029 version',
      }),
    ]);
    const overdue = events.filter((e) => e.type === 'sla.overdue').map((e) => e.data.step);
    expect(overdue).toEqual(['session-2']);
    expect(events.find((e) => e.type === 'handover.session-late')?.data).toMatchObject({ step: 'session-2' });
    expect(events.filter((e) => e.type === 'handover.session-notice').map((e) => e.data.session)).toEqual([
      1, 2,
    ]);
    const notice2 = events.find((e) => e.type === 'handover.session-notice' && e.data.session === 2)!;
    // A week before 20 June 09:30 (Asia/Shanghai), to the second.
    expect(Math.abs(new Date(notice2.occurred_at).getTime() - at('2031-06-13T09:30:00+08:00'))).toBeLessThan(
      1000,
    );
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['handover.archive-transferred', 'case.closed']),
    );

    // Mails: returns to the vendor, notices and the chase to the receiving unit, escalation to the O&M head.
    const to = async (template: string) => (await outbox(caseId, template)).map((r) => r.recipient_user_id);
    expect(await to('handover-deliverable-returned')).toEqual([p.vendorPm.id, p.vendorPm.id]);
    expect(await to('handover-session-notice')).toEqual(
      expect.arrayContaining([p.receiver.id, p.vendorPm.id]),
    );
    expect(await to('sla-overdue')).toEqual([p.vendorPm.id]);
    expect(await to('handover-session-late')).toEqual([p.receiver.id]);
    expect(await to('sla-escalation')).toEqual(expect.arrayContaining([p.opsHead.id]));
    expect(await to('handover-archive')).toEqual(expect.arrayContaining([p.receiver.id, p.opsHead.id]));

    // Every step named at run time is titled in both languages, each wholly in its own: the receiving
    // unit's contact reads Chinese, the vendor English, and the step's own title is the English one.
    const cjk = /[\u4e00-\u9fff]/;
    const perItem = [
      ...(await outbox(caseId, 'task-assigned')),
      ...(await outbox(caseId, 'sla-overdue')),
      ...(await outbox(caseId, 'handover-session-late')),
    ].filter((r) => /^(deliver|accept|session|feedback|assessment)-/.test(r.data.step));
    expect(perItem.map((r) => r.data.step)).toEqual(
      expect.arrayContaining(['deliver-design_docs', 'accept-design_docs', 'session-2', 'feedback-1']),
    );
    for (const r of perItem)
      expect({ step: r.data.step, en: r.data.stepTitles?.en, zh: r.data.stepTitles?.['zh-CN'] }).toEqual({
        step: r.data.step,
        en: expect.not.stringMatching(cjk),
        zh: expect.stringMatching(/^(交付方|接收单位|记录第|反馈第|考核第)/),
      });
    expect(perItem.find((r) => r.data.step === 'accept-design_docs')!.data.stepTitles).toEqual({
      en: 'Receiving unit accepts or returns: Design documents',
      'zh-CN': '接收单位验收或退回：设计文档',
    });
    const opened = events.filter(
      (e) => e.type === 'step.opened' && /^(deliver|accept)-/.test(String(e.data.step)),
    );
    expect(opened.filter((e) => cjk.test(String(e.data.title)))).toEqual([]);

    // Read model: closed, with the register; both units read the case, an outsider does not.
    const row = await stack.db('cases').where({ case_id: caseId }).first();
    expect(row).toMatchObject({ state: 'closed', process: 'handover', system: pension });
    expect(row.fields).toMatchObject({
      outcome: 'handed_over',
      archive: expect.objectContaining({ archiveRef: 'HO-2031-04' }),
    });
    const reader = async (id: string) => (await getUser(stack.db, id))!;
    expect(await caseAccess(stack.db, await reader(p.colleague.id), caseId)).toBe('visible');
    expect(await caseAccess(stack.db, await reader(p.vendorEngineer.id), caseId)).toBe('visible');
    expect(await caseAccess(stack.db, await reader(p.outsider.id), caseId)).toBe('hidden');
  }, 300_000);

  test('the receiving unit sends the plan back; a failed assessment holds the session again; the owner changes once', async () => {
    const now = await stack.env.currentTimeMs();
    const day = 24 * 3600_000;
    const plannedAt = new Date(now + 2 * day).toISOString();
    const retrainAt = new Date(now + 9 * day).toISOString();
    const c = new ChangeDriver(
      await startHandover(stack.env.client, stack.taskQueue, handoverRequest(ledger)),
      stack.db,
    );
    const caseId = c.handle.workflowId;
    await c.complete('handoverPlan', p.vendorPm, {
      ...handoverPlan([session({ plannedAt, assessment: true })]),
    });
    await c.decide('planApproval', p.opsHead, 'approve');
    await c.decide(
      'planAcceptance',
      p.receiver,
      'request_changes',
      'the plan has no fallback for the batch interface',
    );
    const revising = await c.pending('revisePlan');
    expect(revising.stage).toBe('planRevision');
    const risks = [{ risk: 'batch interface fails after takeover', handling: 'vendor on call for 30 days' }];
    await c.complete('revisePlan', p.vendorPm, { risks });
    // The revised plan goes back to the O&M head, then to the receiving unit.
    await c.decide('planApproval', p.opsHead, 'approve');
    await c.decide('planAcceptance', p.receiver, 'approve');

    const transfer = await c.pending('session-1');
    expect(transfer.fields.plan).toMatchObject({ risks, scope: expect.any(String) });
    expect(transfer.fields.planRevisions).toEqual([
      expect.objectContaining({
        comments: ['the plan has no fallback for the batch interface'],
        by: p.vendorPm.id,
      }),
    ]);
    for (const step of transfer.pendingSteps.filter((x) => x.step.startsWith('deliver-'))) {
      await c.complete(step.step, p.vendorPm, f.delivered(`dms://ledger/${step.step}`));
      await c.complete(step.step.replace('deliver-', 'accept-'), p.receiver, f.accepted);
    }

    // The assessment fails: the session is held again on the date given, announced again.
    await stack.env.sleep(2 * day + 3 * 3600_000);
    await c.complete('session-1', p.vendorPm, f.held(plannedAt));
    await c.complete('feedback-1', p.receiver, f.feedback);
    await c.complete('assessment-1', p.receiver, {
      passed: false,
      results: 'two of three could not restore the batch',
      retrainAt,
    });
    const retraining = await c.pending('session-1#2');
    expect(retraining.fields.sessions).toEqual([
      expect.objectContaining({ status: 'planned', plannedAt: retrainAt }),
    ]);
    await stack.env.sleep(7 * day + 3 * 3600_000);
    await c.complete('session-1', p.vendorPm, f.held(retrainAt));
    await c.complete('feedback-1', p.receiver, f.feedback);
    await c.complete('assessment-1', p.receiver, f.passed);

    await c.complete('archiveTransfer', p.vendorPm, f.archive);
    const closed = await c.closed();
    const [kt] = closed.fields.sessions as Array<{
      status: string;
      held: Array<{ assessment: { passed: boolean } }>;
    }>;
    expect(kt.status).toBe('done');
    expect(kt.held.map((h) => h.assessment.passed)).toEqual([false, true]);
    const notices = (await caseEvents(stack.db, caseId)).filter((e) => e.type === 'handover.session-notice');
    expect(notices.map((e) => e.data.round)).toEqual([1, 2]);

    // The owner changed from the business department to the receiving unit, once however often asked.
    const owner = closed.fields.opsOwner as { since: string };
    expect(closed.fields.opsOwner).toMatchObject({
      departmentId: RECEIVING_UNIT,
      previousDepartmentId: BUSINESS_DEPARTMENT,
    });
    const again = await transferSystemOpsOwner(stack.db, {
      systemId: ledger,
      departmentId: RECEIVING_UNIT,
      caseId,
      at: new Date().toISOString(),
      timeZone: 'Asia/Shanghai',
    });
    expect(again).toEqual(closed.fields.opsOwner);
    expect(await listSystemOpsOwners(stack.db, ledger)).toHaveLength(1);
    const system = await stack.db('systems').where({ id: ledger }).first();
    expect(system.ops_owner_department_id).toBe(RECEIVING_UNIT);
    expect(owner.since).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }, 300_000);

  test('a handover its own receiving contact started (before the API refused that) is not stuck: its requester withdraws it', async () => {
    // The API now refuses such a start (422 naming /receivingUnit/contact). One started earlier, or
    // straight through Temporal, waits on an acceptance its contact may not give — not even through
    // a delegate, who decides on the contact's behalf — so its way on is to be withdrawn and
    // started again with another contact (or cancelled by the O&M head).
    const c = new ChangeDriver(
      await startHandover(stack.env.client, stack.taskQueue, handoverRequest(selfStarted), p.receiver.id),
      stack.db,
    );
    await c.complete('handoverPlan', p.vendorPm, { ...handoverPlan([session()]) });
    await c.decide('planApproval', p.opsHead, 'approve');
    expect(await c.refusal(c.decide('planAcceptance', p.receiver, 'approve'))).toMatchObject({
      code: 'SOD_REQUESTER',
    });
    const withdrawn = await c.handle.executeUpdate(withdrawUpdate, {
      args: [
        apiSigned(c.handle.workflowId, 'withdraw', {
          actor: p.receiver,
          reason: 'started by the receiving contact; restarted with another contact',
        }),
      ],
    });
    expect(withdrawn).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
  }, 120_000);

  test('a handover continued as new while its items and sessions run side by side resumes each where it stood', async () => {
    const plannedAt = new Date((await stack.env.currentTimeMs()) + 2 * 24 * 3600_000).toISOString();
    // A tiny history limit: the case continues as new again and again in the middle of the transfer.
    const started = await startHandover(
      stack.env.client,
      stack.taskQueue,
      handoverRequest(archive),
      p.organiser.id,
      150,
    );
    const c = new ChangeDriver(started, stack.db);
    const caseId = c.handle.workflowId;
    await c.complete('handoverPlan', p.vendorPm, { ...handoverPlan([session({ plannedAt })]) });
    await c.decide('planApproval', p.opsHead, 'approve');
    await c.decide('planAcceptance', p.receiver, 'approve');
    const transfer = await c.pending('deliver-design_docs');
    const codes = transfer.pendingSteps
      .filter((x) => x.step.startsWith('deliver-'))
      .map((x) => x.step.slice(8));
    // Out of the order they opened in, so the branches' calls interleave differently from their start.
    for (const code of [...codes].reverse()) {
      await c.complete(`deliver-${code}`, p.vendorPm, f.delivered(`dms://archive/${code}`));
      await c.complete(
        `accept-${code}`,
        p.receiver,
        code === 'design_docs' ? f.returned('unsigned') : f.accepted,
      );
    }
    await c.complete('deliver-design_docs', p.vendorPm, f.delivered('dms://archive/design_docs/signed'));
    await c.complete('accept-design_docs', p.receiver, f.accepted);
    await c.complete('session-1', p.vendorPm, f.held(plannedAt));
    await c.complete('feedback-1', p.receiver, f.feedback);
    await c.complete('archiveTransfer', p.vendorPm, f.archive);
    const closed = await c.closed();

    expect((await c.handle.describe()).runId).not.toBe(started.firstExecutionRunId);
    expect(closed.outcome).toBe('handed_over');
    const deliverables = closed.fields.deliverables as Array<{ status: string; rounds: unknown[] }>;
    expect(deliverables.map((d) => [d.status, d.rounds.length]).sort()).toEqual(
      [...Array(5).fill(['accepted', 1]), ['accepted', 2]].sort(),
    );
    // Nothing done twice across the runs: one notice, one return, each step opened once.
    const events = await caseEvents(stack.db, caseId);
    const opened = events.filter((e) => e.type === 'step.opened').map((e) => String(e.data.step));
    expect(new Set(opened).size).toBe(opened.length);
    expect(events.filter((e) => e.type === 'handover.session-notice')).toHaveLength(1);
    expect(await outbox(caseId, 'handover-deliverable-returned')).toHaveLength(1);
  }, 300_000);
});
