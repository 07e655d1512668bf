import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import nodemailer from 'nodemailer';
import { verifyApprovalLink } from '../../../api/links/token';
import { upsertUser } from '../../../db/directory';
import { insertNotificationIntents, listOutbox } from '../../../db/outbox';
import { loadConfig } from '../../../runtime/config';
import { createLogger } from '../../../runtime/logger';
import {
  MailDispatcher,
  messageIdFor,
  type MailDispatcherOptions,
  type MailTransport,
} from '../../../runtime/mail-dispatcher';
import type { NotificationIntent, Recipient } from '../../../workflows/contracts/case-records';
import { testDb } from '../../support/db';
import { headerOf, startTestSmtpServer, type TestSmtpServer } from './smtp-test-server';

const db: Knex = testDb();
const run = randomUUID().slice(0, 8);
const log = createLogger('mail-test', 'silent');
let smtp: TestSmtpServer;
let cases = 0;

const zhang = `zhang-${run}`;
const smith = `smith-${run}`;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  await upsertUser(db, {
    id: zhang,
    displayName: '张伟',
    email: `${zhang}@example.gov.cn`,
    locale: 'zh-CN',
    roles: [],
  });
  await upsertUser(db, {
    id: smith,
    displayName: 'Ann Smith',
    email: `${smith}@example.com`,
    locale: 'en',
    roles: [],
  });
});

afterAll(async () => {
  await smtp.stop();
  await db.destroy();
});

beforeEach(() => {
  smtp.refuse = null;
});

/** A case id of its own, so each test's dispatcher sees only its own rows. */
function newCase(): string {
  cases += 1;
  return `MAILT-${run}-${cases}`;
}

function intent(
  caseId: string,
  n: number,
  recipient: Recipient,
  template: string,
  data: Record<string, unknown> = {},
): NotificationIntent {
  return {
    id: `${caseId}:${n}:0:0`,
    caseId,
    recipient,
    template,
    data: { caseId, title: 'Firewall change for core banking', process: 'change', ...data },
  };
}

function dispatcher(caseId: string, options: Partial<MailDispatcherOptions> = {}): MailDispatcher {
  const config = loadConfig({
    NODE_ENV: 'test',
    SMTP_URL: smtp.url,
    PUBLIC_URL: 'https://opsflow.example.gov.cn',
    OPSFLOW_TIME_ZONE: 'Asia/Shanghai',
  });
  return new MailDispatcher({ db, config, log, caseIdPrefix: caseId, baseBackoffMs: 300, ...options });
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function drain(d: MailDispatcher): Promise<void> {
  while ((await d.runOnce()) > 0);
}

const mailsOf = (caseId: string) => smtp.received.filter((m) => headerOf(m, 'X-Opsflow-Case') === caseId);

interface Row {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
  due_in_ms: number;
}

async function rowsOf(caseId: string): Promise<Row[]> {
  return db('notification_outbox')
    .where({ case_id: caseId })
    .orderBy('id')
    .select(
      'id',
      'status',
      'attempts',
      'last_error',
      'sent_at',
      db.raw(`(extract(epoch from next_attempt_at - now()) * 1000)::float8 AS due_in_ms`),
    );
}

describe('mail dispatcher', () => {
  it('delivers each outbox row once, in the recipient’s language, under a Message-ID derived from the row', async () => {
    const caseId = newCase();
    // One person per locale (a role would also reach other test files' users in the shared database).
    const escalation = {
      step: 'securityReview',
      stepTitle: 'Security review',
      level: 1,
      dueAt: '2026-03-02T08:00:00Z',
    };
    await insertNotificationIntents(db, [
      intent(caseId, 1, { userId: zhang }, 'sla-escalation', escalation),
      intent(caseId, 2, { userId: smith }, 'sla-escalation', escalation),
    ]);
    const d = dispatcher(caseId);
    await drain(d);
    await drain(d);
    await d.stop();

    const rows = await rowsOf(caseId);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ]);
    const mails = mailsOf(caseId);
    expect(mails).toHaveLength(2);
    const zh = mails.find((m) => m.envelopeTo[0] === `${zhang}@example.gov.cn`)!;
    const en = mails.find((m) => m.envelopeTo[0] === `${smith}@example.com`)!;
    expect(zh.subject).toBe(`升级（第 1 级）：${caseId} Security review`);
    expect(zh.text).toContain('已于 2026-03-02 16:00 (Asia/Shanghai) 到期，现升级至第 1 级');
    expect(zh.html).toContain('<html lang="zh-CN">');
    expect(en.subject).toBe(`Escalation level 1: ${caseId} Security review`);
    expect(en.text).toContain(
      'was due at 2026-03-02 16:00 (Asia/Shanghai) and has been escalated to level 1',
    );
    expect(en.html).toContain('<html lang="en">');
    for (const [mail, row] of [
      [zh, rows.find((r) => r.id.endsWith(':1:0:0'))!],
      [en, rows.find((r) => r.id.endsWith(':2:0:0'))!],
    ] as const) {
      expect(mail.messageId).toBe(messageIdFor(row.id));
      expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@opsflow>$/);
    }
  });

  it('an approval request carries one signed link per decision for its recipient, and HTML is escaped', async () => {
    const caseId = newCase();
    await insertNotificationIntents(db, [
      intent(caseId, 1, { userId: smith }, 'approval-request', {
        step: 'cabApproval',
        stepTitle: 'CAB <approves>',
        dueAt: '2026-03-02T08:00:00Z',
      }),
    ]);
    const d = dispatcher(caseId);
    await drain(d);
    await d.stop();

    const [mail] = mailsOf(caseId);
    expect(mail.subject).toBe(`Approval needed: ${caseId} Firewall change for core banking`);
    expect(mail.html).toContain('CAB &lt;approves&gt;');
    const links = [
      ...mail.text.matchAll(/https:\/\/opsflow\.example\.gov\.cn\/links\/approve\?t=(\S+)/g),
    ].map((m) =>
      verifyApprovalLink(loadConfig({ NODE_ENV: 'test' }).mail.linkSecrets, decodeURIComponent(m[1])),
    );
    expect(links.map((c) => [c.caseId, c.step, c.approverId, c.decision])).toEqual([
      [caseId, 'cabApproval', smith, 'approve'],
      [caseId, 'cabApproval', smith, 'reject'],
    ]);
  });

  it('a temporary SMTP refusal is retried with exponential backoff, then delivered once', async () => {
    const caseId = newCase();
    await insertNotificationIntents(db, [
      intent(caseId, 1, { userId: zhang }, 'case-closed', { outcome: 'approved' }),
    ]);
    let refusals = 2;
    smtp.refuse = () => (refusals-- > 0 ? { code: 451, message: 'try again later' } : null);
    const d = dispatcher(caseId, { baseBackoffMs: 400 });

    expect(await d.runOnce()).toBe(1);
    let [row] = await rowsOf(caseId);
    expect([row.status, row.attempts]).toEqual(['pending', 1]);
    expect(row.last_error).toContain('451');
    expect(row.due_in_ms).toBeGreaterThan(250);
    expect(row.due_in_ms).toBeLessThanOrEqual(400);
    expect(await d.runOnce()).toBe(0); // not due yet

    await new Promise((r) => setTimeout(r, 450));
    expect(await d.runOnce()).toBe(1);
    [row] = await rowsOf(caseId);
    expect([row.status, row.attempts]).toEqual(['pending', 2]);
    expect(row.due_in_ms).toBeGreaterThan(650); // doubled
    expect(row.due_in_ms).toBeLessThanOrEqual(800);

    await new Promise((r) => setTimeout(r, 850));
    expect(await d.runOnce()).toBe(1);
    await d.stop();
    [row] = await rowsOf(caseId);
    expect([row.status, row.attempts, row.last_error]).toEqual(['sent', 3, null]);
    expect(mailsOf(caseId)).toHaveLength(1);
    expect(mailsOf(caseId)[0].subject).toBe(`工单已关闭：${caseId}（approved）`);
  });

  it('gives up after the last attempt and marks the row failed with the error', async () => {
    const caseId = newCase();
    await insertNotificationIntents(db, [
      intent(caseId, 1, { userId: zhang }, 'case-closed', { outcome: 'approved' }),
    ]);
    smtp.refuse = () => ({ code: 421, message: 'service not available' });
    const d = dispatcher(caseId, { baseBackoffMs: 10, maxAttempts: 3 });
    for (let i = 0; i < 3; i++) {
      await d.runOnce();
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(await d.runOnce()).toBe(0);
    await d.stop();
    const [row] = await rowsOf(caseId);
    expect([row.status, row.attempts]).toEqual(['failed', 3]);
    expect(row.last_error).toContain('421');
    expect(mailsOf(caseId)).toHaveLength(0);
  });

  it('a permanent refusal (5xx) or an unknown template fails the row at once', async () => {
    const caseId = newCase();
    await insertNotificationIntents(db, [
      intent(caseId, 1, { userId: zhang }, 'case-closed', { outcome: 'approved' }),
      intent(caseId, 2, { userId: smith }, 'no-such-template'),
    ]);
    smtp.refuse = () => ({ code: 550, message: 'mailbox unavailable' });
    const d = dispatcher(caseId);
    await drain(d);
    await d.stop();
    const rows = await rowsOf(caseId);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['failed', 1],
      ['failed', 1],
    ]);
    expect(rows[0].last_error).toContain('550');
    expect(rows[1].last_error).toContain('no mail template no-such-template.en');
  });

  it('dispatchers racing over the same queue never send one row twice', async () => {
    const caseId = newCase();
    await insertNotificationIntents(
      db,
      Array.from({ length: 40 }, (_, i) =>
        intent(caseId, i + 1, { userId: i % 2 ? zhang : smith }, 'case-closed', { outcome: `o${i}` }),
      ),
    );
    const racers = Array.from({ length: 4 }, () => dispatcher(caseId, { batchSize: 3 }));
    await Promise.all(racers.map((d) => drain(d)));
    await Promise.all(racers.map((d) => d.stop()));

    const rows = await rowsOf(caseId);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    const ids = mailsOf(caseId).map((m) => headerOf(m, 'X-Opsflow-Notification'));
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
  });

  it('a row whose dispatcher died after SMTP accepted it is sent again after the lease, under the same Message-ID', async () => {
    const caseId = newCase();
    await insertNotificationIntents(db, [
      intent(caseId, 1, { userId: smith }, 'case-closed', { outcome: 'approved' }),
    ]);
    const first = dispatcher(caseId);
    await drain(first);
    await first.stop();
    // The crash: SMTP accepted, the `sent` mark never committed, the lease ran out.
    await db('notification_outbox')
      .where({ case_id: caseId })
      .update({ status: 'sending', sent_at: null, lease_until: db.raw(`now() - interval '1 second'`) });

    const second = dispatcher(caseId);
    await drain(second);
    await second.stop();
    const mails = mailsOf(caseId);
    expect(mails).toHaveLength(2);
    expect(mails[1].messageId).toBe(mails[0].messageId);
    const [row] = await rowsOf(caseId);
    expect([row.status, row.attempts]).toEqual(['sent', 2]);
  });

  it('a row claimed by a live dispatcher (lease not run out) is not taken by another', async () => {
    const caseId = newCase();
    await insertNotificationIntents(db, [
      intent(caseId, 1, { userId: smith }, 'case-closed', { outcome: 'approved' }),
    ]);
    await db('notification_outbox')
      .where({ case_id: caseId })
      .update({ status: 'sending', attempts: 1, lease_until: db.raw(`now() + interval '1 minute'`) });
    const d = dispatcher(caseId);
    expect(await d.runOnce()).toBe(0);
    await d.stop();
    expect(mailsOf(caseId)).toHaveLength(0);
  });

  it.each([
    ['a carriage return', 'Firewall\rchange'],
    ['a line feed', 'Firewall\nBcc: someone@evil.example'],
    ['CR LF', 'Firewall\r\nchange'],
    ['U+2028', 'Firewall\u2028change'],
    ['U+2029 and NEL', 'Firewall\u2029change\u0085'],
  ])('a case title with %s still gets its approval mail, with a one-line subject', async (_what, title) => {
    const caseId = newCase();
    await insertNotificationIntents(db, [
      intent(caseId, 1, { userId: smith }, 'approval-request', {
        title,
        step: 'cabApproval',
        stepTitle: 'CAB',
        dueAt: '2026-03-02T08:00:00Z',
      }),
    ]);
    const d = dispatcher(caseId);
    await drain(d);
    await d.stop();
    const [row] = await rowsOf(caseId);
    expect([row.status, row.last_error]).toEqual(['sent', null]);
    const mails = mailsOf(caseId);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toMatch(
      new RegExp(`^Approval needed: ${caseId} Firewall (change|Bcc: someone@evil\\.example)$`),
    );
    expect(mails[0].envelopeTo).toEqual([`${smith}@example.com`]);
    expect(headerOf(mails[0], 'Bcc')).toBeNull();
  });

  it('a mail that cannot be rendered is failed with its reason in the outbox view, not given up silently', async () => {
    const caseId = newCase();
    await insertNotificationIntents(db, [intent(caseId, 1, { userId: smith }, 'no-such-template')]);
    const d = dispatcher(caseId);
    await drain(d);
    await d.stop();
    expect(mailsOf(caseId)).toHaveLength(0);
    const [entry] = await listOutbox(db, { caseId, status: 'failed', limit: 10 });
    expect(entry).toMatchObject({ caseId, status: 'failed', template: 'no-such-template', attempts: 1 });
    expect(entry.lastError).toMatch(/no mail template no-such-template/);
  });

  it("a dead sender's claimed mail goes out within a minute (default 30 s lease), once, under its Message-ID", async () => {
    const caseId = newCase();
    await insertNotificationIntents(db, [
      intent(caseId, 1, { userId: smith }, 'case-closed', { outcome: 'approved' }),
    ]);
    // The sender that dies: it claims the row and hangs in SMTP; then its process is gone — its
    // database connection with it, so it can never renew the lease or mark anything.
    const deadDb = testDb();
    let abandon: (err: Error) => void = () => undefined;
    const hanging: MailTransport = {
      sendMail: () => new Promise((_resolve, reject) => (abandon = reject)),
      close: () => undefined,
    };
    const dying = new MailDispatcher({
      db: deadDb,
      config: loadConfig({ NODE_ENV: 'test', SMTP_URL: smtp.url }),
      log,
      transport: hanging,
      caseIdPrefix: caseId,
    });
    const claimed = Date.now();
    const dyingRound = dying.runOnce().catch(() => undefined);
    await waitFor(async () => (await rowsOf(caseId))[0].status === 'sending', 5_000);
    await deadDb.destroy();

    const survivor = dispatcher(caseId, { pollIntervalMs: 500 });
    survivor.start();
    try {
      await waitFor(async () => mailsOf(caseId).length > 0, 60_000);
    } finally {
      await survivor.stop();
      abandon(new Error('the dead process is gone'));
      await dyingRound;
    }
    const elapsed = Date.now() - claimed;
    expect(elapsed).toBeLessThan(60_000);
    expect(elapsed).toBeGreaterThanOrEqual(25_000); // a live claim was respected until its lease ran out
    const mails = mailsOf(caseId);
    expect(mails).toHaveLength(1);
    const [row] = await rowsOf(caseId);
    expect(mails[0].messageId).toBe(messageIdFor(row.id));
    expect([row.status, row.attempts]).toEqual(['sent', 2]);
  }, 90_000);

  it('a live sender renews its lease while SMTP is slow, so nobody else sends its mail', async () => {
    const caseId = newCase();
    await insertNotificationIntents(db, [
      intent(caseId, 1, { userId: smith }, 'case-closed', { outcome: 'approved' }),
      intent(caseId, 2, { userId: zhang }, 'case-closed', { outcome: 'approved' }),
    ]);
    const real = nodemailer.createTransport({ url: smtp.url });
    const slow: MailTransport = {
      sendMail: async (m) => {
        await new Promise((r) => setTimeout(r, 1_500)); // three leases of 500 ms each
        return real.sendMail(m);
      },
      close: () => real.close(),
    };
    const sender = dispatcher(caseId, { transport: slow, leaseMs: 500 });
    const other = dispatcher(caseId, { leaseMs: 500 });
    const sending = sender.runOnce();
    const raced: number[] = [];
    for (let i = 0; i < 12; i++) {
      await new Promise((r) => setTimeout(r, 250));
      raced.push(await other.runOnce());
    }
    expect(await sending).toBe(2);
    await Promise.all([sender.stop(), other.stop()]);
    expect(raced.every((n) => n === 0)).toBe(true);
    const mails = mailsOf(caseId);
    expect(mails).toHaveLength(2);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(2);
    expect((await rowsOf(caseId)).map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ]);
  });
});
