/**
 * Who may act on a step: a person (`u-1042`) or everyone holding a role (`role:ops_head`).
 * The same strings fill the read model's assignee list and the OpsAssignees search attribute,
 * so "waiting for me" is a match on my id or any of my roles.
 */
import type { ActorRef } from './messages';
import type { Recipient } from './case-records';

export type Assignee = string;

export const role = (name: string): Assignee => `role:${name}`;

export function roleOf(assignee: Assignee): string | null {
  return assignee.startsWith('role:') ? assignee.slice('role:'.length) : null;
}

export function matches(actor: Pick<ActorRef, 'id' | 'roles'>, assignee: Assignee): boolean {
  const r = roleOf(assignee);
  return r === null ? actor.id === assignee : actor.roles.includes(r);
}

export function toRecipient(assignee: Assignee): Recipient {
  const r = roleOf(assignee);
  return r === null ? { userId: assignee } : { role: r };
}
