/** The forms of the quarterly checks: the documentation checklist and the security check. */
import { typedForm, type JsonSchema } from '../contracts/form-schema';

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
const text = (max = 4000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: storable });
const instant = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$',
};

export interface Measure {
  measure: string;
  owner: string;
  dueAt: string;
}
const measures = {
  type: 'array',
  maxItems: 100,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['measure', 'owner', 'dueAt'],
    properties: { measure: text(), owner: text(100), dueAt: instant },
  },
};

/** The checklist (`fields.completeness.incomplete`) worked through: what is done about each gap. */
export interface DocumentationCheck {
  conclusion: 'complete' | 'gaps_found';
  remarks: string;
  /** Per incomplete case: how its missing documents are made good. */
  rectifications: Array<{ caseId: string; action: string }>;
}
export const documentationCheckForm = typedForm<DocumentationCheck>({
  type: 'object',
  additionalProperties: false,
  required: ['conclusion', 'remarks', 'rectifications'],
  properties: {
    conclusion: { enum: ['complete', 'gaps_found'] },
    remarks: text(),
    rectifications: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['caseId', 'action'],
        properties: {
          caseId: { type: 'string', pattern: '^[A-Z][A-Z0-9]{1,9}-[0-9]{4}-[0-9]{6,}$' },
          action: text(),
        },
      },
    },
  },
});

/** 001 §36(4): the security section's check, at least quarterly. */
export interface SecurityCheck {
  scope: string;
  findings: string;
  result: 'no_findings' | 'findings';
  measures: Measure[];
}
export const securityCheckForm = typedForm<SecurityCheck>({
  type: 'object',
  additionalProperties: false,
  required: ['scope', 'findings', 'result', 'measures'],
  properties: { scope: text(), findings: text(), result: { enum: ['no_findings', 'findings'] }, measures },
});

export const stepForms: Record<string, JsonSchema> = {
  documentationCheck: documentationCheckForm,
  securityCheck: securityCheckForm,
};
