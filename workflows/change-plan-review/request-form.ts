/**
 * The weekly review of the change plan (001 §17(1)) as it is opened: the week whose scheduled
 * changes the O&M head reviews. The weekly schedule opens one for the coming week.
 */
import type { JsonSchema } from '../contracts/form-schema';

export interface ChangePlanReviewRequest {
  /** The Monday the week starts on, "YYYY-MM-DD" (local). */
  weekStart: string;
  title?: string;
}

export const changePlanReviewRequestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['weekStart'],
  properties: {
    weekStart: {
      type: 'string',
      format: 'date',
      description: 'the first day of the week reviewed, YYYY-MM-DD',
    },
    title: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^\\u0000\\uD800-\\uDFFF]*$' },
  },
};

/** What the periodic job (`periodic_jobs.args`) says; all optional. */
export interface ChangePlanReviewJob {
  /** Who the case is opened for; `schedule:<job id>` if absent. */
  requester?: string;
}
