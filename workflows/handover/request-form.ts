/**
 * The handover request (运行维护交接, 002 §6.6.3.5 b): which system passes from build to operation,
 * who delivers it — the project team (a department) or a vendor — and which unit receives it, each
 * with the person who acts for them. Plain data, so the API validates the same schema the case
 * starts from; `api/admission.ts` checks the names against the directory before a case exists.
 */
import type { JsonSchema } from '../contracts/form-schema';

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
export const text = (max = 4000): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  pattern: storable,
});
/** A directory id: a user, a department, a vendor, a system. */
export const directoryId: JsonSchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' };
const date = { type: 'string', format: 'date' };

export const deliveringKinds = ['project_team', 'vendor'] as const;

export const handoverRequestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'systemId', 'deliveringParty', 'receivingUnit', 'plannedCompletion'],
  properties: {
    title: text(200),
    /** The system handed over; its O&M owner becomes the receiving unit on completion. */
    systemId: directoryId,
    /** Who built it and hands it over: a project team (department) or a vendor; `lead` acts for it. */
    deliveringParty: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'lead'],
      properties: {
        kind: { enum: [...deliveringKinds] },
        departmentId: directoryId,
        vendorId: directoryId,
        lead: directoryId,
      },
      if: { properties: { kind: { const: 'vendor' } } },
      then: { required: ['vendorId'] },
      else: { required: ['departmentId'] },
    },
    /** The unit (department) that takes over operation; `contact` accepts for it (role receiving_unit). */
    receivingUnit: {
      type: 'object',
      additionalProperties: false,
      required: ['departmentId', 'contact'],
      properties: { departmentId: directoryId, contact: directoryId },
    },
    plannedCompletion: date,
    /** An outside reference: the project's code or contract number. */
    projectRef: text(200),
  },
};

export interface HandoverRequest {
  title: string;
  systemId: string;
  deliveringParty: {
    kind: (typeof deliveringKinds)[number];
    departmentId?: string;
    vendorId?: string;
    lead: string;
  };
  receivingUnit: { departmentId: string; contact: string };
  plannedCompletion: string;
  projectRef?: string;
}
