/**
 * Every API operation is declared once: path, permission, parameter/query/body/response schemas
 * and a handler. Declaring it mounts it on Express with authentication, the permission check and
 * ajv validation in front, and records it for the OpenAPI document, so both come from one place.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
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
  body?: Schema;
  /**
   * The body schema is published but checked by the handler, against the schema a parameter picks
   * (the start form of the named process): validating the `oneOf` of every process would report
   * every other process's fields too.
   */
  bodyCheckedByHandler?: boolean;
  /** The body as /openapi.json shows it, when it says more than the schema validated here (named step forms). */
  publishedBody?: Schema;
  bodyOptional?: boolean;
  /** Media types accepted for the body; JSON unless said otherwise. */
  bodyTypes?: string[];
  headers?: Record<string, Schema & { description?: string }>;
  /** `media`: other media types the response may take (a report as HTML, PDF, CSV), published beside JSON. */
  responses: Record<number, { description: string; schema?: Schema; media?: Record<string, Schema> }>;
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
  /** A body in another media type than JSON (declared in the response's `media`); sent as is. */
  content?: { type: string; data: string | Buffer };
}

const rfc3339 = fullFormats['date-time'] as { validate: (value: string) => boolean };

/**
 * `date-time` as RFC 3339 says AND as the store can keep it: PostgreSQL and the audit trail
 * (Date → toISOString) take UTC years 1-9999 and offsets up to ±15:59, and no leap second.
 * An instant outside that used to pass validation and then fail in the database (a 500 on the
 * case list) or in the workflow's event recording (a case stuck for good).
 */
export function isStorableInstant(value: string): boolean {
  if (!rfc3339.validate(value)) return false;
  const normal = value
    .toUpperCase()
    .replace(/^(\d{4}-\d\d-\d\d)\s/, '$1T')
    .replace(/([+-])(\d\d):?(\d\d)?$/, (_m, sign: string, h: string, m?: string) => {
      return `${sign}${h}:${m ?? '00'}`;
    });
  const offset = /[+-](\d\d):\d\d$/.exec(normal);
  if (offset && Number(offset[1]) > 15) return false;
  const time = new Date(normal);
  if (Number.isNaN(time.getTime())) return false;
  const year = time.getUTCFullYear();
  return year >= 1 && year <= 9999;
}

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true });
addFormats(ajv);
ajv.addFormat('date-time', { type: 'string', validate: isStorableInstant });
const queryAjv = new Ajv({ allErrors: true, strict: false, useDefaults: true, coerceTypes: true });
addFormats(queryAjv);
queryAjv.addFormat('date-time', { type: 'string', validate: isStorableInstant });

const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * JSON pointers of text PostgreSQL cannot store: a NUL character or a lone UTF-16 surrogate
 * (JSON may carry both as escapes). Such text used to be accepted and then fail in the store:
 * a 500 on a filtered case list, or a started case whose audit trail can never be written.
 */
export function unstorableText(value: unknown, prefix = ''): FieldError[] {
  if (typeof value === 'string')
    return UNSTORABLE.test(value)
      ? [{ path: prefix || '/', message: 'contains a NUL character or a lone UTF-16 surrogate' }]
      : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const path = `${prefix}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    return UNSTORABLE.test(key)
      ? [{ path, message: 'the field name contains a NUL character or a lone UTF-16 surrogate' }]
      : unstorableText(v, path);
  });
}

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
    const bodyValidator = spec.body && !spec.bodyCheckedByHandler ? validatorFor(spec.body) : null;
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
      const badQuery = unstorableText(query, '/query');
      if (badQuery.length) throw new ValidationError(badQuery, 'invalid query parameters', 'INVALID_QUERY');
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
        const badText = unstorableText(body);
        if (badText.length) throw new ValidationError(badText);
        if (bodyValidator && !bodyValidator(body))
          throw new ValidationError(fieldErrors(bodyValidator.errors));
      }
      const reply = await handler({ req, res, principal, params, query, body });
      const check = reply.content ? undefined : responseValidators.get(reply.status);
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
      if (reply.content) res.status(reply.status).type(reply.content.type).send(reply.content.data);
      else if (reply.body === undefined) res.status(reply.status).end();
      else res.status(reply.status).json(reply.body);
    });
    this.router[spec.method](expressPath, ...handlers);
  }
}
