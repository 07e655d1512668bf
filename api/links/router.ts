/**
 * One-click approval from e-mail. `GET /links/approve?t=…` only shows a confirmation page —
 * mail scanners prefetch links, so a GET never changes anything. `POST /links/approve` takes
 * the decision through the same `decide` Update as the REST API (channel `email`, actor = the
 * link's approver with their current roles from the directory), then records the link's nonce
 * as used. Every outcome is an HTML page in the approver's locale; a refused link changes nothing.
 */
import type { Client } from '@temporalio/client';
import express, { type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Knex } from 'knex';
import { getCase } from '../../db/cases';
import { getUser, type Locale, type User } from '../../db/directory';
import type { Config } from '../../runtime/config';
import { formatInstant } from '../../runtime/mail-render';
import type { Logger } from '../../runtime/logger';
import { caseAccess } from '../../db/case-access';
import { queryCaseView, submitDecision } from '../case-commands';
import { ApiError } from '../errors';
import { LinkPages, type CaseSummary, type ProblemKind } from './pages';
import {
  ApprovalLinkError,
  signFormToken,
  verifyApprovalLink,
  verifyFormToken,
  type ApprovalLinkClaims,
} from './token';

export interface ApprovalLinkRouterDeps {
  client: Client;
  db: Knex;
  config: Config;
  log: Logger;
  /** Requests per minute per client address on /links; default 30. */
  rateLimitPerMinute?: number;
}

const ACTION = '/links/approve';
const FORM_MAX_AGE_MS = 60 * 60_000;

/** Refusals that mean "this step no longer waits for this link". */
const SUPERSEDED = new Set(['STEP_NOT_PENDING', 'DUPLICATE_DECISION', 'CASE_CLOSED']);

export function createApprovalLinkRouter(deps: ApprovalLinkRouterDeps): express.Router {
  const { client, db, config, log } = deps;
  const secrets = config.mail.linkSecrets;
  const pages = new LinkPages();
  const router = express.Router();

  const send = (res: Response, status: number, html: string) => {
    res.status(status).type('html').send(html);
  };
  const problem = (res: Response, locale: Locale, status: number, kind: ProblemKind, detail?: string) =>
    send(res, status, pages.problem(locale, kind, detail));

  router.use(
    '/links',
    (_req, res, next) => {
      // The token is in the URL: never cache the page, never send it on as a Referer, never frame it.
      res.set({
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
        'Content-Security-Policy':
          "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      });
      next();
    },
    rateLimit({
      windowMs: 60_000,
      limit: deps.rateLimitPerMinute ?? 30,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (req, res) => problem(res, guessLocale(req), 429, 'rate-limited'),
    }),
  );

  /** The link's claims and approver, or an answer already sent. */
  async function open(
    req: Request,
    res: Response,
    token: unknown,
  ): Promise<{ claims: ApprovalLinkClaims; user: User } | null> {
    let claims: ApprovalLinkClaims;
    try {
      claims = verifyApprovalLink(secrets, token);
    } catch (err) {
      if (!(err instanceof ApprovalLinkError)) throw err;
      log.warn({ problem: err.problem, ip: req.ip }, 'approval link refused');
      problem(
        res,
        guessLocale(req),
        err.problem === 'expired' ? 410 : 400,
        err.problem === 'expired' ? 'expired' : 'invalid',
      );
      return null;
    }
    const user = await getUser(db, claims.approverId);
    if (!user || !user.active) {
      problem(res, user?.locale ?? guessLocale(req), 403, 'not-eligible');
      return null;
    }
    const used = await db('approval_link_uses').where({ nonce: claims.nonce }).first();
    if (used) {
      problem(res, user.locale, 409, 'used');
      return null;
    }
    // The link's holder must still be someone who may read the case (moved department, left a vendor…).
    if ((await caseAccess(db, user, claims.caseId)) === 'hidden') {
      problem(res, user.locale, 404, 'not-found');
      return null;
    }
    return { claims, user };
  }

  async function summary(claims: ApprovalLinkClaims, locale: Locale): Promise<CaseSummary | ProblemKind> {
    const view = await queryCaseView(client, claims.caseId);
    if (!view) return 'not-found';
    const step = view.pendingSteps.find((s) => s.step === claims.step);
    if (view.status !== 'open' || !step) return 'superseded';
    const row = await getCase(db, claims.caseId);
    const requester = await getUser(db, view.requester);
    return {
      caseId: view.caseId,
      title: view.title,
      process: view.process,
      requester: requester ? `${requester.displayName} (${requester.id})` : view.requester,
      priority: view.priority,
      system: view.system ?? row?.system ?? null,
      stepTitle: step.title,
      dueAt: step.dueAt ? formatInstant(step.dueAt, locale, config.timeZone) : null,
    };
  }

  async function confirmPage(
    res: Response,
    status: number,
    opened: { claims: ApprovalLinkClaims; user: User },
    token: string,
    extra: { comment?: string; again?: 'form-expired' | 'reason-required' } = {},
  ): Promise<void> {
    const { claims, user } = opened;
    const found = await summary(claims, user.locale);
    if (typeof found === 'string') return problem(res, user.locale, found === 'not-found' ? 404 : 409, found);
    send(
      res,
      status,
      pages.confirm(user.locale, {
        summary: found,
        decision: claims.decision,
        token,
        formToken: signFormToken(secrets, claims.nonce),
        action: ACTION,
        ...extra,
      }),
    );
  }

  const guarded =
    (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
      try {
        await handler(req, res);
      } catch (err) {
        const unavailable = !(err instanceof ApiError) || err.status >= 500;
        log.error({ err }, 'approval link request failed');
        if (!res.headersSent)
          problem(res, guessLocale(req), unavailable ? 503 : 400, unavailable ? 'unavailable' : 'invalid');
      }
    };

  router.get(
    ACTION,
    guarded(async (req, res) => {
      const token = req.query.t;
      const opened = await open(req, res, token);
      if (opened) await confirmPage(res, 200, opened, token as string);
    }),
  );

  router.post(
    ACTION,
    express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 }),
    guarded(async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const token = body.t;
      const opened = await open(req, res, token);
      if (!opened) return;
      const { claims, user } = opened;
      const comment = typeof body.comment === 'string' ? body.comment.trim().slice(0, 2000) : '';
      if (!verifyFormToken(secrets, claims.nonce, body.form, FORM_MAX_AGE_MS)) {
        return confirmPage(res, 403, opened, token as string, { comment, again: 'form-expired' });
      }
      try {
        await submitDecision(
          client,
          claims.caseId,
          {
            step: claims.step,
            decision: claims.decision,
            actor: { id: user.id, roles: user.roles, vendorId: user.vendorId },
            channel: 'email',
            comment: comment || undefined,
          },
          { commandSecret: config.auth.commandSecrets[0] },
        );
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        log.info(
          { caseId: claims.caseId, step: claims.step, code: err.code },
          'approval link decision refused',
        );
        if (SUPERSEDED.has(err.code)) return problem(res, user.locale, 409, 'superseded');
        if (err.code === 'REASON_REQUIRED')
          return confirmPage(res, 422, opened, token as string, { comment, again: 'reason-required' });
        if (err.code === 'CASE_NOT_FOUND') return problem(res, user.locale, 404, 'not-found');
        if (err.status === 403 || err.status === 422)
          return problem(res, user.locale, err.status, 'not-eligible', err.message);
        throw err;
      }
      // Decided first, recorded second: a failure in between leaves a link whose replay the
      // workflow refuses as a duplicate, never a used link whose decision was lost.
      try {
        await db('approval_link_uses')
          .insert({
            nonce: claims.nonce,
            case_id: claims.caseId,
            step: claims.step,
            user_id: user.id,
            decision: claims.decision,
          })
          .onConflict('nonce')
          .ignore();
      } catch (err) {
        // The decision stands; the person must not be told otherwise.
        log.error(
          { err, caseId: claims.caseId, step: claims.step },
          'decided, but the link use was not recorded',
        );
      }
      log.info(
        { caseId: claims.caseId, step: claims.step, actor: user.id, decision: claims.decision },
        'decided by e-mail link',
      );
      send(
        res,
        200,
        pages.done(user.locale, { decision: claims.decision, caseId: claims.caseId, step: claims.step }),
      );
    }),
  );

  return router;
}

/** Before the approver is known (a broken link), the browser's language is all there is. */
function guessLocale(req: Request): Locale {
  return req.acceptsLanguages('zh-CN', 'zh', 'en') === 'en' ? 'en' : 'zh-CN';
}
