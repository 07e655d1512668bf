import {
  ApprovalLinkError,
  approvalLinksFor,
  keyId,
  signApprovalLink,
  signFormToken,
  verifyApprovalLink,
  verifyFormToken,
  type ApprovalLinkClaims,
} from '../../api/links/token';

const OLD = 'old-link-secret-0123456789-abcdefghijklmnop';
const NEW = 'new-link-secret-0123456789-abcdefghijklmnop';
const now = Date.parse('2026-03-02T08:00:00Z');
const claims = {
  caseId: 'CHG-2026-000123',
  step: 'departmentHeadApproval',
  approverId: 'u-head',
  decision: 'approve' as const,
  expiresAt: now / 1000 + 3600,
};

function problemOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof ApprovalLinkError) return err.problem;
    throw err;
  }
  return 'accepted';
}

/** The token with one character at `index` replaced by another URL-safe one. */
function withCharChanged(token: string, index: number): string {
  const c = token[index];
  return token.slice(0, index) + (c === 'A' ? 'B' : 'A') + token.slice(index + 1);
}

describe('approval link token', () => {
  it('a token verifies to the claims it was signed with', () => {
    const token = signApprovalLink([NEW], { ...claims, nonce: 'n'.repeat(22) });
    expect(verifyApprovalLink([NEW], token, now)).toEqual<ApprovalLinkClaims>({
      ...claims,
      nonce: 'n'.repeat(22),
    });
    expect(token.split('.')[1]).toBe(keyId(NEW));
  });

  it('every token gets its own nonce', () => {
    const links = approvalLinksFor([NEW], {
      caseId: 'C-1',
      step: 's',
      approverId: 'u',
      ttlHours: 1,
      nowMs: now,
    });
    const approve = verifyApprovalLink([NEW], links.approve, now);
    const reject = verifyApprovalLink([NEW], links.reject, now);
    expect(approve.decision).toBe('approve');
    expect(reject.decision).toBe('reject');
    expect(approve.nonce).not.toBe(reject.nonce);
    expect(approve.expiresAt).toBe(now / 1000 + 3600);
  });

  it('a token with any single character changed is refused', () => {
    const token = signApprovalLink([NEW], claims);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      expect(problemOf(() => verifyApprovalLink([NEW], withCharChanged(token, i), now))).not.toBe('accepted');
    }
  });

  it('claims edited and re-encoded without the key are refused', () => {
    const [v, kid, payload, sig] = signApprovalLink([NEW], claims).split('.');
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...body, u: 'u-attacker', d: 'reject' })).toString(
      'base64url',
    );
    expect(problemOf(() => verifyApprovalLink([NEW], [v, kid, forged, sig].join('.'), now))).toBe(
      'bad-signature',
    );
  });

  it('an expired token is refused, one second before expiry it is accepted', () => {
    const token = signApprovalLink([NEW], claims);
    expect(problemOf(() => verifyApprovalLink([NEW], token, claims.expiresAt * 1000 - 1000))).toBe(
      'accepted',
    );
    expect(problemOf(() => verifyApprovalLink([NEW], token, claims.expiresAt * 1000))).toBe('expired');
  });

  it('after rotation, links signed with the old key still verify and new links use the new key', () => {
    const before = signApprovalLink([OLD], claims);
    const rotated = [NEW, OLD];
    expect(verifyApprovalLink(rotated, before, now).approverId).toBe('u-head');
    const after = signApprovalLink(rotated, claims);
    expect(after.split('.')[1]).toBe(keyId(NEW));
    expect(problemOf(() => verifyApprovalLink([OLD], after, now))).toBe('unknown-key');
  });

  it('a token signed with a key that is not accepted is refused', () => {
    const token = signApprovalLink([OLD], claims);
    expect(problemOf(() => verifyApprovalLink([NEW], token, now))).toBe('unknown-key');
  });

  it('a token whose key id is swapped for an accepted key is refused', () => {
    const [v, , payload, sig] = signApprovalLink([OLD], claims).split('.');
    expect(problemOf(() => verifyApprovalLink([NEW], [v, keyId(NEW), payload, sig].join('.'), now))).toBe(
      'bad-signature',
    );
  });

  it('garbage is refused as malformed', () => {
    for (const junk of [
      undefined,
      '',
      'abc',
      'v2.a.b.c',
      'v1.a.b',
      'v1.a.b.c.d',
      'v1.a b.c.d',
      'x'.repeat(5000),
    ]) {
      expect(problemOf(() => verifyApprovalLink([NEW], junk, now))).toBe('malformed');
    }
  });

  it('the form token is bound to the link nonce and expires', () => {
    const form = signFormToken([NEW], 'nonce-aaaaaaaaaaaaaaa', now);
    expect(verifyFormToken([NEW], 'nonce-aaaaaaaaaaaaaaa', form, 60_000, now + 1000)).toBe(true);
    expect(verifyFormToken([NEW], 'nonce-bbbbbbbbbbbbbbb', form, 60_000, now + 1000)).toBe(false);
    expect(verifyFormToken([NEW], 'nonce-aaaaaaaaaaaaaaa', form, 60_000, now + 61_000)).toBe(false);
    expect(verifyFormToken([OLD], 'nonce-aaaaaaaaaaaaaaa', form, 60_000, now + 1000)).toBe(false);
    expect(verifyFormToken([NEW], 'nonce-aaaaaaaaaaaaaaa', undefined, 60_000, now)).toBe(false);
  });
});
