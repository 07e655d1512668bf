/**
 * The monthly guarantees of defect handling (003 (九) 1–2) as JSON, per vendor and system, over
 * the cases the caller may read (db/case-access.ts): a vendor's staff see their own systems', the
 * O&M center everyone's. The reports issue renders it.
 */
import type { Knex } from 'knex';
import { defectGuarantees } from '../../db/defect-guarantees';
import type { Config } from '../../runtime/config';
import type { OperationRegistry } from '../operations';
import * as s from '../schemas';

const problem = (description: string) => ({ description, schema: s.problemSchema });
const ids = { type: 'array', items: { type: 'string' } };
const rate = {
  rate: { type: ['number', 'null'], description: 'count / of, null when there is nothing to count' },
  target: { type: 'number' },
  met: { type: ['boolean', 'null'] },
};
const figures = {
  type: 'object',
  required: ['handling', 'onTime'],
  properties: {
    handling: {
      type: 'object',
      description: "100 % target: the month's problems (confirmed in the month) handled by its end",
      properties: { ...rate, problems: ids, handled: ids, unhandled: ids },
    },
    onTime: {
      type: 'object',
      description: '≥ 85 % target: code-change fixes resolved in the month within their window',
      properties: { ...rate, codeChanges: ids, onTime: ids, late: ids },
    },
  },
};

export const defectGuaranteesQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['month'],
  properties: {
    month: {
      type: 'string',
      pattern: '^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])$',
      description: 'YYYY-MM (1970 on), in the organisation’s time zone',
    },
    vendor: { type: 'string', minLength: 1, maxLength: 100, description: 'only this vendor’s defects' },
    system: { type: 'string', minLength: 1, maxLength: 100, description: 'only this system’s defects' },
  },
};

export const defectGuaranteesSchema = {
  title: 'DefectGuarantees',
  type: 'object',
  required: ['month', 'from', 'to', 'total', 'groups'],
  properties: {
    month: { type: 'string' },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    vendor: { type: ['string', 'null'] },
    system: { type: ['string', 'null'] },
    total: figures,
    groups: {
      type: 'array',
      items: {
        ...figures,
        required: ['vendorId', 'system', 'handling', 'onTime'],
        properties: {
          vendorId: { type: ['string', 'null'] },
          system: { type: ['string', 'null'] },
          ...figures.properties,
        },
      },
    },
  },
};

export function registerDefectReportOperations(
  api: OperationRegistry,
  { db, config }: { db: Knex; config: Pick<Config, 'timeZone'> },
): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/reports/defect-guarantees',
      operationId: 'defectGuaranteesReport',
      tag: 'reports',
      summary: 'Monthly defect guarantees (003 (九) 1–2): handling rate and on-time rate of code changes',
      description:
        'Per vendor and system, with the case ids behind every figure, over the defects the caller may read. ' +
        "A month's problems are the defects confirmed in it; handled means resolved (or closed otherwise) by the " +
        "month's end; the on-time rate counts code-change fixes resolved in the month within their window.",
      permission: 'case:read',
      query: defectGuaranteesQuery,
      responses: {
        200: { description: 'the figures', schema: defectGuaranteesSchema },
        400: problem('month missing or not YYYY-MM from 1970 on'),
      },
    },
    async ({ query, principal }) => {
      const q = query as { month: string; vendor?: string; system?: string };
      const body = await defectGuarantees(db, { ...q, reader: principal.user, timeZone: config.timeZone });
      return { status: 200, body };
    },
  );
}
