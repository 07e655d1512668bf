/**
 * The forms of the change stages: part 2 (assessment, 001 §10–§13), part 3 (plan and test,
 * 001 §21, §5(8)), scheduling (§17, §19), implementation, post-implementation (§16, §18, §26)
 * and the paperwork an emergency change owes afterwards (§23–§25).
 */
import { typedForm, type FormSchema, type JsonSchema } from '../contracts/form-schema';
import { changeRequestProperties, type ChangeRequest } from './request-form';

// Text PostgreSQL can store: no NUL character, no lone UTF-16 surrogate (ajv matches patterns in unicode mode).
const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
const text = (max = 4000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: storable });
/** RFC 3339 with an offset: `2031-03-08T22:00:00+08:00`. */
const instant = { type: 'string', format: 'date-time' };
/** A calendar date: `2031-03-08`. */
const date = { type: 'string', format: 'date' };
const steps = { type: 'array', minItems: 1, items: text(2000) };

function form(
  properties: Record<string, JsonSchema>,
  required: string[] = Object.keys(properties),
): JsonSchema {
  return { type: 'object', additionalProperties: false, required, properties };
}

/** A revision sends only what changes; the rest of the earlier answer stays. */
export function revisionOf<F>(schema: FormSchema<F>): FormSchema<Partial<F>> {
  return typedForm<Partial<F>>({ ...schema, required: [], minProperties: 1 });
}

export const riskLevels = ['low', 'medium', 'high'] as const;
export const recommendations = ['recommended', 'not_recommended', 'too_large'] as const;
export type Recommendation = (typeof recommendations)[number];

const todaysWords: Record<Assessment['recommendation'], Recommendation> = {
  recommended: 'recommended',
  not_recommended: 'not_recommended',
  too_large: 'too_large',
  recommend: 'recommended',
  not_recommend: 'not_recommended',
};

/** A recommendation in today's words, whichever words its form was recorded with. */
export function recommendationOf(assessment: Pick<Assessment, 'recommendation'>): Recommendation {
  return todaysWords[assessment.recommendation];
}
export type RiskLevel = (typeof riskLevels)[number];

const assessmentProperties: Record<string, JsonSchema> = {
  existingFunctionOrWorkaround: text(),
  developmentNeeded: { type: 'boolean' },
  effortHours: { type: 'number', minimum: 0 },
  infrastructureChange: text(),
  backendDataChange: text(),
  securityConsiderations: text(),
  resourceSchedule: text(),
  businessInterruption: { type: 'boolean' },
  interruptionScope: text(),
  riskLevel: { enum: [...riskLevels] },
  proposedDate: date,
  /** The same words as the outcome a case closes with: `not_recommended`, `too_large`. */
  recommendation: { enum: [...recommendations] },
  reason: text(),
};

export const assessmentForm = typedForm<Assessment>(
  form(
    assessmentProperties,
    Object.keys(assessmentProperties).filter((k) => k !== 'resourceSchedule' && k !== 'interruptionScope'),
  ),
);

export interface Assessment {
  developmentNeeded: boolean;
  effortHours: number;
  businessInterruption: boolean;
  interruptionScope?: string;
  riskLevel: RiskLevel;
  proposedDate: string;
  /** `recommend` / `not_recommend` were the words before they matched the outcomes; recorded forms keep them. */
  recommendation: Recommendation | 'recommend' | 'not_recommend';
  reason: string;
  [detail: string]: unknown;
}

export const designAndBuildForm = form({
  designDocument: text(),
  versionTag: text(200),
  handedOverToOps: { const: true },
});

/** 001 §5(8): the risk analysis a new function needs before it goes live. */
const riskAnalysis = form({
  backupMachine: text(),
  monitoring: text(),
  dataBackup: text(),
  programBackup: text(),
  databaseObjects: text(),
  otherSystemsImpact: text(),
});

export function changePlanForm(newFunction: boolean): JsonSchema {
  const properties = {
    implementationSteps: steps,
    rollbackSteps: steps,
    contingencyMeasures: text(),
    riskAnalysis,
  };
  const required = [
    'implementationSteps',
    'rollbackSteps',
    'contingencyMeasures',
    ...(newFunction ? ['riskAnalysis'] : []),
  ];
  return form(properties, required);
}

export const testReportForm = form({
  testSteps: steps,
  testResults: text(),
  passed: { const: true },
  signedBy: text(100),
});

export const securityPreReviewForm = form({ opinion: text(), cleared: { const: true } });

export const userTestConfirmationForm = form({ confirmed: { const: true }, notes: text() }, ['confirmed']);

export const schedulingForm = typedForm<Schedule>({
  ...form(
    {
      windowStart: instant,
      windowEnd: instant,
      businessInterruption: { type: 'boolean' },
      interruptionScope: text(),
      /** Departments told beforehand in writing when business may be interrupted (001 §19). */
      affectedDepartments: { type: 'array', uniqueItems: true, items: text(100) },
      contingencyMeasures: text(),
    },
    ['windowStart', 'windowEnd', 'businessInterruption', 'affectedDepartments'],
  ),
  if: { properties: { businessInterruption: { const: true } } },
  then: { required: ['interruptionScope'], properties: { affectedDepartments: { minItems: 1 } } },
});

export interface Schedule {
  windowStart: string;
  windowEnd: string;
  businessInterruption: boolean;
  interruptionScope?: string;
  affectedDepartments: string[];
}

export const implementationForm = typedForm<Implementation>({
  ...form(
    {
      result: { enum: ['succeeded', 'failed', 'rolled_back'] },
      backupConfirmed: { const: true },
      startedAt: instant,
      finishedAt: instant,
      monitoredBy: text(100),
      cause: text(),
      notes: text(),
    },
    ['result', 'backupConfirmed', 'startedAt', 'finishedAt'],
  ),
  // A change that did not succeed says why; the periodic review counts the causes (001 §26(5)).
  if: { properties: { result: { enum: ['failed', 'rolled_back'] } } },
  then: { required: ['cause'] },
});

export interface Implementation {
  result: 'succeeded' | 'failed' | 'rolled_back';
  cause?: string;
  startedAt: string;
  finishedAt: string;
}

/** 001 §18 and §26(1)(2): the requesting department head signs off and says whether it worked. */
export const departmentHeadConfirmationForm = typedForm<Outcome>(
  form(
    {
      confirmed: { const: true },
      goalMet: { type: 'boolean' },
      negativeEffects: { type: 'string', maxLength: 4000, pattern: storable },
    },
    ['confirmed', 'goalMet', 'negativeEffects'],
  ),
);

/** What the department head (or, for an emergency change, the joint review) says the change achieved. */
export interface Outcome {
  goalMet: boolean;
  negativeEffects: string;
  [detail: string]: unknown;
}

// ---- the paperwork an emergency change owes afterwards (001 §23–§25)

export const completedFormForm = form(
  { formCompleted: { const: true }, signedBy: text(100), notes: text() },
  ['formCompleted', 'signedBy'],
);
export const backupConfirmationForm = form({ programBackupRef: text(200), dataBackupRef: text(200) });
export const jointReviewForm = typedForm<Outcome>(
  form({
    log: text(),
    opsSignedBy: text(100),
    requesterSignedBy: text(100),
    goalMet: { type: 'boolean' },
    negativeEffects: { type: 'string', maxLength: 4000, pattern: storable },
  }),
);

/** "Request changes" on the request: what the requester may revise (not urgency, template or requester). */
export const requestRevisionForm = revisionOf(
  typedForm<ChangeRequest>({
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      Object.entries(changeRequestProperties).filter(
        ([name]) => !['urgency', 'standardChangeId', 'requester'].includes(name),
      ),
    ),
  }),
);

/**
 * Every task step's form, by step name: the definition publishes them (`change.<step>` in
 * /openapi.json) and a pending step names its own. `changePlan` is shown as for most changes;
 * a `new_function` change also requires `riskAnalysis` (001 §5(8)), which its pending step's
 * `formSchema` says.
 */
export const stepForms: Record<string, JsonSchema> = {
  reviseRequest: requestRevisionForm,
  opsAssessment: assessmentForm,
  reviseAssessment: revisionOf(assessmentForm),
  designAndBuild: designAndBuildForm,
  changePlan: changePlanForm(false),
  testReport: testReportForm,
  securityPreReview: securityPreReviewForm,
  userTestConfirmation: userTestConfirmationForm,
  scheduling: schedulingForm,
  implementation: implementationForm,
  departmentHeadConfirmation: departmentHeadConfirmationForm,
  completedChangeForm: completedFormForm,
  signedTestResults: testReportForm,
  backupConfirmation: backupConfirmationForm,
  jointReview: jointReviewForm,
};
