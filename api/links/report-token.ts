/**
 * Report links: the link in a service report's distribution mail, a capability to read that one
 * archived report as that one recipient until it expires (30 days: a monthly report is read in
 * the weeks after it goes out). Format `r1.<kid>.<payload>.<signature>`, signed like approval
 * links with LINK_SECRETS (`token.ts`: key ids, rotation). Reading is not a decision, so a link
 * may be opened any number of times; the recipient must still be allowed to read the report.
 */
import { ApprovalLinkError, signLinkToken, verifyLinkToken } from './token';

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

export function signReportLink(
  secrets: readonly string[],
  input: { caseId: string; readerId: string; nowMs?: number; ttlHours?: number },
): string {
  const e = Math.floor((input.nowMs ?? Date.now()) / 1000) + (input.ttlHours ?? REPORT_LINK_TTL_HOURS) * 3600;
  return signLinkToken(secrets, VERSION, { c: input.caseId, u: input.readerId, e });
}

export function verifyReportLink(
  secrets: readonly string[],
  token: unknown,
  nowMs = Date.now(),
): ReportLinkClaims {
  let claims: Record<string, unknown>;
  try {
    claims = verifyLinkToken(secrets, VERSION, token, 'a report link');
  } catch (err) {
    if (err instanceof ApprovalLinkError) throw new ReportLinkError('invalid', err.message);
    throw err;
  }
  const { c, u, e } = claims;
  if (typeof c !== 'string' || typeof u !== 'string' || typeof e !== 'number' || !Number.isInteger(e))
    throw new ReportLinkError('invalid', 'the payload lacks a claim');
  if (e * 1000 <= nowMs) throw new ReportLinkError('expired', 'the link has expired');
  return { caseId: c, readerId: u, expiresAt: e };
}
