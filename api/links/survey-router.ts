/**
 * The satisfaction survey by mail link (002 §6.3.3 c). `GET /links/survey?t=…` shows the survey
 * form and changes nothing (mail scanners prefetch links); `POST /links/survey` completes the
 * head's survey step through the same `task` Update as the REST API (channel `email`, actor = the
 * link's user with their current roles), then records the link's nonce as used. Every outcome is
 * an HTML page in the head's locale; a refused link changes nothing. Rate limit and security
 * headers of `/links` are the approval-link router's, mounted before this one.
 */
import type { Client } from '@temporalio/client';
import express, { type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { caseAccess } from '../../db/case-access';
import { getUser, type Locale, type User } from '../../db/directory';
import type { Config } from '../../runtime/config';
import type { Logger } from '../../runtime/logger';
import { formatInstant } from '../../runtime/mail-render';
import { queryCaseView, submitTaskAction } from '../case-commands';
import { ApiError } from '../errors';
import { LinkPages } from './pages';
import { SurveyPages, SURVEY_RATINGS } from './survey-pages';
import { SURVEY_PATH, verifySurveyLink, type SurveyLinkClaims } from './survey-token';
import { ApprovalLinkError, signFormToken, verifyFormToken } from './token';

const FORM_MAX_AGE_MS = 60 * 60_000;
const SUPERSEDED = new Set(['STEP_NOT_PENDING', 'DUPLICATE_DECISION', 'CASE_CLOSED', 'TASK_CLAIMED']);

export function createSurveyLinkRouter(deps: { client: Client; db: Knex; config: Config; log: Logger }) {
  const { client, db, config, log } = deps;
  const secrets = config.mail.linkSecrets;
  const pages = new SurveyPages();
  const problems = new LinkPages();
  const router = express.Router();
  const send = (res: Response, status: number, html: string) => {
    res
      .status(status)
      .set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' })
      .type('html')
      .send(html);
  };
  const problem = (
    res: Response,
    locale: Locale,
    status: number,
    kind: Parameters<LinkPages['problem']>[1],
  ) => send(res, status, problems.problem(locale, kind));

  async function open(req: Request, res: Response, token: unknown) {
    let claims: SurveyLinkClaims;
    try {
      claims = verifySurveyLink(secrets, token);
    } catch (err) {
      if (!(err instanceof ApprovalLinkError)) throw err;
      log.warn({ problem: err.problem, ip: req.ip }, 'survey link refused');
      problem(
        res,
        guessLocale(req),
        err.problem === 'expired' ? 410 : 400,
        err.problem === 'expired' ? 'expired' : 'invalid',
      );
      return null;
    }
    const user = await getUser(db, claims.userId);
    if (!user || !user.active) {
      problem(res, user?.locale ?? guessLocale(req), 403, 'not-eligible');
      return null;
    }
    if (await db('survey_link_uses').where({ nonce: claims.nonce }).first()) {
      problem(res, user.locale, 409, 'used');
      return null;
    }
    if ((await caseAccess(db, user, claims.caseId)) === 'hidden') {
      problem(res, user.locale, 404, 'not-found');
      return null;
    }
    return { claims, user };
  }

  async function surveyPage(
    res: Response,
    status: number,
    opened: { claims: SurveyLinkClaims; user: User },
    token: string,
    extra: { comment?: string; again?: 'invalid' | 'form-expired' } = {},
  ) {
    const { claims, user } = opened;
    const view = await queryCaseView(client, claims.caseId);
    if (!view) return problem(res, user.locale, 404, 'not-found');
    const step = view.pendingSteps.find((s) => s.step === claims.step);
    if (view.status !== 'open' || !step) return problem(res, user.locale, 409, 'superseded');
    send(
      res,
      status,
      pages.survey(user.locale, {
        caseId: view.caseId,
        title: view.title,
        stepTitle: step.title,
        dueAt: step.dueAt ? formatInstant(step.dueAt, user.locale, config.timeZone) : null,
        token,
        formToken: signFormToken(secrets, claims.nonce),
        action: SURVEY_PATH,
        ...extra,
      }),
    );
  }

  const guarded =
    (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
      try {
        await handler(req, res);
      } catch (err) {
        log.error({ err }, 'survey link request failed');
        if (!res.headersSent) problem(res, guessLocale(req), 503, 'unavailable');
      }
    };

  router.get(
    SURVEY_PATH,
    guarded(async (req, res) => {
      const opened = await open(req, res, req.query.t);
      if (opened) await surveyPage(res, 200, opened, String(req.query.t));
    }),
  );

  router.post(
    SURVEY_PATH,
    express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 }),
    guarded(async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const opened = await open(req, res, body.t);
      if (!opened) return;
      const { claims, user } = opened;
      const token = String(body.t);
      const comment = typeof body.comment === 'string' ? body.comment.trim().slice(0, 2000) : '';
      if (!verifyFormToken(secrets, claims.nonce, body.form, FORM_MAX_AGE_MS)) {
        return surveyPage(res, 403, opened, token, { comment, again: 'form-expired' });
      }
      const ratings: Record<string, number> = {};
      for (const q of SURVEY_RATINGS) {
        const n = Number(body[q]);
        if (!Number.isInteger(n) || n < 1 || n > 5)
          return surveyPage(res, 422, opened, token, { comment, again: 'invalid' });
        ratings[q] = n;
      }
      try {
        await submitTaskAction(
          client,
          claims.caseId,
          {
            step: claims.step,
            action: 'complete',
            form: { ...ratings, ...(comment ? { comment } : {}) },
            actor: { id: user.id, roles: user.roles, vendorId: user.vendorId },
            channel: 'email',
          },
          { commandSecret: config.auth.commandSecrets[0] },
        );
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        log.info({ caseId: claims.caseId, step: claims.step, code: err.code }, 'survey link answer refused');
        if (SUPERSEDED.has(err.code)) return problem(res, user.locale, 409, 'superseded');
        if (err.code === 'CASE_NOT_FOUND') return problem(res, user.locale, 404, 'not-found');
        if (err.status === 422) return surveyPage(res, 422, opened, token, { comment, again: 'invalid' });
        return problem(res, user.locale, err.status === 403 ? 403 : 400, 'not-eligible');
      }
      // Answered first, recorded second: a replay of the link is refused by the workflow anyway.
      await db('survey_link_uses')
        .insert({ nonce: claims.nonce, case_id: claims.caseId, step: claims.step, user_id: user.id })
        .onConflict('nonce')
        .ignore()
        .catch((err: unknown) =>
          log.error({ err, caseId: claims.caseId }, 'answered, but the link use was not recorded'),
        );
      log.info(
        { caseId: claims.caseId, step: claims.step, actor: user.id },
        'survey answered by e-mail link',
      );
      send(res, 200, pages.done(user.locale, { caseId: claims.caseId, step: claims.step }));
    }),
  );

  return router;
}

function guessLocale(req: Request): Locale {
  return req.acceptsLanguages('zh-CN', 'zh', 'en') === 'en' ? 'en' : 'zh-CN';
}
