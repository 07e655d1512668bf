import { randomUUID } from 'node:crypto';
import { createDb } from '../../../db/connection';
import { upsertUser } from '../../../db/directory';
import { insertNotificationIntents } from '../../../db/outbox';
import type { NotificationIntent, Recipient } from '../../../workflows/contracts/case-records';

const db = createDb(process.env.DATABASE_URL as string);
const run = randomUUID().slice(0, 8);
const caseId = `DEF-T${run}-1`;
let intents = 0;

function intent(recipient: Recipient): NotificationIntent {
  return {
    id: `${caseId}/${++intents}/sla-escalation`,
    caseId,
    recipient,
    template: 'sla-escalation',
    data: { level: 1 },
  };
}

interface OutboxRow {
  id: string;
  recipient_user_id: string | null;
  recipient_email: string | null;
  locale: string;
  status: string;
  last_error: string | null;
}

async function rowsOf(intentId: string): Promise<OutboxRow[]> {
  return db('notification_outbox')
    .where({ intent_id: intentId })
    .orderBy('id')
    .select('id', 'recipient_user_id', 'recipient_email', 'locale', 'status', 'last_error');
}

beforeAll(async () => {
  const person = (id: string, locale: 'zh-CN' | 'en', active = true) => ({
    id,
    displayName: id,
    email: `${id}@example.gov.cn`,
    locale,
    active,
    roles: ['ops_head' as const, 'auditor' as const],
  });
  await upsertUser(db, person(`zhang-${run}`, 'zh-CN'));
  await upsertUser(db, person(`smith-${run}`, 'en'));
  await upsertUser(db, person(`retired-${run}`, 'zh-CN', false));
});

afterAll(async () => {
  await db.destroy();
});

describe('notification outbox', () => {
  it('a role recipient is queued once for every active user holding the role, in their locale', async () => {
    const escalation = intent({ role: 'ops_head' });

    await insertNotificationIntents(db, [escalation]);
    const rows = await rowsOf(escalation.id);

    expect(rows).toContainEqual({
      id: `${escalation.id}/zhang-${run}`,
      recipient_user_id: `zhang-${run}`,
      recipient_email: `zhang-${run}@example.gov.cn`,
      locale: 'zh-CN',
      status: 'pending',
      last_error: null,
    });
    expect(rows).toContainEqual(
      expect.objectContaining({ recipient_user_id: `smith-${run}`, locale: 'en', status: 'pending' }),
    );
    expect(rows.map((r) => r.recipient_user_id)).not.toContain(`retired-${run}`);
    const holders = await db('user_roles as r')
      .join('users as u', 'u.id', 'r.user_id')
      .where({ 'r.role': 'ops_head', 'u.active': true })
      .pluck('u.id');
    expect(rows.every((r) => holders.includes(r.recipient_user_id))).toBe(true);
  });

  it('an intent is resolved once: queuing it again adds nobody, even someone who gained the role since', async () => {
    const escalation = intent({ role: 'auditor' });
    await insertNotificationIntents(db, [escalation]);
    const before = await rowsOf(escalation.id);
    await upsertUser(db, {
      id: `newcomer-${run}`,
      displayName: 'newcomer',
      email: `newcomer-${run}@example.gov.cn`,
      locale: 'zh-CN',
      roles: ['auditor'],
    });

    expect(await insertNotificationIntents(db, [escalation])).toBe(0);

    expect(await rowsOf(escalation.id)).toEqual(before);
  });

  it('a person recipient is queued under the intent id with their e-mail and locale', async () => {
    const request = intent({ userId: `smith-${run}` });

    await insertNotificationIntents(db, [request]);

    expect(await rowsOf(request.id)).toEqual([
      {
        id: request.id,
        recipient_user_id: `smith-${run}`,
        recipient_email: `smith-${run}@example.gov.cn`,
        locale: 'en',
        status: 'pending',
        last_error: null,
      },
    ]);
  });

  it('an intent for an unknown or inactive person leaves a failed row that says why', async () => {
    const unknown = intent({ userId: `nobody-${run}` });
    const retired = intent({ userId: `retired-${run}` });

    await insertNotificationIntents(db, [unknown, retired]);

    expect(await rowsOf(unknown.id)).toEqual([
      expect.objectContaining({
        status: 'failed',
        recipient_user_id: null,
        last_error: `no user nobody-${run}`,
      }),
    ]);
    expect(await rowsOf(retired.id)).toEqual([
      expect.objectContaining({ status: 'failed', last_error: `user retired-${run} is not active` }),
    ]);
  });
});
