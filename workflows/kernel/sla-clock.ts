/**
 * Runs a step's SLA clock while the step waits: a durable timer to the next milestone, then
 * the milestone fired and recorded, until the step is done. A worker that was down when
 * milestones came due fires each missed one on its return, once and in order, because each
 * milestone is marked fired in workflow state before the next is looked for.
 */
import { condition } from '@temporalio/workflow';
import { toRecipient } from '../contracts/assignees';
import type { Case } from './case';
import { iso } from './clock';
import type { StepRecord } from './case-state';
import { markFired, nextMilestone, type SlaMilestone } from './sla';

export async function runSlaClock(kase: Case, step: StepRecord): Promise<void> {
  const sla = step.sla;
  if (!sla) return;
  const settled = () => step.status !== 'pending';
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
