import { getCase } from '../../../db/cases';
import { caseEvents, eventsOfType as eventsOfTypeWithin } from '../../support/cases';
import { useChangeStack } from '../../support/change-stack';
import { eventually } from '../../support/db';
import { releaseStrayTimeSkippingLock } from '../../support/temporal';
import {
  EmergencyDriver,
  emergencyEvent,
  givenEmergencyDirectory,
  responders as who,
  startEmergency,
} from '../../support/emergency-cases';

const MIN = 60_000;
// Several clocks per case and a shared, loaded machine: wait longer than the default.
const eventsOfType = (
  db: Parameters<typeof eventsOfTypeWithin>[0],
  caseId: string,
  type: string,
  count = 1,
) => eventsOfTypeWithin(db, caseId, type, count, 90_000);
const SLOW = 400_000;
const HOUR = 60 * MIN;

/**
 * Emergency response clocks on the time-skipping server (migrations 0008 and 0070): on site —
 * response 15 min, arrival 4 h, resolution 8 h; remote — response 2 h, diagnosis report 4 h.
 * Every ladder: level 1 at the due time to the O&M head and the vendor's PM, level 2 an hour
 * later (15 minutes for the response) to the IT head.
 */
describe('emergency response clocks on the time-skipping server', () => {
  const stack = useChangeStack('emergency');
  beforeAll(() => givenEmergencyDirectory(stack.db));

  const now = () => stack.env.currentTimeMs();
  const sleepUntil = async (instant: number) => {
    await releaseStrayTimeSkippingLock(stack.env);
    await stack.env.sleep(Math.max(0, instant - (await now())));
  };
  // The change directory the stack seeds holds the same roles: count the emergency's own people.
  const outbox = (caseId: string, template: string) =>
    stack
      .db('notification_outbox')
      .where({ case_id: caseId, template })
      .whereLike('recipient_user_id', 'emg-%')
      .orderBy('id');
  const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(5000);
  const milestoneOf = async (caseId: string, name: string) =>
    (await eventsOfType(stack.db, caseId, 'emergency.milestone', 1)).find((e) => e.data.milestone === name);

  async function register(overrides: Parameters<typeof emergencyEvent>[0]) {
    const handle = await startEmergency(stack.env.client, stack.taskQueue, emergencyEvent(overrides));
    const c = new EmergencyDriver(handle, stack.db);
    const opened = await c.pending('dispatch');
    // The step shows in the workflow's view a moment before its opening reaches the read model.
    const row = await eventually(() => getCase(stack.db, handle.workflowId), 'the case in the read model');
    const registeredAt = Date.parse(row.createdAt);
    await c.complete('dispatch', who.duty, { handler: who.handler.id });
    return { c, caseId: handle.workflowId, registeredAt, opened };
  }

  async function reportAndClose(
    c: EmergencyDriver,
    caseId: string,
    actions: Array<Record<string, unknown>> = [],
  ) {
    await c.complete('recoveryReport', who.handler, {
      summary: 'Batch restarted from step 14 after a disk fix',
    });
    await c.decide('recoveryReportApproval', who.opsHead, 'approve', 'report accepted');
    await c.complete('summaryReport', who.handler, {
      cause: 'a full log disk',
      time: 'registered at the monitoring alarm',
      scope: 'end-of-day batch',
      handling: 'disk cleaned, batch restarted',
      recoveryTime: 'see the failure-recovery report',
      improvementActions: actions,
    });
    return caseId;
  }

  test(
    'on site: response at 10 min, arrival at 5 h (escalated at 4 h, level 2 at 5 h), resolution at 7 h',
    async () => {
      const { c, caseId } = await register({ serviceMode: 'onsite', level: 'III' });
      const view = await c.view();
      const dueOf = (step: string) => Date.parse(view.pendingSteps.find((s) => s.step === step)!.dueAt!);
      const arrivalDue = dueOf('arrived');
      const respondDue = dueOf('responded');
      const resolutionDue = dueOf('recovered');
      // The clocks opened together, at registration.
      near(arrivalDue - respondDue, 4 * HOUR - 15 * MIN);
      near(resolutionDue - arrivalDue, 4 * HOUR);
      const t0 = respondDue - 15 * MIN;
      expect(view.pendingSteps.find((s) => s.step === 'arrived')!.assignees).toEqual([who.handler.id]);

      await sleepUntil(t0 + 10 * MIN);
      await c.complete('responded', who.handler, { note: 'on my way' });
      await sleepUntil(t0 + HOUR);
      await c.complete('diagnosed', who.handler, {
        cause: 'full log disk',
        diagnosis: 'batch cannot write',
        changeNeeded: false,
      });
      await c.complete('businessCommunication', who.handler, {
        departments: ['retail'],
        confirmedWith: 'retail duty manager',
        summary: 'batch late, branches open normally',
      });

      await sleepUntil(t0 + 5 * HOUR + 5 * MIN);
      const escalated = await eventsOfType(stack.db, caseId, 'sla.escalated', 2);
      const arrivalLadder = escalated.filter((e) => e.data.step === 'arrived');
      expect(arrivalLadder.map((e) => [e.data.level, Date.parse(e.data.scheduledAt as string)])).toEqual([
        [1, arrivalDue],
        [2, arrivalDue + HOUR],
      ]);
      const level1 = await outbox(caseId, 'sla-escalation');
      expect(level1.map((r) => r.recipient_user_id).sort()).toEqual(
        [who.itHead.id, who.opsHead.id, who.vendorPm.id].sort(),
      );
      await c.complete('arrived', who.handler, { note: 'on site, data center B' });

      await sleepUntil(t0 + 7 * HOUR);
      await c.complete('recovered', who.handler, {
        actions: 'disk cleaned, batch restarted',
        result: 'service restored',
      });

      await eventually(
        async () =>
          (await eventsOfType(stack.db, caseId, 'emergency.milestone', 4)).length === 4 ? true : null,
        'milestones',
        90_000,
      );
      expect((await milestoneOf(caseId, 'responded'))!.data).toMatchObject({
        outcome: 'met',
        by: who.handler.id,
        clock: 'onsiteResponse',
      });
      expect((await milestoneOf(caseId, 'arrived'))!.data).toMatchObject({
        outcome: 'missed',
        escalationLevel: 2,
        clock: 'onsiteArrival',
      });
      expect((await milestoneOf(caseId, 'recovered'))!.data).toMatchObject({
        outcome: 'met',
        clock: 'onsiteResolution',
      });
      // No clock but the arrival's escalated.
      expect(new Set(escalated.map((e) => e.data.step))).toEqual(new Set(['arrived']));

      // The failure-recovery report, pre-filled from the milestones.
      await c.pending('recoveryReport');
      const draft = (await c.view()).fields.recoveryReportDraft as Record<string, unknown>;
      near(Date.parse(draft.repairedAt as string), t0 + 7 * HOUR);
      expect(draft.recoveryMinutes).toBeGreaterThanOrEqual(7 * 60 - 1);
      expect(draft.result).toBe('service restored');
      await reportAndClose(c, caseId);
      const closed = await c.closed();
      expect(closed.outcome).toBe('recovered');
      expect(closed.fields.recoveryReport).toMatchObject({
        summary: 'Batch restarted from step 14 after a disk fix',
        result: 'service restored',
      });
      expect(closed.fields.recoveryReportApproval).toMatchObject({ outcome: 'approved', by: who.opsHead.id });
      const row = await getCase(stack.db, caseId);
      expect(row!.fields).toMatchObject({
        milestones: { arrived: { outcome: 'missed' }, responded: { outcome: 'met' } },
      });
    },
    SLOW,
  );

  test(
    'remote: diagnosed within 4 h (entered offline with its real time), no clock warns or escalates',
    async () => {
      const { c, caseId } = await register({ serviceMode: 'remote', level: 'IV', detectedBy: 'user_report' });
      const t0 =
        Date.parse((await c.view()).pendingSteps.find((s) => s.step === 'responded')!.dueAt!) - 2 * HOUR;
      await sleepUntil(t0 + 30 * MIN);
      await c.complete('responded', who.handler, { note: 'hotline call taken' });
      // The diagnosis was phoned in at 2 h and entered at 2 h 30 with the call log.
      await sleepUntil(t0 + 2 * HOUR + 30 * MIN);
      const diagnosedAt = new Date(t0 + 2 * HOUR).toISOString();
      await c.completeOffline(
        'diagnosed',
        who.handler,
        { cause: 'expired certificate', diagnosis: 'TLS handshake fails', changeNeeded: false },
        diagnosedAt,
        'hotline-2027-0117',
      );
      await c.complete('businessCommunication', who.handler, {
        departments: ['cards'],
        confirmedWith: 'cards',
        summary: 'told',
      });
      await c.complete('recovered', who.handler, { actions: 'certificate renewed', result: 'restored' });
      const diagnosed = await milestoneOf(caseId, 'diagnosed');
      expect(diagnosed!.data).toMatchObject({
        outcome: 'met',
        channel: 'offline',
        evidenceRef: 'hotline-2027-0117',
        clock: 'diagnosisReport',
      });
      expect(diagnosed!.channel).toBe('offline');
      expect(diagnosed!.occurred_at.toISOString()).toBe(diagnosedAt);
      await reportAndClose(c, caseId);
      await c.closed();
      const sla = (await caseEvents(stack.db, caseId)).filter((e) => e.type.startsWith('sla.'));
      expect(sla).toEqual([]);
      expect(await outbox(caseId, 'sla-escalation')).toEqual([]);
    },
    SLOW,
  );

  test(
    'raising the level re-plans the open clocks and tells the command group once',
    async () => {
      const { c, caseId } = await register({ serviceMode: 'onsite', level: 'III' });
      const before = await c.view();
      const due = (v: typeof before, step: string) =>
        Date.parse(v.pendingSteps.find((s) => s.step === step)!.dueAt!);
      const t0 = due(before, 'arrived') - 4 * HOUR;
      expect(await outbox(caseId, 'emergency-command-group')).toEqual([]);
      await c.complete('responded', who.handler, {});
      await sleepUntil(t0 + HOUR);
      await c.raiseLevel('I', who.opsHead, 'second data center affected');
      const after = await c.view();
      // Level I: arrival 2 h, resolution 4 h from registration; the hour consumed stays consumed.
      expect(after.priority).toBe('I');
      expect(due(after, 'arrived')).toBe(due(before, 'arrived') - 2 * HOUR);
      expect(due(after, 'recovered')).toBe(due(before, 'recovered') - 4 * HOUR);
      await eventsOfType(stack.db, caseId, 'emergency.level-changed', 1);
      const told = await eventually(
        async () => {
          const rows = await outbox(caseId, 'emergency-level-raised');
          return rows.length === 3 ? rows : null;
        },
        'command group told',
        90_000,
      );
      expect(told.map((r) => r.recipient_user_id).sort()).toEqual(
        [who.itHead.id, who.opsHead.id, who.vendorPm.id].sort(),
      );
      // Later activity does not tell them again.
      await sleepUntil(t0 + 2 * HOUR + MIN);
      await eventsOfType(stack.db, caseId, 'sla.overdue', 1);
      expect(await outbox(caseId, 'emergency-level-raised')).toHaveLength(3);
      expect(
        (await caseEvents(stack.db, caseId)).filter((e) => e.type === 'emergency.level-changed'),
      ).toHaveLength(1);
      const row = await getCase(stack.db, caseId);
      expect(row!.priority).toBe('I');
      await c.handle.terminate('test done');
    },
    SLOW,
  );

  test(
    'a major outage convenes the command group at once and opens a linked emergency change',
    async () => {
      const { c, caseId } = await register({
        serviceMode: 'remote',
        level: 'I',
        affectedSystems: ['payments'],
      });
      const convened = await eventually(
        async () => {
          const rows = await outbox(caseId, 'emergency-command-group');
          return rows.length === 3 ? rows : null;
        },
        'command group convened',
        90_000,
      );
      expect(convened.map((r) => r.recipient_user_id).sort()).toEqual(
        [who.itHead.id, who.opsHead.id, who.vendorPm.id].sort(),
      );
      await c.complete('responded', who.handler, {});
      await c.complete('diagnosed', who.handler, {
        cause: 'corrupt routing table',
        diagnosis: 'payments cannot reach the clearing house',
        changeNeeded: true,
        changeDescription: 'Reload the routing table from the last good configuration',
      });
      const opened = await eventsOfType(stack.db, caseId, 'emergency.change-opened', 1);
      const changeId = opened[0].data.changeId as string;
      expect(changeId).toMatch(/^CHG-\d{4}-\d{6}$/);
      const change = await eventually(
        () => getCase(stack.db, changeId),
        `${changeId} in the read model`,
        90_000,
      );
      expect(change).toMatchObject({
        process: 'change',
        priority: 'emergency',
        system: 'payments',
        state: 'open',
      });
      expect((await stack.env.client.workflow.getHandle(changeId).describe()).status.name).toBe('RUNNING');
      expect((await c.view()).fields.linkedChange).toBe(changeId);
      expect((await outbox(caseId, 'emergency-change-opened')).map((r) => r.recipient_user_id)).toEqual([
        who.opsHead.id,
      ]);
      await stack.env.client.workflow.getHandle(changeId).terminate('test done');
      await c.handle.terminate('test done');
    },
    SLOW,
  );

  test(
    'improvement actions are owned, due on their dates and chased until done',
    async () => {
      const { c, caseId } = await register({ serviceMode: 'remote', level: 'IV' });
      await c.complete('responded', who.handler, {});
      await c.complete('diagnosed', who.handler, { cause: 'c', diagnosis: 'd', changeNeeded: false });
      await c.complete('businessCommunication', who.handler, {
        departments: [],
        confirmedWith: 'nobody',
        summary: 's',
      });
      await c.complete('recovered', who.handler, { actions: 'a', result: 'restored' });
      await c.complete('recoveryReport', who.handler, { summary: 'first draft' });
      await c.decide('recoveryReportApproval', who.opsHead, 'request_changes', 'add the root cause');
      await c.complete('recoveryReport#2', who.handler, {
        summary: 'full log disk; cleaned; batch restarted',
      });
      await c.decide('recoveryReportApproval#2', who.opsHead, 'approve');
      const t = await now();
      const dueAt = new Date(t + 3 * 24 * HOUR).toISOString();
      await c.complete('summaryReport', who.handler, {
        cause: 'a full log disk',
        time: 'night',
        scope: 'batch',
        handling: 'cleaned',
        recoveryTime: '3 h',
        improvementActions: [
          { action: 'Alarm at 80 % disk use', owner: who.owner.id, dueAt },
          { action: 'Rotate batch logs daily', owner: who.handler.id, dueAt },
        ],
      });
      const view = await c.pending('improvementAction#2');
      expect(
        view.pendingSteps
          .map((s) => [s.step, s.assignees, s.dueAt])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      ).toEqual([
        ['improvementAction', [who.owner.id], dueAt],
        ['improvementAction#2', [who.handler.id], dueAt],
      ]);
      await c.complete('improvementAction#2', who.handler, { outcome: 'logrotate configured' });
      await sleepUntil(Date.parse(dueAt) + MIN);
      const chased = await eventsOfType(stack.db, caseId, 'sla.escalated', 1);
      expect(chased[0].data.step).toBe('improvementAction');
      expect((await c.view()).status).toBe('open');
      await c.complete('improvementAction', who.owner, { outcome: 'alarm added', evidenceRef: 'MON-55' });
      const closed = await c.closed();
      expect(closed.fields.improvementActions).toEqual([
        expect.objectContaining({ owner: who.owner.id, outcome: 'alarm added', doneBy: who.owner.id }),
        expect.objectContaining({ owner: who.handler.id, outcome: 'logrotate configured' }),
      ]);
      expect(closed.fields.recoveryReport).toMatchObject({
        summary: 'full log disk; cleaned; batch restarted',
      });
    },
    SLOW,
  );
});
