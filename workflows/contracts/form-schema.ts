/**
 * Step forms are JSON Schemas, checked with ajv inside the workflow's update validator, so a
 * bad form is refused before it reaches history. The API checks the same schema first to
 * answer with field paths; this is the last guard.
 */
import Ajv, { type ErrorObject } from 'ajv';

export type JsonSchema = Record<string, unknown>;

declare const validForm: unique symbol;

/** A form's JSON Schema that also tells the compiler the type of a form it accepts. */
export type FormSchema<F> = JsonSchema & { readonly [validForm]?: F };

/** Names the type a schema's valid forms have: the one place a form's type meets its schema. */
export function typedForm<F>(schema: JsonSchema): FormSchema<F> {
  return schema as FormSchema<F>;
}

export interface FormError {
  /** JSON pointer of the bad field, e.g. `/rollbackSteps/0/owner`; empty for the whole form. */
  path: string;
  message: string;
}

/** A calendar date that exists: `2026-02-29` and `2026-13-45` are not dates. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An RFC 3339 instant with its offset, naming a real moment (`2026-02-30T…` is none). */
export function isInstant(value: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/.exec(value);
  if (!m || !isCalendarDate(m[1])) return false;
  const [h, min, s] = [Number(m[2]), Number(m[3]), Number(m[4])];
  const offsetOk = m[6].toUpperCase() === 'Z' || (Number(m[7]) <= 15 && Number(m[8]) < 60);
  return h < 24 && min < 60 && s < 60 && offsetOk && !Number.isNaN(Date.parse(value));
}

// The same two formats the API checks (ajv-formats), written out so workflow code needs no Node module.
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('date', { type: 'string', validate: isCalendarDate });
ajv.addFormat('date-time', { type: 'string', validate: isInstant });
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

export function validateForm(
  schema: JsonSchema,
  form: unknown,
): { ok: true } | { ok: false; errors: FormError[] } {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  if (validate(form)) return { ok: true };
  return { ok: false, errors: (validate.errors ?? []).map(toFormError) };
}

function toFormError(e: ErrorObject): FormError {
  const missing =
    e.keyword === 'required' ? `/${String((e.params as { missingProperty: string }).missingProperty)}` : '';
  const extra =
    e.keyword === 'additionalProperties'
      ? `/${String((e.params as { additionalProperty: string }).additionalProperty)}`
      : '';
  return { path: `${e.instancePath}${missing}${extra}`, message: e.message ?? e.keyword };
}
