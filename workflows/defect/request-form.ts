/**
 * A defect as it is registered (003 (七) 1(2) 1): by the vendor's service team or by a user, and
 * understandable by whoever will handle it — what, where (system and module), how to reproduce it,
 * what was expected and what happened, and what shows it. The kind says whether it is a program
 * defect, a manual data fix (003 (七) 1(6)) or a history-data correction (003 (七) 2); the class
 * chooses the window (003 (九) 3).
 */
import type { JsonSchema } from '../contracts/form-schema';

export const defectKinds = ['defect', 'data-fix', 'history-correction'] as const;
export type DefectKind = (typeof defectKinds)[number];
export const defectClasses = ['routine', 'corrective', 'perfective'] as const;
export type DefectClass = (typeof defectClasses)[number];

export interface DefectReport {
  kind: DefectKind;
  defectClass: DefectClass;
  title: string;
  /** A system id of the master data: its vendor handles the defect. */
  system: string;
  module: string;
  stepsToReproduce: string;
  expectedResult: string;
  actualResult: string;
  /** Screenshots, logs, data extracts: references to where they are kept. */
  evidenceRefs: string[];
  /** The vendor engineer who will handle it; left out when unknown: the vendor's project manager assigns it. */
  ownerId?: string;
  /** Who confirms the requirement on the user's side (the business department); the requester when left out. */
  userConfirmerId?: string;
  /** Cases this one relates to (a recurrence of an older defect, the incident it came from). */
  relatedCaseIds?: string[];
}

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
const text = (max = 4000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: storable });
/** Something a person can read: not blank (a space alone says nothing). */
const prose = (max = 4000) => ({
  ...text(max),
  pattern: '^[^\\u0000\\uD800-\\uDFFF]*\\S[^\\u0000\\uD800-\\uDFFF]*$',
});
const userId = { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$' };

export const defectReportSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'kind',
    'defectClass',
    'title',
    'system',
    'module',
    'stepsToReproduce',
    'expectedResult',
    'actualResult',
    'evidenceRefs',
  ],
  properties: {
    kind: {
      type: 'string',
      enum: [...defectKinds],
      description: 'defect, manual data fix or history-data correction',
    },
    defectClass: {
      type: 'string',
      enum: [...defectClasses],
      description: 'routine (2 working days), corrective (3), perfective (5), from confirmation',
    },
    title: prose(200),
    system: {
      type: 'string',
      pattern: '^[A-Za-z0-9._-]{1,100}$',
      description: 'a system id (GET /api/v1/systems)',
    },
    module: prose(200),
    stepsToReproduce: prose(),
    expectedResult: prose(),
    actualResult: prose(),
    evidenceRefs: { type: 'array', minItems: 1, maxItems: 50, items: text(500) },
    ownerId: { ...userId, description: 'the engineer who handles it; leave out when unknown' },
    userConfirmerId: { ...userId, description: "who confirms the requirement on the user's side" },
    relatedCaseIds: {
      type: 'array',
      maxItems: 20,
      items: { type: 'string', pattern: '^[A-Z]{2,8}-[A-Za-z0-9-]{1,40}$' },
    },
  },
};
