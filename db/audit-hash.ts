/**
 * The hash chain of the audit trail: each event's hash covers the previous event's hash and
 * the event itself, so changing or removing any stored event breaks every link after it.
 *   hash = sha256(prev_hash + canonicalJson({caseId, seq, type, occurredAt, actor, channel, data}))
 */
import { createHash } from 'node:crypto';
import type { CaseEventRecord } from '../workflows/contracts/case-records';
import { canonicalJson } from './canonical-json';

/** prev_hash of event #1 of every case. */
export const GENESIS_HASH = '0'.repeat(64);

export function eventHash(prevHash: string, event: CaseEventRecord): string {
  const entry = {
    caseId: event.caseId,
    seq: event.seq,
    type: event.type,
    occurredAt: event.occurredAt,
    actor: event.actor,
    channel: event.channel,
    data: event.data,
  };
  return createHash('sha256')
    .update(prevHash + canonicalJson(entry), 'utf8')
    .digest('hex');
}

/**
 * The instant as PostgreSQL gives it back (timestamptz, read as a JS Date): millisecond ISO in
 * UTC. Events are hashed and stored in this form, so a verifier reading the row gets the same text.
 */
export function normalisedInstant(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) throw new RangeError(`"${iso}" is not an ISO-8601 instant`);
  return time.toISOString();
}
