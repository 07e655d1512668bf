/**
 * The periodic change review (001 §26–§27): after each period the O&M center compiles the figures
 * of the changes implemented in it (by type and source, succeeded / failed / rolled back with
 * causes, goals met, negative effects — `db/change-review.ts`) and assesses them, with the
 * reasons for changes and follow-up measures to keep their number down; the O&M center head,
 * development and the security section give their opinions in parallel; the IT department head
 * reviews it and it is archived.
 */
import { previousMonth, previousQuarter, quarterRange } from '../contracts/periods';
import { isScheduledStart, type ScheduledStart } from '../contracts/scheduled-start';
import { localDateOf, localInstant } from '../contracts/working-day';
import {
  approvalWithRevisions,
  openScheduledCase,
  runProcess,
  scheduledAt,
  task,
  type CaseInput,
} from '../kernel';
import { changeReviewDefinition } from './definition';
import type { ReviewSummary } from './forms';
import type { ChangeReviewJob, ChangeReviewRequest } from './request-form';
import * as steps from './steps';

export async function periodicChangeReview(input: CaseInput | ScheduledStart<ChangeReviewJob>) {
  if (isScheduledStart(input)) return openChangeReview(input);
  return runProcess(changeReviewDefinition, input, async (kase, request) => {
    await kase.enterStage('compilation');
    const zone = kase.state.timeZone;
    const period = {
      from: localInstant(request.from, '00:00', zone),
      to: localInstant(request.to, '00:00', zone),
    };
    const figures = await kase.lookup.changeReviewFigures(period);
    await kase.setFields({ period, figures });
    const written = await task(kase, steps.reviewSummary);
    let summary: ReviewSummary = written.form;
    await kase.setFields({ summary, summaryBy: written.completedBy });

    await kase.enterStage('jointReview');
    const given = await Promise.all(steps.opinions.map((spec) => task(kase, spec)));
    await kase.setFields({
      opinions: given.map((done, i) => ({
        from: steps.opinions[i].step,
        ...done.form,
        by: done.completedBy,
        at: done.occurredAt,
      })),
    });

    await kase.enterStage('archive');
    const reviewed = await approvalWithRevisions(kase, steps.itHeadReview, async () => {
      const revised = await task(kase, steps.reviseSummary(written.completedBy));
      summary = { ...summary, ...revised.form };
      await kase.setFields({ summary });
    });
    if (reviewed.outcome !== 'approved') return kase.close('rejected', { stage: 'archive' });
    await kase.setFields({ archived: true });
    await kase.close('archived');
  });
}

async function openChangeReview({ scheduled }: ScheduledStart<ChangeReviewJob>) {
  const { jobId, timeZone, args } = scheduled;
  const today = localDateOf(Date.parse(scheduledAt()), timeZone);
  const request: ChangeReviewRequest =
    args.period === 'month' ? previousMonth(today) : quarterRange(previousQuarter(today));
  return openScheduledCase(changeReviewDefinition, request, {
    requester: args.requester ?? `schedule:${jobId}`,
    timeZone,
    jobId,
  });
}
