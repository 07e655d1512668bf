/** The service report's query and response, as /openapi.json publishes them. */
import { formatParams as reportFormatParams } from '../reports/format';
import type { Schema } from '../schemas';
import { tableNames } from './tables';

const id = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' };
const formatParams = reportFormatParams(tableNames);

export const serviceReportQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['month'],
  properties: {
    month: {
      type: 'string',
      pattern: '^[1-9][0-9]{3}-(0[1-9]|1[0-2])$',
      description: 'YYYY-MM, in the organisation time zone',
    },
    system: { ...id, description: "only cases on this system (the case's system)" },
    vendor: { ...id, description: "only cases on this vendor's contracted systems, or handled by it" },
    ...formatParams,
  },
};

export const archivedReportQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: formatParams,
};

export const reportCaseId: Schema = { type: 'string', pattern: '^RPT-[0-9]{4}-[0-9]{6}$' };

const nullableNumber = { type: ['number', 'null'] };
const counts = {
  type: 'array',
  items: {
    type: 'object',
    required: ['opened', 'closed'],
    properties: { opened: { type: 'integer' }, closed: { type: 'integer' } },
  },
};

export const serviceReportFiguresSchema: Schema = {
  title: 'ServiceReportFigures',
  type: 'object',
  required: [
    'period',
    'sources',
    'casesByProcess',
    'trend',
    'sla',
    'guarantees',
    'emergencies',
    'changes',
    'releases',
    'defectsByClass',
    'correctiveActions',
  ],
  properties: {
    period: {
      type: 'object',
      required: ['month', 'from', 'to', 'timeZone'],
      properties: {
        month: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        timeZone: { type: 'string' },
      },
    },
    sources: { type: 'object', additionalProperties: { type: 'string' } },
    casesByProcess: counts,
    trend: counts,
    sla: {
      type: 'object',
      required: ['met', 'breached', 'attainment', 'stages', 'breaches'],
      properties: {
        met: { type: 'integer' },
        breached: { type: 'integer' },
        attainment: nullableNumber,
        stages: { type: 'array', items: { type: 'object' } },
        breaches: { type: 'array', items: { type: 'object' } },
      },
    },
    guarantees: { type: ['object', 'null'], description: 'null: no defect in scope (no data)' },
    emergencies: { type: 'array', items: { type: 'object' } },
    changes: { type: 'object' },
    releases: { type: 'object' },
    defectsByClass: { type: ['array', 'null'], description: 'null: no defect in scope (no data)' },
    correctiveActions: { type: ['array', 'null'], description: 'null: no vendor review in scope (no data)' },
  },
};

export const archivedServiceReportSchema: Schema = {
  title: 'ArchivedServiceReport',
  type: 'object',
  required: ['caseId', 'month', 'frozenAt', 'figures'],
  properties: {
    caseId: { type: 'string' },
    month: { type: 'string' },
    system: { type: ['string', 'null'] },
    vendor: { type: ['string', 'null'] },
    frozenAt: { type: 'string' },
    coveredCases: { type: 'array', items: { type: 'string' } },
    figures: serviceReportFiguresSchema,
  },
};
