/**
 * The monthly service report (003 (四) 2, (九); 004 §7.1; 002 §6.3.2): drafted for the month —
 * its figures frozen into the archive, so whoever opens it later reads the document that was
 * approved — reviewed and approved by the O&M head, and only then mailed to its distribution list
 * with a link to the report. Not approved: closed with the reason, nothing mailed. The monthly
 * schedule starts this workflow without a case number: that run allocates one and opens the
 * report as a case of its own, for the month before the one it fires in.
 */
import { isScheduledStart, type ScheduledStart } from '../contracts/scheduled-start';
import { localDateOf } from '../contracts/working-day';
import { approval, openScheduledCase, runProcess, scheduledAt, type CaseInput } from '../kernel';
import { serviceReportDefinition } from './definition';
import {
  DEFAULT_DISTRIBUTION_LIST,
  monthBefore,
  type ServiceReportJob,
  type ServiceReportRequest,
} from './request-form';
import * as steps from './steps';

export async function serviceReport(input: CaseInput | ScheduledStart<ServiceReportJob>) {
  if (isScheduledStart(input)) return openScheduledReport(input);
  return runProcess(serviceReportDefinition, input, async (kase, request) => {
    await kase.enterStage('drafting');
    const frozen = await kase.lookup.freezeServiceReport({
      caseId: kase.state.caseId,
      month: request.month,
      timeZone: kase.state.timeZone,
      system: request.system ?? null,
      vendor: request.vendor ?? null,
    });
    await kase.setFields({ draft: frozen });

    await kase.enterStage('reportApproval');
    const approved = await approval(kase, steps.reportApproval);
    const last = approved.decisions[approved.decisions.length - 1];
    await kase.setFields({
      approval: { outcome: approved.outcome, by: last?.actor ?? null, comment: last?.comment ?? null },
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
