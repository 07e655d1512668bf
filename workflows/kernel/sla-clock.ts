/**
 * Runs a step's SLA clock while the step waits: a durable timer to the next milestone, then
 * the milestone fired and recorded, until the step is done. A worker that was down when
 * milestones came due fires each missed one on its return, once and in order, because each
 * milestone is marked fired in workflow state before the next is looked for.
 */
import { condition, sleep } from '@temporalio/workflow';
import { toRecipient } from '../contracts/assignees';
import type { Case } from './case';
import { iso } from './clock';
import type { StepRecord } from './case-state';
import { markFired, nextMilestone, type SlaMilestone } from './sla';

/**
 * A timer starts when the workflow task that sets it completes, so it fires late by that task's
 * work. In runs whose steps open in one task (`STEP_OPENS_IN_ONE_TASK` in `case.ts`) the opening
 * task is the heaviest of all — it reads the step's policy in a local activity, and a new case's
 * first task builds its workflow context — so the clock sets its first timer from the next,
 * light task: a one-millisecond sleep wakes it. A plain sleep, never cancelled, so it cannot race
 * the step's end (the Java test server refuses a task that cancels a timer fired meanwhile).
 */
const FROM_A_LIGHT_TASK_MS = 1;

/**
 * In runs that open steps in fewer tasks (`FEWER_TASKS_PER_STEP`) the light task is the one the
 * write of the step's opening wakes when it completes — a task the case runs anyway — so the
 * clock costs no task and no timer of its own.
 */
async function fromALightTask(kase: Case): Promise<void> {
  if (kase.opensStepsInFewerTasks) await kase.drained();
  else if (kase.opensStepsInOneTask) await sleep(FROM_A_LIGHT_TASK_MS);
}

export async function runSlaClock(kase: Case, step: StepRecord): Promise<void> {
  const sla = step.sla;
  if (!sla) return;
  const settled = () => step.status !== 'pending';
  await fromALightTask(kase);
  for (;;) {
    if (settled()) return;
    const version = sla.version;
    const changed = () => settled() || sla.version !== version;
    const next = nextMilestone(sla);
    if (!next) {
      await condition(changed);
      continue;
    }
    const wait = next.at - Date.now();
    if (wait > 0) {
      const interrupted = await condition(changed, wait, { summary: `${step.name}: ${label(next)}` });
      if (interrupted) continue;
    }
    fire(kase, step, next);
  }
}

function label(m: SlaMilestone): string {
  return m.kind === 'escalation' ? `escalation level ${m.level}` : m.kind;
}

function fire(kase: Case, step: StepRecord, m: SlaMilestone): void {
  const sla = step.sla!;
  markFired(sla, m);
  const base = {
    step: step.key,
    stepTitle: step.title,
    scheduledAt: iso(m.at),
    dueAt: iso(sla.dueAt),
    policyId: sla.policy.policyId,
  };
  const owners = kase.assigneesOf(step).map(toRecipient);
  if (m.kind === 'warning') {
    kase.emit('sla.warning', base, { notify: [{ to: owners, template: 'sla-warning', data: base }] });
  } else if (m.kind === 'overdue') {
    kase.emit('sla.overdue', base, { notify: [{ to: owners, template: 'sla-overdue', data: base }] });
    kase.stepOverdue(step);
  } else {
    const level = sla.policy.escalation[m.level - 1];
    const data = {
      ...base,
      level: m.level,
      reassignedTo: level.reassignTo ? recipientName(level.reassignTo) : null,
    };
    if (level.reassignTo) kase.reassignByEscalation(step, recipientName(level.reassignTo));
    kase.emit('sla.escalated', data, { notify: [{ to: level.notify, template: 'sla-escalation', data }] });
  }
  kase.describe();
}

function recipientName(r: { userId: string } | { role: string }): string {
  return 'userId' in r ? r.userId : `role:${r.role}`;
}
