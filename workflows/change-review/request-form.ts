/**
 * The periodic change review (001 §26–§27) as it is opened: the period whose implemented changes
 * are assessed. The schedule opens one after each quarter (or month, as its job says).
 */
import type { JsonSchema } from '../contracts/form-schema';

export interface ChangeReviewRequest {
  /** First day of the period and the first day after it, "YYYY-MM-DD" (local). */
  from: string;
  to: string;
  title?: string;
}

const date = {
  type: 'string',
  format: 'date',
  description: 'YYYY-MM-DD',
};

export const changeReviewRequestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: date,
    to: { ...date, description: 'YYYY-MM-DD, the first day after the period' },
    title: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^\\u0000\\uD800-\\uDFFF]*$' },
  },
};

export interface ChangeReviewJob {
  /** The period reviewed: the quarter (default) or month before the day the schedule fires. */
  period?: 'quarter' | 'month';
  requester?: string;
}
