/**
 * Report links: the link in a service report's distribution mail, a capability to read that one
 * archived report as that one recipient until it expires (30 days: a monthly report is read in
 * the weeks after it goes out). Format `r1.<kid>.<payload>.<signature>`, signed like approval
 * links with LINK_SECRETS (`token.ts`: key ids, rotation). Reading is not a decision, so a link
 * may be opened any number of times; the recipient must still be allowed to read the report.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { keyId } from './token';

export const REPORT_LINK_TTL_HOURS = 30 * 24;
const VERSION = 'r1';

export interface ReportLinkClaims {
  caseId: string;
  readerId: string;
  /** Unix seconds. */
  expiresAt: number;
}

export class ReportLinkError extends Error {
  override name = 'ReportLinkError';
  constructor(
    readonly problem: 'invalid' | 'expired',
    message: string,
  ) {
    super(message);
  }
}

const mac = (secret: string, signed: string) => createHmac('sha256', secret).update(signed).digest();

export function signReportLink(
  secrets: readonly string[],
  input: { caseId: string; readerId: string; nowMs?: number; ttlHours?: number },
): string {
  const secret = secrets[0];
  if (!secret) throw new Error('no link secret to sign with');
  const e = Math.floor((input.nowMs ?? Date.now()) / 1000) + (input.ttlHours ?? REPORT_LINK_TTL_HOURS) * 3600;
  const payload = Buffer.from(JSON.stringify({ c: input.caseId, u: input.readerId, e })).toString(
    'base64url',
  );
  const signed = `${VERSION}.${keyId(secret)}.${payload}`;
  return `${signed}.${mac(secret, signed).toString('base64url')}`;
}

export function verifyReportLink(
  secrets: readonly string[],
  token: unknown,
  nowMs = Date.now(),
): ReportLinkClaims {
  const invalid = (why: string) => new ReportLinkError('invalid', why);
  if (typeof token !== 'string' || token.length > 2048) throw invalid('not a report link');
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p)))
    throw invalid('not a report link');
  const [, kid, payload, signature] = parts;
  const secret = secrets.find((s) => keyId(s) === kid);
  if (secret === undefined) throw invalid('signed with a key that is not accepted');
  const expected = mac(secret, `${VERSION}.${kid}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (
    given.length !== expected.length ||
    !timingSafeEqual(given, expected) ||
    given.toString('base64url') !== signature
  )
    throw invalid('the signature does not match');
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalid('the payload is not JSON');
  }
  const { c, u, e } = body ?? {};
  if (typeof c !== 'string' || typeof u !== 'string' || typeof e !== 'number' || !Number.isInteger(e))
    throw invalid('the payload lacks a claim');
  if (e * 1000 <= nowMs) throw new ReportLinkError('expired', 'the link has expired');
  return { caseId: c, readerId: u, expiresAt: e };
}
