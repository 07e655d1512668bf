/**
 * The monthly service report (003 (四) 2, (九); 004 §7.1; 002 §6.3.2): drafted for the month —
 * its figures frozen into the archive, so whoever opens it later reads the document that was
 * approved — reviewed and approved by the O&M head, and only then mailed to its distribution list
 * with a link to the report. Not approved: closed with the reason, nothing mailed. The monthly
 * schedule starts this workflow without a case number: that run allocates one and opens the
 * report as a case of its own, for the month before the one it fires in.
 */
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { OpsActivities } from '../../activities';
import { approval, runProcess, type CaseInput } from '../kernel';
import { serviceReportDefinition } from './definition';
import {
  DEFAULT_DISTRIBUTION_LIST,
  type ScheduledServiceReport,
  type ServiceReportRequest,
} from './request-form';
import * as steps from './steps';

const numbering = proxyActivities<OpsActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
});

export async function serviceReport(input: CaseInput | ScheduledServiceReport) {
  if ('scheduled' in input) return openScheduledReport(input);
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
    if (approved.outcome !== 'approved') return kase.close('not_approved', { reason: last?.comment ?? null });

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
    await kase.close('distributed', { recipients: recipients.length });
  });
}

/** A scheduled start: last month's report under a case number as the API would allocate it. */
async function openScheduledReport({ scheduled }: ScheduledServiceReport): Promise<{ caseId: string }> {
  const at = new Date(Date.now()).toISOString();
  const month = await numbering.monthBefore({ at, timeZone: scheduled.timeZone });
  const caseId = await numbering.allocateCaseNumber({
    prefix: serviceReportDefinition.casePrefix,
    at,
    timeZone: scheduled.timeZone,
  });
  const request: ServiceReportRequest = {
    month,
    ...(scheduled.system ? { system: scheduled.system } : {}),
    ...(scheduled.vendor ? { vendor: scheduled.vendor } : {}),
    ...(scheduled.distributionList ? { distributionList: scheduled.distributionList } : {}),
  };
  const headline = serviceReportDefinition.headline(request);
  await startChild(serviceReport, {
    workflowId: caseId,
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [
      {
        caseId,
        process: serviceReportDefinition.name,
        title: headline.title,
        requester: scheduled.requester,
        priority: headline.priority,
        system: headline.system,
        fields: { ...request },
        timeZone: scheduled.timeZone,
      },
    ],
  });
  return { caseId };
}
