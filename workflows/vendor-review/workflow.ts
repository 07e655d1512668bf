/**
 * The periodic outsourcing review (外包服务评价), as 002 §6.6.3.8 e, §6.3.2–6.3.3 and §6.4 b lay it
 * down: for one vendor and one period, the measured service figures are counted from Opsflow's own
 * records (with the cases behind each); the vendor files its own report while the business
 * departments that own its systems answer a satisfaction survey by mail link (reminded, then
 * closed); the O&M center scores the four dimensions with the figures beside them, the O&M head
 * signs off, the vendor's project manager acknowledges, and every non-conformity becomes a
 * corrective action owned and due on its date, chased until closed — and shown, while open, on the
 * vendor's next review. A Temporal Schedule per vendor opens the review when a period ends.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { OpsActivities } from '../../activities';
import type { Wording } from '../contracts/process-definition';
import { isScheduledStart, type ScheduledStart } from '../contracts/scheduled-start';
import {
  approvalWithRevisions,
  runProcess,
  task,
  waitForPolicy,
  type Case,
  type CaseInput,
  type TaskCompletion,
} from '../kernel';
import { openScheduledCase, scheduledAt } from '../kernel/scheduled-case';
import { vendorReviewDefinition } from './definition';
import { SURVEY_QUESTIONS, type NonConformity, type Scoring, type SurveyAnswer } from './forms';
import type { VendorReviewJobArgs } from './request-form';
import { scorecard, surveySummary, type SurveyResponse } from './scorecard';
import * as steps from './steps';

const periodOf = proxyActivities<OpsActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
});

/** Who "completed" a survey the department never answered: the survey closed. */
export const SURVEY_CLOSED = 'system:survey-closed';

export async function vendorReview(input: CaseInput | ScheduledStart<VendorReviewJobArgs>) {
  if (isScheduledStart(input)) return openScheduledReview(input);
  // The survey's title joins this run's copy of the definition's titles once the vendor is known.
  const titles: Record<string, Wording> = { ...vendorReviewDefinition.steps };
  return runProcess({ ...vendorReviewDefinition, steps: titles }, input, async (kase, request) => {
    // One mail per head asks for the survey: the survey step's own assignment mail, which carries
    // the link (api/links/survey-token.ts). Cases started before also mailed the survey separately.
    const oneSurveyMail = kase.patched('survey-asked-by-assignment-mail');
    kase.onStepOverdue((step) => {
      if (step.name === 'correctiveAction') correctiveActionOverdue(kase, step.key);
    });

    // The measured inputs, counted once when the period is over.
    await kase.enterStage('figures');
    const scope = await kase.lookup.vendorReviewScope({
      ...request,
      timeZone: kase.state.timeZone,
      caseId: kase.state.caseId,
    });
    if (!scope) return kase.close('rejected', { reason: `unknown vendor ${request.vendorId}` });
    if (oneSurveyMail) titles.satisfactionSurvey = steps.surveyWording(scope.vendorName, scope.period.label);
    const measured = await kase.lookup.vendorReviewFigures({
      vendorId: request.vendorId,
      from: scope.period.from,
      to: scope.period.to,
    });
    await kase.setFields({
      vendorName: scope.vendorName,
      period: scope.period,
      systems: measured.systems,
      figures: measured.figures,
      // 002 §6.4 d: what the last reviews asked for and is not done yet.
      openCorrectiveActions: scope.openActions,
    });

    // The vendor's own report and the departments' satisfaction, side by side.
    await kase.enterStage('inputs');
    const report = task(kase, steps.vendorReport(scope.vendorPm));
    const responses = await satisfactionSurvey(kase, scope, oneSurveyMail);
    const satisfaction = surveySummary(scope.contacts, scope.unreachable, responses);
    const filed = await report;
    await kase.setFields({
      satisfaction,
      vendorReport: { ...filed.form, filedBy: filed.completedBy, filedAt: filed.occurredAt },
      scorecard: scorecard(measured.figures, satisfaction, scope.openActions),
    });

    // 002 §6.6.3.8 e: scored by the O&M center, signed off by the O&M head.
    await kase.enterStage('scoring');
    const scored = await task(kase, steps.scoring);
    let scoring: Scoring = scored.form;
    await kase.setFields({ scoring, scoredBy: scored.completedBy });
    await kase.enterStage('signOff');
    const signed = await approvalWithRevisions(kase, steps.signOff, async () => {
      const revised = await task(kase, steps.reviseScoring(scored.completedBy));
      scoring = revised.form;
      await kase.setFields({ scoring });
    });
    if (signed.outcome !== 'approved') return kase.close('rejected', { stage: 'signOff' });
    const signer = signed.decisions[signed.decisions.length - 1]?.actor ?? null;
    await kase.record(
      'vendor-review.signed-off',
      { signedOffBy: signer, nonConformities: scoring.nonConformities.length },
      {
        notify: [
          {
            to: [{ userId: scope.vendorPm ?? kase.state.requester }],
            template: 'vendor-review-signed-off',
            data: {
              vendorName: scope.vendorName,
              period: scope.period.label,
              nonConformities: scoring.nonConformities.length,
            },
          },
        ],
      },
    );

    // The vendor acknowledges; each non-conformity's corrective action runs to its date (002 §6.4 b).
    await kase.enterStage('followUp');
    await kase.setFields({ signedOffBy: signer, correctiveActions: actionRecords(scoring.nonConformities) });
    const actions = scoring.nonConformities.map((nc, i) =>
      task(kase, steps.correctiveAction(nc)).then((done) => {
        correctiveActionClosed(kase, i, done);
        return done;
      }),
    );
    const acknowledged = await task(kase, steps.acknowledgement(scope.vendorPm));
    await kase.setFields({
      acknowledgement: {
        by: acknowledged.completedBy,
        at: acknowledged.occurredAt,
        comment: acknowledged.form.comment ?? null,
      },
    });
    await Promise.all(actions);
    await kase.close('signed_off', { nonConformities: scoring.nonConformities.length });
  });
}

type Scope = NonNullable<Awaited<ReturnType<Case['lookup']['vendorReviewScope']>>>;

/**
 * 002 §6.3.3 c: one survey per business department that owns a system of the vendor, to its head,
 * by single-use mail link; reminded once, then closed — an unanswered survey counts as such.
 */
async function satisfactionSurvey(kase: Case, scope: Scope, oneMail: boolean): Promise<SurveyResponse[]> {
  const contacts = scope.contacts;
  const answered = new Map<string, SurveyResponse>();
  const keys = contacts.map((_, i) => (i === 0 ? 'satisfactionSurvey' : `satisfactionSurvey#${i + 1}`));
  const surveys = contacts.map((contact) =>
    task(kase, steps.satisfactionSurvey(contact)).then((done: TaskCompletion<SurveyAnswer>) => {
      if (done.completedBy !== SURVEY_CLOSED) answered.set(contact.departmentId, response(contact, done));
    }),
  );
  if (contacts.length === 0) return [];
  const about = { vendorName: scope.vendorName, period: scope.period.label };
  await kase.record(
    'vendor-review.survey-sent',
    { departments: contacts.map((c) => c.departmentId) },
    oneMail
      ? {}
      : {
          notify: contacts.map((c, i) => ({
            to: [{ userId: c.userId }],
            template: 'vendor-survey-request',
            data: { ...about, step: keys[i], departmentName: c.departmentName },
          })),
        },
  );
  const allAnswered = () => contacts.every((c) => answered.has(c.departmentId));
  await waitForPolicy(kase, 'surveyReminder', 'surveyReminder', { cancelWhen: allAnswered });
  const late = contacts
    .map((c, i) => ({ c, step: keys[i] }))
    .filter(({ c }) => !answered.has(c.departmentId));
  if (late.length > 0) {
    await kase.record(
      'vendor-review.survey-reminded',
      { departments: late.map(({ c }) => c.departmentId) },
      {
        notify: late.map(({ c, step }) => ({
          to: [{ userId: c.userId }],
          template: 'vendor-survey-reminder',
          data: { ...about, step, departmentName: c.departmentName },
        })),
      },
    );
  }
  await waitForPolicy(kase, 'surveyClose', 'surveyClose', { cancelWhen: allAnswered });
  closeUnansweredSurveys(kase);
  await Promise.all(surveys);
  return contacts.flatMap((c) => answered.get(c.departmentId) ?? []);
}

function response(contact: steps.SurveyContact, done: TaskCompletion<SurveyAnswer>): SurveyResponse {
  const ratings = Object.fromEntries(SURVEY_QUESTIONS.map((q) => [q, done.form[q]]));
  return {
    departmentId: contact.departmentId,
    departmentName: contact.departmentName,
    by: done.completedBy,
    at: done.occurredAt,
    channel: done.channel,
    ratings,
    comment: done.form.comment ?? null,
  };
}

/** The survey is over: the surveys still waiting end as not answered (recorded once each). */
function closeUnansweredSurveys(kase: Case): void {
  for (const step of Object.values(kase.state.steps)) {
    if (step.name !== 'satisfactionSurvey' || step.status !== 'pending') continue;
    const at = new Date(Date.now()).toISOString();
    kase.finishStep(step, {
      form: null,
      completedBy: SURVEY_CLOSED,
      comment: null,
      channel: 'system',
      occurredAt: at,
    });
    kase.emit('vendor-review.survey-unanswered', { step: step.key, assignees: kase.assigneesOf(step) });
  }
  kase.describe();
}

interface ActionRecord extends NonConformity {
  step: string;
  status: 'open' | 'closed';
  overdue: boolean;
  closedAt: string | null;
  closedBy: string | null;
  outcome: string | null;
}

function actionRecords(ncs: NonConformity[]): ActionRecord[] {
  return ncs.map((nc, i) => ({
    ...nc,
    step: i === 0 ? 'correctiveAction' : `correctiveAction#${i + 1}`,
    status: 'open',
    overdue: false,
    closedAt: null,
    closedBy: null,
    outcome: null,
  }));
}

function actionsOf(kase: Case): ActionRecord[] {
  const list = kase.state.fields.correctiveActions;
  return Array.isArray(list) ? list : [];
}

/** Marks the action in the case's fields (read by the next review); recorded once, as the state tells. */
function correctiveActionOverdue(kase: Case, key: string): void {
  const list = actionsOf(kase);
  const action = list.find((a) => a.step === key);
  if (!action || action.overdue || action.status !== 'open') return;
  kase.state.fields.correctiveActions = list.map((a) => (a.step === key ? { ...a, overdue: true } : a));
  kase.emit('vendor-review.corrective-action-overdue', {
    step: key,
    owner: action.owner,
    dueAt: action.dueAt,
  });
}

function correctiveActionClosed(kase: Case, index: number, done: TaskCompletion<{ outcome: string }>): void {
  const list = actionsOf(kase);
  const action = list[index];
  if (!action || action.status === 'closed') return;
  kase.state.fields.correctiveActions = list.map((a, i) =>
    i === index
      ? {
          ...a,
          status: 'closed',
          closedAt: done.occurredAt,
          closedBy: done.completedBy,
          outcome: done.form.outcome,
        }
      : a,
  );
  kase.emit('vendor-review.corrective-action-closed', {
    step: action.step,
    closedBy: done.completedBy,
    late: Date.parse(done.occurredAt) > Date.parse(action.dueAt),
  });
}

/** A scheduled start: the period that ended before the slot the schedule fired for, then the review. */
async function openScheduledReview({
  scheduled,
}: ScheduledStart<VendorReviewJobArgs>): Promise<{ caseId: string }> {
  const { vendorId, periodKind, requester } = scheduled.args;
  const periodStart = await periodOf.vendorReviewPeriodBefore({
    periodKind,
    at: scheduledAt(),
    timeZone: scheduled.timeZone,
  });
  return openScheduledCase(
    vendorReviewDefinition,
    { vendorId, periodKind, periodStart },
    { requester, timeZone: scheduled.timeZone, jobId: scheduled.jobId },
  );
}
