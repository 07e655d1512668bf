/**
 * The worker's check of the API's proof on a command (runtime/command-attestation.ts), run as a
 * local activity from the kernel's Update handlers: the key stays outside the workflow sandbox.
 */
import { verifyAttestation, type AttestedUpdate } from '../runtime/command-attestation';

export interface CheckCommandInput {
  update: AttestedUpdate;
  caseId: string;
  message: object;
}

export function createCommandAttestationActivities(commandSecrets: readonly string[]) {
  return {
    async checkCommandAttestation(input: CheckCommandInput): Promise<{ verified: boolean }> {
      return { verified: verifyAttestation(commandSecrets, input.update, input.caseId, input.message) };
    },
  };
}
