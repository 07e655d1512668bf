/**
 * Emergency response (应急响应), as 004 §8.1 and 003 (七) 1(3), (八) lay it down: the event is
 * registered with its level and service mode, and from that moment its response clocks run in
 * parallel, each a milestone task the kernel times, warns about and escalates; the event is
 * dispatched, investigated and diagnosed, the business is told, the service recovered. The level
 * can be raised at any time (the kernel's priority change): the open clocks are re-planned from
 * the new level's policy and the command group hears of it once. The top levels convene the
 * command group at once; a fix that needs a change opens a linked emergency change. Afterwards the
 * failure-recovery report, pre-filled from the milestones, is approved by the O&M head, and the
 * summary report's improvement actions are chased until done.
 */
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import type { Recipient } from '../contracts/case-records';
import {
  approvalWithRevisions,
  runProcess,
  task,
  type Case,
  type CaseInput,
  type PriorityChange,
  type TaskCompletion,
} from '../kernel';
import { emergencyDefinition } from './definition';
import type { Diagnosis, RecoveryReport } from './forms';
import type { EmergencyEvent } from './request-form';
import * as steps from './steps';

type Level = Awaited<ReturnType<Case['lookup']['emergencyLevels']>>[number];

export async function emergencyResponse(input: CaseInput) {
  return runProcess(emergencyDefinition, input, async (kase, event) => {
    const levels = await kase.lookup.emergencyLevels();
    const level = levels.find((l) => l.code === event.level);
    if (!level) return kase.close('rejected', { reason: `unknown emergency level ${event.level}` });
    const commandGroup: Recipient[] = (await kase.lookup.emergencyCommandGroup()).map((r) => ({ role: r }));
    kase.onPriorityChanged((change) => levelRaised(kase, levels, commandGroup, change));

    // 003 (八) 3, 002 §6.6.3.1 g: a major outage convenes the emergency command group at once.
    if (level.convenesCommandGroup) {
      await kase.record(
        'emergency.command-group-convened',
        { level: level.code, levelName: level.name },
        {
          notify: [
            {
              to: commandGroup,
              template: 'emergency-command-group',
              data: { level: level.code, levelName: level.name, systems: event.affectedSystems },
            },
          ],
        },
      );
    }

    // The clocks start with the registration, all at once.
    await kase.enterStage('dispatch');
    const specs = steps.milestones(event.serviceMode);
    const reached = <F>(name: steps.Milestone, done: Promise<TaskCompletion<F>>) =>
      done.then((completion) => {
        milestoneReached(kase, name, completion);
        return completion;
      });
    const responded = reached('responded', task(kase, specs.responded));
    const arrived = specs.arrived ? reached('arrived', task(kase, specs.arrived)) : null;
    const diagnosed = reached('diagnosed', task(kase, specs.diagnosed));
    const recovered = reached('recovered', task(kase, specs.recovered));

    const dispatched = await task(kase, steps.dispatch);
    const handler = dispatched.form.handler;
    handOver(kase, handler, dispatched.completedBy);
    await kase.setFields({
      handler,
      dispatchedBy: dispatched.completedBy,
      dispatchedAt: dispatched.occurredAt,
    });

    await kase.enterStage('investigation');
    const diagnosis = await diagnosed;
    await kase.setFields({ cause: diagnosis.form.cause, diagnosis: diagnosis.form.diagnosis });
    if (diagnosis.form.changeNeeded) await openEmergencyChange(kase, event, diagnosis.form);

    await kase.enterStage('communication');
    const told = await task(kase, steps.businessCommunication(handler));
    await kase.setFields({ communication: { ...told.form, by: told.completedBy, at: told.occurredAt } });

    await kase.enterStage('handling');
    const recovery = await recovered;
    await Promise.all([responded, arrived]);
    await kase.setFields({ recovery: recovery.form, clocks: kase.state.fields.milestones });

    // 003 (七) 1(3): the failure-recovery report, pre-filled from the recorded milestones.
    await kase.enterStage('recoveryReport');
    const draft = recoveryDraft(kase, event, recovery.form.result);
    await kase.setFields({ recoveryReportDraft: draft });
    let report: RecoveryReport = draft;
    const writeReport = async () => {
      const written = await task(kase, steps.recoveryReport(handler));
      report = { ...report, ...written.form };
      await kase.setFields({ recoveryReport: report, recoveryReportBy: written.completedBy });
    };
    await writeReport();
    const approved = await approvalWithRevisions(kase, steps.recoveryReportApproval, writeReport);
    const by = approved.decisions[approved.decisions.length - 1];
    await kase.setFields({ recoveryReportApproval: { outcome: approved.outcome, by: by?.actor ?? null } });

    // 004 §8.1.1 d: the summary report; each improvement action an owned, chased task.
    await kase.enterStage('summaryReport');
    const summary = await task(kase, steps.summaryReport(handler));
    await kase.setFields({ summaryReport: summary.form });
    await kase.enterStage('improvement');
    const actions = await Promise.all(
      summary.form.improvementActions.map((action) => task(kase, steps.improvementAction(action))),
    );
    await kase.setFields({
      improvementActions: summary.form.improvementActions.map((a, i) => ({
        ...a,
        outcome: actions[i].form.outcome,
        doneBy: actions[i].completedBy,
        doneAt: actions[i].occurredAt,
      })),
    });
    await kase.close(approved.outcome === 'approved' ? 'recovered' : 'report_rejected', {
      level: kase.state.priority,
    });
  });
}

/**
 * A milestone is reached: its time (the real one when it was entered offline), its actor, and its
 * clock's outcome — met when it came by the due time in force then. Kept in the case's fields, so
 * a continued run neither repeats nor loses it.
 */
function milestoneReached<F>(kase: Case, name: steps.Milestone, done: TaskCompletion<F>): void {
  const recorded = kase.state.fields.milestones;
  const milestones: Record<string, unknown> =
    typeof recorded === 'object' && recorded !== null ? { ...recorded } : {};
  if (name in milestones) return;
  const step = Object.values(kase.state.steps).find((s) => s.name === name);
  const dueAt = step?.sla ? step.sla.dueAt : null;
  const outcome = dueAt === null || Date.parse(done.occurredAt) <= dueAt ? 'met' : 'missed';
  const entry = {
    at: done.occurredAt,
    by: done.completedBy,
    channel: done.channel,
    evidenceRef: done.evidenceRef ?? null,
    clock: step?.sla?.policy.stage ?? null,
    dueAt: dueAt === null ? null : new Date(dueAt).toISOString(),
    outcome,
    escalationLevel: step?.sla?.fired.levels ?? 0,
  };
  milestones[name] = entry;
  kase.state.fields.milestones = milestones;
  kase.emit(
    'emergency.milestone',
    { milestone: name, ...entry },
    {
      actor: done.completedBy,
      channel: done.channel === 'offline' ? 'offline' : 'api',
      occurredAt: done.occurredAt,
    },
  );
}

/** The dispatched handler takes over every milestone still open. */
function handOver(kase: Case, handler: string, by: string): void {
  for (const step of Object.values(kase.state.steps)) {
    if (step.status !== 'pending' || !step.task || step.task.assignee === handler) continue;
    if (step.task.claimedBy !== null && step.task.claimedBy === handler) continue;
    const from = step.task.claimedBy ?? step.task.assignee;
    step.task.assignee = handler;
    step.task.claimedBy = null;
    kase.emit('task.reassigned', { step: step.key, from, to: handler, reason: 'dispatched' }, { actor: by });
  }
  kase.describe();
}

/**
 * 004 §8.1.1 c: the level raised by hand. The kernel has re-planned the open clocks from the new
 * level's policy; the command group hears of it once per raise (the mark lives in the fields).
 */
function levelRaised(kase: Case, levels: Level[], commandGroup: Recipient[], change: PriorityChange): void {
  const from = levels.find((l) => l.code === change.from);
  const to = levels.find((l) => l.code === change.to);
  const raises = Array.isArray(kase.state.fields.levelRaises) ? kase.state.fields.levelRaises : [];
  const data = {
    from: change.from,
    to: change.to,
    levelName: to?.name ?? null,
    reason: change.reason,
    raise: raises.length + 1,
  };
  kase.state.fields.levelRaises = [...raises, { ...data, by: change.actor }];
  if (to?.convenesCommandGroup) kase.state.fields.commandGroupConvened = true;
  const raised = !from || !to || to.rank < from.rank;
  kase.emit('emergency.level-changed', data, {
    actor: change.actor,
    notify: raised ? [{ to: commandGroup, template: 'emergency-level-raised', data }] : [],
  });
  // The case shows it is escalated until its procedure moves on (cases raised before this patch did not).
  if (raised && change.patched('emergency-escalation-stage')) kase.enterStageNow('escalation');
}

/** 002 §6.6.3.1 g: a fix that needs a change opens an emergency change, linked, as the API would. */
async function openEmergencyChange(kase: Case, event: EmergencyEvent, diagnosis: Diagnosis): Promise<void> {
  const now = new Date(Date.now()).toISOString();
  const changeId = await kase.lookup.allocateCaseNumber({
    prefix: 'CHG',
    at: now,
    timeZone: kase.state.timeZone,
  });
  const department = (await kase.lookup.departmentOf({ userId: kase.state.requester })) ?? 'ops';
  const request = {
    title: `Emergency fix: ${event.title}`.slice(0, 200),
    changeType: 'defect_fix',
    source: 'incident',
    affectedSystems: [...new Set(event.affectedSystems)],
    content: diagnosis.changeDescription ?? diagnosis.diagnosis,
    purpose: `Recover from emergency ${kase.state.caseId}: ${diagnosis.cause}`.slice(0, 4000),
    alternativeMeasure: 'None: the service is down until the fix is in',
    impactOfNotChanging: {
      customers: event.affectedServices.join(', '),
      compliance: 'none',
      externalStakeholders: 'none',
      internalOperations: 'the outage continues',
      securityControls: 'none',
      availability: 'the affected services stay down',
      dataAccuracy: 'none',
    },
    urgency: 'emergency',
    requester: kase.state.requester,
    department,
    desiredDate: now.slice(0, 10),
  };
  if (kase.state.fields.linkedChange !== changeId) {
    await startChild('changeProcess', {
      workflowId: changeId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          caseId: changeId,
          process: 'change',
          title: request.title,
          requester: kase.state.requester,
          priority: 'emergency',
          system: request.affectedSystems[0] ?? null,
          businessKey: kase.state.caseId,
          fields: request,
          timeZone: kase.state.timeZone,
        },
      ],
    });
  }
  await kase.record(
    'emergency.change-opened',
    { changeId, system: request.affectedSystems[0] },
    {
      notify: [
        {
          to: [{ role: 'ops_head' }],
          template: 'emergency-change-opened',
          data: { changeId, system: request.affectedSystems[0] },
        },
      ],
    },
  );
  await kase.setFields({ linkedChange: changeId });
}

/** The report's draft: what the milestones already say. */
function recoveryDraft(kase: Case, event: EmergencyEvent, result: string): RecoveryReport {
  const recovered = (kase.state.fields.milestones as Record<string, { at: string }> | undefined)?.recovered;
  const occurredAt = kase.state.createdAt;
  const repairedAt = recovered?.at ?? new Date(Date.now()).toISOString();
  return {
    summary: `${event.title}: ${event.description}`.slice(0, 4000),
    occurredAt,
    repairedAt,
    recoveryMinutes: Math.max(0, Math.round((Date.parse(repairedAt) - Date.parse(occurredAt)) / 60_000)),
    result,
  };
}
