/**
 * The monthly service report as a document (`api/reports/answer.ts` renders it as HTML, PDF or
 * CSV): its page `templates/reports/service-report.hbs` with the charts inline (SVG from
 * `charts.ts`) and every table of `tables.ts`.
 */
import type { ServiceReportFigures } from '../../db/service-report-shape';
import { pageDocument } from '../reports/html';
import { reportCharts } from './charts';
import { reportTables } from './tables';

export const serviceReportDocument = pageDocument<ServiceReportFigures>('service-report', {
  fileName: (f) => `service-report-${f.period.month}`,
  tables: reportTables,
  charts: reportCharts,
});
