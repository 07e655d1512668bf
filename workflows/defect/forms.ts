/**
 * The forms of the defect steps (003 (七) 1(2), (九) 3–4): the user's confirmation of the
 * requirement (the window starts here; a negotiated due date is proposed here), the owner's
 * acceptance or rejection, the fix plan of a data fix (003 (七) 1(6), 2 (1): statement, SQL, data
 * files), the resolution record — every one with its cause analysis and solution (003 (九) 4) —
 * and the retest.
 */
import { typedForm, type JsonSchema } from '../contracts/form-schema';

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
const text = (max = 4000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: storable });
const prose = (max = 4000) => ({
  ...text(max),
  pattern: '^[^\\u0000\\uD800-\\uDFFF]*\\S[^\\u0000\\uD800-\\uDFFF]*$',
});
const refs = (min = 0) => ({ type: 'array', minItems: min, maxItems: 50, items: text(500) });
const instant = {
  type: 'string',
  format: 'date-time',
  description: 'an instant with its offset, e.g. 2027-01-08T17:30:00+08:00',
};

function form(
  properties: Record<string, JsonSchema>,
  required: string[],
  extra: JsonSchema = {},
): JsonSchema {
  return { type: 'object', additionalProperties: false, required, properties, ...extra };
}

export interface Confirmation {
  /** The requirement is confirmed by the user's side: its window starts now. */
  confirmed: boolean;
  note?: string;
  /** A special case (003 (九) 3): the due date agreed for the workload, with its reason; the vendor's PM agrees too. */
  negotiatedDueAt?: string;
  negotiationReason?: string;
}
export const confirmationForm = typedForm<Confirmation>(
  form(
    {
      confirmed: { type: 'boolean', description: 'false: not a requirement of ours — the defect is closed' },
      note: prose(),
      negotiatedDueAt: instant,
      negotiationReason: prose(),
    },
    ['confirmed'],
    {
      dependencies: { negotiatedDueAt: ['negotiationReason'], negotiationReason: ['negotiatedDueAt'] },
      if: { properties: { confirmed: { const: false } } },
      then: { required: ['note'] },
    },
  ),
);

export const rejectionReasons = ['not_a_defect', 'cannot_reproduce', 'duplicate'] as const;
export interface Acceptance {
  decision: 'accept' | 'reject';
  rejectionReason?: (typeof rejectionReasons)[number];
  /** For a duplicate: the case it duplicates. */
  duplicateOf?: string;
  explanation?: string;
}
export const acceptanceForm = typedForm<Acceptance>(
  form(
    {
      decision: { type: 'string', enum: ['accept', 'reject'] },
      rejectionReason: { type: 'string', enum: [...rejectionReasons] },
      duplicateOf: { type: 'string', pattern: '^[A-Z]{2,8}-[A-Za-z0-9-]{1,40}$' },
      explanation: prose(),
    },
    ['decision'],
    {
      allOf: [
        {
          if: { properties: { decision: { const: 'reject' } } },
          then: { required: ['rejectionReason', 'explanation'] },
        },
        {
          if: { properties: { rejectionReason: { const: 'duplicate' } }, required: ['rejectionReason'] },
          then: { required: ['duplicateOf'] },
        },
      ],
    },
  ),
);

export interface FixPlan {
  /** 处理说明: what is wrong with the data and what the fix does. */
  statement: string;
  causeAnalysis: string;
  sqlStatements: string[];
  /** Data files (DMP exports, spreadsheets) by reference. */
  dataFileRefs: string[];
  /** How the data is put back if the fix goes wrong. */
  backout: string;
}
export const fixPlanForm = typedForm<FixPlan>(
  form(
    {
      statement: prose(),
      causeAnalysis: prose(),
      sqlStatements: { type: 'array', minItems: 1, maxItems: 200, items: text(20000) },
      dataFileRefs: refs(),
      backout: prose(),
    },
    ['statement', 'causeAnalysis', 'sqlStatements', 'dataFileRefs', 'backout'],
  ),
);

/**
 * The user's approval of a data fix plan: a form, not an approval gate, because the business
 * department that approves is often the very user who registered the problem.
 */
export interface FixApproval {
  decision: 'approve' | 'request_changes' | 'reject';
  comment?: string;
}
export const fixApprovalForm = typedForm<FixApproval>(
  form(
    { decision: { type: 'string', enum: ['approve', 'request_changes', 'reject'] }, comment: prose() },
    ['decision'],
    {
      if: { properties: { decision: { enum: ['request_changes', 'reject'] } } },
      then: { required: ['comment'] },
    },
  ),
);

export interface Resolution {
  /** 问题原因分析 (003 (九) 4). */
  causeAnalysis: string;
  /** 解决方案说明 (003 (九) 4). */
  solution: string;
  /** The fix changed program code (counts for the on-time rate of code-change maintenance). */
  codeChange: boolean;
  /** The change or release that carries the fix, if any. */
  changeRef?: string;
  evidenceRefs?: string[];
}
export const resolutionForm = typedForm<Resolution>(
  form(
    {
      causeAnalysis: prose(),
      solution: prose(),
      codeChange: { type: 'boolean' },
      changeRef: text(100),
      evidenceRefs: refs(),
    },
    ['causeAnalysis', 'solution', 'codeChange'],
  ),
);

export interface Verification {
  result: 'passed' | 'failed';
  retestNotes: string;
  evidenceRefs?: string[];
}
export const verificationForm = typedForm<Verification>(
  form(
    {
      result: { type: 'string', enum: ['passed', 'failed'] },
      retestNotes: prose(),
      evidenceRefs: refs(),
    },
    ['result', 'retestNotes'],
  ),
);

/** Every step form, by step name, as the definition publishes them. */
export const stepForms: Record<string, JsonSchema> = {
  confirmation: confirmationForm,
  acceptance: acceptanceForm,
  fixPlan: fixPlanForm,
  userApproval: fixApprovalForm,
  resolution: resolutionForm,
  verification: verificationForm,
};
