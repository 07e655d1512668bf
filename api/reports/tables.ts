/**
 * A report's tables as the HTML page shows them and CSV exports them — the same rows in both.
 * A table whose source has no data is marked so, and shows "no data", never a row of zeros.
 */
export type Cell = string | number | boolean | null;

export interface ReportTable {
  name: string;
  heading: string;
  columns: Array<{ key: string; label: string }>;
  rows: Array<Record<string, Cell>>;
  /** The table's source has no record in scope: "no data", not zero. */
  noData: boolean;
  /** Where the figures come from, shown under the heading. */
  source?: string;
}

/** A ratio (0.6667) as a percentage with one decimal (66.7); null stays null. */
export const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);

/** Columns from `[key, label]` pairs. */
export const cols = (...pairs: Array<[string, string]>) => pairs.map(([key, label]) => ({ key, label }));

/** A table as CSV (RFC 4180), with a UTF-8 byte-order mark so spreadsheet programs read Chinese. */
export function tableCsv(table: ReportTable): string {
  const cell = (v: Cell) => {
    const text = v === null ? '' : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [table.columns.map((c) => cell(c.label)).join(',')];
  if (table.noData) lines.push(cell('no data'));
  for (const row of table.rows) lines.push(table.columns.map((c) => cell(row[c.key] ?? null)).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
