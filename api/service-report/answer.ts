/**
 * One report, in the format asked for: `format=` first, else the Accept header (HTML for a
 * browser, PDF, CSV), else JSON. Shared by the API routes and the link in the distribution mail.
 */
import type { Request } from 'express';
import type { ServiceReportFigures } from '../../db/service-report-shape';
import { ValidationError } from '../errors';
import { renderServiceReportHtml, type ReportLinks } from './html';
import { printPdf } from './pdf';
import type { ReportFormat } from './schemas';
import { reportTables, tableCsv, type TableName } from './tables';

export function formatOf(req: Request, asked: unknown): ReportFormat {
  if (typeof asked === 'string') return asked as ReportFormat;
  const best = req.accepts(['application/json', 'text/html', 'application/pdf', 'text/csv']);
  if (best === 'text/html') return 'html';
  if (best === 'application/pdf') return 'pdf';
  if (best === 'text/csv') return 'csv';
  return 'json';
}

export interface RenderedReport {
  type: string;
  data: string | Buffer;
  filename?: string;
}

/** The report as HTML, PDF or one table's CSV (JSON is the caller's own body). */
export async function renderReport(
  figures: ServiceReportFigures,
  format: Exclude<ReportFormat, 'json'>,
  options: {
    table?: unknown;
    archive?: { caseId: string; frozenAt: string };
    links?: ReportLinks;
    chromiumPath: string;
  },
): Promise<RenderedReport> {
  const name = `service-report-${figures.period.month}${options.archive ? `-${options.archive.caseId}` : ''}`;
  if (format === 'csv') {
    if (typeof options.table !== 'string')
      throw new ValidationError(
        [{ path: '/query/table', message: 'is required with format csv' }],
        'which table?',
      );
    const table = reportTables(figures).find((t) => t.name === (options.table as TableName))!;
    return { type: 'text/csv; charset=utf-8', data: tableCsv(table), filename: `${name}-${table.name}.csv` };
  }
  if (format === 'html') {
    return { type: 'text/html; charset=utf-8', data: renderServiceReportHtml(figures, options) };
  }
  // The printed copy has no download links.
  const html = renderServiceReportHtml(figures, { archive: options.archive });
  return {
    type: 'application/pdf',
    data: await printPdf(html, options.chromiumPath),
    filename: `${name}.pdf`,
  };
}
