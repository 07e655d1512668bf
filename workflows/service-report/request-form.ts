/**
 * A monthly service report (003 (四) 2, (九); 004 §7.1) as it is drafted: the month, optionally
 * one system or one vendor, and the distribution list (master data) it goes to once approved.
 * The monthly schedule drafts last month's report; anyone allowed may draft one through the API.
 */
import type { JsonSchema } from '../contracts/form-schema';

export interface ServiceReportRequest {
  /** YYYY-MM, in the organisation's time zone. */
  month: string;
  system?: string;
  vendor?: string;
  /** A `service_report_distribution` list; `monthly` when not given. */
  distributionList?: string;
}

export const DEFAULT_DISTRIBUTION_LIST = 'monthly';

const id = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' };

export const serviceReportRequestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['month'],
  properties: {
    month: { type: 'string', pattern: '^[1-9][0-9]{3}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' },
    system: id,
    vendor: id,
    distributionList: id,
  },
};

/** The monthly job's arguments (`periodic_jobs.args`, kind `service-report`). */
export interface ServiceReportJob {
  /** Whom the case is opened for; `schedule:<job id>` when not given. */
  requester?: string;
  distributionList?: string;
  system?: string;
  vendor?: string;
}

/** "YYYY-MM" of the month before the date "YYYY-MM-DD". */
export function monthBefore(date: string): string {
  const [year, month] = date.split('-').map(Number);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}
