/**
 * Checks a start request against records outside the form — e.g. the change cases a release
 * carries must exist and be approved — before a case number is taken or a workflow started, so a
 * refusal is a clean 400 naming the field and never a half-started case. One optional check per
 * process, by name; the process itself stays in `workflows/`.
 */
import type { Knex } from 'knex';
import { unknownDefectReferences } from '../db/defect';
import { emergencyLevels } from '../db/emergency';
import { handoverAdmissionProblems, handoverStarterProblems } from '../db/handover';
import { unusableChanges } from '../db/release';
import { unknownVendor } from '../db/vendor-review';
import { RefusalError, ValidationError, type FieldError } from './errors';

export type Admission = (request: Record<string, unknown>, db: Knex) => Promise<FieldError[]>;

const admissions: Readonly<Record<string, Admission>> = {
  release: (request, db) =>
    unusableChanges(db, Array.isArray(request.changes) ? request.changes.map(String) : []),
  // A review is opened with the version it decides on, which only the knowledge routes write.
  knowledge: () =>
    Promise.resolve([
      {
        path: '/entryId',
        message:
          'a knowledge review opens with POST /api/v1/knowledge/proposals or /api/v1/knowledge/entries/{id}/versions',
      },
    ]),
  defect: (request, db) => unknownDefectReferences(db, request),
  // The level chooses the response windows: one the master data does not know is refused at the door.
  emergency: async (request, db) => {
    const known = (await emergencyLevels(db)).map((l) => l.code);
    return known.includes(String(request.level))
      ? []
      : [{ path: '/level', message: `is not a known emergency level (one of: ${known.join(', ')})` }];
  },
  'vendor-review': async (request, db) =>
    (await unknownVendor(db, request.vendorId)) ? [{ path: '/vendorId', message: 'no such vendor' }] : [],
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

/**
 * Rules on who starts a case, which the form alone cannot show because it does not name the
 * requester: a start that would leave a step nobody may act on (the requester approving their own
 * case) is refused `422 FORM_REFUSED` naming the field, before a case number is taken.
 */
const starterRules: Readonly<
  Record<string, (request: Record<string, unknown>, requester: string) => FieldError[]>
> = {
  handover: (request, requester) =>
    handoverStarterProblems(request as unknown as Parameters<typeof handoverStarterProblems>[0], requester),
};

export function checkStarter(process: string, request: Record<string, unknown>, requester: string): void {
  const errors = starterRules[process]?.(request, requester) ?? [];
  if (errors.length > 0)
    throw new RefusalError('FORM_REFUSED', errors.map((e) => e.message).join('; '), { errors });
}
