/** The forms of a drill: the plan, each timed step, the report with revisions to the emergency plan. */
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
): JsonSchema {
  return { type: 'object', additionalProperties: false, required, properties };
}

export interface PlannedStep {
  name: string;
  /** The person who performs and logs the step on the day. */
  operator: string;
  plannedMinutes: number;
}

/** 004 §8.2.1: goal, scenario, method, participants, time, place, the emergency plan exercised. */
export interface DrillPlan {
  goal: string;
  scenario: string;
  method: string;
  participants: string[];
  scheduledStart: string;
  place: string;
  emergencyPlan: string;
  steps: PlannedStep[];
}
const drillPlanProperties: Record<string, JsonSchema> = {
  goal: text(),
  scenario: text(),
  method: text(),
  participants: { type: 'array', minItems: 1, items: text(100) },
  scheduledStart: instant,
  place: text(200),
  emergencyPlan: text(400),
  steps: {
    type: 'array',
    minItems: 1,
    maxItems: 100,
    items: form({
      name: text(200),
      operator: text(100),
      plannedMinutes: { type: 'number', exclusiveMinimum: 0 },
    }),
  },
};
export const drillPlanForm = typedForm<DrillPlan>(form(drillPlanProperties));
export const drillPlanRevisionForm = typedForm<Partial<DrillPlan>>(form(drillPlanProperties, []));

/** One step as performed: exact start and end, the evidence (log, screenshot, recording). */
export interface StepLog {
  startedAt: string;
  finishedAt: string;
  evidenceRef: string;
  note?: string;
}
export const stepLogForm = typedForm<StepLog>(
  form({ startedAt: instant, finishedAt: instant, evidenceRef: text(400), note: text() }, [
    'startedAt',
    'finishedAt',
    'evidenceRef',
  ]),
);

export interface PlanRevision {
  revision: string;
  owner: string;
  dueAt: string;
}
export interface DrillReport {
  findings: string;
  result: 'passed' | 'passed_with_findings' | 'failed';
  planRevisions: PlanRevision[];
}
export const drillReportForm = typedForm<DrillReport>(
  form({
    findings: text(),
    result: { type: 'string', enum: ['passed', 'passed_with_findings', 'failed'] },
    planRevisions: {
      type: 'array',
      maxItems: 50,
      items: form({ revision: text(), owner: text(100), dueAt: instant }),
    },
  }),
);

export interface RevisionDone {
  outcome: string;
  planVersion?: string;
}
export const revisionDoneForm = typedForm<RevisionDone>(
  form({ outcome: text(), planVersion: text(100) }, ['outcome']),
);

/** Every task step's form, by step name, published as `drill.<step>` in /openapi.json. */
export const drillStepForms: Record<string, JsonSchema> = {
  drillPlan: drillPlanForm,
  reviseDrillPlan: drillPlanRevisionForm,
  drillStep: stepLogForm,
  drillReport: drillReportForm,
  planRevision: revisionDoneForm,
};
