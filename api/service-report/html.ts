/**
 * The report as a page people read: HTML with its charts inline (SVG from `charts.ts`) and every
 * table, bilingual headings (Chinese first, as the seeds write them). The same page is printed
 * to PDF (`pdf.ts`). It depends on nothing but the figures and the links it is given, so a frozen
 * report renders to the same document every time.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { ServiceReportFigures } from '../../db/service-report-shape';
import { projectRoot } from '../../runtime/project-root';
import { reportCharts } from './charts';
import { reportTables, type Cell, type TableName } from './tables';

export interface ReportLinks {
  pdf: string;
  csv: (table: TableName) => string;
}

const hbs = Handlebars.create();
hbs.registerHelper('percent', (r: unknown) =>
  typeof r === 'number' ? `${Math.round(r * 1000) / 10} %` : '无数据 no data',
);
const template = hbs.compile(
  readFileSync(path.join(projectRoot, 'templates', 'reports', 'service-report.hbs'), 'utf8'),
);

const text = (v: Cell) => (v === null ? '—' : typeof v === 'boolean' ? (v ? '是 yes' : '否 no') : String(v));

export function renderServiceReportHtml(
  figures: ServiceReportFigures,
  options: { archive?: { caseId: string; frozenAt: string }; links?: ReportLinks },
): string {
  const tables = reportTables(figures).map((t) => ({
    ...t,
    source: figures.sources[t.section],
    csv: options.links?.csv(t.name as TableName),
    cells: t.rows.map((row) =>
      t.columns.map((c) => ({ text: text(row[c.key] ?? null), numeric: typeof row[c.key] === 'number' })),
    ),
  }));
  return template({
    ...figures,
    charts: reportCharts(figures),
    tables,
    archive: options.archive,
    downloads: options.links ? { pdf: options.links.pdf } : null,
  });
}
