/**
 * Commands on a running case, shared by the REST routes and the e-mail approval links: each
 * sends one kernel Update and turns a refusal or a missing/closed workflow into an `ApiError`.
 * Each message carries the API's proof (runtime/command-attestation.ts), so the case records it
 * on the channel it claims rather than as an operator's. The workflow validators are the last
 * guard; nothing here decides who may act.
 */
import {
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { attest } from '../runtime/command-attestation';
import { isRefusalCode } from '../workflows/contracts/refusals';
import {
  cancelUpdate,
  caseViewQuery,
  changePriorityUpdate,
  decideUpdate,
  delegateUpdate,
  offlineEntryUpdate,
  pauseClockUpdate,
  reopenUpdate,
  replanSignal,
  resumeClockUpdate,
  taskUpdate,
  withdrawUpdate,
  type CaseView,
  type EndCaseInput,
  type ClockInput,
  type DecisionInput,
  type DelegationInput,
  type OfflineEntryInput,
  type PriorityChangeInput,
  type ReopenInput,
  type TaskActionInput,
} from '../workflows/contracts/messages';
import { ApiError, ConflictError, NotFoundError, RefusalError, UnavailableError } from './errors';

export type { CaseView, DecisionInput, OfflineEntryInput, TaskActionInput };

export interface CommandOptions {
  /** The key the API signs the command with (config.auth.commandSecrets[0]): the worker checks it. */
  commandSecret: string;
  /** A stable Temporal update id makes a retried command return the first outcome instead of acting twice. */
  updateId?: string;
}

export async function submitDecision(
  client: Client,
  caseId: string,
  input: DecisionInput,
  options: CommandOptions,
): Promise<CaseView> {
  const message = attest(options.commandSecret, 'decide', caseId, input);
  return sendUpdate(client, caseId, options, (h) =>
    h.executeUpdate(decideUpdate, { args: [message], updateId: options.updateId }),
  );
}

export async function submitTaskAction(
  client: Client,
  caseId: string,
  input: TaskActionInput,
  options: CommandOptions,
): Promise<CaseView> {
  const message = attest(options.commandSecret, 'task', caseId, input);
  return sendUpdate(client, caseId, options, (h) =>
    h.executeUpdate(taskUpdate, { args: [message], updateId: options.updateId }),
  );
}

export async function recordOfflineEntry(
  client: Client,
  caseId: string,
  input: OfflineEntryInput,
  options: CommandOptions,
): Promise<CaseView> {
  const message = attest(options.commandSecret, 'recordOfflineEntry', caseId, input);
  return sendUpdate(client, caseId, options, (h) =>
    h.executeUpdate(offlineEntryUpdate, { args: [message], updateId: options.updateId }),
  );
}

/** Reopens a closed case its process keeps reopenable (a defect that recurred), signed like a decision. */
export async function reopenCase(
  client: Client,
  caseId: string,
  input: ReopenInput,
  options: CommandOptions,
): Promise<CaseView> {
  const message = attest(options.commandSecret, 'reopen', caseId, input);
  return sendUpdate(client, caseId, options, (h) =>
    h.executeUpdate(reopenUpdate, { args: [message], updateId: options.updateId }),
  );
}
// The case controls are signed like decisions, so the case records them as the API's, not an operator's.

export async function delegateStep(
  client: Client,
  caseId: string,
  input: DelegationInput,
  options: CommandOptions,
): Promise<CaseView> {
  const message = attest(options.commandSecret, 'delegate', caseId, input);
  return sendUpdate(client, caseId, {}, (h) => h.executeUpdate(delegateUpdate, { args: [message] }));
}

export async function pauseOrResumeClock(
  client: Client,
  caseId: string,
  kind: 'pause' | 'resume',
  input: ClockInput,
  options: CommandOptions,
): Promise<CaseView> {
  const update = kind === 'pause' ? pauseClockUpdate : resumeClockUpdate;
  const message = attest(
    options.commandSecret,
    kind === 'pause' ? 'pauseClock' : 'resumeClock',
    caseId,
    input,
  );
  return sendUpdate(client, caseId, {}, (h) => h.executeUpdate(update, { args: [message] }));
}

export async function changePriority(
  client: Client,
  caseId: string,
  input: PriorityChangeInput,
  options: CommandOptions,
): Promise<CaseView> {
  const message = attest(options.commandSecret, 'changePriority', caseId, input);
  return sendUpdate(client, caseId, {}, (h) => h.executeUpdate(changePriorityUpdate, { args: [message] }));
}

export async function endCase(
  client: Client,
  caseId: string,
  how: 'withdraw' | 'cancel',
  input: EndCaseInput,
  options: CommandOptions,
): Promise<CaseView> {
  const update = how === 'withdraw' ? withdrawUpdate : cancelUpdate;
  const message = attest(options.commandSecret, how, caseId, input);
  return sendUpdate(client, caseId, {}, (h) => h.executeUpdate(update, { args: [message] }));
}

/** Re-plan is a Signal (fire and forget): the case re-reads its pending steps' policies when it next runs. */
export async function replanCase(client: Client, caseId: string, reason: string): Promise<void> {
  const handle = client.workflow.getHandle(caseId);
  try {
    await handle.signal(replanSignal, { reason });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw await missingOrClosed(handle, caseId);
    throw temporalError(err);
  }
}

/** Whether Temporal has a workflow (running or closed) under this case number. */
export async function caseWorkflowExists(client: Client, caseId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(caseId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw temporalError(err);
  }
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
  options: Pick<CommandOptions, 'updateId'>,
  send: (handle: WorkflowHandle) => Promise<CaseView>,
): Promise<CaseView> {
  const handle = client.workflow.getHandle(caseId);
  try {
    return await send(handle);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw refusalOf(err);
    if (err instanceof WorkflowNotFoundError) {
      // A retry whose first attempt closed the case: the server no longer takes updates, but
      // the history holds the first outcome under the same update id.
      const earlier = options.updateId ? await completedUpdate(handle, options.updateId) : null;
      if (earlier) return earlier;
      throw await missingOrClosed(handle, caseId);
    }
    throw temporalError(err);
  }
}

/** The result of an update that completed in this workflow's history, or null. */
async function completedUpdate(handle: WorkflowHandle, updateId: string): Promise<CaseView | null> {
  try {
    const history = await handle.fetchHistory();
    for (const event of history.events ?? []) {
      const done = event.workflowExecutionUpdateCompletedEventAttributes;
      if (done?.meta?.updateId !== updateId) continue;
      const payload = done.outcome?.success?.payloads?.[0];
      return payload ? defaultPayloadConverter.fromPayload<CaseView>(payload) : null;
    }
  } catch {
    // Not found or not readable: the caller reports the case as it stands.
  }
  return null;
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
