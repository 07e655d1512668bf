/** Every activity the worker registers, built over one database pool. Workflows import the type only. */
import type { Knex } from 'knex';
import { loadConfig } from '../runtime/config';
import { createCaseEventActivities } from './case-events';
import { createCommandAttestationActivities } from './command-attestation';
import { createChangeActivities } from './change-management';
import { createReleaseActivities } from './release';
import { createEmergencyActivities } from './emergency';
import { createSlaPolicyActivities } from './sla-policies';
import { createKnowledgeActivities } from './knowledge';
import { createDefectActivities } from './defect';
import { createVendorReviewActivities } from './vendor-review';
import { createPeriodicWorkActivities } from './periodic-work';
import { createHandoverActivities } from './handover';
import { createServiceReportActivities } from './service-report';

/**
 * `commandSecrets` verify the API's proof on commands (COMMAND_SECRETS); without them, the
 * configuration of this process (in development and tests, the built-in key the API signs with).
 */
export function createActivities(
  db: Knex,
  commandSecrets: readonly string[] = loadConfig().auth.commandSecrets,
) {
  return {
    ...createCommandAttestationActivities(commandSecrets),
    ...createCaseEventActivities(db),
    ...createSlaPolicyActivities(db),
    ...createChangeActivities(db),
    ...createReleaseActivities(db),
    ...createEmergencyActivities(db),
    ...createKnowledgeActivities(db),
    ...createDefectActivities(db),
    ...createVendorReviewActivities(db),
    ...createPeriodicWorkActivities(db),
    ...createHandoverActivities(db),
    ...createServiceReportActivities(db),
  };
}

export type OpsActivities = ReturnType<typeof createActivities>;
