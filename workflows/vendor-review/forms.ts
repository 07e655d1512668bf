/**
 * The forms of a vendor review: the vendor's own report, the business departments' satisfaction
 * survey (002 §6.3.3 c), the O&M center's scoring on the four dimensions of 002 §6.6.3.8 e with
 * the non-conformities it finds (002 §6.4 b: each with an owner and a deadline), the vendor PM's
 * acknowledgement, and the record that closes a corrective action.
 */
import { typedForm, type JsonSchema } from '../contracts/form-schema';

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
const text = (max = 4000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: storable });
const instant = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$',
};

function form(
  properties: Record<string, JsonSchema>,
  required: string[] = Object.keys(properties),
  description?: string,
): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required,
    properties,
    ...(description ? { description } : {}),
  };
}

/** The vendor's own service report for the period, attached by reference (002 §6.6.3.8 d). */
export interface VendorReport {
  reference: string;
  summary: string;
}
export const vendorReportForm = typedForm<VendorReport>(
  form({ reference: text(400), summary: text() }, ['reference', 'summary'], 'the vendor’s own report'),
);

/** One department's satisfaction with the vendor's service in the period, 1 (poor) to 5 (very good). */
export interface SurveyAnswer {
  overall: number;
  responsiveness: number;
  quality: number;
  communication: number;
  comment?: string;
}
const rating = { type: 'integer', minimum: 1, maximum: 5 };
export const SURVEY_QUESTIONS = ['overall', 'responsiveness', 'quality', 'communication'] as const;
export const surveyForm = typedForm<SurveyAnswer>(
  form(
    { overall: rating, responsiveness: rating, quality: rating, communication: rating, comment: text(2000) },
    [...SURVEY_QUESTIONS],
    'ratings from 1 (poor) to 5 (very good)',
  ),
);

export const DIMENSIONS = ['projectManagement', 'technicalCapability', 'serviceQuality', 'staffing'] as const;
export type DimensionName = (typeof DIMENSIONS)[number];

export interface DimensionScore {
  score: number;
  comment: string;
}

/** A finding that does not meet the contract or the targets, with its corrective action. */
export interface NonConformity {
  finding: string;
  dimension: DimensionName;
  correctiveAction: string;
  owner: string;
  dueAt: string;
}

export interface Scoring {
  projectManagement: DimensionScore;
  technicalCapability: DimensionScore;
  serviceQuality: DimensionScore;
  staffing: DimensionScore;
  summary: string;
  nonConformities: NonConformity[];
}
const dimensionScore = (what: string) =>
  form(
    { score: { type: 'integer', minimum: 0, maximum: 100 }, comment: text() },
    ['score', 'comment'],
    `${what}, 0–100; the case's fields.scorecard lists the measured figures beside it`,
  );
export const scoringForm = typedForm<Scoring>(
  form(
    {
      projectManagement: dimensionScore('project management (report timeliness, escalations)'),
      technicalCapability: dimensionScore('technical capability (change success, rollbacks, reopens)'),
      serviceQuality: dimensionScore('service quality (response windows, on-time defects, satisfaction)'),
      staffing: dimensionScore('staffing (human-resource management, from the vendor’s report)'),
      summary: text(),
      nonConformities: {
        type: 'array',
        maxItems: 50,
        items: form({
          finding: text(),
          dimension: { type: 'string', enum: [...DIMENSIONS] },
          correctiveAction: text(),
          owner: text(100),
          dueAt: instant,
        }),
      },
    },
    undefined,
    'the O&M center scores the four dimensions of 002 §6.6.3.8 e',
  ),
);

export interface Acknowledgement {
  acknowledged: true;
  comment?: string;
}
export const acknowledgementForm = typedForm<Acknowledgement>(
  form({ acknowledged: { const: true }, comment: text(2000) }, ['acknowledged']),
);

export interface ActionDone {
  outcome: string;
  evidenceRef?: string;
}
export const actionDoneForm = typedForm<ActionDone>(
  form({ outcome: text(), evidenceRef: text(400) }, ['outcome']),
);
