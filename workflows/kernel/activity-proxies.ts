/** The activities the kernel calls, with their timeouts and retry policies. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { OpsActivities } from '../../activities';

// The audit trail must never lose an event: retry until PostgreSQL takes it. The writes take
// milliseconds; a short start-to-close timeout bounds the wait after a worker dies mid-write.
export const persistence = proxyActivities<OpsActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});
// Reads of master data (policies, calendars, catalogues, directory): a missing row will not appear by retrying for ever.
const masterDataOptions = {
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
} as const;
export const masterData = proxyActivities<OpsActivities>(masterDataOptions);
// The SLA policy a step opens with, read inside the workflow task that opens the step: a read
// with no side effect, so running it again after a lost task is harmless, and it saves the
// step a workflow task and an activity task round trip (`Case.resolveSlaPolicy`).
export const localMasterData = proxyLocalActivities<OpsActivities>(masterDataOptions);
// Checking the API's proof on a command: pure CPU on the worker, before the command takes effect.
export const commandChecks = proxyLocalActivities<OpsActivities>({
  startToCloseTimeout: '5s',
  retry: { maximumAttempts: 3 },
});
