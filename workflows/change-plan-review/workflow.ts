/**
 * The weekly change-plan review (001 §17(1)): every week the O&M head reviews the changes
 * scheduled for the coming week — systems, window, risk, who implements, clashes on a system —
 * to make sure there are enough IT and vendor resources for them to run in order. The plan is
 * compiled from the change read model when the case opens; the head's comments on single changes
 * go back to those changes' cases as notes in their audit trails.
 */
import { isScheduledStart, type ScheduledStart } from '../contracts/scheduled-start';
import { addDays, localDateOf, localInstant } from '../contracts/working-day';
import { isoWeekday } from '../contracts/working-time';
import { noteOnCase, openScheduledCase, runProcess, scheduledAt, task, type CaseInput } from '../kernel';
import { changePlanReviewDefinition } from './definition';
import type { ChangePlanReviewJob, ChangePlanReviewRequest } from './request-form';
import * as steps from './steps';

export async function changePlanReview(input: CaseInput | ScheduledStart<ChangePlanReviewJob>) {
  if (isScheduledStart(input)) return openWeeklyReview(input);
  return runProcess(changePlanReviewDefinition, input, async (kase, request) => {
    await kase.enterStage('compilation');
    const zone = kase.state.timeZone;
    const week = {
      from: localInstant(request.weekStart, '00:00', zone),
      to: localInstant(addDays(request.weekStart, 7), '00:00', zone),
    };
    const changes = await kase.lookup.changesPlannedBetween(week);
    await kase.setFields({
      week,
      changes,
      changeCount: changes.length,
      conflicts: changes.filter((c) => c.conflicts.length > 0).map((c) => c.caseId),
    });

    await kase.enterStage('review');
    const reviewed = await task(kase, steps.planReview(changes.map((c) => c.caseId)));
    await kase.setFields({
      review: reviewed.form,
      reviewedBy: reviewed.completedBy,
      reviewedAt: reviewed.occurredAt,
    });

    await kase.enterStage('feedback');
    const delivered: string[] = [];
    const undelivered: string[] = [];
    for (const { caseId, comment } of reviewed.form.comments) {
      const arrived = await noteOnCase(kase, caseId, {
        text: comment,
        author: reviewed.completedBy,
        fromStep: 'planReview',
      });
      (arrived ? delivered : undelivered).push(caseId);
    }
    await kase.record('plan-review.comments-returned', { delivered, undelivered });
    await kase.close(reviewed.form.conclusion);
  });
}

/** The coming week: from the next Monday (the same day when the schedule fires on a Monday). */
function comingWeekStart(today: string): string {
  const weekday = isoWeekday(today);
  return weekday === 1 ? today : addDays(today, 8 - weekday);
}

async function openWeeklyReview({ scheduled }: ScheduledStart<ChangePlanReviewJob>) {
  const { jobId, timeZone, args } = scheduled;
  const request: ChangePlanReviewRequest = {
    weekStart: comingWeekStart(localDateOf(Date.parse(scheduledAt()), timeZone)),
  };
  return openScheduledCase(changePlanReviewDefinition, request, {
    requester: args.requester ?? `schedule:${jobId}`,
    timeZone,
    jobId,
  });
}
