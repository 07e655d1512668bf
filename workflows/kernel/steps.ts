/**
 * The two kinds of waiting step a process is made of — an approval gate and a task — each
 * with its owner, its SLA clock from the service-level policy, and its audit events. A step
 * already open when the case continued as new is resumed, not reopened.
 */
import { condition } from '@temporalio/workflow';
import { openApproval, type ApprovalOutcome, type ApprovalSpec, type DecisionRecord } from './approval';
import { toRecipient } from '../contracts/assignees';
import type { Case } from './case';
import { iso } from './clock';
import type { CallKey, StepRecord } from './case-state';
import { runSlaClock } from './sla-clock';
import { planSla, slaHolidayDataShortfall } from './sla';
import { openTask, type TaskCompletion, type TaskSpec } from './task';

export interface ApprovalResult {
  outcome: ApprovalOutcome;
  decisions: DecisionRecord[];
}

export async function approval(kase: Case, spec: ApprovalSpec): Promise<ApprovalResult> {
  const key = kase.nextStepKey(spec.step);
  return kase.journaled(`approval:${spec.step}`, (callIndex) =>
    waitFor<ApprovalResult>(kase, callIndex, key, spec.slaStage ?? spec.step, () => ({
      name: spec.step,
      kind: 'approval',
      title: spec.title,
      approval: openApproval(structuredCloneSpec(spec)),
    })),
  );
}

export async function task<F = Record<string, unknown>>(
  kase: Case,
  spec: TaskSpec<F>,
): Promise<TaskCompletion<F>> {
  const key = kase.nextStepKey(spec.step);
  return kase.journaled(`task:${spec.step}`, (callIndex) =>
    waitFor<TaskCompletion<F>>(
      kase,
      callIndex,
      key,
      spec.slaStage ?? spec.step,
      () => ({ name: spec.step, kind: 'task', title: spec.title, task: openTask(spec) }),
      spec.dueAt === undefined ? undefined : Date.parse(spec.dueAt),
    ),
  );
}

/**
 * An approval that can be sent back: on "request changes" the submitter revises (a task of
 * its own), and the same gate runs again, until it is approved or rejected.
 */
export async function approvalWithRevisions(
  kase: Case,
  spec: ApprovalSpec,
  revise: (comments: string[]) => Promise<void>,
): Promise<ApprovalResult> {
  for (;;) {
    const result = await approval(kase, spec);
    if (result.outcome !== 'changes_requested') return result;
    const comments = result.decisions
      .filter((d) => d.decision === 'request_changes' && d.comment)
      .map((d) => d.comment as string);
    await revise(comments);
  }
}

type StepShape = Pick<StepRecord, 'name' | 'kind' | 'title' | 'approval' | 'task'>;

async function waitFor<T>(
  kase: Case,
  callIndex: CallKey,
  key: string,
  slaStage: string,
  shape: () => StepShape,
  givenDueAt?: number,
): Promise<T> {
  let step = Object.values(kase.state.steps).find((s) => s.callIndex === callIndex);
  if (!step) {
    kase.checkStepClock(slaStage);
    const shaped = shape();
    kase.checkStepForm(shaped.task?.spec.form ?? shaped.name, shaped.task?.spec.formSchema !== undefined);
    // The policy is read once, when the step opens; its resolved values stay with the step.
    const policy = await kase.working(() =>
      kase.resolveSlaPolicy({
        process: kase.state.process,
        stage: slaStage,
        priority: kase.state.priority,
      }),
    );
    const openedAt = Date.now();
    step = {
      ...shaped,
      key,
      callIndex,
      status: 'pending',
      sla: planSla(policy, openedAt, kase.state.timeZone, givenDueAt),
      openedAt: iso(openedAt),
      closedAt: null,
    };
    kase.state.steps[key] = step;
    const assignees = kase.assigneesOf(step);
    kase.emit(
      'step.opened',
      {
        step: key,
        kind: step.kind,
        title: step.title,
        assignees,
        dueAt: iso(step.sla!.dueAt),
        warnAt: step.sla!.warnAt === null ? null : iso(step.sla!.warnAt),
        policyId: policy.policyId,
      },
      {
        notify: [
          {
            to: assignees.map(toRecipient),
            template: step.kind === 'approval' ? 'approval-request' : 'task-assigned',
            data: { step: key, stepTitle: step.title, dueAt: iso(step.sla!.dueAt) },
          },
        ],
      },
    );
    const shortfall = slaHolidayDataShortfall(step.sla!);
    if (shortfall)
      kase.emit('calendar.holiday-data-missing', { step: key, policyId: policy.policyId, ...shortfall });
    kase.describe();
  }
  const opened = step;
  await kase.awaitStep(key, () =>
    Promise.all([runSlaClock(kase, opened), condition(() => opened.status === 'done')]),
  );
  kase.describe();
  return opened.result as T;
}

/** The gate mutates its levels on escalation; keep the caller's spec object untouched. */
function structuredCloneSpec(spec: ApprovalSpec): ApprovalSpec {
  return JSON.parse(JSON.stringify(spec)) as ApprovalSpec;
}
