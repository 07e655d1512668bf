/**
 * Defect handling (缺陷管理), as 003 (七) 1(2) lays it down, with the windows and records of
 * 003 (九) 3–4: the defect is registered understandably; the user's side confirms the requirement
 * and the window starts (2 / 3 / 5 working days by class, or a due date both parties agreed); it
 * is submitted to an owner — the vendor's project manager when nobody knows who, who reassigns it —
 * who accepts it or rejects it (a rejection closes it only if the PM agrees); a manual data fix
 * or history-data correction (003 (七) 1(6), 2) gets its plan approved by the user first; the
 * owner resolves it with cause analysis and solution; someone other than the resolver retests it;
 * a failed retest reopens it. Closed, it stays reopenable for the retention period: a recurrence
 * reopens the same case, its history kept, and the reopen is counted.
 */
import {
  approval,
  reopenWithin,
  role,
  runProcess,
  task,
  type Assignee,
  type Case,
  type CaseInput,
} from '../kernel';
import { toRecipient } from '../contracts/assignees';
import { defectDefinition } from './definition';
import type { Acceptance } from './forms';
import type { DefectReport } from './request-form';
import * as steps from './steps';
import { windowFrom } from './window';

/** Who may report a recurrence of a closed defect, besides its requester. */
const REOPENERS = ['vendor_engineer', 'vendor_pm', 'ops_engineer', 'ops_head', 'requester', 'admin'];

/** Who works on the defect, as the procedure learns it. */
interface Handling {
  owner: Assignee;
  projectManager: Assignee;
  confirmer: Assignee;
  /** When the owner's steps are due: the window, or a reopened round's own. */
  dueAt: string;
  windowDueAt: string;
}

interface Closing {
  outcome: 'fixed' | 'rejected' | 'fix_not_approved';
  data: Record<string, unknown>;
}

export async function defectProcess(input: CaseInput) {
  return runProcess(defectDefinition, input, async (kase, report) => {
    const parties = await kase.lookup.defectParties({ system: report.system });
    const projectManager = parties.projectManagers[0] ?? role('vendor_pm');
    const confirmer = report.userConfirmerId ?? userSide(kase, parties.ownerDepartmentHead);
    await kase.setFields({
      defectKind: report.kind,
      defectClass: report.defectClass,
      vendorId: parties.vendorId,
      ownerId: report.ownerId ?? null,
      confirmedAt: null,
      windowDueAt: null,
      resolvedAt: null,
      verifiedAt: null,
      onTime: null,
      reopenCount: 0,
      codeChange: false,
    });

    // 003 (九) 3: the window runs from the user's confirmation of the requirement.
    await kase.enterStage('confirmation');
    const confirmed = await task(kase, steps.confirmation(confirmer));
    if (!confirmed.form.confirmed) {
      return kase.close('not_confirmed', { note: confirmed.form.note ?? null, by: confirmed.completedBy });
    }
    const standardDueAt = await windowFrom(kase, confirmed.occurredAt);
    await kase.setFields({
      confirmedAt: confirmed.occurredAt,
      confirmedBy: confirmed.completedBy,
      windowDueAt: standardDueAt,
    });
    const windowDueAt = await negotiatedWindow(kase, confirmed, standardDueAt, projectManager);

    const handling: Handling = {
      owner: report.ownerId ?? projectManager,
      projectManager,
      confirmer,
      dueAt: windowDueAt,
      windowDueAt,
    };
    let from: 'acceptance' | 'resolution' = 'acceptance';
    for (;;) {
      const closing = await handled(kase, report, handling, from);
      await kase.close(closing.outcome, closing.data);
      if (closing.outcome === 'fix_not_approved') return;
      // 003 (七) 1(2) 7: a closed defect that appears again is reopened and handled on.
      const recurrence = await reopenWithin(kase, 'recurrence', 'recurrenceWatch', REOPENERS);
      if (!recurrence) return;
      await reopened(kase, handling, 'recurrence', recurrence.reason, recurrence.link);
      from = 'resolution';
    }
  });
}

/**
 * 003 (九) 3: a special case gets the due date the user proposed with its reason, once the vendor's
 * project manager agrees to it too; otherwise the standard window stands.
 */
async function negotiatedWindow(
  kase: Case,
  confirmed: { form: { negotiatedDueAt?: string; negotiationReason?: string }; completedBy: string },
  standardDueAt: string,
  projectManager: Assignee,
): Promise<string> {
  const { negotiatedDueAt, negotiationReason } = confirmed.form;
  if (!negotiatedDueAt) return standardDueAt;
  await kase.enterStage('dueDateAgreement');
  const agreed = await approval(kase, steps.dueDateAgreement(projectManager));
  const by = agreed.decisions[agreed.decisions.length - 1];
  const dueAt =
    agreed.outcome === 'approved' ? new Date(Date.parse(negotiatedDueAt)).toISOString() : standardDueAt;
  await kase.setFields({
    windowDueAt: dueAt,
    negotiatedDue: {
      proposedDueAt: negotiatedDueAt,
      reason: negotiationReason,
      proposedBy: confirmed.completedBy,
      agreed: agreed.outcome === 'approved',
      decidedBy: by?.actor ?? null,
      comment: by?.comment ?? null,
      standardDueAt,
    },
  });
  return dueAt;
}

/** One pass of handling, until the defect is verified fixed or closed otherwise. */
async function handled(
  kase: Case,
  report: DefectReport,
  handling: Handling,
  from: 'acceptance' | 'resolution',
): Promise<Closing> {
  let next = from;
  for (;;) {
    if (next === 'acceptance') {
      // 003 (七) 1(2) 2–3: submitted to its owner, who confirms it is theirs and starts.
      await kase.enterStage('submitted');
      const accepted = await task(kase, steps.acceptance(handling.owner, handling.dueAt));
      handling.owner = accepted.completedBy;
      await kase.setFields({ ownerId: accepted.completedBy, acceptedAt: accepted.occurredAt });
      if (accepted.form.decision === 'reject') {
        const rejection = rejectionOf(accepted.form, accepted.completedBy);
        await kase.setFields({ rejection });
        await kase.enterStage('rejectionReview');
        const review = await approval(kase, steps.rejectionReview(handling.projectManager));
        const by = review.decisions[review.decisions.length - 1];
        if (review.outcome === 'approved') {
          return { outcome: 'rejected', data: { ...rejection, agreedBy: by?.actor ?? null } };
        }
        await reopened(
          kase,
          handling,
          'rejection-overruled',
          by?.comment ?? 'the project manager did not agree',
          null,
        );
      }
    }
    if (report.kind !== 'defect' && !(await fixApproved(kase, handling))) {
      return { outcome: 'fix_not_approved', data: {} };
    }

    // 003 (七) 1(2) 4, (九) 4: resolved, the cause and the solution written down.
    await kase.enterStage('inProgress');
    const resolved = await task(kase, steps.resolution(handling.owner, handling.dueAt));
    await kase.setFields({
      resolvedAt: resolved.occurredAt,
      resolvedBy: resolved.completedBy,
      onTime: Date.parse(resolved.occurredAt) <= Date.parse(handling.windowDueAt),
      codeChange: resolved.form.codeChange,
      causeAnalysis: resolved.form.causeAnalysis,
      solution: resolved.form.solution,
      changeRef: resolved.form.changeRef ?? null,
    });

    // 003 (七) 1(2) 5: retested, by someone other than the resolver (the kernel refuses them).
    await kase.enterStage('verification');
    const retest = await task(kase, steps.verification(kase.state.requester));
    if (retest.form.result === 'passed') {
      await kase.setFields({ verifiedAt: retest.occurredAt, verifiedBy: retest.completedBy });
      return { outcome: 'fixed', data: { verifiedBy: retest.completedBy } };
    }
    await reopened(kase, handling, 'verification-failed', retest.form.retestNotes, null);
    next = 'resolution';
  }
}

/** 003 (七) 1(6), 2: the fix plan (statement, SQL, data files) is approved by the user before the fix. */
async function fixApproved(kase: Case, handling: Handling): Promise<boolean> {
  for (;;) {
    const plan = await writePlan(kase, handling);
    await kase.enterStage('userApproval');
    const decided = await task(kase, steps.userApproval(handling.confirmer));
    const { decision, comment } = decided.form;
    await kase.setFields({
      fixApproval: {
        decision,
        comment: comment ?? null,
        by: decided.completedBy,
        at: decided.occurredAt,
        plan,
      },
    });
    // Sent back, the owner revises the plan and the user decides again (003 (七) 2 (3)).
    if (decision !== 'request_changes') return decision === 'approve';
  }
}

async function writePlan(kase: Case, handling: Handling) {
  await kase.enterStage('fixPlan');
  const planned = await task(kase, steps.fixPlan(handling.owner, handling.dueAt));
  const plan = { ...planned.form, by: planned.completedBy, at: planned.occurredAt };
  await kase.setFields({ fixPlan: plan });
  return plan;
}

/**
 * 003 (七) 1(2) 6–7: reopened — the rejection overruled, the retest failed, or the defect came back.
 * Counted, told to the owner and the PM; the new round is due a window from now.
 */
async function reopened(
  kase: Case,
  handling: Handling,
  why: 'rejection-overruled' | 'verification-failed' | 'recurrence',
  reason: string,
  link: string | null,
): Promise<void> {
  const reopenCount = Number(kase.state.fields.reopenCount ?? 0) + 1;
  handling.dueAt = await windowFrom(kase, new Date(Date.now()).toISOString());
  await kase.setFields({ reopenCount, resolvedAt: null, verifiedAt: null, onTime: null });
  await kase.record(
    'defect.reopened',
    { why, reason, link, reopenCount, dueAt: handling.dueAt },
    {
      notify: [
        {
          to: [...new Set([handling.owner, handling.projectManager])].map(toRecipient),
          template: 'defect-reopened',
          data: { why, reason, link, reopenCount, dueAt: handling.dueAt },
        },
      ],
    },
  );
}

/**
 * Who confirms the requirement when the registration names nobody: the user who registered it; for
 * a defect the vendor's team registered, the head of the business department owning the system
 * (or, without one, the business staff's queue) — never the vendor itself.
 */
function userSide(kase: Case, ownerDepartmentHead: string | null): Assignee {
  if (kase.state.vendorId === null) return kase.state.requester;
  return ownerDepartmentHead ?? role('requester');
}

function rejectionOf(form: Acceptance, by: string) {
  return {
    reason: form.rejectionReason ?? null,
    duplicateOf: form.duplicateOf ?? null,
    explanation: form.explanation ?? null,
    by,
  };
}
