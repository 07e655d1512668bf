/**
 * Checks a start request against records outside the form — e.g. the change cases a release
 * carries must exist and be approved — before a case number is taken or a workflow started, so a
 * refusal is a clean 400 naming the field and never a half-started case. One optional check per
 * process, by name; the process itself stays in `workflows/`.
 */
import type { Knex } from 'knex';
import { handoverAdmissionProblems } from '../db/handover';
import { unusableChanges } from '../db/release';
import { ValidationError, type FieldError } from './errors';

export type Admission = (request: Record<string, unknown>, db: Knex) => Promise<FieldError[]>;

const admissions: Readonly<Record<string, Admission>> = {
  release: (request, db) =>
    unusableChanges(db, Array.isArray(request.changes) ? request.changes.map(String) : []),
  // The request was validated against the handover's start schema before admission runs.
  handover: (request, db) =>
    handoverAdmissionProblems(db, request as unknown as Parameters<typeof handoverAdmissionProblems>[1]),
};

/** Throws a ValidationError (`ADMISSION_REFUSED`) naming each field the process refuses. */
export async function admit(process: string, request: Record<string, unknown>, db: Knex): Promise<void> {
  const check = admissions[process];
  if (!check) return;
  const errors = await check(request, db);
  if (errors.length > 0)
    throw new ValidationError(
      errors,
      `the ${process} request refers to records it cannot use`,
      'ADMISSION_REFUSED',
    );
}
