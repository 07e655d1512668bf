/**
 * Satisfaction-survey links (002 §6.3.3 c): a capability to answer one survey step of one vendor
 * review, as one department head, until it expires — the approval link's design with its own
 * version prefix, so neither kind of token is accepted as the other:
 *
 *   s1.<kid>.<payload>.<signature>
 *
 * `payload` is base64url JSON {c: case id, s: step, u: user id, e: expiry (unix s), n: nonce},
 * signed with HMAC-SHA256 under LINK_SECRETS (the first signs, all verify). Single use is kept in
 * `survey_link_uses`, and the workflow refuses a second answer to the same step anyway.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../runtime/config';
import { ApprovalLinkError, keyId } from './token';

export interface SurveyLinkClaims {
  caseId: string;
  step: string;
  userId: string;
  expiresAt: number;
  nonce: string;
}

/** The mails that carry a survey link (`links.survey`). */
export const SURVEY_TEMPLATES: readonly string[] = ['vendor-survey-request', 'vendor-survey-reminder'];
export const SURVEY_PATH = '/links/survey';
/** A survey runs up to seven working days and is reminded once: its link outlives LINK_TTL_HOURS on purpose. */
const SURVEY_LINK_TTL_HOURS = 30 * 24;
const VERSION = 's1';

const sign = (secret: string, signed: string) => createHmac('sha256', secret).update(signed).digest();

export function signSurveyLink(
  secrets: readonly string[],
  claims: Omit<SurveyLinkClaims, 'nonce'> & { nonce?: string },
): string {
  const secret = secrets[0];
  if (!secret) throw new Error('no link secret to sign with');
  const body = {
    c: claims.caseId,
    s: claims.step,
    u: claims.userId,
    e: claims.expiresAt,
    n: claims.nonce ?? randomBytes(16).toString('base64url'),
  };
  const signed = `${VERSION}.${keyId(secret)}.${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
  return `${signed}.${sign(secret, signed).toString('base64url')}`;
}

export function verifySurveyLink(
  secrets: readonly string[],
  token: unknown,
  nowMs: number = Date.now(),
): SurveyLinkClaims {
  if (typeof token !== 'string' || token.length > 2048)
    throw new ApprovalLinkError('malformed', 'not a survey link');
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) {
    throw new ApprovalLinkError('malformed', 'not a survey link');
  }
  const [, kid, payload, signature] = parts;
  const secret = secrets.find((s) => keyId(s) === kid);
  if (secret === undefined)
    throw new ApprovalLinkError('unknown-key', 'signed with a key no longer accepted');
  const expected = sign(secret, `${VERSION}.${kid}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (
    given.length !== expected.length ||
    !timingSafeEqual(given, expected) ||
    given.toString('base64url') !== signature
  ) {
    throw new ApprovalLinkError('bad-signature', 'the signature does not match');
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new ApprovalLinkError('malformed', 'the payload is not JSON');
  }
  const { c, s, u, e, n } = body ?? {};
  if (
    typeof c !== 'string' ||
    typeof s !== 'string' ||
    typeof u !== 'string' ||
    typeof e !== 'number' ||
    !Number.isInteger(e) ||
    typeof n !== 'string' ||
    n.length < 16
  ) {
    throw new ApprovalLinkError('malformed', 'the payload lacks a claim');
  }
  if (e * 1000 <= nowMs) throw new ApprovalLinkError('expired', 'the link has expired');
  return { caseId: c, step: s, userId: u, expiresAt: e, nonce: n };
}

/** The URL a survey mail carries for one recipient and one survey step. */
export function surveyLinkFor(
  config: Pick<Config, 'mail' | 'api'>,
  caseId: string,
  step: string,
  userId: string,
  nowMs: number = Date.now(),
): string {
  const token = signSurveyLink(config.mail.linkSecrets, {
    caseId,
    step,
    userId,
    expiresAt: Math.floor(nowMs / 1000) + SURVEY_LINK_TTL_HOURS * 3600,
  });
  const url = new URL(SURVEY_PATH, config.api.publicUrl);
  url.searchParams.set('t', token);
  return url.toString();
}
