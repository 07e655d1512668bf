/**
 * Opens the review case (KNB-…) of a knowledge entry's new version. The case number is taken
 * first and written with the version, so the version always names its review; if Temporal refuses
 * the start, the version is undone and the entry is free for the next edit.
 */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { allocateCaseNumber } from '../db/case-numbers';
import { discardVersion } from '../db/knowledge';
import type { Config } from '../runtime/config';
import type { CaseInput } from '../workflows/kernel/case-state';
import { processes } from '../workflows/registry';
import type { Principal } from './auth';
import { temporalError } from './case-commands';

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

/** A case number for the review, before the version is written. */
export async function reviewCaseNumber(deps: ReviewDeps): Promise<string> {
  const year = Number(
    new Intl.DateTimeFormat('en', { timeZone: deps.config.timeZone, year: 'numeric' }).format(new Date()),
  );
  return allocateCaseNumber(deps.db, definition.casePrefix, year);
}

/** Starts the review workflow of a version already written with `caseId` as its review case. */
export async function startReview(
  deps: ReviewDeps,
  principal: Principal,
  caseId: string,
  request: ReviewRequest,
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
    await discardVersion(deps.db, request.entryId, request.version);
    throw temporalError(err);
  }
}
