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

const ajv = new Ajv({ allErrors: true, strict: false });
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
