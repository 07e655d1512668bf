/**
 * Approval-link tokens: a capability to take one decision on one step of one case, as one
 * approver, until it expires. Format (URL-safe, no padding):
 *
 *   v1.<kid>.<payload>.<signature>
 *
 * `payload` is base64url JSON {c: case id, s: step, u: approver user id, d: approve|reject,
 * e: expiry (unix seconds), n: random nonce}; `signature` is HMAC-SHA256 over `v1.<kid>.<payload>`
 * with the key `kid` names. `kid` is derived from the key itself (first 8 bytes of its SHA-256,
 * hex), so rotating keys — a new one first in LINK_SECRETS, old ones kept to verify — never
 * renumbers them. Single use is not the token's business: the nonce is recorded on use.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type LinkDecision = 'approve' | 'reject';

export interface ApprovalLinkClaims {
  caseId: string;
  step: string;
  approverId: string;
  decision: LinkDecision;
  /** Unix seconds. */
  expiresAt: number;
  nonce: string;
}

export type TokenProblem = 'malformed' | 'unknown-key' | 'bad-signature' | 'expired';

export class ApprovalLinkError extends Error {
  override name = 'ApprovalLinkError';
  constructor(
    readonly problem: TokenProblem,
    message: string,
  ) {
    super(message);
  }
}

const VERSION = 'v1';

export function keyId(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

function sign(secret: string, signed: string): Buffer {
  return createHmac('sha256', secret).update(signed).digest();
}

/**
 * Signs a link's claims as `<version>.<kid>.<payload>.<signature>` with the first key. Every kind
 * of link (approval `v1`, survey `s1`, report `r1`) is signed here, each under its own version
 * prefix, so no kind is ever accepted as another.
 */
export function signLinkToken(
  secrets: readonly string[],
  version: string,
  claims: Record<string, unknown>,
): string {
  const secret = secrets[0];
  if (!secret) throw new Error('no link secret to sign with');
  const signed = `${version}.${keyId(secret)}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${signed}.${sign(secret, signed).toString('base64url')}`;
}

/**
 * The claims of a token of this version signed with a key still accepted; an ApprovalLinkError
 * (malformed, unknown-key, bad-signature) otherwise. Which claims it needs, and its expiry, are
 * each kind's to check.
 */
export function verifyLinkToken(
  secrets: readonly string[],
  version: string,
  token: unknown,
  /** What a token of this version is, for the refusal of anything else ("a survey link"). */
  kind = 'a link token',
): Record<string, unknown> {
  if (typeof token !== 'string' || token.length > 2048)
    throw new ApprovalLinkError('malformed', `not ${kind}`);
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== version || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) {
    throw new ApprovalLinkError('malformed', `not ${kind}`);
  }
  const [, kid, payload, signature] = parts;
  const secret = secrets.find((s) => keyId(s) === kid);
  if (secret === undefined)
    throw new ApprovalLinkError('unknown-key', 'signed with a key that is not (or no longer) accepted');
  const expected = sign(secret, `${version}.${kid}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  // Re-encoding must reproduce the text exactly, so no two spellings of one signature are accepted.
  if (
    given.length !== expected.length ||
    !timingSafeEqual(given, expected) ||
    given.toString('base64url') !== signature
  ) {
    throw new ApprovalLinkError('bad-signature', 'the signature does not match');
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new ApprovalLinkError('malformed', 'the payload is not JSON');
  }
  if (typeof body !== 'object' || body === null)
    throw new ApprovalLinkError('malformed', 'the payload lacks a claim');
  return body as Record<string, unknown>;
}

export function signApprovalLink(
  secrets: readonly string[],
  claims: Omit<ApprovalLinkClaims, 'nonce'> & { nonce?: string },
): string {
  return signLinkToken(secrets, VERSION, {
    c: claims.caseId,
    s: claims.step,
    u: claims.approverId,
    d: claims.decision,
    e: claims.expiresAt,
    n: claims.nonce ?? randomBytes(16).toString('base64url'),
  });
}

/** The claims of a genuine, unexpired token; an ApprovalLinkError says what is wrong otherwise. */
export function verifyApprovalLink(
  secrets: readonly string[],
  token: unknown,
  nowMs: number = Date.now(),
): ApprovalLinkClaims {
  const { c, s, u, d, e, n } = verifyLinkToken(secrets, VERSION, token);
  if (
    typeof c !== 'string' ||
    typeof s !== 'string' ||
    typeof u !== 'string' ||
    (d !== 'approve' && d !== 'reject') ||
    typeof e !== 'number' ||
    !Number.isInteger(e) ||
    typeof n !== 'string' ||
    n.length < 16
  ) {
    throw new ApprovalLinkError('malformed', 'the payload lacks a claim');
  }
  if (e * 1000 <= nowMs) throw new ApprovalLinkError('expired', 'the link has expired');
  return { caseId: c, step: s, approverId: u, decision: d, expiresAt: e, nonce: n };
}

/** The token of each decision a recipient may take by e-mail on an approval step. */
export function approvalLinksFor(
  secrets: readonly string[],
  input: { caseId: string; step: string; approverId: string; ttlHours: number; nowMs?: number },
): Record<LinkDecision, string> {
  const expiresAt = Math.floor((input.nowMs ?? Date.now()) / 1000) + input.ttlHours * 3600;
  const claims = { caseId: input.caseId, step: input.step, approverId: input.approverId, expiresAt };
  return {
    approve: signApprovalLink(secrets, { ...claims, decision: 'approve' }),
    reject: signApprovalLink(secrets, { ...claims, decision: 'reject' }),
  };
}

/**
 * The hidden token of the confirmation form: proof that a POST comes from the page Opsflow
 * rendered for this link (bound to the link's nonce, valid `maxAgeMs`), so a request forged
 * elsewhere needs more than the link itself. Format `<issued unix s>.<HMAC, base64url>`.
 */
export function signFormToken(secrets: readonly string[], nonce: string, nowMs: number = Date.now()): string {
  const issued = Math.floor(nowMs / 1000);
  return `${issued}.${sign(secrets[0], `form.${nonce}.${issued}`).toString('base64url')}`;
}

export function verifyFormToken(
  secrets: readonly string[],
  nonce: string,
  formToken: unknown,
  maxAgeMs: number,
  nowMs: number = Date.now(),
): boolean {
  if (typeof formToken !== 'string') return false;
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(formToken);
  if (!match) return false;
  const issued = Number(match[1]);
  if (issued * 1000 > nowMs + 60_000 || nowMs - issued * 1000 > maxAgeMs) return false;
  const given = Buffer.from(match[2], 'base64url');
  return secrets.some((s) => {
    const expected = sign(s, `form.${nonce}.${issued}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
