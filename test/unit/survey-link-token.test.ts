/** Survey links: signed, expiring, bound to case, step and person, and never taken for an approval link (or back). */
import { signSurveyLink, verifySurveyLink } from '../../api/links/survey-token';
import { signApprovalLink, verifyApprovalLink } from '../../api/links/token';

const secrets = ['survey-test-secret-0123456789abcdefghijklmnop'];
const claims = {
  caseId: 'VRV-2026-000001',
  step: 'satisfactionSurvey#2',
  userId: 'head-2',
  expiresAt: 2_000_000_000,
};

test('a genuine link gives back its claims', () => {
  expect(verifySurveyLink(secrets, signSurveyLink(secrets, claims), 1_900_000_000_000)).toMatchObject(claims);
});

test('an expired, tampered or foreign-key link is refused', () => {
  const token = signSurveyLink(secrets, claims);
  expect(() => verifySurveyLink(secrets, token, 2_000_000_001_000)).toThrow(/expired/);
  const [v, kid, payload, sig] = token.split('.');
  const other = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), u: 'head-3' }),
  ).toString('base64url');
  expect(() => verifySurveyLink(secrets, [v, kid, other, sig].join('.'), 0)).toThrow(/signature/);
  expect(() => verifySurveyLink(['another-secret-0123456789abcdefghijklmnopqr'], token, 0)).toThrow(/key/);
});

test('an approval link is not a survey link, and a survey link is not an approval link', () => {
  const approval = signApprovalLink(secrets, {
    caseId: claims.caseId,
    step: claims.step,
    approverId: claims.userId,
    decision: 'approve',
    expiresAt: claims.expiresAt,
  });
  expect(() => verifySurveyLink(secrets, approval, 0)).toThrow(/not a survey link/);
  expect(() => verifyApprovalLink(secrets, signSurveyLink(secrets, claims), 0)).toThrow(/not a link token/);
});
