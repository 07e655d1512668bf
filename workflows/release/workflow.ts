/**
 * Release and go-live (发布、上线), as the bank's regulation lays it down (001 §28–35, 004 §7.6,
 * 003 (七) 7, 000): the project team applies with the user acceptance test report; the PMO
 * reviews, then the security section and the IT department head, each writing an opinion — a
 * returned application goes back to the team with the reasons. The team writes the plan, the
 * department head approves it and the user's representative confirms it in writing. The planned
 * steps are executed by their owners, backup and security check first; a failed step may be
 * rolled back. The business department confirms the release works, the trial run follows (three
 * months by policy, reported monthly), then acceptance, formal operation and the systems'
 * configuration records. Go-live and system release differ only in data (`kinds.ts`).
 */
import {
  approvalWithRevisions,
  runProcess,
  task,
  waitForPolicy,
  type ApprovalResult,
  type Case,
  type CaseInput,
  type TaskCompletion,
  type TaskSpec,
} from '../kernel';
import { releaseDefinition } from './definition';
import type { Plan, Review, StepOutcome, TrialProblem } from './forms';
import { releaseKinds, type ReleaseKind } from './kinds';
import type { ReleaseRequest } from './request-form';
import * as steps from './steps';

export async function releaseProcess(input: CaseInput) {
  return runProcess(releaseDefinition, input, async (kase, submitted) => {
    const kind = releaseKinds[submitted.kind];
    await kase.setFields({ kindTitle: kind.title, clauses: kind.clauses });

    const request = await reviewedApplication(kase, submitted);
    if (!request) return kase.close('withdrawn', { stage: 'reviseApplication' });

    const plan = await confirmedPlan(kase, request, kind);
    if (!plan) return kase.close('rejected', { stage: 'planApproval' });

    const executed = await execution(kase, plan, kind);
    if (executed === 'rolled_back') return;
    const wentLiveAt = new Date(Date.now()).toISOString();
    await kase.setFields({ wentLiveAt });

    if (!(await verifiedAfterRelease(kase, request, plan))) return;

    await trialRunUntilAccepted(kase);

    // 004 §7.6.1 d: the configuration records of the systems it changed.
    const recorded = await kase.lookup.recordReleasedVersions({
      caseId: kase.state.caseId,
      systems: request.systems,
      wentLiveAt,
      acceptedAt: new Date(Date.now()).toISOString(),
    });
    await kase.setFields({ configurationRecords: recorded });
    await kase.close('formal_operation', { systems: request.systems });
  });
}

// ---------------------------------------------------------------- application and reviews (001 §28, §32)

async function reviewedApplication(kase: Case, submitted: ReleaseRequest): Promise<ReleaseRequest | null> {
  let request = submitted;
  const reviews: Array<Record<string, unknown>> = [];
  const revisions: Array<Record<string, unknown>> = [];
  for (let round = 1; ; round++) {
    await kase.enterStage('pmoReview');
    const pmo = await task(kase, steps.pmoReview);
    const opinions: Record<string, unknown> = { round, pmo: opinionOf(pmo) };
    let returned = returnedBy([pmo]);
    if (returned.length === 0) {
      await kase.enterStage('securityAndItHeadReview');
      const [security, itHead] = await Promise.all([
        task(kase, steps.securityReview),
        task(kase, steps.itHeadReview),
      ]);
      opinions.security = opinionOf(security);
      opinions.itHead = opinionOf(itHead);
      returned = returnedBy([security, itHead]);
    }
    reviews.push(opinions);
    await kase.setFields({ reviews });
    if (returned.length === 0) return request;

    // Returned to the project team with the reasons; what it does not resend stays as filled in.
    await kase.enterStage('reviseApplication');
    await kase.record(
      'release.returned',
      { reasons: returned },
      {
        notify: [
          {
            to: [{ userId: kase.state.requester }],
            template: 'release-returned',
            data: { reasons: returned },
          },
        ],
      },
    );
    const revised = await task(kase, steps.reviseApplication(kase.state.requester));
    const { response, withdrawn, ...changed } = revised.form;
    revisions.push({ round, reasons: returned, response, changed, by: revised.completedBy });
    if (withdrawn) {
      await kase.setFields({ revisions });
      return null;
    }
    request = { ...request, ...changed };
    await kase.setFields({ ...changed, revisions });
  }
}

function opinionOf(review: TaskCompletion<Review>) {
  return { ...review.form, by: review.completedBy, at: review.occurredAt };
}

function returnedBy(reviews: Array<TaskCompletion<Review>>): string[] {
  return reviews
    .filter((r) => r.form.verdict === 'returned')
    .map((r) => `${r.completedBy}: ${r.form.opinion}`);
}

// ---------------------------------------------------------------- the plan (001 §29, §33; 003 (七) 7)

async function confirmedPlan(kase: Case, request: ReleaseRequest, kind: ReleaseKind): Promise<Plan | null> {
  const team = kase.state.requester;
  await kase.enterStage('plan');
  // The execution window obeys the change process's schedule rules, read from the same master data.
  const rules = await kase.lookup.loadChangeScheduleRules({
    systems: request.systems.map((s) => s.systemId),
    emergency: false,
    now: new Date(Date.now()).toISOString(),
  });
  const written = await task(kase, steps.releasePlan(team, kind, rules));
  let plan = written.form;
  await kase.setFields({ plan, plannedBy: written.completedBy });

  const planRevisions: Array<Record<string, unknown>> = [];
  const revise = async (comments: string[]): Promise<boolean> => {
    await kase.enterStage('revisePlan');
    const revised = await task(kase, steps.revisePlan(team, rules, plan));
    const { reReview, ...changed } = revised.form;
    plan = { ...plan, ...changed };
    planRevisions.push({ comments, changed, reReview: reReview === true, by: revised.completedBy });
    await kase.setFields({ plan, planRevisions });
    return reReview === true;
  };

  const confirmations: Array<Record<string, unknown>> = [];
  let needsApproval = true;
  for (;;) {
    if (needsApproval) {
      await kase.enterStage('planApproval');
      const head: ApprovalResult = await approvalWithRevisions(kase, steps.planApproval, async (comments) => {
        await revise(comments);
        await kase.enterStage('planApproval');
      });
      const decision = head.decisions[head.decisions.length - 1];
      await kase.setFields({
        planApproval: { outcome: head.outcome, by: decision.actor, comment: decision.comment },
      });
      if (head.outcome !== 'approved') return null;
    }
    await kase.enterStage('deploymentConfirmation');
    const confirmation = await task(kase, steps.deploymentConfirmation(request.userRepresentative));
    confirmations.push({ ...confirmation.form, by: confirmation.completedBy, at: confirmation.occurredAt });
    await kase.setFields({ deploymentConfirmations: confirmations });
    if (confirmation.form.confirmed) return plan;
    // Revised until the user's representative confirms; the project manager may call a re-review.
    needsApproval = await revise([confirmation.form.comments ?? '']);
  }
}

// ---------------------------------------------------------------- execution (001 §30, §34)

async function execution(kase: Case, plan: Plan, kind: ReleaseKind): Promise<'succeeded' | 'rolled_back'> {
  await kase.enterStage('execution');
  const planned: Array<TaskSpec<StepOutcome>> = [
    steps.backup(plan.backup.owner),
    steps.securityCheck,
    ...plan.steps.map((s, i) => steps.executionStep(i, s)),
    ...(kind.tracksFrontEndRollout && plan.frontEndRollout
      ? [steps.frontEndRollout(plan.frontEndRollout.owner)]
      : []),
  ];
  const executionLog: Array<Record<string, unknown>> = [];
  for (const spec of planned) {
    for (;;) {
      const done = await task(kase, spec);
      executionLog.push({
        step: spec.step,
        title: spec.title,
        by: done.completedBy,
        recordedAt: done.occurredAt,
        ...done.form,
      });
      await kase.setFields({
        executionLog,
        ...(spec.step === 'backup' ? { versionComparison: done.form.versionComparison } : {}),
      });
      if (done.form.result === 'succeeded') break;
      const decided = await task(kase, steps.failureDecision(kase.state.requester, spec.title));
      await kase.record('release.step-failed', {
        step: spec.step,
        notes: done.form.notes ?? null,
        ...decided.form,
      });
      if (decided.form.action === 'rollback') {
        await rolledBack(kase, plan, `${spec.title}: ${done.form.notes ?? 'failed'}`);
        return 'rolled_back';
      }
    }
  }
  return 'succeeded';
}

/** The rollback plan's steps, each recorded like an execution step; the case closes as rolled back. */
async function rolledBack(kase: Case, plan: Plan, cause: string): Promise<void> {
  await kase.enterStage('rollback');
  const rollbackLog: Array<Record<string, unknown>> = [];
  for (const [i, planned] of plan.rollbackSteps.entries()) {
    const done = await task(kase, steps.rollbackStep(i, planned));
    rollbackLog.push({
      step: `rollbackStep${i + 1}`,
      title: planned.name,
      by: done.completedBy,
      ...done.form,
    });
    await kase.setFields({ rollbackLog });
  }
  await kase.record(
    'release.rolled-back',
    { cause, steps: rollbackLog.length },
    {
      notify: [
        {
          to: [{ role: 'ops_head' }, { role: 'pmo' }, { userId: kase.state.requester }],
          template: 'release-rolled-back',
          data: { cause },
        },
      ],
    },
  );
  await kase.close('rolled_back', { cause });
}

// ---------------------------------------------------------------- verification after release (000)

async function verifiedAfterRelease(kase: Case, request: ReleaseRequest, plan: Plan): Promise<boolean> {
  const verifications: Array<Record<string, unknown>> = [];
  for (;;) {
    await kase.enterStage('verification');
    const verified = await task(kase, steps.verification(request.userAcceptanceTestReport.signedBy));
    verifications.push({ ...verified.form, by: verified.completedBy, at: verified.occurredAt });
    await kase.setFields({ verifications });
    if (verified.form.works) return true;
    if (verified.form.remedy === 'rollback') {
      await rolledBack(kase, plan, `verification failed: ${verified.form.notes ?? ''}`);
      return false;
    }
    // A fix through a linked change; the business department verifies again once it is in.
    await kase.record('release.fix-linked', {
      fixCase: verified.form.fixCase ?? null,
      notes: verified.form.notes ?? null,
    });
  }
}

// ---------------------------------------------------------------- trial run and acceptance (001 §30(13)(14), §31, §35)

async function trialRunUntilAccepted(kase: Case): Promise<void> {
  const team = kase.state.requester;
  const trialProblems: TrialProblem[] = [];
  const trialReports: Array<Record<string, unknown>> = [];
  const acceptances: Array<Record<string, unknown>> = [];
  let month = 0;
  for (let round = 1; ; round++) {
    await kase.enterStage('trialRun');
    let over = false;
    // The first trial runs for the policy's length (3 months by default); a refused acceptance extends it.
    const trial = waitForPolicy(kase, 'trialRun', round === 1 ? 'trialRun' : 'trialExtension', {
      field: 'trialRun',
    }).then((ended) => {
      over = true;
      return ended;
    });
    const reports = (async () => {
      for (;;) {
        const due = await waitForPolicy(kase, 'trialReportDue', 'trialReportInterval', {
          cancelWhen: () => over,
        });
        if (due.ended === 'cancelled') return;
        month += 1;
        const report = await task(kase, steps.trialReport(team, month));
        trialProblems.push(...report.form.problems);
        trialReports.push({ month, ...report.form, by: report.completedBy, at: report.occurredAt });
        await kase.setFields({ trialReports, trialProblems, openTrialProblems: openCount(trialProblems) });
        if (report.form.problems.length > 0) {
          await kase.record(
            'release.trial-problems',
            { month, problems: report.form.problems },
            {
              notify: [
                {
                  to: [{ role: 'ops_head' }, { userId: team }],
                  template: 'release-trial-problems',
                  data: { month, problems: report.form.problems },
                },
              ],
            },
          );
        }
      }
    })();
    const [ended] = await Promise.all([trial, reports]);
    // §31(1): the PMO is told when the trial ends, so the acceptance application can follow.
    await kase.record(
      'release.trial-ended',
      { round, until: ended.until, openProblems: openCount(trialProblems) },
      {
        notify: [
          {
            to: [{ role: 'pmo' }, { userId: team }],
            template: 'release-trial-ended',
            data: { until: ended.until, openProblems: openCount(trialProblems) },
          },
        ],
      },
    );

    await kase.enterStage('acceptance');
    const applied = await task(kase, steps.acceptanceApplication(team));
    const reviewed = await task(kase, steps.acceptanceReview);
    acceptances.push({
      round,
      application: { ...applied.form, by: applied.completedBy },
      review: { ...reviewed.form, by: reviewed.completedBy, at: reviewed.occurredAt },
    });
    await kase.setFields({ acceptances });
    if (reviewed.form.accepted) return;
    // Not accepted: the trial goes on, with the reasons on the case.
    await kase.record(
      'release.acceptance-refused',
      { round, reasons: reviewed.form.reasons ?? null },
      {
        notify: [
          {
            to: [{ userId: team }],
            template: 'release-returned',
            data: { reasons: [reviewed.form.reasons ?? ''] },
          },
        ],
      },
    );
  }
}

const openCount = (problems: TrialProblem[]) => problems.filter((p) => p.status === 'open').length;
