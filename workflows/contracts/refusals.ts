/**
 * Why the kernel refuses a message. Each code is stable: the API maps it to HTTP
 * (403 for who-may-act rules, 409 for state conflicts, 422 for a bad payload) and the
 * audit trail records it when a refused signal is logged.
 */
import { ApplicationFailure } from '@temporalio/common';

export const refusalCodes = {
  NOT_ELIGIBLE: 403,
  SOD_REQUESTER: 403,
  SOD_IMPLEMENTER: 403,
  SOD_VENDOR: 403,
  /** A department-head step of a case belongs to the head (or deputy, or their delegate) of the requester's department. */
  NOT_REQUESTERS_HEAD: 403,
  STEP_NOT_PENDING: 409,
  DUPLICATE_DECISION: 409,
  TASK_CLAIMED: 409,
  CASE_CLOSED: 409,
  /** Work on production has begun: the case can no longer be withdrawn, only cancelled by the O&M head. */
  TOO_LATE_TO_WITHDRAW: 409,
  /** The case is not closed, or its process no longer keeps it reopenable (the retention period ended). */
  NOT_REOPENABLE: 409,
  REASON_REQUIRED: 422,
  EVIDENCE_REQUIRED: 422,
  FORM_INVALID: 422,
  /** The form is well-formed but breaks a business rule (freeze window, …). */
  FORM_REFUSED: 422,
  INVALID_MESSAGE: 422,
} as const;

export type RefusalCode = keyof typeof refusalCodes;

/** A refusal as workflow code raises it: the failure type carries the code to the client. */
export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'Refusal';
  }

  toFailure(): ApplicationFailure {
    return ApplicationFailure.create({
      type: this.code,
      message: this.message,
      nonRetryable: true,
      details: [this.details],
    });
  }
}

export function isRefusalCode(value: unknown): value is RefusalCode {
  return typeof value === 'string' && value in refusalCodes;
}
