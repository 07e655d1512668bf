/**
 * The participants of a case (migration 0025): who acted on it, and the people and role queues
 * it was ever assigned to. Written in the transaction that records the events, from the events
 * themselves and the projection, so the case-access rule can join them by index.
 */
import type { Knex } from 'knex';
import type { CaseEventRecord, CaseProjection } from '../workflows/contracts/case-records';

/**
 * The participants an event names: its actor, a step's assignees, whoever a step was handed to, and
 * the units a process names as parties (`case.participants-added`: `department:<id>`, `vendor:<id>`).
 */
export function participantsOf(event: CaseEventRecord): string[] {
  const found: string[] = [];
  if (event.actor) found.push(event.actor);
  const { assignees, to, participants } = event.data as {
    assignees?: unknown;
    to?: unknown;
    participants?: unknown;
  };
  if (event.type === 'case.participants-added' && Array.isArray(participants)) {
    found.push(
      ...participants.filter((p): p is string => typeof p === 'string' && /^(department|vendor):/.test(p)),
    );
  }
  if (event.type === 'step.opened' && Array.isArray(assignees)) {
    found.push(...assignees.filter((a): a is string => typeof a === 'string'));
  }
  if ((event.type === 'task.reassigned' || event.type === 'step.delegated') && typeof to === 'string') {
    found.push(to);
  }
  return found;
}

/** Adds the participants of these events and of the projection's current assignees; idempotent. */
export async function recordCaseParticipants(
  trx: Knex.Transaction,
  caseId: string,
  events: CaseEventRecord[],
  projection?: CaseProjection,
): Promise<void> {
  const all = new Set([...events.flatMap(participantsOf), ...(projection?.assignees ?? [])]);
  const rows = [...all].filter((p) => p !== '').map((participant) => ({ case_id: caseId, participant }));
  if (rows.length === 0) return;
  await trx('case_participants').insert(rows).onConflict(['case_id', 'participant']).ignore();
}
