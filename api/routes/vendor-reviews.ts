/**
 * The vendor review's measured figures over HTTP: a review's figures as counted when it opened,
 * each figure's cases (the drill-down), and the figures of any vendor and period computed now.
 * Case ids behind a figure go through the one case-access rule: a case the reader may not read is
 * left out and counted in `hiddenCases`; a review the reader may not read is 404.
 */
import type { Knex } from 'knex';
import { visibleTo, caseAccess } from '../../db/case-access';
import { vendorReviewFigures, type Figure } from '../../db/vendor-review-figures';
import type { CaseReader } from '../../db/case-access';
import { NotFoundError, ValidationError } from '../errors';
import type { OperationRegistry } from '../operations';
import * as s from '../schemas';
import * as v from '../vendor-review-schemas';

const problem = (description: string) => ({ description, schema: s.problemSchema });

async function visibleIds(db: Knex, reader: CaseReader, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = (await db('cases')
    .whereIn('case_id', ids)
    .modify(visibleTo(reader))
    .pluck('case_id')) as string[];
  return new Set(rows);
}

async function forReader(db: Knex, reader: CaseReader, figure: Figure) {
  const seen = await visibleIds(db, reader, figure.caseIds);
  return {
    ...figure,
    caseIds: figure.caseIds.filter((id) => seen.has(id)),
    shortfallCaseIds: figure.shortfallCaseIds.filter((id) => seen.has(id)),
    hiddenCases: figure.caseIds.filter((id) => !seen.has(id)).length,
  };
}

async function reviewFields(db: Knex, reader: CaseReader, caseId: string): Promise<Record<string, unknown>> {
  const row = (await db('cases').where({ case_id: caseId, process: 'vendor-review' }).first('fields')) as
    { fields: Record<string, unknown> } | undefined;
  if (!row || (await caseAccess(db, reader, caseId)) !== 'visible')
    throw new NotFoundError(`no vendor review ${caseId}`, 'CASE_NOT_FOUND');
  return row.fields;
}

export function registerVendorReviewOperations(api: OperationRegistry, { db }: { db: Knex }): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/vendor-reviews/{id}/figures',
      operationId: 'vendorReviewFigures',
      tag: 'reports',
      summary: 'A vendor review’s measured figures, satisfaction and scorecard, as counted for its period',
      description:
        'Each figure: value (rate in [0, 1] or count), or null with `missing` saying why — no data is never 0 or 100 %; ' +
        'the cases behind it that you may read. Drill down with `/figures/{figure}/cases`.',
      permission: 'case:read',
      params: { id: s.caseIdParam },
      responses: {
        200: { description: 'the figures', schema: v.vendorFiguresSchema },
        404: problem('no such vendor review, or you may not read it'),
      },
    },
    async ({ params, principal }) => {
      const fields = await reviewFields(db, principal.user, params.id);
      const period = (fields.period ?? {}) as { from?: string; to?: string };
      const figures = Array.isArray(fields.figures) ? (fields.figures as Figure[]) : [];
      return {
        status: 200,
        body: {
          caseId: params.id,
          vendorId: String(fields.vendorId ?? ''),
          from: period.from ?? null,
          to: period.to ?? null,
          period: fields.period ?? {},
          systems: fields.systems ?? [],
          figures: await Promise.all(figures.map((f) => forReader(db, principal.user, f))),
          ...(fields.satisfaction ? { satisfaction: fields.satisfaction } : {}),
          ...(fields.scorecard ? { scorecard: fields.scorecard } : {}),
          openCorrectiveActions: fields.openCorrectiveActions ?? [],
          correctiveActions: fields.correctiveActions ?? [],
        },
      };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/vendor-reviews/{id}/figures/{figure}/cases',
      operationId: 'vendorReviewFigureCases',
      tag: 'reports',
      summary: 'The cases behind one figure of a vendor review (the drill-down)',
      description: 'Only the cases you may read are listed; the others are counted in `hiddenCases`.',
      permission: 'case:read',
      params: { id: s.caseIdParam, figure: v.figureKeyParam },
      responses: {
        200: { description: 'the cases', schema: v.figureCasesSchema },
        404: problem('no such vendor review or figure, or you may not read the review'),
      },
    },
    async ({ params, principal }) => {
      const fields = await reviewFields(db, principal.user, params.id);
      const figures = Array.isArray(fields.figures) ? (fields.figures as Figure[]) : [];
      const figure = figures.find((f) => f.key === params.figure);
      if (!figure) throw new NotFoundError(`no figure ${params.figure} in ${params.id}`, 'FIGURE_NOT_FOUND');
      const shown = await forReader(db, principal.user, figure);
      const rows = (await db('cases')
        .whereIn('case_id', shown.caseIds)
        .orderBy('case_id')
        .select('case_id', 'process', 'title', 'state', 'system', 'created_at', 'closed_at')) as Array<
        Record<string, unknown>
      >;
      const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : d == null ? null : String(d));
      return {
        status: 200,
        body: {
          caseId: params.id,
          figure: shown,
          cases: rows.map((r) => ({
            caseId: String(r.case_id),
            process: String(r.process),
            title: String(r.title),
            state: String(r.state),
            system: (r.system as string | null) ?? null,
            createdAt: iso(r.created_at),
            closedAt: iso(r.closed_at),
            shortfall: shown.shortfallCaseIds.includes(String(r.case_id)),
          })),
          hiddenCases: shown.hiddenCases,
        },
      };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/vendor-reviews/figures',
      operationId: 'vendorFiguresNow',
      tag: 'reports',
      summary: 'A vendor’s measured figures for any period, computed now from the records',
      description: 'Organisation-wide readers only. The same figures a review counts when it opens.',
      permission: 'report:organisation',
      query: v.vendorFiguresQuery,
      responses: {
        200: { description: 'the figures', schema: v.vendorFiguresSchema },
        400: problem('vendorId / from / to missing or malformed, or from is not before to'),
        403: problem('not an organisation-wide reader'),
      },
    },
    async ({ query, principal }) => {
      const { vendorId, from, to } = query as { vendorId: string; from: string; to: string };
      if (!(Date.parse(from) < Date.parse(to))) {
        throw new ValidationError([{ path: '/query/to', message: 'must be after from' }], 'empty period');
      }
      const measured = await vendorReviewFigures(db, { vendorId, from, to });
      return {
        status: 200,
        body: {
          ...measured,
          figures: await Promise.all(measured.figures.map((f) => forReader(db, principal.user, f))),
        },
      };
    },
  );
}
