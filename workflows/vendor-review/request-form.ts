/**
 * A vendor review (外包服务评价, 002 §6.6.3.8 e) as it is opened: the vendor and the period —
 * a month or a quarter, named by its first day. A Temporal Schedule opens it on the first day of
 * the next period; a person may open one by hand for a period that was missed.
 */
import type { JsonSchema } from '../contracts/form-schema';

export type PeriodKind = 'monthly' | 'quarterly';

export interface VendorReviewRequest {
  vendorId: string;
  periodKind: PeriodKind;
  /** The first day of the month or quarter reviewed, `YYYY-MM-DD` in the organisation's zone. */
  periodStart: string;
}

export const vendorReviewRequestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['vendorId', 'periodKind', 'periodStart'],
  properties: {
    vendorId: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000\\uD800-\\uDFFF]*$' },
    periodKind: { type: 'string', enum: ['monthly', 'quarterly'] },
    periodStart: {
      type: 'string',
      pattern: '^\\d{4}-(0[1-9]|1[0-2])-01$',
      description:
        'first day of the month (monthly) or of the quarter: January, April, July, October (quarterly)',
    },
  },
  if: { properties: { periodKind: { const: 'quarterly' } } },
  then: { properties: { periodStart: { pattern: '^\\d{4}-(01|04|07|10)-01$' } } },
};

/** The arguments of the vendor's periodic job (`runtime/schedules/vendor-review.ts`). */
export interface VendorReviewJobArgs {
  vendorId: string;
  periodKind: PeriodKind;
  /** Who the review case is opened for: the O&M engineer who runs it. */
  requester: string;
}
