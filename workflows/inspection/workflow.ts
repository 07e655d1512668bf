/**
 * Routine inspections (003 (七) 1(1)): on every working day a round over the systems in service,
 * one checklist per system (business nodes, table space, disk space, logs, services) due at the
 * day's due time — missed or late, its SLA policy escalates — kept as the day's ledger; anomalies
 * are described and may name the defect or emergency case raised for them. Once a year a
 * comprehensive inspection of each system ends in a formal inspection report accepted by the O&M
 * head. The daily schedule fires every day; the run asks the working calendar whether the day is
 * worked (holidays are not, 调休 make-up Saturdays are) and opens nothing otherwise.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { OpsActivities } from '../../activities';
import { isScheduledStart, type ScheduledStart } from '../contracts/scheduled-start';
import { localDateOf, localInstant } from '../contracts/working-day';
import {
  approvalWithRevisions,
  openScheduledCase,
  runProcess,
  scheduledAt,
  task,
  type Case,
  type CaseInput,
} from '../kernel';
import { inspectionDefinition } from './definition';
import { CHECK_ITEMS, type InspectionReport } from './forms';
import type { InspectionJob, InspectionRequest } from './request-form';
import * as steps from './steps';

const calendar = proxyActivities<OpsActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
});

export async function routineInspection(input: CaseInput | ScheduledStart<InspectionJob>) {
  if (isScheduledStart(input)) return openInspection(input);
  return runProcess(inspectionDefinition, input, async (kase, request) => {
    if (request.scope === 'daily') return dailyRound(kase, request);
    return annualInspection(kase, request);
  });
}

async function dailyRound(kase: Case, request: InspectionRequest): Promise<void> {
  await kase.enterStage('inspection');
  const dueAt = localInstant(request.date, request.dueBy ?? '12:00', kase.state.timeZone);
  await kase.setFields({ dueAt });
  const checks = await Promise.all(
    request.systems.map((system) => task(kase, steps.dailyCheck(system, dueAt))),
  );
  const ledger = checks.map((done, i) => ({
    system: request.systems[i],
    ...done.form,
    checkedBy: done.completedBy,
    checkedAt: done.occurredAt,
    late: Date.parse(done.occurredAt) > Date.parse(dueAt),
  }));
  const anomalies = ledger.filter((entry) => CHECK_ITEMS.some((item) => entry[item] === 'anomaly'));
  await kase.setFields({
    ledger,
    anomalies: anomalies.map((a) => ({
      system: a.system,
      anomalies: a.anomalies,
      followUpCase: a.followUpCase,
    })),
    lateChecks: ledger.filter((e) => e.late).map((e) => e.system),
  });
  await kase.close(anomalies.length > 0 ? 'anomalies_found' : 'normal');
}

async function annualInspection(kase: Case, request: InspectionRequest): Promise<void> {
  await kase.enterStage('comprehensiveInspection');
  const checks = await Promise.all(request.systems.map((system) => task(kase, steps.annualCheck(system))));
  await kase.setFields({
    systemChecks: checks.map((done, i) => ({
      system: request.systems[i],
      ...done.form,
      checkedBy: done.completedBy,
      checkedAt: done.occurredAt,
    })),
  });

  await kase.enterStage('report');
  const written = await task(kase, steps.inspectionReport);
  let report: InspectionReport = written.form;
  await kase.setFields({ report, reportBy: written.completedBy });
  const accepted = await approvalWithRevisions(kase, steps.inspectionReportAcceptance, async () => {
    const revised = await task(kase, steps.reviseInspectionReport(written.completedBy));
    report = { ...report, ...revised.form };
    await kase.setFields({ report });
  });
  await kase.close(accepted.outcome === 'approved' ? 'report_accepted' : 'report_rejected');
}

/** A scheduled run: the day it fired for, a working day or not, and the systems in service. */
async function openInspection({ scheduled }: ScheduledStart<InspectionJob>) {
  const { jobId, timeZone, args } = scheduled;
  const date = localDateOf(Date.parse(scheduledAt()), timeZone);
  if (args.scope === 'daily') {
    const day = await calendar.isWorkingDay({ calendarId: args.calendarId ?? 'default', date });
    if (!day.working) return { opened: false, date, reason: 'not a working day' };
  }
  const systems = args.systems ?? (await calendar.systemsInService());
  if (systems.length === 0) return { opened: false, date, reason: 'no system in service' };
  const request: InspectionRequest = {
    scope: args.scope,
    date,
    systems,
    ...(args.dueBy ? { dueBy: args.dueBy } : {}),
  };
  const opened = await openScheduledCase(inspectionDefinition, request, {
    requester: args.requester ?? `schedule:${jobId}`,
    timeZone,
    jobId,
  });
  return { opened: true, date, ...opened };
}
