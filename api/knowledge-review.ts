/**
 * Opens the review case (KNB-…) of a knowledge entry's new version. The case number is taken
 * first and written with the version, so the version always names its review; if Temporal refuses
 * the start, the version is undone and the entry is free for the next edit.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { markIdempotencyKeyStarted } from '../db/api-idempotency';
import { discardVersion } from '../db/knowledge';
import type { Config } from '../runtime/config';
import type { CaseInput } from '../workflows/kernel/case-state';
import { processes } from '../workflows/registry';
import type { Principal } from './auth';
import { caseWorkflowExists, temporalError } from './case-commands';
import { reserveCaseNumber, yearIn } from './routes/cases';

export interface ReviewDeps {
  client: Client;
  db: Knex;
  config: Config;
}

export interface ReviewRequest {
  entryId: string;
  version: number;
  title: string;
  origin: 'manual' | 'defect' | 'emergency' | 'change';
  sourceCase?: string;
  system?: string;
}

const definition = processes.knowledge;

/**
 * A case number for the review, before the version is written. With an Idempotency-Key it is bound
 * to the key as a case start's is (`reserveCaseNumber`): a retry gets the same number back
 * (`replayed`), and with it the version that number reviews.
 */
export async function reviewCaseNumber(
  deps: ReviewDeps,
  principal: Principal,
  key: string | null,
  requestHash: string,
): Promise<{ caseId: string; replayed: boolean }> {
  const year = yearIn(deps.config.timeZone);
  return reserveCaseNumber(deps.db, principal, definition.casePrefix, year, key, requestHash, (id) =>
    caseWorkflowExists(deps.client, id),
  );
}

/** Starts the review workflow of a version already written with `caseId` as its review case. */
export async function startReview(
  deps: ReviewDeps,
  principal: Principal,
  caseId: string,
  request: ReviewRequest,
  key: string | null = null,
): Promise<void> {
  const fields = Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined));
  const headline = definition.headline(fields);
  const input: CaseInput = {
    caseId,
    process: definition.name,
    title: Array.from(headline.title).slice(0, 200).join(''),
    requester: principal.user.id,
    priority: headline.priority,
    system: headline.system,
    vendorId: principal.user.vendorId,
    fields,
    timeZone: deps.config.timeZone,
  };
  try {
    await deps.client.workflow.start(definition.workflowType, {
      taskQueue: deps.config.temporal.taskQueue,
      workflowId: caseId,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    // A retry finds the review already started (or already decided): nothing to undo.
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    await discardVersion(deps.db, request.entryId, request.version);
    throw temporalError(err);
  }
  if (key) await markIdempotencyKeyStarted(deps.db, principal.user.id, key);
}
