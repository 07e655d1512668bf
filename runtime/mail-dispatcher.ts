/**
 * Delivers the notification outbox by e-mail: a plain loop in the worker process.
 *
 * Each round claims due rows in one short transaction — `SELECT … FOR UPDATE SKIP LOCKED`, then
 * status `sending` with a lease — so any number of dispatchers share the queue and never take
 * the same row. Each claimed row is rendered in its recipient's locale, sent over SMTP with a
 * Message-ID derived from the row id, and marked `sent`. A failure sets the row back to
 * `pending` with an exponential backoff (or `failed`, after the last attempt or on a permanent
 * refusal), keeping `attempts` and `last_error` for the operator.
 *
 * Leases are short (30 s by default) and renewed by the sender every third of a lease while it
 * works through its batch, so a slow SMTP server does not cost a live sender its rows, and the
 * rows of a sender that died (SIGKILL, lost host) are taken over by another within a lease plus
 * one poll — well under a minute — instead of waiting out a long fixed lease.
 *
 * What a crash can do: if the process dies after the SMTP server accepted a message but before
 * the `sent` mark is committed, the row stays `sending` until its lease runs out and is then
 * sent again — a duplicate with the SAME Message-ID, which mail clients and most servers
 * de-duplicate. Short of that window, a row is never sent twice: a dispatcher that could not
 * renew its lease (or lost the row to another claim) skips the row instead of sending it.
 */
import { createHash } from 'node:crypto';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Knex } from 'knex';
import type { Locale } from '../db/directory';
import { approvalLinksFor } from '../api/links/token';
import { carriesSurveyLink, surveyLinkFor } from '../api/links/survey-token';
import { signReportLink } from '../api/links/report-token';
import type { Config } from './config';
import type { Logger } from './logger';
import { MailRenderer, MailTemplateError, type MailContext } from './mail-render';

export interface MailTransport {
  sendMail(message: SendMailOptions): Promise<unknown>;
  close(): void;
}

export interface MailDispatcherOptions {
  db: Knex;
  config: Pick<Config, 'mail' | 'api' | 'timeZone'>;
  log: Logger;
  /** Defaults to an SMTP transport on `config.mail.smtpUrl`. */
  transport?: MailTransport;
  renderer?: MailRenderer;
  /** Rows claimed per round. */
  batchSize?: number;
  /** Pause when the queue is empty. */
  pollIntervalMs?: number;
  /** How long a claim holds a row unless renewed; the sender renews it every third of this. */
  leaseMs?: number;
  /** After this many attempts a row is `failed`. */
  maxAttempts?: number;
  /** Backoff after attempt n: min(maxBackoffMs, baseBackoffMs × 2^(n−1)). */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Confines the dispatcher to cases whose id starts with this: tests share one database. */
  caseIdPrefix?: string;
}

export interface OutboxMailRow {
  id: string;
  case_id: string;
  recipient_user_id: string;
  recipient_email: string;
  locale: Locale;
  template: string;
  data: Record<string, unknown>;
  attempts: number;
}

/** `<sha256(row id)@opsflow>`: the same row always goes out under the same Message-ID. */
export function messageIdFor(rowId: string): string {
  return `<${createHash('sha256').update(rowId).digest('hex').slice(0, 32)}@opsflow>`;
}

export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export class MailDispatcher {
  private readonly db: Knex;
  private readonly log: Logger;
  private readonly transport: MailTransport;
  private readonly renderer: MailRenderer;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private running: Promise<void> | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;

  constructor(private readonly options: MailDispatcherOptions) {
    this.db = options.db;
    this.log = options.log;
    if (!options.transport && !options.config.mail.smtpUrl)
      throw new Error('the mail dispatcher needs SMTP_URL');
    this.transport =
      options.transport ??
      nodemailer.createTransport({
        url: options.config.mail.smtpUrl,
        connectionTimeout: 30_000,
        greetingTimeout: 30_000,
        socketTimeout: 60_000,
      });
    this.renderer = options.renderer ?? new MailRenderer();
    this.batchSize = options.batchSize ?? 5;
    this.pollIntervalMs = options.pollIntervalMs ?? 2_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.baseBackoffMs = options.baseBackoffMs ?? 30_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60 * 60_000;
  }

  /** Runs rounds until `stop()`; an empty queue is polled every `pollIntervalMs`. */
  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    this.running = null;
    this.transport.close();
  }

  private async loop(): Promise<void> {
    this.log.info('mail dispatcher started');
    while (!this.stopped) {
      let handled = 0;
      try {
        handled = await this.runOnce();
      } catch (err) {
        this.log.error({ err }, 'mail dispatcher round failed; retrying');
      }
      if (handled === 0 && !this.stopped) await this.pause(this.pollIntervalMs);
    }
    this.log.info('mail dispatcher stopped');
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** One round: claims due rows and delivers each; returns how many were claimed. */
  async runOnce(): Promise<number> {
    // The lease as this process's clock sees it, so clock skew with PostgreSQL cannot stretch it.
    let leaseEnd = Date.now() + this.leaseMs;
    const rows = await this.claim();
    if (rows.length === 0) return 0;
    const held = new Map(rows.map((r) => [r.id, r.attempts]));
    let renewing: Promise<void> = Promise.resolve();
    const renew = async () => {
      const issued = Date.now();
      const kept = await this.renewLeases(held);
      for (const id of [...held.keys()]) if (!kept.has(id)) held.delete(id);
      leaseEnd = issued + this.leaseMs;
    };
    const timer = setInterval(
      () => {
        renewing = renewing
          .then(renew)
          .catch((err: unknown) => this.log.warn({ err }, 'could not renew mail leases'));
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    try {
      for (const row of rows) {
        if (!held.has(row.id)) continue; // the claim went to another sender
        await this.deliver(row, leaseEnd);
        held.delete(row.id);
      }
    } finally {
      clearInterval(timer);
      await renewing;
    }
    return rows.length;
  }

  /** Extends the lease of the rows this claim still holds; returns their ids. */
  private async renewLeases(held: Map<string, number>): Promise<Set<string>> {
    if (held.size === 0) return new Set();
    const result = await this.db.raw<{ rows: Array<{ id: string }> }>(
      `UPDATE notification_outbox o
          SET lease_until = now() + (? * interval '1 millisecond')
         FROM unnest(?::text[], ?::int[]) AS c(id, attempts)
        WHERE o.id = c.id AND o.attempts = c.attempts AND o.status = 'sending'
       RETURNING o.id`,
      [this.leaseMs, [...held.keys()], [...held.values()]],
    );
    return new Set(result.rows.map((r) => r.id));
  }

  private async claim(): Promise<OutboxMailRow[]> {
    const result = await this.db.raw<{ rows: OutboxMailRow[] }>(
      `WITH due AS (
         SELECT id FROM notification_outbox
          WHERE ((status = 'pending' AND next_attempt_at <= now())
                 OR (status = 'sending' AND lease_until <= now()))
            AND case_id LIKE ? ESCAPE '\\'
          ORDER BY next_attempt_at, id
          LIMIT ?
          FOR UPDATE SKIP LOCKED
       )
       UPDATE notification_outbox o
          SET status = 'sending', attempts = o.attempts + 1,
              lease_until = now() + (? * interval '1 millisecond')
         FROM due
        WHERE o.id = due.id
       RETURNING o.id, o.case_id, o.recipient_user_id, o.recipient_email, o.locale, o.template, o.data,
                 o.attempts`,
      [`${(this.options.caseIdPrefix ?? '').replace(/[\\%_]/g, '\\$&')}%`, this.batchSize, this.leaseMs],
    );
    return result.rows;
  }

  private async deliver(row: OutboxMailRow, leaseEnd: number): Promise<void> {
    const log = this.log.child({ outboxId: row.id, template: row.template, attempt: row.attempts });
    // A claim whose lease has (nearly) run out may already be someone else's: leave it to them.
    if (leaseEnd - Date.now() < Math.min(30_000, this.leaseMs / 4)) {
      log.warn('lease ran out before sending; leaving the row to be reclaimed');
      return;
    }
    try {
      const mail = this.renderer.render(row.template, {
        locale: row.locale,
        timeZone: this.options.config.timeZone,
        data: row.data,
        recipient: { id: row.recipient_user_id, email: row.recipient_email },
        links: this.linksFor(row),
      });
      await this.transport.sendMail({
        from: this.options.config.mail.from,
        to: row.recipient_email,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: messageIdFor(row.id),
        headers: { 'X-Opsflow-Case': row.case_id, 'X-Opsflow-Notification': row.id },
      });
    } catch (err) {
      await this.recordFailure(row, err, log);
      return;
    }
    // Fenced by `attempts`: only this claim may settle the row.
    await this.db('notification_outbox')
      .where({ id: row.id, status: 'sending', attempts: row.attempts })
      .update({ status: 'sent', sent_at: this.db.fn.now(), lease_until: null, last_error: null });
    log.info({ to: row.recipient_email }, 'mail sent');
  }

  private linksFor(row: OutboxMailRow): MailContext['links'] {
    // A distributed service report: a personal link to read the archived report.
    if (row.template === 'service-report-distributed' && row.recipient_user_id) {
      const u = new URL('/links/service-report', this.options.config.api.publicUrl);
      const token = signReportLink(this.options.config.mail.linkSecrets, {
        caseId: row.case_id,
        readerId: row.recipient_user_id,
      });
      u.searchParams.set('t', token);
      return { report: u.toString() };
    }
    if (carriesSurveyLink(row) && typeof row.data.step === 'string' && row.recipient_user_id) {
      return {
        survey: surveyLinkFor(this.options.config, row.case_id, row.data.step, row.recipient_user_id),
      };
    }
    if (row.template !== 'approval-request' || typeof row.data.step !== 'string') return undefined;
    const tokens = approvalLinksFor(this.options.config.mail.linkSecrets, {
      caseId: row.case_id,
      step: row.data.step,
      approverId: row.recipient_user_id,
      ttlHours: this.options.config.mail.linkTtlHours,
    });
    const base = new URL('/links/approve', this.options.config.api.publicUrl);
    const url = (t: string) => {
      const u = new URL(base);
      u.searchParams.set('t', t);
      return u.toString();
    };
    return { approve: url(tokens.approve), reject: url(tokens.reject) };
  }

  private async recordFailure(row: OutboxMailRow, err: unknown, log: Logger): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    const responseCode = (err as { responseCode?: number }).responseCode;
    // A missing template or a 5xx refusal (no such mailbox…) will not heal by itself.
    const permanent =
      err instanceof MailTemplateError || (typeof responseCode === 'number' && responseCode >= 500);
    const giveUp = permanent || row.attempts >= this.maxAttempts;
    const delay = backoffMs(row.attempts, this.baseBackoffMs, this.maxBackoffMs);
    await this.db('notification_outbox')
      .where({ id: row.id, status: 'sending', attempts: row.attempts })
      .update({
        status: giveUp ? 'failed' : 'pending',
        lease_until: null,
        last_error: message.slice(0, 2000),
        next_attempt_at: giveUp
          ? this.db.fn.now()
          : this.db.raw(`now() + ? * interval '1 millisecond'`, [delay]),
      });
    if (giveUp) log.error({ err: message, responseCode }, 'mail failed; giving up');
    else log.warn({ err: message, responseCode, retryInMs: delay }, 'mail failed; will retry');
  }
}
