/**
 * The periodic vendor reviews (002 §6.6.3.8 e, master data `vendor_review_settings`) as Temporal
 * Schedules: one per active vendor, id `vendor-review-<vendor id>`, firing at 09:00 on the first
 * day of each month (monthly) or quarter (quarterly) in the vendor's time zone; the run reviews the
 * period just ended (the workflow allocates the case number). Created at worker start,
 * idempotently: a schedule that exists is brought up to date with its row, never duplicated.
 */
import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Knex } from 'knex';
import { activeVendorReviewSettings, type VendorReviewSetting } from '../db/vendor-review';
import { vendorReviewDefinition } from '../workflows/vendor-review/definition';
import type { ScheduledVendorReview } from '../workflows/vendor-review/request-form';

export const vendorReviewScheduleId = (vendorId: string) => `vendor-review-${vendorId}`;

/** When a period's review opens: the morning after it ends. */
export const VENDOR_REVIEW_CRON = { monthly: '0 9 1 * *', quarterly: '0 9 1 1,4,7,10 *' } as const;

function optionsOf(row: VendorReviewSetting, taskQueue: string): ScheduleOptions {
  const input: ScheduledVendorReview = {
    scheduledReview: {
      vendorId: row.vendorId,
      periodKind: row.period,
      requester: row.requester,
      timeZone: row.timeZone,
    },
  };
  const scheduleId = vendorReviewScheduleId(row.vendorId);
  return {
    scheduleId,
    spec: { cronExpressions: [VENDOR_REVIEW_CRON[row.period]], timezone: row.timeZone },
    action: {
      type: 'startWorkflow',
      workflowType: vendorReviewDefinition.workflowType,
      workflowId: `${scheduleId}-opening`,
      taskQueue,
      args: [input],
    },
    memo: { vendorId: row.vendorId, period: row.period },
  };
}

/** Creates (or updates) a schedule for every active vendor review setting; returns the schedule ids. */
export async function ensureVendorReviewSchedules(
  client: Client,
  db: Knex,
  taskQueue: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const row of await activeVendorReviewSettings(db)) {
    const options = optionsOf(row, taskQueue);
    try {
      await client.schedule.create(options);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
      }));
    }
    ids.push(options.scheduleId);
  }
  return ids;
}
