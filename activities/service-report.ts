/** What the monthly service report reads and writes: its frozen figures and its distribution list. */
import type { Knex } from 'knex';
import {
  freezeServiceReport,
  serviceReportRecipients,
  type FreezeRequest,
} from '../db/service-report-snapshots';

export function createServiceReportActivities(db: Knex) {
  return {
    /** Freezes the month's figures into the report's archive (once per draft) and returns its headline figures. */
    async freezeServiceReport(input: FreezeRequest) {
      const s = await freezeServiceReport(db, input);
      return {
        draft: s.draft,
        frozenAt: s.frozenAt,
        coveredCases: s.coveredCases.length,
        slaAttainment: s.figures.sla.attainment,
        handlingRate: s.figures.guarantees?.handling.rate ?? null,
        onTimeRate: s.figures.guarantees?.onTime.rate ?? null,
        emergencies: s.figures.emergencies.length,
      };
    },

    /** Whom the approved report is mailed to: the list's members who may read it. */
    async serviceReportRecipients(input: { listId: string; caseId: string }) {
      return serviceReportRecipients(db, input.listId, input.caseId);
    },
  };
}
