/**
 * Emergency drills (应急演练, 004 §8.2, 002 §6.6.3.1 h): a plan — goal, scenario, method,
 * participants, time, place, the emergency plan it exercises — approved by the O&M head; on the
 * day every step logged by its operator with its exact times and evidence, its elapsed time
 * measured against the plan; a report with findings; revisions to the emergency plan as owned,
 * chased tasks. The annual schedule (a Temporal Schedule per system) starts this workflow with
 * no case number yet: that run allocates one and opens the drill as a case of its own.
 */
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { OpsActivities } from '../../activities';
import { approvalWithRevisions, runProcess, task, type CaseInput } from '../kernel';
import { drillDefinition } from './definition';
import type { DrillPlan, StepLog } from './forms';
import type { ScheduledDrill } from './request-form';
import * as steps from './steps';

const numbering = proxyActivities<OpsActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
});

export async function emergencyDrill(input: CaseInput | ScheduledDrill) {
  if ('scheduled' in input) return openScheduledDrill(input);
  return runProcess(drillDefinition, input, async (kase) => {
    await kase.enterStage('planning');
    const written = await task(kase, steps.drillPlan);
    const author = written.completedBy;
    let plan: DrillPlan = written.form;
    await kase.setFields({ plan, plannedBy: author });

    await kase.enterStage('planApproval');
    const approved = await approvalWithRevisions(kase, steps.drillPlanApproval, async () => {
      const revised = await task(kase, steps.reviseDrillPlan(author));
      plan = { ...plan, ...revised.form };
      await kase.setFields({ plan });
    });
    if (approved.outcome !== 'approved') return kase.close('rejected', { stage: 'planApproval' });

    // On the day, step by step: the elapsed time of each against the plan.
    await kase.enterStage('execution');
    const measured = [];
    for (const [i, planned] of plan.steps.entries()) {
      const done = await task(kase, steps.drillStep(i, planned));
      measured.push(measure(planned.name, planned.plannedMinutes, done.form, done.completedBy));
      await kase.setFields({ stepTimes: measured });
    }

    await kase.enterStage('report');
    const reported = await task(kase, steps.drillReport(author));
    await kase.setFields({ report: reported.form, reportedBy: reported.completedBy });

    await kase.enterStage('planRevision');
    const revisions = await Promise.all(
      reported.form.planRevisions.map((r) => task(kase, steps.planRevision(r))),
    );
    await kase.setFields({
      planRevisions: reported.form.planRevisions.map((r, i) => ({
        ...r,
        outcome: revisions[i].form.outcome,
        doneBy: revisions[i].completedBy,
        doneAt: revisions[i].occurredAt,
      })),
    });
    await kase.close(reported.form.result);
  });
}

function measure(name: string, plannedMinutes: number, log: StepLog, operator: string) {
  const actualMinutes = Math.round((Date.parse(log.finishedAt) - Date.parse(log.startedAt)) / 600) / 100;
  return {
    name,
    operator,
    startedAt: log.startedAt,
    finishedAt: log.finishedAt,
    evidenceRef: log.evidenceRef,
    plannedMinutes,
    actualMinutes,
    overrunMinutes: Math.round((actualMinutes - plannedMinutes) * 100) / 100,
    withinPlan: actualMinutes <= plannedMinutes,
  };
}

/** A scheduled start: a case number as the API would allocate it, then the drill case itself. */
async function openScheduledDrill({ scheduled }: ScheduledDrill): Promise<{ caseId: string }> {
  const at = new Date(Date.now()).toISOString();
  const caseId = await numbering.allocateCaseNumber({
    prefix: drillDefinition.casePrefix,
    at,
    timeZone: scheduled.timeZone,
  });
  const request = {
    title: scheduled.title,
    system: scheduled.system,
    emergencyPlan: scheduled.emergencyPlan,
    scheduleId: scheduled.scheduleId,
  };
  const headline = drillDefinition.headline(request);
  await startChild(emergencyDrill, {
    workflowId: caseId,
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [
      {
        caseId,
        process: drillDefinition.name,
        title: headline.title,
        requester: scheduled.requester,
        priority: headline.priority,
        system: headline.system,
        businessKey: scheduled.scheduleId,
        fields: request,
        timeZone: scheduled.timeZone,
      },
    ],
  });
  return { caseId };
}
