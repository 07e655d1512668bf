/**
 * The monthly service report as a document (`api/reports/answer.ts` renders it as HTML, PDF or
 * CSV): its page `templates/reports/service-report.hbs` with the charts inline (SVG from
 * `charts.ts`) and every table of `tables.ts`.
 */
import type { ServiceReportFigures } from '../../db/service-report-shape';
import type { ReportDocument } from '../reports/answer';
import { pageContext, reportTemplate } from '../reports/html';
import { reportCharts } from './charts';
import { reportTables } from './tables';

const template = reportTemplate('service-report');

export const serviceReportDocument: ReportDocument<ServiceReportFigures> = {
  fileName: (f) => `service-report-${f.period.month}`,
  tables: reportTables,
  html: (figures, options) =>
    template({
      ...figures,
      ...pageContext(reportTables(figures), options),
      charts: reportCharts(figures),
      archive: options.archive,
    }),
};
