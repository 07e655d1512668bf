/**
 * The monthly service report through the API (000 查询, 003 (四) 2, 004 §7.1):
 *
 * - `GET /api/v1/reports/service?month=YYYY-MM[&system=][&vendor=]` — live figures over the cases
 *   the caller may read (the case-access rule: an organisation-wide reader sees everyone's, a
 *   vendor's staff their vendor's systems, a requester their own cases);
 * - `GET /api/v1/reports/service/{id}` — an archived report, the figures frozen when it was
 *   drafted; readable by whoever may read every case it counts, else 404 like a case.
 *
 * Both in JSON, HTML, PDF, or one table as CSV (`format=` or the Accept header).
 */
import type { Knex } from 'knex';
import type { Config } from '../../runtime/config';
import { serviceReportFigures } from '../../db/service-report';
import { getServiceReportSnapshot, mayReadReport } from '../../db/service-report-snapshots';
import { NotFoundError } from '../errors';
import type { OperationRegistry } from '../operations';
import { answerReport } from '../reports/answer';
import { reportMedia } from '../reports/format';
import * as s from '../schemas';
import { serviceReportDocument } from '../service-report/html';
import {
  archivedReportQuery,
  archivedServiceReportSchema,
  reportCaseId,
  serviceReportFiguresSchema,
  serviceReportQuery,
} from '../service-report/schemas';

const problem = (description: string) => ({ description, schema: s.problemSchema });

export function registerServiceReportOperations(
  api: OperationRegistry,
  { db, config }: { db: Knex; config: Config },
): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/reports/service',
      operationId: 'serviceReport',
      tag: 'reports',
      summary: 'The monthly service report for a month, optionally one system or vendor (live figures)',
      description:
        'Cases opened/closed by process and their trend, SLA attainment per stage with the breaches, the ' +
        'monthly guarantees of 003 (九) (100 % handling, ≥ 85 % code changes on time), emergencies with their ' +
        'recovery times, changes, releases, defects by class, open corrective actions — each section naming ' +
        'its source; null where the source has no data. Counted over the cases the caller may read. ' +
        'JSON, HTML, PDF, or one table as CSV (`format`, or the Accept header).',
      permission: 'case:read',
      query: serviceReportQuery,
      responses: {
        200: { description: 'the report', schema: serviceReportFiguresSchema, media: reportMedia },
        400: problem('month missing or not YYYY-MM; csv without table'),
      },
    },
    async ({ req, query, principal }) => {
      const scope = {
        month: query.month as string,
        system: (query.system as string | undefined) ?? null,
        vendor: (query.vendor as string | undefined) ?? null,
        timeZone: config.timeZone,
      };
      const { figures } = await serviceReportFigures(db, scope, principal.user);
      return answerReport(req, query, serviceReportDocument, figures, { chromiumPath: config.chromiumPath });
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/reports/service/{id}',
      operationId: 'archivedServiceReport',
      tag: 'reports',
      summary: 'An archived monthly service report: the figures frozen when it was drafted',
      description:
        'The document the O&M head approved, the same at every reading. Readable by whoever may read every ' +
        'case it counts (404 otherwise, as for a case). JSON, HTML, PDF, or one table as CSV.',
      permission: 'case:read',
      params: { id: reportCaseId },
      query: archivedReportQuery,
      responses: {
        200: { description: 'the archived report', schema: archivedServiceReportSchema, media: reportMedia },
        400: problem('csv without table'),
        404: problem('no such report, or one you may not read'),
      },
    },
    async ({ req, params, query, principal }) => {
      const snapshot = await getServiceReportSnapshot(db, params.id);
      if (!snapshot || !(await mayReadReport(db, principal.user, snapshot.coveredCases)))
        throw new NotFoundError(`no service report ${params.id}`, 'REPORT_NOT_FOUND');
      return answerReport(req, query, serviceReportDocument, snapshot.figures, {
        chromiumPath: config.chromiumPath,
        json: snapshot,
        archive: { caseId: snapshot.caseId, frozenAt: snapshot.frozenAt },
        linkQuery: {},
      });
    },
  );
}
