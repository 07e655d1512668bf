/**
 * The periodic vendor reviews (002 §6.6.3.8 e, master data `vendor_review_settings`): each active
 * row is a job `vendor-review-<vendor id>` firing at 09:00 on the first day of each month
 * (monthly) or quarter (quarterly) in the row's time zone; the run reviews the period just ended.
 */
import { activeVendorReviewSettings } from '../../db/vendor-review';
import { vendorReviewDefinition } from '../../workflows/vendor-review/definition';
import { definePeriodicJobKind, scheduledStartArgs } from './kind';

export const vendorReviewJobId = (vendorId: string) => `vendor-review-${vendorId}`;

/** When a period's review opens: the morning after it ends. */
export const VENDOR_REVIEW_CRON = { monthly: '0 9 1 * *', quarterly: '0 9 1 1,4,7,10 *' } as const;

export const vendorReviewKind = definePeriodicJobKind({
  kind: 'vendor-review',
  workflowType: vendorReviewDefinition.workflowType,
  startArgs: scheduledStartArgs,
  derived: {
    source: 'vendor_review_settings',
    async jobs(db) {
      return (await activeVendorReviewSettings(db)).map((row) => ({
        id: vendorReviewJobId(row.vendorId),
        kind: 'vendor-review',
        title: `Vendor review ${row.vendorId} (${row.period})`,
        spec: { cron: VENDOR_REVIEW_CRON[row.period] },
        timeZone: row.timeZone,
        args: { vendorId: row.vendorId, periodKind: row.period, requester: row.requester },
        source: 'vendor_review_settings',
      }));
    },
  },
});
