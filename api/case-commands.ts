/**
 * Commands on a running case, shared by the REST routes and the e-mail approval links: each
 * sends one kernel Update and turns a refusal or a missing/closed workflow into an `ApiError`.
 * The workflow validators are the last guard; nothing here decides who may act.
 */
import {
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isRefusalCode } from '../workflows/contracts/refusals';
import {
  caseViewQuery,
  changePriorityUpdate,
  decideUpdate,
  offlineEntryUpdate,
  taskUpdate,
  type CaseView,
  type DecisionInput,
  type OfflineEntryInput,
  type PriorityChangeInput,
  type TaskActionInput,
} from '../workflows/contracts/messages';
import { ApiError, ConflictError, NotFoundError, RefusalError, UnavailableError } from './errors';

export type { CaseView, DecisionInput, OfflineEntryInput, TaskActionInput };

export async function submitDecision(
  client: Client,
  caseId: string,
  input: DecisionInput,
): Promise<CaseView> {
  return sendUpdate(client, caseId, (h) => h.executeUpdate(decideUpdate, { args: [input] }));
}

export async function submitTaskAction(
  client: Client,
  caseId: string,
  input: TaskActionInput,
): Promise<CaseView> {
  return sendUpdate(client, caseId, (h) => h.executeUpdate(taskUpdate, { args: [input] }));
}

export async function recordOfflineEntry(
  client: Client,
  caseId: string,
  input: OfflineEntryInput,
): Promise<CaseView> {
  return sendUpdate(client, caseId, (h) => h.executeUpdate(offlineEntryUpdate, { args: [input] }));
}

/** A new priority (an emergency's level): the case's open clocks are re-planned from its policies. */
export async function changePriority(
  client: Client,
  caseId: string,
  input: PriorityChangeInput,
): Promise<CaseView> {
  return sendUpdate(client, caseId, (h) => h.executeUpdate(changePriorityUpdate, { args: [input] }));
}

/** The live view of the case from its workflow; null when no workflow has that id. */
export async function queryCaseView(client: Client, caseId: string): Promise<CaseView | null> {
  try {
    return await client.workflow.getHandle(caseId).query(caseViewQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw temporalError(err);
  }
}

async function sendUpdate(
  client: Client,
  caseId: string,
  send: (handle: WorkflowHandle) => Promise<CaseView>,
): Promise<CaseView> {
  const handle = client.workflow.getHandle(caseId);
  try {
    return await send(handle);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw refusalOf(err);
    if (err instanceof WorkflowNotFoundError) throw await missingOrClosed(handle, caseId);
    throw temporalError(err);
  }
}

function refusalOf(err: WorkflowUpdateFailedError): ApiError {
  const cause = err.cause;
  if (cause instanceof ApplicationFailure && isRefusalCode(cause.type)) {
    const details = (cause.details?.[0] ?? {}) as Record<string, unknown>;
    return new RefusalError(cause.type, cause.message, details);
  }
  // A validator that threw something other than a refusal is a bug in the process, not bad input.
  return new ApiError(500, 'UPDATE_FAILED', 'the case could not process the request');
}

/** The server says "not found" both for an unknown id and for an update sent to a finished run. */
async function missingOrClosed(handle: WorkflowHandle, caseId: string): Promise<ApiError> {
  try {
    const described = await handle.describe();
    if (described.status.name !== 'RUNNING') {
      return new ConflictError(`case ${caseId} is ${described.status.name.toLowerCase()}`, 'CASE_CLOSED');
    }
    return new UnavailableError(`case ${caseId} did not accept the request; retry`);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return new NotFoundError(`no case ${caseId}`, 'CASE_NOT_FOUND');
    return temporalError(err);
  }
}

/** Any other failure talking to Temporal is an outage from the caller's point of view. */
export function temporalError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (
    err instanceof ServiceError ||
    (err instanceof Error && /UNAVAILABLE|DEADLINE|ECONNREFUSED/i.test(err.message))
  ) {
    return new UnavailableError('the workflow service is not answering; retry later');
  }
  return new ApiError(500, 'INTERNAL', 'an unexpected error occurred talking to the workflow service');
}
