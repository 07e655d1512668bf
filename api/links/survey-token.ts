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
import { randomBytes } from 'node:crypto';
import type { Config } from '../../runtime/config';
import { ApprovalLinkError, signLinkToken, verifyLinkToken } from './token';

export interface SurveyLinkClaims {
  caseId: string;
  step: string;
  userId: string;
  expiresAt: number;
  nonce: string;
}

/** The vendor review's own mails that carry a survey link (`links.survey`). */
export const SURVEY_TEMPLATES: readonly string[] = ['vendor-survey-request', 'vendor-survey-reminder'];

/**
 * Whether an outbox row is a mail that carries a survey link: the vendor review's survey mails, and
 * the survey step's own assignment mail — one mail per head asks for the answer and carries its
 * link, as an approval request carries its approve and reject links (a reassigned survey's new
 * holder gets theirs the same way). Cases started before mailed the survey separately.
 */
export function carriesSurveyLink(row: { template: string; data: Record<string, unknown> }): boolean {
  if (SURVEY_TEMPLATES.includes(row.template)) return true;
  return (
    row.template === 'task-assigned' &&
    row.data.process === 'vendor-review' &&
    typeof row.data.step === 'string' &&
    /^satisfactionSurvey(#\d+)?$/.test(row.data.step)
  );
}
export const SURVEY_PATH = '/links/survey';
/** A survey runs up to seven working days and is reminded once: its link outlives LINK_TTL_HOURS on purpose. */
const SURVEY_LINK_TTL_HOURS = 30 * 24;
const VERSION = 's1';

export function signSurveyLink(
  secrets: readonly string[],
  claims: Omit<SurveyLinkClaims, 'nonce'> & { nonce?: string },
): string {
  return signLinkToken(secrets, VERSION, {
    c: claims.caseId,
    s: claims.step,
    u: claims.userId,
    e: claims.expiresAt,
    n: claims.nonce ?? randomBytes(16).toString('base64url'),
  });
}

export function verifySurveyLink(
  secrets: readonly string[],
  token: unknown,
  nowMs: number = Date.now(),
): SurveyLinkClaims {
  const { c, s, u, e, n } = verifyLinkToken(secrets, VERSION, token, 'a survey link');
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
