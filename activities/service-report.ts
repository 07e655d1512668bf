/** What the monthly service report reads and writes: its frozen figures and its distribution list. */
import type { Knex } from 'knex';
import {
  freezeServiceReport,
  serviceReportRecipients,
  type FreezeRequest,
} from '../db/service-report-snapshots';

export function createServiceReportActivities(db: Knex) {
  return {
    /** Freezes the month's figures into the report's archive (once) and returns its headline figures. */
    async freezeServiceReport(input: FreezeRequest) {
      const s = await freezeServiceReport(db, input);
      return {
        frozenAt: s.frozenAt,
        coveredCases: s.coveredCases.length,
        slaAttainment: s.figures.sla.attainment,
        handlingRate: s.figures.guarantees?.handling.rate ?? null,
        onTimeRate: s.figures.guarantees?.onTime.rate ?? null,
        emergencies: s.figures.emergencies.length,
      };
    },

    /** The month before the one `at` falls in, YYYY-MM in the time zone (what a monthly schedule reports on). */
    async monthBefore(input: { at: string; timeZone: string }): Promise<string> {
      const parts = new Intl.DateTimeFormat('en', {
        timeZone: input.timeZone,
        year: 'numeric',
        month: 'numeric',
      }).formatToParts(new Date(input.at));
      const year = Number(parts.find((p) => p.type === 'year')!.value);
      const month = Number(parts.find((p) => p.type === 'month')!.value);
      const before = new Date(Date.UTC(year, month - 2, 1));
      return `${before.getUTCFullYear()}-${String(before.getUTCMonth() + 1).padStart(2, '0')}`;
    },

    /** Whom the approved report is mailed to: the list's members who may read it. */
    async serviceReportRecipients(input: { listId: string; caseId: string }) {
      return serviceReportRecipients(db, input.listId, input.caseId);
    },
  };
}
