/**
 * Business rules on a task's form that a JSON Schema cannot express (e.g. "not inside a freeze
 * window"), run synchronously in the update validator so the submitter hears the reason at
 * once. A process registers its checks by name at module load; a task names the check and
 * carries the data it needs (read by an activity when the step opened), so the check itself
 * stays a pure function and the step stays plain data across continue-as-new.
 */
import type { FormError } from '../contracts/form-schema';

/**
 * When the form is checked: `asOf` is the workflow's clock, or for an offline entry the real time
 * it happened (its evidence says so), so a late record of a past event is judged as of then.
 */
export interface FormCheckContext {
  asOf: number;
}

export type FormCheck = (
  form: Record<string, unknown>,
  data: unknown,
  context: FormCheckContext,
) => FormError[];

const checks = new Map<string, FormCheck>();

export function defineFormCheck(name: string, check: FormCheck): void {
  checks.set(name, check);
}

export function runFormCheck(
  name: string,
  form: Record<string, unknown>,
  data: unknown,
  context: FormCheckContext,
): FormError[] {
  const check = checks.get(name);
  if (!check) throw new Error(`no form check named ${name} is registered`);
  return check(form, data, context);
}
