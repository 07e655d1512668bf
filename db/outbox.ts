/**
 * The notification outbox: notification intents resolved to people and written in the caller's
 * transaction. An intent is resolved once — a retry, even after someone gained the role, adds
 * nobody — and each row id is stable, so no person is ever queued twice for the same intent.
 */
import type { Knex } from 'knex';
import type { NotificationIntent, Recipient } from '../workflows/contracts/case-records';
import { caseAccess, readsEveryCase } from './case-access';
import { getUser, usersWithRole, type Locale, type User } from './directory';

/** An intent that can never be queued as it is; retrying will not help. */
export class InvalidNotificationIntentError extends Error {
  override name = 'InvalidNotificationIntentError';
}

interface OutboxRow {
  id: string;
  intent_id: string;
  case_id: string;
  recipient_user_id: string | null;
  recipient_email: string | null;
  locale: Locale;
  template: string;
  data: string;
  status: 'pending' | 'failed';
  last_error: string | null;
}

/** Queues the intents not queued before; returns the number of outbox rows written. */
export async function insertNotificationIntents(db: Knex, intents: NotificationIntent[]): Promise<number> {
  if (intents.length === 0) return 0;
  const queued = new Set(
    await db('notification_outbox')
      .whereIn(
        'intent_id',
        intents.map((i) => i.id),
      )
      .distinct()
      .pluck<string[]>('intent_id'),
  );
  const rows: OutboxRow[] = [];
  for (const intent of intents) {
    if (queued.has(intent.id)) continue;
    queued.add(intent.id);
    rows.push(...(await resolve(db, intent)));
  }
  if (rows.length === 0) return 0;
  const inserted = await db('notification_outbox').insert(rows).onConflict('id').ignore().returning('id');
  return inserted.length;
}

/**
 * One row per person to tell. An intent that reaches nobody (unknown or inactive user, a role
 * nobody holds) still leaves a `failed` row saying why, so a lost escalation is visible.
 */
async function resolve(db: Knex, intent: NotificationIntent): Promise<OutboxRow[]> {
  const recipient: Recipient = intent.recipient;
  const row = (id: string, user: User | null, lastError: string | null): OutboxRow => ({
    id,
    intent_id: intent.id,
    case_id: intent.caseId,
    recipient_user_id: user?.id ?? null,
    recipient_email: user?.email ?? null,
    locale: user?.locale ?? 'zh-CN',
    template: intent.template,
    data: JSON.stringify(intent.data ?? {}),
    status: lastError === null ? 'pending' : 'failed',
    last_error: lastError,
  });

  if ('userId' in recipient) {
    const user = await getUser(db, recipient.userId);
    if (!user) return [row(intent.id, null, `no user ${recipient.userId}`)];
    if (!user.active) return [row(intent.id, user, `user ${user.id} is not active`)];
    return [row(intent.id, user, null)];
  }
  if ('role' in recipient) {
    // A role reaches only those holders who may read the case: an approval link, a title or a
    // step never goes to another department's head or another vendor's staff.
    const holders = [];
    for (const user of await usersWithRole(db, recipient.role)) {
      if (readsEveryCase(user) || (await caseAccess(db, user, intent.caseId)) === 'visible')
        holders.push(user);
    }
    if (holders.length === 0) {
      return [
        row(
          `${intent.id}/role:${recipient.role}`,
          null,
          `no active user who may read case ${intent.caseId} holds role ${recipient.role}`,
        ),
      ];
    }
    return holders.map((user) => row(`${intent.id}/${user.id}`, user, null));
  }
  throw new InvalidNotificationIntentError(
    `notification ${intent.id}: the recipient names neither a user nor a role`,
  );
}

export interface OutboxEntry {
  id: string;
  caseId: string;
  template: string;
  recipientUserId: string | null;
  recipientEmail: string | null;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** The outbox as an operator reads it: newest first, optionally one status or one case. */
export async function listOutbox(
  db: Knex,
  filter: { status?: OutboxEntry['status']; caseId?: string; limit: number },
): Promise<OutboxEntry[]> {
  const query = db('notification_outbox').orderBy([
    { column: 'created_at', order: 'desc' },
    { column: 'id', order: 'asc' },
  ]);
  if (filter.status) query.where('status', filter.status);
  if (filter.caseId) query.where('case_id', filter.caseId);
  const rows = await query.limit(filter.limit);
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as string,
    caseId: r.case_id as string,
    template: r.template as string,
    recipientUserId: r.recipient_user_id as string | null,
    recipientEmail: r.recipient_email as string | null,
    status: r.status as OutboxEntry['status'],
    attempts: r.attempts as number,
    lastError: r.last_error as string | null,
    createdAt: (r.created_at as Date).toISOString(),
    sentAt: r.sent_at ? (r.sent_at as Date).toISOString() : null,
  }));
}
