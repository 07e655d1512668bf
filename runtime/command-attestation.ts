/**
 * Proof that a command on a case came through the API (or an e-mail link): the API signs the
 * message it sends as a Temporal Update with a server-side key (COMMAND_SECRETS), and the worker
 * checks the signature in a local activity before the command takes effect — workflow code can
 * hold no secret and do no crypto. An Update sent straight to Temporal (CLI, Web UI, a client
 * with namespace access) carries no valid proof and is recorded on the `operator` channel with
 * its claimed identity marked unverified; it can never pose as an API or e-mail decision.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../db/canonical-json';
import type { CommandAttestation } from '../workflows/contracts/messages';

/** The Updates whose sender the worker checks. */
export type AttestedUpdate =
  | 'decide'
  | 'task'
  | 'recordOfflineEntry'
  | 'reopen'
  | 'delegate'
  | 'pauseClock'
  | 'resumeClock'
  | 'changePriority'
  | 'withdraw'
  | 'cancel';

/**
 * `issuedAt`: when the API signed (a proof copied out of a history goes stale); `mac`:
 * HMAC-SHA256 (base64url) over the update name, the case, issuedAt and the message without it.
 */
export type { CommandAttestation };

/** How long a proof stays good: covers a worker restart while an Update waits, not a copied proof a day later. */
export const ATTESTATION_MAX_AGE_MS = 60 * 60 * 1000;

type Message = { attestation?: CommandAttestation } & object;

function macOf(secret: string, update: AttestedUpdate, caseId: string, issuedAt: string, message: Message) {
  const { attestation: _ignored, ...rest } = message;
  void _ignored;
  // The worker sees the message after a trip through JSON: sign that form.
  const signed = canonicalJson({ update, caseId, issuedAt, message: JSON.parse(JSON.stringify(rest)) });
  return createHmac('sha256', secret).update(signed).digest('base64url');
}

/** The message with the API's proof attached (signed with the first, i.e. newest, key). */
export function attest<T extends Message>(
  secret: string,
  update: AttestedUpdate,
  caseId: string,
  message: T,
  now = Date.now(),
): T & { attestation: CommandAttestation } {
  const issuedAt = new Date(now).toISOString();
  return { ...message, attestation: { issuedAt, mac: macOf(secret, update, caseId, issuedAt, message) } };
}

/** True when one of the keys signed exactly this message for this case and update, recently enough. */
export function verifyAttestation(
  secrets: readonly string[],
  update: AttestedUpdate,
  caseId: string,
  message: object,
  now = Date.now(),
): boolean {
  const proof = (message as Message | null)?.attestation;
  if (!proof || typeof proof.issuedAt !== 'string' || typeof proof.mac !== 'string') return false;
  const issued = Date.parse(proof.issuedAt);
  if (Number.isNaN(issued) || issued > now + 60_000 || now - issued > ATTESTATION_MAX_AGE_MS) return false;
  const given = Buffer.from(proof.mac);
  return secrets.some((secret) => {
    const expected = Buffer.from(macOf(secret, update, caseId, proof.issuedAt, message));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
