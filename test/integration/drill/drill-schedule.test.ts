/**
 * The annual drill schedule on the dev server: a `drill_schedules` row becomes the Temporal
 * Schedule `drill-<id>` (created once however often the worker starts), which opens the drill case
 * with a case number of its own; the drill runs through its plan, approval, timed steps, report
 * and plan revisions, each step's elapsed time measured against the plan.
 */
import { getCase } from '../../../db/cases';
import { caseEvents, uniqueProcess } from '../../support/cases';
import { ChangeDriver } from '../../support/change-cases';
import { eventually } from '../../support/db';
import { givenEmergencyDirectory, responders as who } from '../../support/emergency-cases';
import { useDevServerWorker } from '../../support/temporal';
import { drillScheduleId, ensureDrillSchedules } from '../../../runtime/drill-schedules';

const ctx = useDevServerWorker(uniqueProcess('drill-queue'));

test('a drill from the schedule through its timed steps to its report, with the measured step times', async () => {
  await givenEmergencyDirectory(ctx.db);
  const id = uniqueProcess('core');
  await ctx.db('drill_schedules').insert({
    id,
    system: 'core-banking',
    title: 'Annual drill: core banking fail-over',
    emergency_plan: 'EP-CORE-07 data center fail-over',
    cron: '0 9 15 3 *',
    time_zone: 'Asia/Shanghai',
    requester: who.owner.id,
  });
  const scheduleId = drillScheduleId({ id });
  try {
    // Idempotent: a second worker start finds it and changes nothing.
    expect(await ensureDrillSchedules(ctx.client, ctx.db, ctx.taskQueue)).toContain(scheduleId);
    expect(await ensureDrillSchedules(ctx.client, ctx.db, ctx.taskQueue)).toContain(scheduleId);
    const schedule = ctx.client.schedule.getHandle(scheduleId);
    const described = await schedule.describe();
    // Next on 15 March, 09:00 in Shanghai.
    const next = described.info.nextActionTimes[0];
    expect(next.toISOString()).toMatch(/-03-15T01:00:00\.000Z$/);
    let listed = false;
    for await (const s of ctx.client.schedule.list()) if (s.scheduleId === scheduleId) listed = true;
    expect(listed).toBe(true);

    // The day comes (triggered now rather than waiting for March).
    await schedule.trigger();
    const action = await eventually(
      async () => (await schedule.describe()).info.recentActions[0],
      'a scheduled run',
    );
    const opener = ctx.client.workflow.getHandle(action.action.workflow.workflowId);
    const { caseId } = (await opener.result()) as { caseId: string };
    expect(caseId).toMatch(/^DRL-\d{4}-\d{6}$/);
    const c = new ChangeDriver(ctx.client.workflow.getHandle(caseId), ctx.db);

    await c.complete('drillPlan', who.duty, {
      goal: 'Core banking resumes in data center B within 60 minutes',
      scenario: 'Data center A loses power',
      method: 'Live fail-over in the maintenance window',
      participants: [who.duty.id, who.handler.id, who.owner.id],
      scheduledStart: '2027-03-15T22:00:00+08:00',
      place: 'Data center B operations room',
      emergencyPlan: 'EP-CORE-07',
      steps: [
        { name: 'Declare the drill and freeze changes', operator: who.duty.id, plannedMinutes: 5 },
        { name: 'Switch the database to the standby', operator: who.handler.id, plannedMinutes: 20 },
      ],
    });
    await c.decide('drillPlanApproval', who.opsHead, 'approve', 'go ahead');
    await c.complete('drillStep', who.duty, {
      startedAt: '2027-03-15T22:00:00+08:00',
      finishedAt: '2027-03-15T22:04:30+08:00',
      evidenceRef: 'drill-log-1',
    });
    await c.complete('drillStep#2', who.handler, {
      startedAt: '2027-03-15T22:04:30+08:00',
      finishedAt: '2027-03-15T22:31:00+08:00',
      evidenceRef: 'drill-log-2',
      note: 'standby catch-up slower than planned',
    });
    await c.complete('drillReport', who.duty, {
      findings: 'The standby needed 26.5 minutes to catch up, 6.5 more than planned',
      result: 'passed_with_findings',
      planRevisions: [
        {
          revision: 'Raise the standby apply rate before switching',
          owner: who.owner.id,
          dueAt: '2099-04-15T18:00:00+08:00',
        },
      ],
    });
    await c.complete('planRevision', who.owner, { outcome: 'EP-CORE-07 v8 issued', planVersion: 'v8' });
    const closed = await c.closed();

    expect(closed.outcome).toBe('passed_with_findings');
    expect(closed.fields.stepTimes).toEqual([
      expect.objectContaining({
        operator: who.duty.id,
        plannedMinutes: 5,
        actualMinutes: 4.5,
        withinPlan: true,
        evidenceRef: 'drill-log-1',
      }),
      expect.objectContaining({
        operator: who.handler.id,
        plannedMinutes: 20,
        actualMinutes: 26.5,
        overrunMinutes: 6.5,
        withinPlan: false,
      }),
    ]);
    expect(closed.fields.planRevisions).toEqual([
      expect.objectContaining({ owner: who.owner.id, outcome: 'EP-CORE-07 v8 issued', doneBy: who.owner.id }),
    ]);
    const row = await getCase(ctx.db, caseId);
    expect(row).toMatchObject({
      process: 'drill',
      system: 'core-banking',
      state: 'closed',
      requester: who.owner.id,
    });
    const events = (await caseEvents(ctx.db, caseId)).map((e) => e.type);
    expect(events.filter((t) => t === 'task.completed')).toHaveLength(5);
  } finally {
    await ctx.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
    await ctx.db('drill_schedules').where({ id }).delete();
    await ctx.db('periodic_jobs').where({ id: scheduleId }).delete();
  }
});
