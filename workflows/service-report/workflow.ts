/**
 * The monthly service report (003 (四) 2, (九); 004 §7.1; 002 §6.3.2): drafted for the month —
 * its figures frozen into the archive, so whoever opens it later reads the document that was
 * approved — reviewed and approved by the O&M head, and only then mailed to its distribution list
 * with a link to the report. Sent back with comments: the drafter is told, has the period's data
 * corrected, and the figures are frozen again as the next draft for a new approval round. Rejected:
 * closed `not_approved` with the reason, nothing mailed. The monthly
 * schedule starts this workflow without a case number: that run allocates one and opens the
 * report as a case of its own, for the month before the one it fires in.
 */
import { isScheduledStart, type ScheduledStart } from '../contracts/scheduled-start';
import { localDateOf } from '../contracts/working-day';
import { toRecipient } from '../contracts/assignees';
import {
  approval,
  approvalWithRevisions,
  openScheduledCase,
  runProcess,
  scheduledAt,
  task,
  type ApprovalResult,
  type CaseInput,
} from '../kernel';
import { serviceReportDefinition } from './definition';
import {
  DEFAULT_DISTRIBUTION_LIST,
  monthBefore,
  type ServiceReportJob,
  type ServiceReportRequest,
} from './request-form';
import * as steps from './steps';

const REDRAFT_ON_REQUEST_CHANGES = 'service-report-redraft-on-request-changes';

export async function serviceReport(input: CaseInput | ScheduledStart<ServiceReportJob>) {
  if (isScheduledStart(input)) return openScheduledReport(input);
  return runProcess(serviceReportDefinition, input, async (kase, request) => {
    await kase.enterStage('drafting');
    const scope = {
      caseId: kase.state.caseId,
      month: request.month,
      timeZone: kase.state.timeZone,
      system: request.system ?? null,
      vendor: request.vendor ?? null,
    };
    const frozen = await kase.lookup.freezeServiceReport(scope);
    await kase.setFields({ draft: frozen });

    await kase.enterStage('reportApproval');
    // Before this patch "request changes" closed the report `not_approved` like a rejection.
    const redrafts = kase.patched(REDRAFT_ON_REQUEST_CHANGES);
    let draft = 1;
    const redrafted: Array<Record<string, unknown>> = [];
    const approved: ApprovalResult = redrafts
      ? await approvalWithRevisions(kase, steps.reportApproval, async (comments) => {
          draft += 1;
          await kase.enterStage('drafting');
          const drafter = steps.drafterOf(kase.state.requester);
          await kase.record(
            'service-report.returned',
            { comments, draft },
            {
              notify: [
                {
                  to: [toRecipient(drafter)],
                  template: 'service-report-returned',
                  data: {
                    month: request.month,
                    system: request.system ?? null,
                    vendor: request.vendor ?? null,
                    comments,
                  },
                },
              ],
            },
          );
          const done = await task(kase, steps.redraftReport(drafter));
          // The period's cases may have been corrected since: the next draft is frozen from them now.
          const refrozen = await kase.lookup.freezeServiceReport({ ...scope, draft });
          redrafted.push({
            draft,
            comments,
            corrections: done.form.corrections,
            by: done.completedBy,
            at: done.occurredAt,
          });
          await kase.setFields({ draft: refrozen, redrafts: redrafted });
          await kase.enterStage('reportApproval');
        })
      : await approval(kase, steps.reportApproval);
    const last = approved.decisions[approved.decisions.length - 1];
    await kase.setFields({
      approval: {
        outcome: approved.outcome,
        by: last?.actor ?? null,
        comment: last?.comment ?? null,
        ...(redrafts ? { draft } : {}),
      },
    });
    // A report the schedule drafted has no person as its requester to tell of the closing.
    const toRequester = !kase.state.requester.startsWith('schedule:');
    if (approved.outcome !== 'approved')
      return kase.close('not_approved', { reason: last?.comment ?? null }, toRequester);

    // Only an approved report leaves the house (004 §7.1.1 c).
    await kase.enterStage('distribution');
    const list = request.distributionList ?? DEFAULT_DISTRIBUTION_LIST;
    const { recipients, skipped } = await kase.lookup.serviceReportRecipients({
      listId: list,
      caseId: kase.state.caseId,
    });
    await kase.record(
      'service-report.distributed',
      { list, recipients, skipped },
      {
        notify: [
          {
            to: recipients.map((userId) => ({ userId })),
            template: 'service-report-distributed',
            data: { month: request.month, system: request.system ?? null, vendor: request.vendor ?? null },
          },
        ],
      },
    );
    await kase.setFields({ distributedTo: recipients, notDistributedTo: skipped });
    await kase.close('distributed', { recipients: recipients.length }, toRequester);
  });
}

/** A scheduled run: the report of the month before the one the schedule fired in. */
async function openScheduledReport({ scheduled }: ScheduledStart<ServiceReportJob>) {
  const { jobId, timeZone, args } = scheduled;
  const request: ServiceReportRequest = {
    month: monthBefore(localDateOf(Date.parse(scheduledAt()), timeZone)),
    ...(args.system ? { system: args.system } : {}),
    ...(args.vendor ? { vendor: args.vendor } : {}),
    ...(args.distributionList ? { distributionList: args.distributionList } : {}),
  };
  const opened = await openScheduledCase(serviceReportDefinition, request, {
    requester: args.requester ?? `schedule:${jobId}`,
    timeZone,
    jobId,
  });
  return { ...opened, month: request.month };
}
