/** Tokens for development: a signed JWT for a seeded demo user, never offered in production. */
import rateLimit from 'express-rate-limit';
import type { Router } from 'express';
import type { Knex } from 'knex';
import { getUser } from '../../db/directory';
import type { Config } from '../../runtime/config';
import { issueToken } from '../auth';
import { NotFoundError, ApiError } from '../errors';
import type { OperationRegistry } from '../operations';
import * as s from '../schemas';

export const DEMO_USER_PREFIX = 'demo-';

export function registerDevTokenOperation(
  api: OperationRegistry,
  router: Router,
  deps: { db: Knex; config: Config },
): void {
  // Token endpoints are where guessing happens: a tight per-client budget, answered as a problem.
  router.use(
    '/api/v1/auth',
    rateLimit({
      windowMs: 60_000,
      limit: 20,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) =>
        next(new ApiError(429, 'RATE_LIMITED', 'too many token requests; wait a minute')),
    }),
  );
  api.add(
    {
      method: 'post',
      path: '/api/v1/auth/dev-token',
      operationId: 'devToken',
      tag: 'auth',
      summary: 'A token for a seeded demo user (only when NODE_ENV is development or test)',
      permission: 'public',
      body: s.devTokenBody,
      responses: {
        200: { description: 'a Bearer token', schema: s.tokenSchema },
        404: { description: 'no such demo user', schema: s.problemSchema },
        429: { description: 'rate limited', schema: s.problemSchema },
      },
    },
    async ({ body }) => {
      const { userId } = body as { userId: string };
      const user = userId.startsWith(DEMO_USER_PREFIX) ? await getUser(deps.db, userId) : null;
      if (!user || !user.active)
        throw new NotFoundError(`no active demo user ${userId}`, 'DEMO_USER_NOT_FOUND');
      const token = await issueToken(deps.config, user.id);
      return {
        status: 200,
        body: { token, tokenType: 'Bearer', expiresInSeconds: deps.config.auth.jwtTtlMinutes * 60 },
      };
    },
  );
}
