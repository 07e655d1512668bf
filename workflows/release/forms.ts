/**
 * The forms of the release stages: reviews (001 §28(2), §32), the implementation plan (§29, §33,
 * 003 (七) 7), execution steps and rollback (§30, §34), verification after release (000), the
 * monthly trial-run report (§30(13)(14)) and acceptance (§31, §35).
 */
import { typedForm, type FormSchema, type JsonSchema } from '../contracts/form-schema';
import { releaseRequestProperties, text, type ReleaseRequest } from './request-form';

/** A fix after release or during the trial runs as a linked change or defect (000; §30(13)). */
const fixCaseId = {
  type: 'string',
  pattern: '^(CHG|DEF)-[0-9A-Za-z-]{1,40}$',
  description: 'the linked change (CHG-…) or defect (DEF-…) case that fixes it',
};
import { releaseKinds, type ReleaseKind } from './kinds';

const instant = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$',
};
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

function form(
  properties: Record<string, JsonSchema>,
  required: string[] = Object.keys(properties),
): JsonSchema {
  return { type: 'object', additionalProperties: false, required, properties };
}

// ---- reviews (001 §28(2), §32): each reviewer writes an opinion and signs (the completing user)

export const reviewForm = typedForm<Review>(
  form({ verdict: { enum: ['approved', 'returned'] }, opinion: text() }),
);
export interface Review {
  verdict: 'approved' | 'returned';
  opinion: string;
}

/** The project team answers the reasons: it resends only what changes, or withdraws the application. */
const { kind: _kind, ...revisableRequest } = releaseRequestProperties;
export const applicationRevisionForm = typedForm<ApplicationRevision>({
  type: 'object',
  additionalProperties: false,
  required: ['response'],
  properties: { ...revisableRequest, response: text(), withdrawn: { const: true } },
});
export type ApplicationRevision = Partial<Omit<ReleaseRequest, 'kind'>> & {
  response: string;
  withdrawn?: true;
};

// ---- the implementation plan (001 §29, §33; 003 (七) 7)

const person = text(100);
const plannedStep = form({ name: text(500), owner: person, plannedStart: instant, plannedEnd: instant });
const planProperties: Record<string, JsonSchema> = {
  /** Backup of history data, parameters and programs, and who makes it. */
  backup: form({ historyData: text(), parameters: text(), programs: text(), owner: person }),
  environmentSetup: text(),
  /** The execution window, held to the change process's schedule rules (maintenance windows, freezes). */
  windowStart: instant,
  windowEnd: instant,
  steps: { type: 'array', minItems: 1, maxItems: 50, items: plannedStep },
  rollbackSteps: {
    type: 'array',
    minItems: 1,
    maxItems: 50,
    items: form({ name: text(500), owner: person }),
  },
  foreseeableProblems: { type: 'array', items: form({ problem: text(), solution: text() }) },
  /** §29(2), §33(2)(3): business rules, operating and maintenance manuals, training done. */
  training: form(
    {
      businessRules: text(),
      operatingManual: text(500),
      maintenanceManual: text(500),
      trainingDone: { const: true },
    },
    ['operatingManual', 'maintenanceManual', 'trainingDone'],
  ),
  /** Go-live, §29(4): the 《软件版本管理表》 handed to version management, and the version built. */
  versionManagementTable: text(500),
  versionBuild: text(),
  /** Release: the front-end version going out to branches and outlets, and who tracks it. */
  frontEndRollout: form({
    version: text(100),
    sites: { type: 'array', minItems: 1, items: text(200) },
    owner: person,
  }),
};
const commonPlanSections = [
  'backup',
  'environmentSetup',
  'windowStart',
  'windowEnd',
  'steps',
  'rollbackSteps',
  'foreseeableProblems',
  'training',
];

export function planForm(kind: ReleaseKind): FormSchema<Plan> {
  return typedForm<Plan>(form(planProperties, [...commonPlanSections, ...kind.planSections]));
}

/** A revision resends only what changes; `reReview` sends the plan back to the department head. */
export const planRevisionForm = typedForm<PlanRevision>({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { ...planProperties, reReview: { type: 'boolean' } },
});

export interface PlannedStep {
  name: string;
  owner: string;
  plannedStart: string;
  plannedEnd: string;
}
export interface Plan {
  backup: { historyData: string; parameters: string; programs: string; owner: string };
  environmentSetup: string;
  windowStart: string;
  windowEnd: string;
  steps: PlannedStep[];
  rollbackSteps: Array<{ name: string; owner: string }>;
  foreseeableProblems: Array<{ problem: string; solution: string }>;
  training: Record<string, unknown>;
  versionManagementTable?: string;
  versionBuild?: string;
  frontEndRollout?: { version: string; sites: string[]; owner: string };
}
export type PlanRevision = Partial<Plan> & { reReview?: boolean };

/** 003 (七) 7: the user's representative confirms the deployment plan in writing, or says what to revise. */
export const deploymentConfirmationForm = typedForm<DeploymentConfirmation>({
  ...form({ confirmed: { type: 'boolean' }, comments: text(), signedOn: date }, ['confirmed', 'signedOn']),
  if: { properties: { confirmed: { const: false } } },
  then: { required: ['comments'] },
});
export interface DeploymentConfirmation {
  confirmed: boolean;
  comments?: string;
  signedOn: string;
}

// ---- execution (001 §30, §34): every step started and finished by its owner, with evidence and result

const outcome = {
  startedAt: instant,
  finishedAt: instant,
  result: { enum: ['succeeded', 'failed'] },
  evidence: text(),
  notes: text(),
};
const failedNeedsNotes = {
  if: { properties: { result: { const: 'failed' } } },
  then: { required: ['notes'] },
};

export const executionStepForm = typedForm<StepOutcome>({
  ...form(outcome, ['startedAt', 'finishedAt', 'result', 'evidence']),
  ...failedNeedsNotes,
});
export interface StepOutcome {
  startedAt: string;
  finishedAt: string;
  result: 'succeeded' | 'failed';
  evidence: string;
  notes?: string;
  [detail: string]: unknown;
}

/** §30(2), §34(3): backup first, and the old and new versions compared. */
export const backupForm = typedForm<StepOutcome>({
  ...form(
    {
      ...outcome,
      historyDataRef: text(500),
      parametersRef: text(500),
      programsRef: text(500),
      versionComparison: text(),
    },
    [
      'startedAt',
      'finishedAt',
      'result',
      'evidence',
      'historyDataRef',
      'parametersRef',
      'programsRef',
      'versionComparison',
    ],
  ),
  ...failedNeedsNotes,
});

/** §34(2): the security section checks the system against national and higher-level rules. */
export const securityCheckForm = typedForm<StepOutcome>({
  ...form({ ...outcome, opinion: text() }, ['startedAt', 'finishedAt', 'result', 'evidence', 'opinion']),
  ...failedNeedsNotes,
});

/** §30(6): the front-end version installed and effective at each site. */
export const frontEndRolloutForm = typedForm<StepOutcome>({
  ...form(
    {
      ...outcome,
      sites: {
        type: 'array',
        minItems: 1,
        items: form({ site: text(200), installedAt: instant, effective: { type: 'boolean' } }),
      },
    },
    ['startedAt', 'finishedAt', 'result', 'evidence', 'sites'],
  ),
  ...failedNeedsNotes,
});

export const failureDecisionForm = typedForm<FailureDecision>(
  form({ action: { enum: ['rollback', 'retry'] }, reason: text() }),
);
export interface FailureDecision {
  action: 'rollback' | 'retry';
  reason: string;
}

// ---- after release (000: "按计划发布系统，并在发布后再确认")

export const verificationForm = typedForm<Verification>({
  ...form(
    {
      works: { type: 'boolean' },
      notes: text(),
      remedy: { enum: ['rollback', 'fix'] },
      fixCase: fixCaseId,
    },
    ['works'],
  ),
  allOf: [
    { if: { properties: { works: { const: false } } }, then: { required: ['notes', 'remedy'] } },
    {
      if: { properties: { remedy: { const: 'fix' } }, required: ['remedy'] },
      then: { required: ['fixCase'] },
    },
  ],
});
export interface Verification {
  works: boolean;
  notes?: string;
  remedy?: 'rollback' | 'fix';
  fixCase?: string;
}

// ---- trial run (§30(13)(14), §31, §35)

const problem = form(
  {
    description: text(),
    severity: { enum: ['low', 'medium', 'high'] },
    status: { enum: ['open', 'fixed'] },
    fixCase: fixCaseId,
  },
  ['description', 'severity', 'status'],
);
export const trialReportForm = typedForm<TrialReport>(
  form({
    state: { enum: ['stable', 'issues'] },
    summary: text(),
    problems: { type: 'array', items: problem },
  }),
);
export interface TrialProblem {
  description: string;
  severity: 'low' | 'medium' | 'high';
  status: 'open' | 'fixed';
  fixCase?: string;
}
export interface TrialReport {
  state: 'stable' | 'issues';
  summary: string;
  problems: TrialProblem[];
}

// ---- acceptance (§31, §35)

export const acceptanceApplicationForm = typedForm<AcceptanceApplication>(
  form({
    reportRef: text(500),
    documents: { type: 'array', minItems: 1, items: text(500) },
    trialSummary: text(),
  }),
);
export interface AcceptanceApplication {
  reportRef: string;
  documents: string[];
  trialSummary: string;
}

export const acceptanceReviewForm = typedForm<AcceptanceReview>({
  ...form({ accepted: { type: 'boolean' }, reasons: text(), documentsChecked: { const: true } }, [
    'accepted',
    'documentsChecked',
  ]),
  if: { properties: { accepted: { const: false } } },
  then: { required: ['reasons'] },
});
export interface AcceptanceReview {
  accepted: boolean;
  reasons?: string;
}

/**
 * Every task step's form, by the name its step gives (`form`), published as `release.<name>` in
 * /openapi.json. The planned steps share one form each (`executionStep1`, `executionStep2`… name
 * `executionStep`; `rollbackStepN` name `rollbackStep`); the plan has one form per kind.
 */
export const releaseStepForms: Record<string, JsonSchema> = {
  pmoReview: reviewForm,
  securityReview: reviewForm,
  itHeadReview: reviewForm,
  reviseApplication: applicationRevisionForm,
  releasePlanGoLive: planForm(releaseKinds.go_live),
  releasePlanSystemRelease: planForm(releaseKinds.system_release),
  revisePlan: planRevisionForm,
  deploymentConfirmation: deploymentConfirmationForm,
  backup: backupForm,
  securityCheck: securityCheckForm,
  executionStep: executionStepForm,
  frontEndRollout: frontEndRolloutForm,
  failureDecision: failureDecisionForm,
  rollbackStep: executionStepForm,
  verification: verificationForm,
  trialReport: trialReportForm,
  acceptanceApplication: acceptanceApplicationForm,
  acceptanceReview: acceptanceReviewForm,
};
