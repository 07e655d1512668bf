/**
 * The defect's window (003 (九) 3): the `resolution` policy of its class — 2 / 3 / 5 working days
 * on the official calendar by default — counted from an instant (the user's confirmation, or a
 * reopening). The policy is read as master data, journaled; the arithmetic is the shared pure one.
 */
import { addPolicyDuration } from '../contracts/working-time';
import type { Case } from '../kernel';

export async function windowFrom(kase: Case, from: string): Promise<string> {
  const policy = await kase.lookup.resolveSlaPolicy({
    process: kase.state.process,
    stage: 'resolution',
    priority: kase.state.priority,
  });
  const due = addPolicyDuration(
    Date.parse(from),
    policy.duration,
    policy.basis,
    policy.calendar,
    kase.state.timeZone,
  );
  return new Date(due).toISOString();
}
