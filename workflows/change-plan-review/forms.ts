/** The O&M head's review of the week's change plan: resources, a conclusion, and comments per change. */
import { typedForm, type JsonSchema } from '../contracts/form-schema';

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
const text = (max = 4000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: storable });

export interface ChangeComment {
  caseId: string;
  comment: string;
}

export interface PlanReview {
  /** 001 §17(1): enough IT and vendor/developer resources for the week's changes. */
  resourcesAdequate: boolean;
  conclusion: 'plan_approved' | 'plan_needs_changes';
  opinion: string;
  /** Comments on single changes of the plan; each goes back to that change's case. */
  comments: ChangeComment[];
}

export const planReviewForm = typedForm<PlanReview>({
  type: 'object',
  additionalProperties: false,
  required: ['resourcesAdequate', 'conclusion', 'opinion', 'comments'],
  properties: {
    resourcesAdequate: { type: 'boolean' },
    conclusion: { enum: ['plan_approved', 'plan_needs_changes'] },
    opinion: text(),
    comments: {
      type: 'array',
      maxItems: 200,
      description: 'caseId: one of the changes listed in the case (fields.changes)',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['caseId', 'comment'],
        properties: {
          caseId: { type: 'string', pattern: '^[A-Z][A-Z0-9]{1,9}-[0-9]{4}-[0-9]{6,}$' },
          comment: text(),
        },
      },
    },
  },
});

export const stepForms: Record<string, JsonSchema> = { planReview: planReviewForm };
