/** The JSON Schemas of the vendor-review reports (`/api/v1/vendor-reviews/…`), published in /openapi.json. */
import type { Schema } from './schemas';

const isoInstant: Schema = { type: 'string', format: 'date-time' };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });

export const figureKeyParam: Schema = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9.]{0,99}$' };

export const vendorFiguresQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['vendorId', 'from', 'to'],
  properties: {
    vendorId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
    from: { ...isoInstant, description: 'start of the period (inclusive)' },
    to: { ...isoInstant, description: 'end of the period (exclusive)' },
  },
};

export const figureSchema: Schema = {
  title: 'VendorReviewFigure',
  type: 'object',
  required: ['key', 'dimension', 'kind', 'value', 'missing', 'caseIds', 'shortfallCaseIds'],
  properties: {
    key: {
      type: 'string',
      description: 'e.g. emergency.responseWindow.onsiteResponse, defect.onTime.routine',
    },
    dimension: {
      type: 'string',
      enum: ['projectManagement', 'technicalCapability', 'serviceQuality', 'staffing'],
    },
    kind: { type: 'string', enum: ['rate', 'count'] },
    value: {
      ...nullable({ type: 'number' }),
      description: 'a rate in [0, 1] or a count; null when there was nothing to measure',
    },
    numerator: nullable({ type: 'integer' }),
    denominator: nullable({ type: 'integer' }),
    target: nullable({ type: 'number' }),
    missing: { ...nullable({ type: 'string' }), description: 'why there is no value (no data), else null' },
    caseIds: {
      type: 'array',
      items: { type: 'string' },
      description: 'the cases behind the figure that you may read',
    },
    shortfallCaseIds: { type: 'array', items: { type: 'string' }, description: 'those that fell short' },
    hiddenCases: { type: 'integer', description: 'cases behind the figure that you may not read' },
  },
};

export const vendorFiguresSchema: Schema = {
  title: 'VendorReviewFigures',
  type: 'object',
  required: ['vendorId', 'from', 'to', 'figures'],
  properties: {
    caseId: { type: 'string' },
    vendorId: { type: 'string' },
    from: nullable(isoInstant),
    to: nullable(isoInstant),
    period: { type: 'object' },
    systems: { type: 'array', items: { type: 'string' } },
    figures: { type: 'array', items: figureSchema },
    satisfaction: { type: 'object', description: 'survey response rate, averages and responses' },
    scorecard: { type: 'object', description: 'the figures beside each of the four dimensions' },
    openCorrectiveActions: {
      type: 'array',
      items: { type: 'object' },
      description: 'corrective actions of earlier reviews still open when this review was opened',
    },
    correctiveActions: { type: 'array', items: { type: 'object' }, description: 'this review’s own' },
  },
};

export const figureCasesSchema: Schema = {
  title: 'VendorReviewFigureCases',
  type: 'object',
  required: ['caseId', 'figure', 'cases', 'hiddenCases'],
  properties: {
    caseId: { type: 'string' },
    figure: figureSchema,
    cases: {
      type: 'array',
      items: {
        type: 'object',
        required: ['caseId', 'process', 'title', 'state', 'shortfall'],
        properties: {
          caseId: { type: 'string' },
          process: { type: 'string' },
          title: { type: 'string' },
          state: { type: 'string' },
          system: nullable({ type: 'string' }),
          createdAt: isoInstant,
          closedAt: nullable(isoInstant),
          shortfall: { type: 'boolean', description: 'the case fell short on this figure' },
        },
      },
    },
    hiddenCases: { type: 'integer', description: 'cases behind the figure that you may not read' },
  },
};
