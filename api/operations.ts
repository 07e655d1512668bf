/**
 * Every API operation is declared once: path, permission, parameter/query/body/response schemas
 * and a handler. Declaring it mounts it on Express with authentication, the permission check and
 * ajv validation in front, and records it for the OpenAPI document, so both come from one place.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Request, Response, Router, RequestHandler } from 'express';
import { principalOf, type Principal } from './auth';
import { ApiError, ForbiddenError, ValidationError, type FieldError } from './errors';
import { isAllowed, type Permission } from './policy';
import type { Schema } from './schemas';

export interface OperationSpec {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI style: `/api/v1/cases/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  permission: Permission | 'public';
  params?: Record<string, Schema>;
  query?: Schema;
  /** Validated by the operation itself when it depends on a parameter (the start form of a process). */
  body?: Schema;
  bodyOptional?: boolean;
  /** Media types accepted for the body; JSON unless said otherwise. */
  bodyTypes?: string[];
  headers?: Record<string, Schema & { description?: string }>;
  responses: Record<number, { description: string; schema?: Schema }>;
}

export interface OperationContext {
  req: Request;
  res: Response;
  principal: Principal;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true });
addFormats(ajv);
const queryAjv = new Ajv({ allErrors: true, strict: false, useDefaults: true, coerceTypes: true });
addFormats(queryAjv);

const compiled = new WeakMap<Schema, ValidateFunction>();
function validatorFor(schema: Schema, forQuery = false): ValidateFunction {
  if (forQuery) return queryAjv.compile(schema);
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/** ajv's errors as JSON pointers naming the offending field, including unknown and missing ones. */
export function fieldErrors(errors: ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
  return (errors ?? [])
    .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if')
    .map((e) => {
      const params = e.params as Record<string, unknown>;
      if (e.keyword === 'additionalProperties') {
        return {
          path: `${prefix}${e.instancePath}/${String(params.additionalProperty)}`,
          message: 'is not a known field',
        };
      }
      if (e.keyword === 'required') {
        return {
          path: `${prefix}${e.instancePath}/${String(params.missingProperty)}`,
          message: 'is required',
        };
      }
      const allowed = e.keyword === 'enum' ? `: ${(params.allowedValues as unknown[]).join(', ')}` : '';
      return {
        path: `${prefix}${e.instancePath}` || '/',
        message: `${e.message ?? 'is not valid'}${allowed}`,
      };
    });
}

/** Validates `value` against `schema` (applying its defaults), or throws a 400 naming each field. */
export function validate<T>(schema: Schema, value: unknown, prefix = '', code = 'VALIDATION_FAILED'): T {
  const fn = validatorFor(schema);
  if (!fn(value)) throw new ValidationError(fieldErrors(fn.errors, prefix), 'the request is not valid', code);
  return value as T;
}

export class OperationRegistry {
  readonly operations: OperationSpec[] = [];

  constructor(
    private readonly router: Router,
    private readonly authenticate: RequestHandler,
    /** Responses are checked against their schema outside production, so drift fails tests. */
    private readonly checkResponses: boolean,
  ) {}

  add(spec: OperationSpec, handler: (ctx: OperationContext) => Promise<Reply>): void {
    this.operations.push(spec);
    const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
    const paramValidators = Object.entries(spec.params ?? {}).map(
      ([name, schema]) => [name, validatorFor(schema)] as const,
    );
    const queryValidator = spec.query ? validatorFor(spec.query, true) : null;
    const bodyValidator = spec.body ? validatorFor(spec.body) : null;
    const bodyTypes = spec.bodyTypes ?? ['application/json'];
    const responseValidators = new Map(
      Object.entries(spec.responses)
        .filter(([, r]) => r.schema)
        .map(([status, r]) => [Number(status), validatorFor(r.schema as Schema)]),
    );

    const handlers: RequestHandler[] = [];
    if (spec.permission !== 'public') handlers.push(this.authenticate);
    handlers.push(async (req, res) => {
      const principal = spec.permission === 'public' ? (undefined as unknown as Principal) : principalOf(res);
      if (spec.permission !== 'public' && !isAllowed(principal.user, spec.permission)) {
        throw new ForbiddenError(`${spec.operationId} needs permission ${spec.permission}`, 'ROLE_REQUIRED');
      }
      const params: Record<string, string> = {};
      for (const [name, fn] of paramValidators) {
        const value = req.params[name];
        if (!fn(value)) {
          throw new ValidationError(
            [{ path: `/params/${name}`, message: `"${String(value).slice(0, 80)}" is not a valid ${name}` }],
            `invalid ${name}`,
            'INVALID_PARAMETER',
          );
        }
        params[name] = value as string;
      }
      const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
      if (queryValidator && !queryValidator(query)) {
        throw new ValidationError(
          fieldErrors(queryValidator.errors, '/query'),
          'invalid query parameters',
          'INVALID_QUERY',
        );
      }
      let body: unknown = undefined;
      if (spec.body || spec.bodyTypes) {
        if (req.get('content-type') && !req.is(bodyTypes)) {
          throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `the body must be ${bodyTypes.join(' or ')}`);
        }
        // Express 5 leaves req.body undefined when no parser took the request (no body, other type).
        body = req.body;
        if (body === undefined) {
          if (!spec.bodyOptional)
            throw new ValidationError(
              [{ path: '/', message: 'a request body is required' }],
              'missing body',
              'BODY_REQUIRED',
            );
          body = {};
        }
        if (bodyValidator && !bodyValidator(body))
          throw new ValidationError(fieldErrors(bodyValidator.errors));
      }
      const reply = await handler({ req, res, principal, params, query, body });
      const check = responseValidators.get(reply.status);
      if (this.checkResponses && check && !check(reply.body)) {
        req.log?.error(
          { errors: check.errors, operation: spec.operationId },
          'response does not match its schema',
        );
        throw new ApiError(
          500,
          'RESPONSE_INVALID',
          'the server produced a response that breaks its own contract',
        );
      }
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      if (reply.body === undefined) res.status(reply.status).end();
      else res.status(reply.status).json(reply.body);
    });
    this.router[spec.method](expressPath, ...handlers);
  }
}
