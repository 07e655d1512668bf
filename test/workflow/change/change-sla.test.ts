import { getCase } from '../../../db/cases';
import { caseEvents, eventsOfType } from '../../support/cases';
import { ChangeDriver, changeRequest, forms, people, startChange } from '../../support/change-cases';
import { useChangeStack } from '../../support/change-stack';
import { eventually } from '../../support/db';

/**
 * The change policies of migration 0011 on the default calendar (09:00–12:00, 13:30–17:30,
 * Monday to Friday, Asia/Shanghai). Each case starts on a Sunday evening, so its working clock
 * starts at Monday 09:00 whatever second the step opened, and the expected instants are exact.
 */
const shanghai = (local: string) => Date.parse(`${local}+08:00`);
const scheduled = (row: { data: Record<string, unknown> }) => Date.parse(row.data.scheduledAt as string);

describe('change SLA ladders on the time-skipping server', () => {
  const stack = useChangeStack('sla');

  const sleepUntil = async (instant: number) => stack.env.sleep(instant - (await stack.env.currentTimeMs()));
  const slaEvents = async (caseId: string, step: string) =>
    (await caseEvents(stack.db, caseId)).filter((e) => e.type.startsWith('sla.') && e.data.step === step);

  test('an emergency change authorised verbally goes live, then its missing paperwork is chased up the ladder and marked unauthorised', async () => {
    await sleepUntil(shanghai('2027-02-28T20:00:00'));
    const c = new ChangeDriver(
      await startChange(
        stack.env.client,
        stack.taskQueue,
        changeRequest({
          urgency: 'emergency',
          changeType: 'defect_fix',
          source: 'incident',
          affectedSystems: ['core-sla'],
        }),
        people.headRequester.id,
      ),
      stack.db,
    );
    // 001 §23: a verbal authorisation, recorded afterwards with when it was given and what proves it.
    const toldAt = new Date((await stack.env.currentTimeMs()) - 10 * 60_000).toISOString();
    const withoutEvidence = await c.refusal(
      c.decide('emergencyAuthorisation', people.opsHead, 'approve', 'go ahead', {
        channel: 'offline',
        occurredAt: toldAt,
      }),
    );
    expect(withoutEvidence.code).toBe('EVIDENCE_REQUIRED');
    await c.decide('emergencyAuthorisation', people.opsHead, 'approve', 'go ahead, by phone', {
      channel: 'offline',
      occurredAt: toldAt,
      evidenceRef: 'duty-log-2027-0228-3',
    });
    await c.complete(
      'scheduling',
      people.opsEngineer,
      forms.schedule({ windowStart: '2027-02-28T20:30:00+08:00', windowEnd: '2027-02-28T21:30:00+08:00' }),
    );
    // The implementation opens as the window begins and reports what has happened by then (issue 9.2).
    await sleepUntil(shanghai('2027-02-28T21:00:00'));
    await c.complete(
      'implementation',
      people.implementer,
      forms.implementation({
        startedAt: '2027-02-28T20:30:00+08:00',
        finishedAt: '2027-02-28T21:00:00+08:00',
      }),
    );
    await c.complete('completedChangeForm', people.headRequester, {
      formCompleted: true,
      signedBy: people.headRequester.id,
    });
    await c.complete('backupConfirmation', people.opsEngineer, {
      programBackupRef: 'BK-P-9',
      dataBackupRef: 'BK-D-9',
    });
    await c.complete('jointReview', people.opsHead, {
      log: 'hotfix 20:30–21:00',
      opsSignedBy: people.opsHead.id,
      requesterSignedBy: people.headRequester.id,
      goalMet: true,
      negativeEffects: '',
    });

    // Two working days for the signed test results: warning at 75 %, overdue at the due time (17:30, the end
    // of Tuesday's working hours), level 1 "PT0S after" at that same instant, and level 2 one working day
    // later — Wednesday's working hours, so Wednesday 17:30.
    await sleepUntil(shanghai('2027-03-03T18:00:00'));
    const ladder = await eventsOfType(stack.db, c.handle.workflowId, 'sla.escalated', 2);
    const chased = await slaEvents(c.handle.workflowId, 'signedTestResults');
    expect(chased.map((e) => [e.type, e.data.level ?? null, scheduled(e)])).toEqual([
      ['sla.warning', null, shanghai('2027-03-02T14:00:00')],
      ['sla.overdue', null, shanghai('2027-03-02T17:30:00')],
      ['sla.escalated', 1, shanghai('2027-03-02T17:30:00')],
      ['sla.escalated', 2, shanghai('2027-03-03T17:30:00')],
    ]);
    expect(ladder.every((e) => e.data.step === 'signedTestResults')).toBe(true);
    const told = await stack
      .db('notification_outbox')
      .where({ case_id: c.handle.workflowId, template: 'sla-escalation' })
      .orderBy('id');
    // Level 1 tells the O&M head and the department heads who may read the case — the requester's
    // department's, not customer service's (db/case-access.ts) — level 2 the IT head.
    expect(new Set(told.map((n) => n.recipient_user_id))).toEqual(
      new Set([people.opsHead.id, people.departmentHead.id, people.headRequester.id, people.itHead.id]),
    );

    // Missing past its due time: the change is reported unauthorised, and it is still open.
    const [unauthorised] = await eventsOfType(stack.db, c.handle.workflowId, 'change.unauthorised');
    expect(unauthorised.data.missing).toEqual(['signedTestResults']);
    expect(unauthorised.occurred_at.getTime() - shanghai('2027-03-02T17:30:00')).toBeLessThan(1000);
    const open = (await getCase(stack.db, c.handle.workflowId))!;
    expect(open).toMatchObject({
      state: 'open',
      stage: 'paperwork',
      overdue: true,
      fields: { unauthorised: true },
    });

    await c.complete('signedTestResults', people.tester, forms.testReport);
    const view = await c.closed();
    expect(view).toMatchObject({ status: 'closed', outcome: 'succeeded' });
    const closed = await eventually(async () => {
      const row = await getCase(stack.db, c.handle.workflowId);
      return row?.state === 'closed' ? row : null;
    }, 'the closed case in the read model');
    expect(closed).toMatchObject({
      state: 'closed',
      fields: {
        unauthorised: true,
        paperworkComplete: true,
        authorisation: { channel: 'offline', evidenceRef: 'duty-log-2027-0228-3', occurredAt: toldAt },
      },
    });
    const trail = (await caseEvents(stack.db, c.handle.workflowId)).map((e) => e.type);
    expect(trail.indexOf('case.closed')).toBeGreaterThan(trail.lastIndexOf('task.completed'));
  });

  test('a department head doing nothing is warned at 75 %, escalated at the due time and to the next level after its interval', async () => {
    await sleepUntil(shanghai('2027-03-14T20:00:00'));
    const c = new ChangeDriver(
      await startChange(stack.env.client, stack.taskQueue, changeRequest({ affectedSystems: ['crm-sla'] })),
      stack.db,
    );
    const [opened] = await eventsOfType(stack.db, c.handle.workflowId, 'step.opened');
    expect(opened.data).toMatchObject({
      step: 'departmentHeadApproval',
      policyId: 'change.departmentHeadApproval',
      dueAt: new Date(shanghai('2027-03-16T10:00:00')).toISOString(),
    });

    await sleepUntil(shanghai('2027-03-16T16:00:00'));
    await eventsOfType(stack.db, c.handle.workflowId, 'sla.escalated', 2);
    const ladder = await slaEvents(c.handle.workflowId, 'departmentHeadApproval');
    // Eight working hours from Monday 09:00 (7 on Monday, 1 on Tuesday): warning after 6 working hours,
    // overdue and level 1 at the due time, level 2 four working hours later (10–12, 13:30–15:30).
    expect(ladder.map((e) => [e.type, e.data.level ?? null, scheduled(e)])).toEqual([
      ['sla.warning', null, shanghai('2027-03-15T16:30:00')],
      ['sla.overdue', null, shanghai('2027-03-16T10:00:00')],
      ['sla.escalated', 1, shanghai('2027-03-16T10:00:00')],
      ['sla.escalated', 2, shanghai('2027-03-16T15:30:00')],
    ]);
    // Each fired when it was planned: a timer completes milliseconds after its instant, never before.
    for (const e of ladder) expect(e.occurred_at.getTime() - scheduled(e)).toBeGreaterThanOrEqual(0);
    for (const e of ladder) expect(e.occurred_at.getTime() - scheduled(e)).toBeLessThan(1000);
    const overdue = (await getCase(stack.db, c.handle.workflowId))!;
    expect(overdue).toMatchObject({ state: 'open', stage: 'departmentHeadApproval', overdue: true });
    const itHeadTold = await stack.db('notification_outbox').where({
      case_id: c.handle.workflowId,
      template: 'sla-escalation',
      recipient_user_id: people.itHead.id,
    });
    expect(itHeadTold).toHaveLength(1);

    await c.decide('departmentHeadApproval', people.departmentHead, 'reject', 'Too late for this quarter');
    expect((await c.closed()).outcome).toBe('rejected');
  });
});
