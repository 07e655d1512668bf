/**
 * Compact HS256 JWTs (RFC 7519) on node:crypto. Why not jose: jose 6 is ESM-only and jest's
 * module registry cannot load it on Node 20 without a jest transform change, so the server and
 * its tests would run different code. HS256 alone is small enough to do exactly: the header
 * must say HS256 (no "none", no algorithm confusion), signatures compare in constant time,
 * `exp` is required.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface JwtClaims {
  sub: string;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
}

export type JwtProblem =
  'malformed' | 'signature' | 'expired' | 'not-yet-valid' | 'issuer' | 'audience' | 'claims';

export class JwtError extends Error {
  constructor(readonly problem: JwtProblem) {
    super(`token rejected: ${problem}`);
    this.name = 'JwtError';
  }
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const sign = (input: string, secret: string) => createHmac('sha256', secret).update(input).digest();
/** Clock skew tolerated between the issuer and this server. */
const LEEWAY_SECONDS = 30;

export function signJwt(
  claims: Omit<JwtClaims, 'iat' | 'exp'>,
  secret: string,
  ttlSeconds: number,
  now = Date.now(),
): string {
  const iat = Math.floor(now / 1000);
  const head = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64(JSON.stringify({ ...claims, iat, exp: iat + ttlSeconds }));
  return `${head}.${body}.${b64(sign(`${head}.${body}`, secret))}`;
}

/** The claims of a token signed by any of `secrets` (rotation), or a JwtError saying why not. */
export function verifyJwt(
  token: string,
  secrets: string[],
  expect: { issuer: string; audience: string },
  now = Date.now(),
): JwtClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) throw new JwtError('malformed');
  const [head, body, signature] = parts;
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError('malformed');
  }
  if (
    header?.alg !== 'HS256' ||
    (header.typ !== undefined && header.typ !== 'JWT') ||
    header.crit !== undefined
  ) {
    throw new JwtError('malformed');
  }
  const given = Buffer.from(signature, 'base64url');
  const valid = secrets.some((secret) => {
    const expected = sign(`${head}.${body}`, secret);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!valid) throw new JwtError('signature');
  if (typeof claims !== 'object' || claims === null) throw new JwtError('claims');
  const seconds = now / 1000;
  if (typeof claims.exp !== 'number') throw new JwtError('claims');
  if (claims.exp <= seconds - LEEWAY_SECONDS) throw new JwtError('expired');
  if (typeof claims.nbf === 'number' && claims.nbf > seconds + LEEWAY_SECONDS)
    throw new JwtError('not-yet-valid');
  if (claims.iss !== expect.issuer) throw new JwtError('issuer');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expect.audience)) throw new JwtError('audience');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new JwtError('claims');
  return claims as unknown as JwtClaims;
}
