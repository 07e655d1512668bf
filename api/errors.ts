/**
 * The one error hierarchy of the API and its one mapping to HTTP: every failure a handler
 * raises ends here as an RFC 9457 problem (`application/problem+json`). Anything that is not
 * an `ApiError` is a bug or an outage: logged with its stack, answered without one.
 */
import type { ErrorRequestHandler, Response } from 'express';
import { refusalCodes, type RefusalCode } from '../workflows/contracts/refusals';

export interface FieldError {
  /** JSON pointer into the request body (`/justification`), query (`/query/limit`) or header. */
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** Stable machine-readable code; clients branch on this, never on the message. */
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class ValidationError extends ApiError {
  constructor(
    readonly errors: FieldError[],
    message = 'the request is not valid',
    code = 'VALIDATION_FAILED',
  ) {
    super(400, code, message, { errors });
    this.name = 'ValidationError';
  }
}

export class UnauthenticatedError extends ApiError {
  constructor(message = 'a valid Bearer token or API key is required', code = 'UNAUTHENTICATED') {
    super(401, code, message);
    this.name = 'UnauthenticatedError';
  }
}

export class ForbiddenError extends ApiError {
  constructor(message: string, code = 'FORBIDDEN') {
    super(403, code, message);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string, code = 'NOT_FOUND') {
    super(404, code, message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends ApiError {
  constructor(message: string, code = 'CONFLICT', extra: Record<string, unknown> = {}) {
    super(409, code, message, extra);
    this.name = 'ConflictError';
  }
}

/** Temporal or PostgreSQL did not answer: retry later. */
export class UnavailableError extends ApiError {
  constructor(message: string) {
    super(503, 'UNAVAILABLE', message);
    this.name = 'UnavailableError';
  }
}

/** The kernel refused a message (workflow validator); status comes from the kernel's own table. */
export class RefusalError extends ApiError {
  constructor(code: RefusalCode, message: string, details: Record<string, unknown> = {}) {
    const errors = Array.isArray(details.errors) ? { errors: details.errors } : {};
    super(refusalCodes[code], code, message, { ...errors, details });
    this.name = 'RefusalError';
  }
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const PROBLEM_TYPE_BASE = 'https://opsflow.dev/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
  [key: string]: unknown;
}

export function toProblem(err: ApiError): Problem {
  return {
    type: PROBLEM_TYPE_BASE + err.code.toLowerCase().replace(/_/g, '-'),
    title: titles[err.status] ?? 'Error',
    status: err.status,
    detail: err.message,
    code: err.code,
    ...err.extra,
  };
}

export function sendProblem(res: Response, err: ApiError): void {
  res
    .status(err.status)
    .type('application/problem+json')
    .json({ ...toProblem(err), instance: res.req.originalUrl });
}

/** Errors Express's own body parser raises (it sets `type` and `status`). */
function fromBodyParser(err: { type?: string; status?: number; message?: string }): ApiError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new ApiError(400, 'MALFORMED_JSON', 'the request body is not valid JSON');
    case 'entity.too.deep':
      return new ApiError(400, 'BODY_TOO_DEEP', err.message ?? 'the request body is nested too deeply');
    case 'entity.too.large':
      return new ApiError(413, 'BODY_TOO_LARGE', 'the request body is larger than the server accepts');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'UNSUPPORTED_ENCODING', err.message ?? 'unsupported body encoding');
    case 'request.aborted':
      return new ApiError(400, 'REQUEST_ABORTED', 'the request body was not received completely');
    default:
      if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
        return new ApiError(err.status, 'BAD_REQUEST', 'the request could not be read');
      }
      return null;
  }
}

/**
 * PostgreSQL not there (restarting, refusing connections, pool exhausted): the request may be
 * retried, so it is a 503 like a Temporal outage, not a 500 that reads as a bug.
 */
function databaseUnavailable(err: unknown): boolean {
  const { code, name } = (err ?? {}) as { code?: unknown; name?: unknown };
  if (name === 'KnexTimeoutError') return true;
  if (typeof code !== 'string') return false;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03'].includes(code) || code.startsWith('08')
  );
}

/** The one place an error becomes an HTTP answer. Mount last. */
export const problemHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) return next(err);
  let apiError = err instanceof ApiError ? err : fromBodyParser((err ?? {}) as Record<string, never>);
  if (!apiError && databaseUnavailable(err)) {
    apiError = new UnavailableError('the database is not available; retry shortly');
  }
  if (!apiError) {
    req.log?.error({ err }, 'unhandled error');
    apiError = new ApiError(500, 'INTERNAL', 'an unexpected error occurred; it has been logged');
  } else if (apiError.status >= 500) {
    req.log?.warn({ err }, apiError.message);
  }
  sendProblem(res, apiError);
};
