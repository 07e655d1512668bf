/** The API's proof on a command: only this message, this case, this update, a current key, recently. */
import { ATTESTATION_MAX_AGE_MS, attest, verifyAttestation } from '../../runtime/command-attestation';

const KEY = 'unit-command-key-0123456789abcdefghijkl';
const OLD_KEY = 'unit-command-old-key-0123456789abcdefghi';
const message = {
  step: 'departmentHeadApproval',
  decision: 'approve',
  actor: { id: 'u-head', roles: ['department_head'], vendorId: null },
  channel: 'api',
  comment: undefined,
};

test('a message the API signed verifies, after a trip through JSON as the worker receives it', () => {
  const signed = attest(KEY, 'decide', 'ACC-2026-000001', message);
  const received = JSON.parse(JSON.stringify(signed)) as typeof signed;
  expect(verifyAttestation([KEY], 'decide', 'ACC-2026-000001', received)).toBe(true);
});

test('an edited message, another case, another update or an unknown key does not verify', () => {
  const signed = attest(KEY, 'decide', 'ACC-2026-000001', message);
  expect(verifyAttestation([KEY], 'decide', 'ACC-2026-000001', { ...signed, decision: 'reject' })).toBe(
    false,
  );
  expect(
    verifyAttestation([KEY], 'decide', 'ACC-2026-000001', {
      ...signed,
      actor: { id: 'u-x', roles: ['admin'] },
    }),
  ).toBe(false);
  expect(verifyAttestation([KEY], 'decide', 'ACC-2026-000002', signed)).toBe(false);
  expect(verifyAttestation([KEY], 'task', 'ACC-2026-000001', signed)).toBe(false);
  expect(verifyAttestation([OLD_KEY], 'decide', 'ACC-2026-000001', signed)).toBe(false);
  expect(verifyAttestation([KEY], 'decide', 'ACC-2026-000001', message)).toBe(false);
});

test('keys rotate: a proof signed with the previous key verifies while that key is listed', () => {
  const signed = attest(OLD_KEY, 'decide', 'ACC-2026-000001', message);
  expect(verifyAttestation([KEY, OLD_KEY], 'decide', 'ACC-2026-000001', signed)).toBe(true);
});

test('a proof older than its maximum age, or from the future, does not verify', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  const old = attest(KEY, 'decide', 'ACC-2026-000001', message, now - ATTESTATION_MAX_AGE_MS - 1);
  expect(verifyAttestation([KEY], 'decide', 'ACC-2026-000001', old, now)).toBe(false);
  const future = attest(KEY, 'decide', 'ACC-2026-000001', message, now + 10 * 60_000);
  expect(verifyAttestation([KEY], 'decide', 'ACC-2026-000001', future, now)).toBe(false);
});
