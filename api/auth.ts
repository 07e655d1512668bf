/**
 * Who is calling. People send `Authorization: Bearer <JWT>` (HS256, api/jwt.ts; signed with the first of
 * config.auth.jwtSecrets, verified against all of them so keys can rotate; iss, aud, exp and sub
 * required). Integrations send `Authorization: ApiKey <key>` or `X-API-Key`, stored hashed and
 * bound to the directory user they act as. Either way the roles and vendor come from the
 * directory at every request, never from the token, so a role change applies at once.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Knex } from 'knex';
import { userIdForApiKey } from '../db/api-keys';
import { getUser, type User } from '../db/directory';
import type { Config } from '../runtime/config';
import type { ActorRef } from '../workflows/contracts/messages';
import { UnauthenticatedError } from './errors';
import { JwtError, signJwt, verifyJwt, type JwtProblem } from './jwt';

export interface Principal {
  user: User;
  via: 'jwt' | 'api-key';
}

export function actorOf(principal: Principal): ActorRef {
  return { id: principal.user.id, roles: [...principal.user.roles], vendorId: principal.user.vendorId };
}

export async function issueToken(
  config: Config,
  userId: string,
  secret = config.auth.jwtSecrets[0],
): Promise<string> {
  return signJwt(
    { sub: userId, iss: config.auth.jwtIssuer, aud: config.auth.jwtAudience },
    secret,
    config.auth.jwtTtlMinutes * 60,
  );
}

const jwtMessages: Record<JwtProblem, string> = {
  malformed: 'the token is not a well-formed HS256 JWT',
  signature: 'the token signature does not verify',
  expired: 'the token has expired',
  'not-yet-valid': 'the token is not valid yet',
  issuer: "the token's issuer is not accepted",
  audience: "the token's audience is not this API",
  claims: 'the token lacks a subject or expiry',
};

/** The subject of a token any current key signed; a refusal names what was wrong, never the key. */
export async function verifyToken(config: Config, token: string): Promise<string> {
  try {
    return verifyJwt(token, config.auth.jwtSecrets, {
      issuer: config.auth.jwtIssuer,
      audience: config.auth.jwtAudience,
    }).sub;
  } catch (err) {
    if (!(err instanceof JwtError)) throw err;
    throw new UnauthenticatedError(
      jwtMessages[err.problem],
      err.problem === 'expired' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID',
    );
  }
}

function credentialsOf(req: Request): { kind: 'jwt' | 'api-key'; value: string } | null {
  const header = req.get('authorization');
  if (header) {
    const [scheme, value] = header.trim().split(/\s+/, 2);
    if (/^bearer$/i.test(scheme) && value) return { kind: 'jwt', value };
    if (/^apikey$/i.test(scheme) && value) return { kind: 'api-key', value };
    throw new UnauthenticatedError('Authorization must be "Bearer <token>" or "ApiKey <key>"');
  }
  const key = req.get('x-api-key');
  return key ? { kind: 'api-key', value: key.trim() } : null;
}

export function authenticate(config: Config, db: Knex) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const credentials = credentialsOf(req);
    if (!credentials) throw new UnauthenticatedError();
    const userId =
      credentials.kind === 'jwt'
        ? await verifyToken(config, credentials.value)
        : await userIdForApiKey(db, credentials.value);
    if (userId === null) throw new UnauthenticatedError('the API key is not valid', 'API_KEY_INVALID');
    const user = await getUser(db, userId);
    if (!user || !user.active)
      throw new UnauthenticatedError('the account is unknown or inactive', 'ACCOUNT_INACTIVE');
    res.locals.principal = { user, via: credentials.kind } satisfies Principal;
    next();
  };
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new UnauthenticatedError();
  return principal;
}
