/** The forms of the periodic change review: the O&M center's summary and each party's opinion. */
import { typedForm, type JsonSchema } from '../contracts/form-schema';

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
const text = (max = 4000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: storable });
const instant = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$',
};

export interface FollowUpMeasure {
  measure: string;
  owner: string;
  dueAt: string;
}

/** 001 §26 (1)–(5), assessed over the compiled figures (`fields.figures`). */
export interface ReviewSummary {
  goalsAssessment: string;
  negativeEffects: string;
  reasonsAnalysis: string;
  rollbackAnalysis: string;
  /** Follow-up measures to keep the number of changes down. */
  followUpMeasures: FollowUpMeasure[];
}
const summaryProperties = {
  goalsAssessment: text(),
  negativeEffects: text(),
  reasonsAnalysis: text(),
  rollbackAnalysis: text(),
  followUpMeasures: {
    type: 'array',
    maxItems: 50,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['measure', 'owner', 'dueAt'],
      properties: { measure: text(), owner: text(100), dueAt: instant },
    },
  },
};
export const reviewSummaryForm = typedForm<ReviewSummary>({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(summaryProperties),
  properties: summaryProperties,
});
export const summaryRevisionForm = typedForm<Partial<ReviewSummary>>({
  type: 'object',
  additionalProperties: false,
  properties: summaryProperties,
});

export interface ReviewOpinion {
  agrees: boolean;
  opinion: string;
}
export const opinionForm = typedForm<ReviewOpinion>({
  type: 'object',
  additionalProperties: false,
  required: ['agrees', 'opinion'],
  properties: { agrees: { type: 'boolean' }, opinion: text() },
});

export const stepForms: Record<string, JsonSchema> = {
  reviewSummary: reviewSummaryForm,
  reviseSummary: summaryRevisionForm,
  opsCenterOpinion: opinionForm,
  developmentOpinion: opinionForm,
  securityOpinion: opinionForm,
};
