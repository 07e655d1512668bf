/**
 * The quarterly checks (001 §36(3)(4)). Documentation: the cases closed in the quarter are
 * checked against the forms and attachments their process requires, and the list of what each
 * lacks becomes the checklist of the responsible role, who records how each gap is made good.
 * Security: the security section's own quarterly check, with its findings and measures.
 */
import { previousQuarter, quarterRange } from '../contracts/periods';
import { isScheduledStart, type ScheduledStart } from '../contracts/scheduled-start';
import { localDateOf, localInstant } from '../contracts/working-day';
import { openScheduledCase, runProcess, scheduledAt, task, type Case, type CaseInput } from '../kernel';
import { quarterlyCheckDefinition } from './definition';
import type { QuarterlyCheckJob, QuarterlyCheckRequest } from './request-form';
import * as steps from './steps';

export async function quarterlyCheck(input: CaseInput | ScheduledStart<QuarterlyCheckJob>) {
  if (isScheduledStart(input)) return openQuarterlyCheck(input);
  return runProcess(quarterlyCheckDefinition, input, async (kase, request) => {
    if (request.checkType === 'documentation') return documentationCheck(kase, request);
    await kase.enterStage('securityCheck');
    const checked = await task(kase, steps.securityCheck);
    await kase.setFields({ securityCheck: checked.form, checkedBy: checked.completedBy });
    await kase.close(checked.form.result);
  });
}

async function documentationCheck(kase: Case, request: QuarterlyCheckRequest): Promise<void> {
  await kase.enterStage('documentationCheck');
  const range = quarterRange(request.quarter);
  const zone = kase.state.timeZone;
  const completeness = await kase.lookup.documentationCompleteness({
    from: localInstant(range.from, '00:00', zone),
    to: localInstant(range.to, '00:00', zone),
  });
  await kase.setFields({ completeness });
  const checked = await task(kase, steps.documentationCheck(request.responsibleRole ?? 'pmo'));
  await kase.setFields({ documentationCheck: checked.form, checkedBy: checked.completedBy });
  await kase.close(checked.form.conclusion);
}

async function openQuarterlyCheck({ scheduled }: ScheduledStart<QuarterlyCheckJob>) {
  const { jobId, timeZone, args } = scheduled;
  const request: QuarterlyCheckRequest = {
    checkType: args.checkType,
    quarter: previousQuarter(localDateOf(Date.parse(scheduledAt()), timeZone)),
    ...(args.responsibleRole ? { responsibleRole: args.responsibleRole } : {}),
  };
  return openScheduledCase(quarterlyCheckDefinition, request, {
    requester: args.requester ?? `schedule:${jobId}`,
    timeZone,
    jobId,
  });
}
