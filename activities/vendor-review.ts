/** What the vendor review reads: its scope (vendor, period, survey contacts, open actions) and its figures. */
import type { Knex } from 'knex';
import {
  periodBefore,
  vendorReviewScope,
  type PeriodKind,
  type VendorReviewScope,
} from '../db/vendor-review';
import { vendorReviewFigures, type VendorReviewFigures } from '../db/vendor-review-figures';

export function createVendorReviewActivities(db: Knex) {
  return {
    async vendorReviewScope(input: {
      vendorId: string;
      periodKind: PeriodKind;
      periodStart: string;
      timeZone: string;
      caseId: string;
    }): Promise<VendorReviewScope | null> {
      return vendorReviewScope(db, input);
    },

    async vendorReviewFigures(input: {
      vendorId: string;
      from: string;
      to: string;
    }): Promise<VendorReviewFigures> {
      return vendorReviewFigures(db, input);
    },

    /** The period a schedule firing at `at` reviews: the last whole one before it. */
    async vendorReviewPeriodBefore(input: {
      periodKind: PeriodKind;
      at: string;
      timeZone: string;
    }): Promise<string> {
      return periodBefore(input.periodKind, input.at, input.timeZone);
    },
  };
}
