/** Looks up the service-level policy a step's SLA clock runs on, once, when the step opens. */
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import type { ResolveSlaPolicyInput, SlaPolicy } from '../workflows/contracts/case-records';
import { findSlaPolicy } from '../db/sla-policies';

export function createSlaPolicyActivities(db: Knex) {
  return {
    async resolveSlaPolicy(input: ResolveSlaPolicyInput): Promise<SlaPolicy> {
      const policy = await findSlaPolicy(db, input);
      if (!policy) {
        // Only an admin adding a policy (or restoring the '*' catch-all) can fix this, not a retry.
        throw ApplicationFailure.nonRetryable(
          `no active SLA policy matches process ${input.process}, stage ${input.stage}, priority ${input.priority}`,
          'SlaPolicyMissing',
        );
      }
      return policy;
    },
  };
}
