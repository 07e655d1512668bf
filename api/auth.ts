/**
 * Who is calling. People send `Authorization: Bearer <JWT>` (HS256, signed with the first of
 * config.auth.jwtSecrets, verified against all of them so keys can rotate; iss, aud, exp and sub
 * required). Integrations send `Authorization: ApiKey <key>` or `X-API-Key`, stored hashed and
 * bound to the directory user they act as. Either way the roles and vendor come from the
 * directory at every request, never from the token, so a role change applies at once.
 */
import { createRequire } from 'node:module';
import type { NextFunction, Request, Response } from 'express';
import type { Knex } from 'knex';
import { userIdForApiKey } from '../db/api-keys';
import { getUser, type User } from '../db/directory';
import type { Config } from '../runtime/config';
import type { ActorRef } from '../workflows/kernel/messages';
import { UnauthenticatedError } from './errors';

export interface Principal {
  user: User;
  via: 'jwt' | 'api-key';
}

export function actorOf(principal: Principal): ActorRef {
  return { id: principal.user.id, roles: [...principal.user.roles], vendorId: principal.user.vendorId };
}

/**
 * jose 6 is ESM-only. Node (>= 20.19) loads it with require(); jest's module registry cannot,
 * so it is loaded through Node's own require, which behaves the same in the server and in tests.
 */
const { errors: joseErrors, jwtVerify, SignJWT } = createRequire(__filename)('jose') as typeof import('jose');

const encoder = new TextEncoder();

export async function issueToken(config: Config, userId: string, secret = config.auth.jwtSecrets[0]): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(config.auth.jwtIssuer)
    .setAudience(config.auth.jwtAudience)
    .setIssuedAt()
    .setExpirationTime(`${config.auth.jwtTtlMinutes}m`)
    .sign(encoder.encode(secret));
}

/** The subject of a token any current key signed; a refusal names what was wrong, never the key. */
export async function verifyToken(config: Config, token: string): Promise<string> {
  for (const secret of config.auth.jwtSecrets) {
    try {
      const { payload } = await jwtVerify(token, encoder.encode(secret), {
        algorithms: ['HS256'],
        issuer: config.auth.jwtIssuer,
        audience: config.auth.jwtAudience,
        requiredClaims: ['exp', 'sub'],
      });
      return payload.sub as string;
    } catch (err) {
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) continue;
      if (err instanceof joseErrors.JWTExpired) throw new UnauthenticatedError('the token has expired', 'TOKEN_EXPIRED');
      if (err instanceof joseErrors.JWTClaimValidationFailed) {
        throw new UnauthenticatedError(`the token's ${err.claim} claim is not acceptable`, 'TOKEN_INVALID');
      }
      throw new UnauthenticatedError('the token is not a valid HS256 JWT', 'TOKEN_INVALID');
    }
  }
  throw new UnauthenticatedError('the token signature does not verify', 'TOKEN_INVALID');
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
      credentials.kind === 'jwt' ? await verifyToken(config, credentials.value) : await userIdForApiKey(db, credentials.value);
    if (userId === null) throw new UnauthenticatedError('the API key is not valid', 'API_KEY_INVALID');
    const user = await getUser(db, userId);
    if (!user || !user.active) throw new UnauthenticatedError('the account is unknown or inactive', 'ACCOUNT_INACTIVE');
    res.locals.principal = { user, via: credentials.kind } satisfies Principal;
    next();
  };
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new UnauthenticatedError();
  return principal;
}
