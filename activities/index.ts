/** Every activity the worker registers, built over one database pool. Workflows import the type only. */
import type { Knex } from 'knex';
import { createCaseEventActivities } from './case-events';
import { createChangeActivities } from './change-management';
import { createEmergencyActivities } from './emergency';
import { createSlaPolicyActivities } from './sla-policies';

export function createActivities(db: Knex) {
  return {
    ...createCaseEventActivities(db),
    ...createSlaPolicyActivities(db),
    ...createChangeActivities(db),
    ...createEmergencyActivities(db),
  };
}

export type OpsActivities = ReturnType<typeof createActivities>;
