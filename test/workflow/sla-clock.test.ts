import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { decideUpdate, pauseClockUpdate, resumeClockUpdate } from '../../workflows/contracts/messages';
import type { ApprovalSpec } from '../../workflows/kernel';
import type { Knex } from 'knex';
import { saveCalendar } from '../../db/calendars';
import {
  caseEvents,
  caseInput,
  eventsOfType,
  givenPolicy,
  startAccessRequest,
  uniqueProcess,
} from '../support/cases';
import { testDb } from '../support/db';
import { createTestWorker, timeSkippingEnvironment } from '../support/temporal';

const HOUR = 3600_000;
const at = (row: { occurred_at: Date }) => row.occurred_at.getTime();
const scheduled = (row: { data: Record<string, unknown> }) => Date.parse(row.data.scheduledAt as string);
/** A timer starts when the workflow task that set it completes: milliseconds after the plan, never before. */
const firedOnTime = (row: { occurred_at: Date; data: Record<string, unknown> }) => {
  const late = at(row) - scheduled(row);
  return late >= 0 && late < 1000;
};

describe('SLA clock on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let db: Knex;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = 'sla-clock';

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    db = testDb();
  });
  afterAll(async () => {
    await db?.destroy();
    await env?.teardown();
  });

  async function startWorker() {
    worker = await createTestWorker({ connection: env.nativeConnection, taskQueue, db });
    running = worker.run();
  }
  async function stopWorker() {
    worker.shutdown();
    await running;
  }

  test('warning, overdue and each escalation level fire exactly when the elapsed policy says', async () => {
    const process = uniqueProcess('elapsed');
    await givenPolicy(db, process, { duration: 'PT4H', warnRatio: 0.75 });
    await startWorker();
    try {
      const handle = await startAccessRequest(env.client, taskQueue, caseInput(process));
      const [opened] = await eventsOfType(db, handle.workflowId, 'step.opened');
      await env.sleep(7 * HOUR);
      const [warning] = await eventsOfType(db, handle.workflowId, 'sla.warning');
      const [overdue] = await eventsOfType(db, handle.workflowId, 'sla.overdue');
      const levels = await eventsOfType(db, handle.workflowId, 'sla.escalated', 2);

      expect(scheduled(warning) - at(opened)).toBe(3 * HOUR);
      expect(scheduled(overdue) - at(opened)).toBe(4 * HOUR);
      expect(levels.map((l) => [l.data.level, scheduled(l) - at(opened)])).toEqual([
        [1, 4 * HOUR],
        [2, 6 * HOUR],
      ]);
      for (const fired of [warning, overdue, ...levels]) expect(firedOnTime(fired)).toBe(true);
      const order = (await caseEvents(db, handle.workflowId))
        .filter((e) => e.type.startsWith('sla.'))
        .map((e) => e.type);
      expect(order).toEqual(['sla.warning', 'sla.overdue', 'sla.escalated', 'sla.escalated']);
    } finally {
      await stopWorker();
    }
  });

  test('a working-time due date skips the weekend and counts a make-up Sunday as a working day', async () => {
    const process = uniqueProcess('working');
    const calendarId = `${process}-cal`;
    // Friday 2027-03-05 16:00 in Shanghai; Sunday 03-07 is a make-up working day, Monday 03-08 a holiday.
    await saveCalendar(db, {
      id: calendarId,
      name: 'test calendar',
      timeZone: 'Asia/Shanghai',
      workingHours: [
        { start: '09:00', end: '12:00' },
        { start: '13:30', end: '17:30' },
      ],
      weekendDays: [6, 7],
      holidays: ['2027-03-08'],
      makeUpWorkdays: ['2027-03-07'],
    });
    await givenPolicy(db, process, {
      basis: 'working',
      duration: 'P1D', // one working day = 7 working hours on this calendar
      warnRatio: null,
      calendarId,
      escalation: [{ level: 1, after: 'PT1H', notify: [{ role: 'ops_head' }] }],
    });
    const fridayFourPm = Date.parse('2027-03-05T16:00:00+08:00');
    await env.sleep(fridayFourPm - (await env.currentTimeMs()));
    await startWorker();
    try {
      const handle = await startAccessRequest(env.client, taskQueue, caseInput(process));
      const [opened] = await eventsOfType(db, handle.workflowId, 'step.opened');
      // Starting the worker takes a moment of (locked) server time: measure from when the step opened.
      const lateStart = at(opened) - fridayFourPm;
      expect(lateStart).toBeLessThan(60_000);
      // Friday 16:00–17:30 is 1.5 h; the rest (5.5 h) on Sunday: 09–12 and 13:30–16:00. Monday is a holiday.
      const sundayFourPm = Date.parse('2027-03-07T16:00:00+08:00');
      expect(Date.parse(opened.data.dueAt as string)).toBe(sundayFourPm + lateStart);
      await env.sleep(Date.parse('2027-03-07T18:00:00+08:00') - (await env.currentTimeMs()));
      const [overdue] = await eventsOfType(db, handle.workflowId, 'sla.overdue');
      const [level1] = await eventsOfType(db, handle.workflowId, 'sla.escalated');
      expect(scheduled(overdue)).toBe(sundayFourPm + lateStart);
      // One working hour after the due time: 16:00–17:00 the same Sunday.
      expect(scheduled(level1)).toBe(Date.parse('2027-03-07T17:00:00+08:00') + lateStart);
      expect(firedOnTime(overdue) && firedOnTime(level1)).toBe(true);
    } finally {
      await stopWorker();
    }
  });

  test('a working-days due time is close of business on the Nth working day after the start day', async () => {
    const process = uniqueProcess('working-days');
    const calendar = {
      id: `${process}-cal`,
      name: 'test calendar',
      timeZone: 'Asia/Shanghai',
      workingHours: [
        { start: '09:00', end: '12:00' },
        { start: '13:30', end: '17:30' },
      ],
      weekendDays: [6, 7],
      // Thursday 2027-04-01 is the start day; Friday and Monday are holidays, Sunday a make-up day.
      holidays: ['2027-04-02', '2027-04-05'],
      makeUpWorkdays: ['2027-04-04'],
      holidaysThrough: 2027,
    };
    await saveCalendar(db, calendar);
    await givenPolicy(db, process, {
      basis: 'working-days',
      duration: 'P2D',
      warnRatio: null,
      calendarId: calendar.id,
      escalation: [{ level: 1, after: 'P1D', notify: [{ role: 'ops_head' }] }],
    });
    // The same calendar without holiday data for 2027: the due time there is recorded as a gap.
    const uncovered = uniqueProcess('uncovered');
    await saveCalendar(db, {
      ...calendar,
      id: `${uncovered}-cal`,
      holidays: [],
      makeUpWorkdays: [],
      holidaysThrough: 2026,
    });
    await givenPolicy(db, uncovered, {
      basis: 'working-days',
      duration: 'P2D',
      calendarId: `${uncovered}-cal`,
    });
    await env.sleep(Date.parse('2027-04-01T10:00:00+08:00') - (await env.currentTimeMs()));
    await startWorker();
    try {
      const handle = await startAccessRequest(env.client, taskQueue, caseInput(process));
      const [opened] = await eventsOfType(db, handle.workflowId, 'step.opened');
      // Day 1 is the make-up Sunday, day 2 Tuesday: due Tuesday 17:30, whatever minute the step opened.
      const tuesdayClose = Date.parse('2027-04-06T17:30:00+08:00');
      expect(Date.parse(opened.data.dueAt as string)).toBe(tuesdayClose);

      const gapCase = await startAccessRequest(env.client, taskQueue, caseInput(uncovered));
      const [gap] = await eventsOfType(db, gapCase.workflowId, 'calendar.holiday-data-missing');
      expect(gap.data).toMatchObject({
        calendarId: `${uncovered}-cal`,
        holidaysThrough: 2026,
        reachedYear: 2027,
      });
      const noted = await db('calendar_holiday_gaps').where({ calendar_id: `${uncovered}-cal` });
      expect(noted.map((r) => [r.year, r.first_case_id])).toEqual([[2027, gapCase.workflowId]]);

      await env.sleep(Date.parse('2027-04-07T18:00:00+08:00') - (await env.currentTimeMs()));
      const [overdue] = await eventsOfType(db, handle.workflowId, 'sla.overdue');
      const [level1] = await eventsOfType(db, handle.workflowId, 'sla.escalated');
      expect(scheduled(overdue)).toBe(tuesdayClose);
      // One working day after the due time: close of business on Wednesday.
      expect(scheduled(level1)).toBe(Date.parse('2027-04-07T17:30:00+08:00'));
      expect(firedOnTime(overdue) && firedOnTime(level1)).toBe(true);
      const types = (await caseEvents(db, handle.workflowId)).map((e) => e.type);
      expect(types).not.toContain('calendar.holiday-data-missing');
    } finally {
      await stopWorker();
    }
  });

  test('pausing the clock stops it, and resuming moves the due time by the time paused', async () => {
    const process = uniqueProcess('paused');
    await givenPolicy(db, process, { duration: 'PT4H', warnRatio: null, escalation: [] });
    await startWorker();
    try {
      const handle = await startAccessRequest(env.client, taskQueue, caseInput(process));
      const [opened] = await eventsOfType(db, handle.workflowId, 'step.opened');
      const clock = { step: 'departmentHeadApproval', actor: { id: 'u-ops-head', roles: ['ops_head'] } };
      await env.sleep(1 * HOUR);
      await handle.executeUpdate(pauseClockUpdate, {
        args: [{ ...clock, reason: 'waiting for the requester' }],
      });
      await env.sleep(5 * HOUR); // the original due time (+4 h) passes while paused
      expect((await caseEvents(db, handle.workflowId)).some((e) => e.type === 'sla.overdue')).toBe(false);
      const resumed = await handle.executeUpdate(resumeClockUpdate, {
        args: [{ ...clock, reason: 'answer received' }],
      });
      const pausedFor = Date.parse(resumed.pendingSteps[0].dueAt!) - Date.parse(opened.data.dueAt as string);
      expect(Math.abs(pausedFor - 5 * HOUR)).toBeLessThan(60_000);
      await env.sleep(4 * HOUR);
      const [overdue] = await eventsOfType(db, handle.workflowId, 'sla.overdue');
      expect(scheduled(overdue)).toBe(Date.parse(resumed.pendingSteps[0].dueAt!));
      expect(firedOnTime(overdue)).toBe(true);
    } finally {
      await stopWorker();
    }
  });

  test('quorum, veto and separation of duties decide the same way on the time-skipping server', async () => {
    const process = uniqueProcess('gate-ts');
    await givenPolicy(db, process, {});
    await startWorker();
    try {
      const start = (spec: ApprovalSpec, suffix: string) => {
        const input = caseInput(process, { caseId: `${process.toUpperCase()}-${suffix}` });
        return env.client.workflow.start('gateUnderTest', {
          taskQueue,
          workflowId: input.caseId,
          args: [input, spec],
        });
      };
      const cab = (n: number) => ({ id: `u-cab-${n}`, roles: ['cab'] });
      const decide = (
        handle: WorkflowHandle,
        actor: { id: string; roles: string[] },
        decision: 'approve' | 'reject',
        comment?: string,
      ) =>
        handle.executeUpdate(decideUpdate, {
          args: [{ step: 'cab', decision, actor, comment, channel: 'api' as const }],
        });
      const refusedWith = async (attempt: Promise<unknown>) =>
        attempt.then(
          () => 'accepted',
          (err: unknown) =>
            err instanceof WorkflowUpdateFailedError ? (err.cause as { type?: string }).type : 'other',
        );
      const board: ApprovalSpec = {
        step: 'cab',
        title: 'Change advisory board',
        levels: [{ approvers: ['role:cab', 'role:cab', 'role:cab'], mode: 'quorum', quorum: { count: 2 } }],
        vetoers: ['role:security_officer'],
      };

      const quorum = await start(board, 'Q');
      await eventsOfType(db, quorum.workflowId, 'step.opened');
      expect(await refusedWith(decide(quorum, { id: 'u-requester', roles: ['cab'] }, 'approve'))).toBe(
        'SOD_REQUESTER',
      );
      await decide(quorum, cab(1), 'approve');
      expect(await refusedWith(decide(quorum, cab(1), 'approve'))).toBe('DUPLICATE_DECISION');
      await decide(quorum, cab(2), 'approve');
      expect(await quorum.result()).toMatchObject({ outcome: 'approved' });

      const vetoed = await start(board, 'V');
      await eventsOfType(db, vetoed.workflowId, 'step.opened');
      await decide(vetoed, cab(1), 'approve');
      await decide(vetoed, { id: 'u-sec', roles: ['security_officer'] }, 'reject', 'no rollback plan');
      expect(await vetoed.result()).toMatchObject({ outcome: 'rejected' });
    } finally {
      await stopWorker();
    }
  });
});
