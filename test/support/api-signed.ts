/**
 * Tests that drive a case through Temporal directly but stand for the API sign their messages as
 * the API does (runtime/command-attestation.ts), with the key the configuration defaults to;
 * unsigned, the case records them as an operator's.
 */
import { attest, type AttestedUpdate } from '../../runtime/command-attestation';
import { loadConfig } from '../../runtime/config';

export function apiSigned<T extends object>(caseId: string, update: AttestedUpdate, message: T) {
  return attest(loadConfig({ NODE_ENV: 'test' }).auth.commandSecrets[0], update, caseId, message);
}
