/**
 * One report, in the format asked for (`format.ts`): the HTML page, its PDF print, or one table's
 * CSV — the same for every report, which brings its own tables and page (`ReportDocument`). Shared
 * by the API routes and the link in a distribution mail.
 */
import type { Request } from 'express';
import type { Reply } from '../operations';
import { ValidationError } from '../errors';
import { formatOf, type ReportFormat } from './format';
import type { ReportLinks } from './html';
import { printPdf } from './pdf';
import { tableCsv, type ReportTable } from './tables';

/** What a report is made of, apart from its figures. */
export interface ReportDocument<F> {
  /** The file name a download gets, without extension. */
  fileName: (figures: F) => string;
  tables: (figures: F) => ReportTable[];
  html: (
    figures: F,
    options: { archive?: { caseId: string; frozenAt: string }; links?: ReportLinks },
  ) => string;
}

export interface RenderedReport {
  type: string;
  data: string | Buffer;
  filename?: string;
}

/** The report as HTML, PDF or one table's CSV (JSON is the caller's own body). */
export async function renderReport<F>(
  doc: ReportDocument<F>,
  figures: F,
  format: Exclude<ReportFormat, 'json'>,
  options: {
    table?: unknown;
    archive?: { caseId: string; frozenAt: string };
    links?: ReportLinks;
    chromiumPath: string;
  },
): Promise<RenderedReport> {
  const name = `${doc.fileName(figures)}${options.archive ? `-${options.archive.caseId}` : ''}`;
  if (format === 'csv') {
    const table = doc.tables(figures).find((t) => t.name === options.table);
    if (!table)
      throw new ValidationError(
        [{ path: '/query/table', message: 'is required with format csv: one of the report’s tables' }],
        'which table?',
      );
    return { type: 'text/csv; charset=utf-8', data: tableCsv(table), filename: `${name}-${table.name}.csv` };
  }
  if (format === 'html') {
    return { type: 'text/html; charset=utf-8', data: doc.html(figures, options) };
  }
  // The printed copy has no download links.
  const html = doc.html(figures, { archive: options.archive });
  return {
    type: 'application/pdf',
    data: await printPdf(html, options.chromiumPath),
    filename: `${name}.pdf`,
  };
}

/**
 * The reply to a report request: `json` (the figures unless given) as JSON, else the figures in
 * the format asked for, with links to the other formats of the same request (`linkQuery`: the
 * parameters the links keep, the request's own by default).
 */
export async function answerReport<F>(
  req: Request,
  query: Record<string, unknown>,
  doc: ReportDocument<F>,
  figures: F,
  options: {
    chromiumPath: string;
    json?: unknown;
    archive?: { caseId: string; frozenAt: string };
    linkQuery?: Record<string, unknown>;
  },
): Promise<Reply> {
  const format = formatOf(req, query.format);
  if (format === 'json') return { status: 200, body: options.json ?? figures };
  const out = await renderReport(doc, figures, format, {
    table: query.table,
    archive: options.archive,
    links: linksFrom(req.baseUrl + req.path, options.linkQuery ?? query),
    chromiumPath: options.chromiumPath,
  });
  return reportReply(out);
}

/** A rendered report as the operation's reply. */
function reportReply(out: RenderedReport): Reply {
  const headers: Record<string, string> = {};
  if (out.filename) headers['Content-Disposition'] = `inline; filename="${out.filename}"`;
  return { status: 200, content: { type: out.type, data: out.data }, headers };
}

/** Links to the same report in the other formats, relative to the request (its other parameters kept). */
function linksFrom(path: string, query: Record<string, unknown>): ReportLinks {
  const at = (extra: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (typeof v === 'string' && k !== 'format' && k !== 'table') params.set(k, v);
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    return `${path}?${params.toString()}`;
  };
  return { pdf: at({ format: 'pdf' }), csv: (table: string) => at({ format: 'csv', table }) };
}
