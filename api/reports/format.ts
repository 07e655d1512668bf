/**
 * How a report is asked for, the same for every report: `format=` first, else the Accept header
 * (HTML for a browser, PDF, CSV), else JSON; with CSV, `table=` names the table. The query
 * parameters and the media types are published in /openapi.json from here.
 */
import type { Request } from 'express';
import type { Schema } from '../schemas';

export const reportFormats = ['json', 'html', 'pdf', 'csv'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export function formatOf(req: Request, asked: unknown): ReportFormat {
  if (typeof asked === 'string') return asked as ReportFormat;
  const best = req.accepts(['application/json', 'text/html', 'application/pdf', 'text/csv']);
  if (best === 'text/html') return 'html';
  if (best === 'application/pdf') return 'pdf';
  if (best === 'text/csv') return 'csv';
  return 'json';
}

/** The `format` and `table` query parameters of a report whose tables are `tableNames`. */
export function formatParams(tableNames: readonly string[]): Record<string, Schema> {
  return {
    format: {
      type: 'string',
      enum: [...reportFormats],
      description: 'json, html, pdf or csv; without it the Accept header chooses (JSON by default)',
    },
    table: {
      type: 'string',
      enum: [...tableNames],
      description: 'the table a CSV export holds (required with csv)',
    },
  };
}

/** The other media types a report answers in. */
export const reportMedia = {
  'text/html': { type: 'string' },
  'application/pdf': { type: 'string', format: 'binary' },
  'text/csv': { type: 'string' },
};
