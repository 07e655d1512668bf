/** HS256 tokens: what verifies and what is refused, including key rotation and algorithm tricks. */
import { JwtError, signJwt, verifyJwt } from '../../api/jwt';

const NEW = 'new-secret-0123456789abcdefghijklmnopqrstu';
const OLD = 'old-secret-0123456789abcdefghijklmnopqrstu';
const expect_ = { issuer: 'opsflow', audience: 'opsflow-api' };
const claims = { sub: 'u-1', iss: 'opsflow', aud: 'opsflow-api' };

const problem = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof JwtError ? err.problem : 'other';
  }
  return 'accepted';
};

test('a token signed with any configured key verifies (rotation: new signs, old still verifies)', () => {
  expect(verifyJwt(signJwt(claims, NEW, 60), [NEW, OLD], expect_).sub).toBe('u-1');
  expect(verifyJwt(signJwt(claims, OLD, 60), [NEW, OLD], expect_).sub).toBe('u-1');
  expect(problem(() => verifyJwt(signJwt(claims, OLD, 60), [NEW], expect_))).toBe('signature');
});

test('expired, wrong issuer, wrong audience and missing subject are refused', () => {
  expect(problem(() => verifyJwt(signJwt(claims, NEW, 60, Date.now() - 120_000), [NEW], expect_))).toBe(
    'expired',
  );
  expect(problem(() => verifyJwt(signJwt({ ...claims, iss: 'x' }, NEW, 60), [NEW], expect_))).toBe('issuer');
  expect(problem(() => verifyJwt(signJwt({ ...claims, aud: 'x' }, NEW, 60), [NEW], expect_))).toBe(
    'audience',
  );
  expect(problem(() => verifyJwt(signJwt({ ...claims, sub: '' }, NEW, 60), [NEW], expect_))).toBe('claims');
});

test('alg "none", another algorithm, a changed payload and garbage are refused', () => {
  const [, body, sig] = signJwt(claims, NEW, 60).split('.');
  const header = (h: object) => Buffer.from(JSON.stringify(h)).toString('base64url');
  expect(problem(() => verifyJwt(`${header({ alg: 'none' })}.${body}.`, [NEW], expect_))).toBe('malformed');
  expect(problem(() => verifyJwt(`${header({ alg: 'HS512' })}.${body}.${sig}`, [NEW], expect_))).toBe(
    'malformed',
  );
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'admin', exp: 9e9 })).toString('base64url');
  expect(problem(() => verifyJwt(`${header({ alg: 'HS256' })}.${forged}.${sig}`, [NEW], expect_))).toBe(
    'signature',
  );
  expect(problem(() => verifyJwt('not.a.jwt!', [NEW], expect_))).toBe('malformed');
});
