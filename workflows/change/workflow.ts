/**
 * Change management (变更管理), as the bank's regulation lays it down (001 §7–§27, 004 §7.5):
 * the requesting department head approves the request, O&M assesses it and its head approves
 * the assessment, development builds what needs building, the plan and tests are written up,
 * the change is scheduled outside business hours and outside freezes, implemented with a backup,
 * reviewed after go-live, and archived. An emergency change is authorised by the O&M head
 * (verbally, by e-mail or in Opsflow) and goes live first; its paperwork is chased afterwards
 * until it is complete. A standard change from the approved catalogue skips the approvals.
 */
import { condition, patched } from '@temporalio/workflow';
import type { OpsActivities } from '../../activities';
import type { Recipient } from '../contracts/case-records';
import {
  approval,
  approvalWithRevisions,
  runProcess,
  task,
  waitUntil,
  type ApprovalResult,
  type Case,
  type CaseInput,
  type FormError,
  type TaskCompletion,
} from '../kernel';
import { changeDefinition } from './definition';
import { recommendationOf, type Implementation, type Schedule } from './forms';
import { checkSchedule, REPORTED_TIME_TOLERANCE_MS } from './schedule-check';

/** The implementation step opens this long before its window, when the reported start may first lie. */
const GO_LIVE_LEAD_MS = REPORTED_TIME_TOLERANCE_MS;
import type { ChangeRequest } from './request-form';
import * as stages from './steps';

export async function changeProcess(input: CaseInput) {
  return runProcess(changeDefinition, input, async (kase, request) => {
    const standard = request.standardChangeId ? await approvedStandardChange(kase, request) : null;
    if (standard) return standardChange(kase, request, standard);
    if (request.urgency === 'emergency') return emergencyChange(kase, request);
    return normalChange(kase, request);
  });
}

// ---------------------------------------------------------------- normal change (001 §9–§21)

async function normalChange(kase: Case, submitted: ChangeRequest): Promise<void> {
  const revisions: Array<Record<string, unknown>> = [];
  let request = submitted;

  const heads = await requesterHeads(kase);
  await kase.enterStage('departmentHeadApproval');
  const head = await approvalWithRevisions(kase, headApproval(heads), async (comments) => {
    await kase.enterStage('reviseRequest');
    const revised = await task(kase, stages.reviseRequest(kase.state.requester));
    request = { ...request, ...revised.form };
    revisions.push({
      step: 'departmentHeadApproval',
      comments,
      changed: revised.form,
      by: revised.completedBy,
    });
    await kase.setFields({ ...revised.form, revisions });
    await kase.enterStage('departmentHeadApproval');
  });
  if (head.outcome !== 'approved')
    return kase.close('rejected', { stage: 'departmentHeadApproval', reason: reasonOf(head) });

  await kase.enterStage('opsAssessment');
  const assessed = await task(kase, stages.opsAssessment);
  const assessor = assessed.completedBy;
  let assessment = assessed.form;
  await kase.setFields({ assessment, assessedBy: assessor, riskLevel: assessment.riskLevel });

  await kase.enterStage('opsHeadAssessmentApproval');
  const opsHead = await approvalWithRevisions(kase, stages.opsHeadAssessmentApproval, async (comments) => {
    await kase.enterStage('reviseAssessment');
    const revised = await task(kase, stages.reviseAssessment(assessor));
    assessment = { ...assessment, ...revised.form };
    revisions.push({
      step: 'opsHeadAssessmentApproval',
      comments,
      changed: revised.form,
      by: revised.completedBy,
    });
    await kase.setFields({ assessment, riskLevel: assessment.riskLevel, revisions });
    await kase.enterStage('opsHeadAssessmentApproval');
  });
  if (opsHead.outcome !== 'approved') {
    return kase.close('rejected', { stage: 'opsHeadAssessmentApproval', reason: reasonOf(opsHead) });
  }
  // 001 §13(1): not recommended — the requester is told why; §13(3): too large — it becomes a project.
  const recommendation = recommendationOf(assessment);
  if (recommendation === 'not_recommended') {
    const declined = { reason: assessment.reason };
    await tellDepartmentHead(kase, heads, 'not_recommended', declined);
    return kase.close('not_recommended', declined);
  }
  if (recommendation === 'too_large') {
    const declined = { reason: assessment.reason, effortHours: assessment.effortHours, next: 'project' };
    await tellDepartmentHead(kase, heads, 'too_large', declined);
    return kase.close('too_large', declined);
  }

  if (assessment.developmentNeeded) {
    await kase.enterStage('designAndBuild');
    const built = await task(kase, stages.designAndBuild);
    await kase.setFields({ build: built.form, builtBy: built.completedBy });
  }

  await kase.enterStage('planAndTest');
  const plan = await task(kase, stages.changePlan(request.changeType === 'new_function'));
  await kase.setFields({ plan: plan.form });
  const [tested, securityCleared, userConfirmed] = await Promise.all([
    task(kase, stages.testReport),
    task(kase, stages.securityPreReview),
    task(kase, stages.userTestConfirmation(kase.state.requester)),
  ]);
  await kase.setFields({
    testReport: tested.form,
    securityPreReview: securityCleared.form,
    userTestConfirmation: { ...userConfirmed.form, by: userConfirmed.completedBy },
  });

  const implemented = await goLive(kase, {
    request,
    emergency: false,
    interruptionExpected: assessment.businessInterruption,
    assessor: { userId: assessor },
  });

  if (implemented.result === 'succeeded') {
    await kase.enterStage('postImplementationReview');
    const needsSecurityReview = assessment.riskLevel !== 'low';
    const [confirmation, securityReview] = await Promise.all([
      task(
        kase,
        heads.resolved ? stages.requesterHeadConfirmation(heads.of) : stages.departmentHeadConfirmation,
      ),
      needsSecurityReview ? approval(kase, stages.securityPostReview) : Promise.resolve(null),
    ]);
    await kase.setFields({
      goalMet: confirmation.form.goalMet,
      negativeEffects: confirmation.form.negativeEffects,
      confirmedBy: confirmation.completedBy,
      ...(securityReview
        ? { securityPostReview: { outcome: securityReview.outcome, reason: reasonOf(securityReview) } }
        : {}),
    });
  }
  await archive(kase, implemented);
}

// ---------------------------------------------------------------- emergency change (001 §22–§25)

const PAPERWORK_STEPS = ['completedChangeForm', 'signedTestResults', 'backupConfirmation', 'jointReview'];

async function emergencyChange(kase: Case, request: ChangeRequest): Promise<void> {
  // 001 §23: the requesting department head raises it; a staff member's report goes through their head first.
  const raisedByHead = await kase.lookup.isDepartmentHead({ userId: kase.state.requester });
  if (!raisedByHead) {
    const heads = await requesterHeads(kase);
    await kase.enterStage('departmentHeadApproval');
    const head = await approval(kase, headApproval(heads));
    if (head.outcome !== 'approved')
      return kase.close('rejected', { stage: 'departmentHeadApproval', reason: reasonOf(head) });
  }

  await kase.enterStage('emergencyAuthorisation');
  const authorised = await approval(kase, stages.emergencyAuthorisation);
  if (authorised.outcome !== 'approved') {
    return kase.close('rejected', { stage: 'emergencyAuthorisation', reason: reasonOf(authorised) });
  }
  const by = authorised.decisions[authorised.decisions.length - 1];
  await kase.setFields({
    authorisation: {
      by: by.actor,
      channel: by.channel,
      occurredAt: by.occurredAt,
      evidenceRef: by.evidenceRef,
    },
  });

  // 001 §22, §24: implementation may come before testing; the tests are then owed afterwards.
  const implemented = await goLive(kase, {
    request,
    emergency: true,
    interruptionExpected: false,
    assessor: { role: 'ops_head' },
  });

  await kase.enterStage('paperwork');
  const owed = stages.paperwork(kase.state.requester);
  const chased = patched('paperwork-overdue-hook');
  if (chased) kase.onStepOverdue((step) => markUnauthorised(kase, step.name));
  const [papers] = await Promise.all([
    Promise.all([
      task(kase, owed.completedChangeForm),
      task(kase, owed.signedTestResults),
      task(kase, owed.backupConfirmation),
      task(kase, owed.jointReview),
    ]),
    chased ? Promise.resolve() : reportUnauthorisedWhenOverdue(kase),
  ]);
  const review = papers[3].form;
  await kase.setFields({
    paperwork: Object.fromEntries(
      PAPERWORK_STEPS.map((step, i) => [step, { ...papers[i].form, by: papers[i].completedBy }]),
    ),
    paperworkComplete: true,
    goalMet: implemented.result === 'succeeded' ? review.goalMet : false,
    negativeEffects: review.negativeEffects,
  });
  await archive(kase, implemented);
}

/**
 * Paperwork still missing past its due time means the change ran without the authorisation record
 * the regulation requires: the case is marked unauthorised (once, and it stays so), the O&M and IT
 * heads are told, and the requester is told what is still missing. The mark lives in the case's
 * fields, so a continued run neither repeats nor loses it.
 */
function markUnauthorised(kase: Case, overdueStep: string): void {
  if (!PAPERWORK_STEPS.includes(overdueStep) || kase.state.fields.unauthorised === true) return;
  kase.state.fields.unauthorised = true;
  const missing = Object.values(kase.state.steps)
    .filter((s) => PAPERWORK_STEPS.includes(s.name) && s.status === 'pending')
    .map((s) => s.key);
  kase.emit(
    'change.unauthorised',
    { missing, reason: 'emergency change paperwork missing past its due time' },
    {
      notify: [
        {
          to: [{ role: 'ops_head' }, { role: 'it_head' }],
          template: 'change-unauthorised',
          data: { missing },
        },
        { to: [{ userId: kase.state.requester }], template: 'paperwork-missing', data: { missing } },
      ],
    },
  );
}

/** Before the `paperwork-overdue-hook` patch: the same mark, by watching the steps' state. */
async function reportUnauthorisedWhenOverdue(kase: Case): Promise<void> {
  const papers = () => Object.values(kase.state.steps).filter((s) => PAPERWORK_STEPS.includes(s.name));
  const overdue = () => papers().filter((s) => s.status === 'pending' && s.sla?.fired.overdue);
  const complete = () =>
    papers().length === PAPERWORK_STEPS.length && papers().every((s) => s.status === 'done');
  await condition(() => overdue().length > 0 || complete());
  if (complete() || kase.state.fields.unauthorised === true) return;
  kase.state.fields.unauthorised = true;
  const missing = overdue().map((s) => s.key);
  kase.emit(
    'change.unauthorised',
    { missing, reason: 'emergency change paperwork missing past its due time' },
    {
      notify: [
        {
          to: [{ role: 'ops_head' }, { role: 'it_head' }],
          template: 'change-unauthorised',
          data: { missing },
        },
      ],
    },
  );
}

// ---------------------------------------------------------------- standard change (catalogue)

type StandardChange = NonNullable<Awaited<ReturnType<OpsActivities['findStandardChange']>>>;

async function approvedStandardChange(kase: Case, request: ChangeRequest): Promise<StandardChange | null> {
  const id = request.standardChangeId!;
  const template = await kase.lookup.findStandardChange({ id, systems: request.affectedSystems });
  if (!template) {
    await kase.record('change.standard-change-refused', {
      standardChangeId: id,
      reason: 'not an approved, active template for these systems: handled as a normal change',
    });
  }
  return template;
}

async function standardChange(kase: Case, request: ChangeRequest, template: StandardChange): Promise<void> {
  await kase.record('change.standard-change-applied', {
    standardChangeId: template.id,
    name: template.name,
    approvedBy: template.approvedBy,
  });
  await kase.setFields({
    standardChange: { id: template.id, name: template.name, approvedBy: template.approvedBy },
    riskLevel: template.riskLevel,
    plan: { implementationSteps: template.implementationSteps, rollbackSteps: template.rollbackSteps },
  });
  const implemented = await goLive(kase, {
    request,
    emergency: false,
    interruptionExpected: false,
    assessor: { role: 'ops_head' },
  });
  if (implemented.result === 'succeeded') await kase.setFields({ goalMet: true, negativeEffects: '' });
  await archive(kase, implemented);
}

// ---------------------------------------------------------------- going live (001 §17, §19) and archiving (§27)

interface GoLive {
  request: ChangeRequest;
  emergency: boolean;
  /** The assessment expects an interruption; the scheduler may also declare one. */
  interruptionExpected: boolean;
  /** Who hears of a clash with another scheduled change. */
  assessor: Recipient;
}

async function goLive(
  kase: Case,
  { request, emergency, interruptionExpected, assessor }: GoLive,
): Promise<Implementation> {
  await kase.enterStage('scheduling');
  const systems = request.affectedSystems;
  const rechecked = kase.patched('schedule-rechecked-on-current-rules');
  // 001 §17(2) at go-live: a freeze declared after the window was accepted still holds the change.
  const checkedAtGoLive = rechecked && kase.patched('schedule-rechecked-at-go-live');
  /** The window no longer passes the rules in force: held, the assessor and the O&M head told, rescheduled. */
  const hold = async (form: Schedule, problems: FormError[], at: 'scheduling' | 'go-live') => {
    const held = { windowStart: form.windowStart, windowEnd: form.windowEnd };
    await kase.record(
      'change.schedule-held',
      checkedAtGoLive ? { window: held, problems, at } : { window: held, problems },
      {
        notify: [
          {
            to: [assessor, { role: 'ops_head' }],
            template: 'change-schedule-held',
            data: { window: held, problems, at },
          },
        ],
      },
    );
    await kase.enterStage('scheduling');
  };
  let scheduled: TaskCompletion<Schedule>;
  let schedule: Schedule;
  let window: { windowStart: string; windowEnd: string };
  for (;;) {
    scheduled = await scheduleWindow(kase, systems, emergency);
    // A freeze declared while the step was open (the API checks the rules in force when the form is sent).
    const problems = rechecked ? await scheduleProblems(kase, systems, emergency, scheduled.form) : [];
    if (problems.length > 0) {
      await hold(scheduled.form, problems, 'scheduling');
      continue;
    }
    schedule = scheduled.form;
    window = { windowStart: schedule.windowStart, windowEnd: schedule.windowEnd };
    await kase.setFields({ window, scheduledBy: scheduled.completedBy });
    await announce(kase, { systems, window, schedule, interruptionExpected, assessor });
    if (!checkedAtGoLive) break;

    // The implementation opens when the window is about to begin, once the rules in force then allow it.
    await kase.enterStage('scheduled');
    await waitUntil(kase, 'goLive', Date.parse(window.windowStart) - GO_LIVE_LEAD_MS, { field: 'goLive' });
    const atGoLive = await scheduleProblems(kase, systems, emergency, schedule);
    if (atGoLive.length === 0) break;
    await hold(schedule, atGoLive, 'go-live');
  }

  await kase.enterStage('implementation');
  const dueWithWindow = kase.patched('implementation-due-at-window-end');
  const timesChecked = dueWithWindow && kase.patched('implementation-times-checked');
  const done = await task(
    kase,
    timesChecked
      ? stages.implementationChecked(window)
      : dueWithWindow
        ? stages.implementationIn(window)
        : stages.implementation,
  );
  const implemented = done.form;
  await kase.setFields({
    implementation: done.form,
    implementedBy: done.completedBy,
    ...(implemented.result === 'succeeded' ? {} : { goalMet: false }),
    ...(implemented.result === 'rolled_back' ? { rollbackCause: implemented.cause } : {}),
    ...(implemented.result === 'failed' ? { failureCause: implemented.cause } : {}),
  });
  if (implemented.result === 'rolled_back')
    await kase.record('change.rolled-back', { cause: implemented.cause, ...window });
  return implemented;
}

/**
 * What follows an accepted window (001 §17, §19): a clash with another change on the same systems is
 * flagged to the assessor, and departments whose business may be interrupted are told beforehand.
 */
async function announce(
  kase: Case,
  {
    systems,
    window,
    schedule,
    interruptionExpected,
    assessor,
  }: {
    systems: string[];
    window: { windowStart: string; windowEnd: string };
    schedule: Schedule;
    interruptionExpected: boolean;
    assessor: Recipient;
  },
): Promise<void> {
  const clashes = await kase.lookup.findOverlappingChanges({ caseId: kase.state.caseId, systems, ...window });
  if (clashes.length > 0) {
    await kase.record(
      'change.schedule-conflict',
      { window, clashes },
      {
        notify: [{ to: [assessor], template: 'change-schedule-conflict', data: { window, clashes } }],
      },
    );
  }

  // 001 §19: departments whose business may be interrupted are told in writing beforehand, scope and time.
  if (interruptionExpected || schedule.businessInterruption) {
    const departments = schedule.affectedDepartments;
    const contacts = await kase.lookup.changeDepartmentContacts({ departments });
    const notice = {
      departments,
      scope: schedule.interruptionScope ?? 'business may be interrupted',
      ...window,
    };
    await kase.record('change.interruption-notice', notice, {
      notify: [
        { to: contacts.map((userId) => ({ userId })), template: 'change-interruption-notice', data: notice },
      ],
    });
  }
}

/** The scheduling step, checked against the freeze periods and windows read when it opens. */
async function scheduleWindow(kase: Case, systems: string[], emergency: boolean) {
  const rules = await kase.lookup.loadChangeScheduleRules({
    systems,
    emergency,
    now: new Date(Date.now()).toISOString(),
  });
  return task(kase, stages.scheduling(rules));
}

/** What the rules in force now say against a window that was accepted on the rules of earlier. */
async function scheduleProblems(kase: Case, systems: string[], emergency: boolean, schedule: Schedule) {
  const current = await kase.lookup.loadChangeScheduleRules({
    systems,
    emergency,
    now: new Date(Date.now()).toISOString(),
  });
  return checkSchedule(schedule, current);
}

async function archive(kase: Case, implemented: Implementation): Promise<void> {
  await kase.record('change.archived', { form: 'complete', result: implemented.result });
  await kase.close(implemented.result, { cause: implemented.cause ?? null });
}

// ---------------------------------------------------------------- the requester's own head (001 §9)

interface Heads {
  /** False for a case that opened before the `requester-department-head` patch: any head acts. */
  resolved: boolean;
  of: stages.RequesterHeads | null;
}

/**
 * The head of the requester's department as the directory has it, read once when the case needs
 * it. The directory, not the request form's free-text `department`, is authoritative: the form is
 * typed by the requester, who could otherwise name the department whose head approves.
 */
async function requesterHeads(kase: Case): Promise<Heads> {
  if (!kase.patched('requester-department-head')) return { resolved: false, of: null };
  const of = await kase.lookup.requesterDepartmentHeads({ userId: kase.state.requester });
  return { resolved: true, of };
}

/**
 * 001 §13(1): the reason goes to the requesting department — the requester (the closing mail) and
 * the head of their department as the directory names it (`departments.head_user_id`), with the
 * next step when the change is too large (raise it as a project).
 */
async function tellDepartmentHead(
  kase: Case,
  heads: Heads,
  outcome: 'not_recommended' | 'too_large',
  declined: Record<string, unknown>,
): Promise<void> {
  if (!kase.patched('declined-reason-to-department-head')) return;
  const head = heads.of?.head;
  if (!heads.resolved || !head || head === kase.state.requester) return;
  const data = { outcome, requester: kase.state.requester, ...declined };
  await kase.record('change.declined', data, {
    notify: [{ to: [{ userId: head }], template: 'change-declined', data }],
  });
}

function headApproval(heads: Heads) {
  return heads.resolved ? stages.requesterHeadApproval(heads.of) : stages.departmentHeadApproval;
}

function reasonOf(result: ApprovalResult): string | null {
  const last = [...result.decisions].reverse().find((d) => d.comment);
  return last?.comment ?? null;
}
