/**
 * The page people read, for every report: a Handlebars template per report in
 * `templates/reports/<name>.hbs`, sharing the partials in `templates/reports/partials/` (the
 * page style, the download links, the tables). Bilingual headings, Chinese first as the seeds
 * write them. The same page is printed to PDF (`pdf.ts`). A page depends on nothing but the
 * figures and the links it is given, so a frozen report renders to the same document every time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { projectRoot } from '../../runtime/project-root';
import type { ReportDocument } from './answer';
import type { Cell, ReportTable } from './tables';

/** Links to the same report in the other formats (absent in the printed copy). */
export interface ReportLinks {
  pdf: string;
  csv: (table: string) => string;
}

const folder = path.join(projectRoot, 'templates', 'reports');
const hbs = Handlebars.create();
hbs.registerHelper('percent', (r: unknown) =>
  typeof r === 'number' ? `${Math.round(r * 1000) / 10} %` : '无数据 no data',
);
for (const file of readdirSync(path.join(folder, 'partials')).filter((f) => f.endsWith('.hbs')))
  hbs.registerPartial(path.basename(file, '.hbs'), readFileSync(path.join(folder, 'partials', file), 'utf8'));

/** The template `templates/reports/<name>.hbs`. */
function reportTemplate(name: string): Handlebars.TemplateDelegate {
  return hbs.compile(readFileSync(path.join(folder, `${name}.hbs`), 'utf8'));
}

const text = (v: Cell) => (v === null ? '—' : typeof v === 'boolean' ? (v ? '是 yes' : '否 no') : String(v));

/** The tables as the `tables` partial shows them, with their CSV links. */
function tableViews(tables: ReportTable[], links?: ReportLinks) {
  return tables.map((t) => ({
    ...t,
    csv: links?.csv(t.name),
    cells: t.rows.map((row) =>
      t.columns.map((c) => ({ text: text(row[c.key] ?? null), numeric: typeof row[c.key] === 'number' })),
    ),
  }));
}

/**
 * A report whose page is `templates/reports/<template>.hbs`, given its figures, `tables`, `charts`
 * (SVG markup by name; null for none), `archive` and `downloads`.
 */
export function pageDocument<F extends object>(
  template: string,
  parts: Pick<ReportDocument<F>, 'fileName' | 'tables'> & { charts: (figures: F) => unknown },
): ReportDocument<F> {
  const page = reportTemplate(template);
  return {
    ...parts,
    html: (figures, options) => {
      const tables = parts.tables(figures);
      return page({
        ...figures,
        tables: tableViews(tables, options.links),
        downloads: options.links ? { pdf: options.links.pdf } : null,
        charts: parts.charts(figures),
        archive: options.archive,
      });
    },
  };
}
