/**
 * The forms of the emergency stages: dispatch, the milestones (responded, arrived, diagnosed,
 * recovered), communication with the business, the failure-recovery report (003 (七) 1(3)), the
 * summary report with its improvement actions (004 §8.1.1 d).
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
): JsonSchema {
  return { type: 'object', additionalProperties: false, required, properties };
}

export interface Dispatch {
  /** A user id (the on-duty engineer) or `role:vendor_engineer` (the vendor's queue). */
  handler: string;
  note?: string;
}
export const dispatchForm = typedForm<Dispatch>(
  form({ handler: { type: 'string', pattern: '^(role:[a-z_]+|[A-Za-z0-9._@-]{1,100})$' }, note: text() }, [
    'handler',
  ]),
);

export interface MilestoneNote {
  note?: string;
}
export const milestoneForm = typedForm<MilestoneNote>(form({ note: text() }, []));

export interface Diagnosis {
  cause: string;
  diagnosis: string;
  /** The fix needs a change on the affected system: an emergency change is opened, linked. */
  changeNeeded: boolean;
  changeDescription?: string;
}
export const diagnosisForm = typedForm<Diagnosis>(
  form({ cause: text(), diagnosis: text(), changeNeeded: { type: 'boolean' }, changeDescription: text() }, [
    'cause',
    'diagnosis',
    'changeNeeded',
  ]),
);

export interface Recovery {
  actions: string;
  result: string;
}
export const recoveryForm = typedForm<Recovery>(form({ actions: text(), result: text() }));

export interface Communication {
  departments: string[];
  confirmedWith: string;
  summary: string;
}
export const communicationForm = typedForm<Communication>(
  form({ departments: { type: 'array', items: text(200) }, confirmedWith: text(200), summary: text() }),
);

/** 003 (七) 1(3): summary, time of occurrence, time repaired, time spent on recovery, result. */
export interface RecoveryReport {
  summary: string;
  occurredAt: string;
  repairedAt: string;
  recoveryMinutes: number;
  result: string;
}
/** The handler completes the draft pre-filled from the milestones: what they send replaces the draft's. */
export const recoveryReportForm = typedForm<Partial<RecoveryReport>>(
  form(
    {
      summary: text(),
      occurredAt: instant,
      repairedAt: instant,
      recoveryMinutes: { type: 'number', minimum: 0 },
      result: text(),
    },
    ['summary'],
  ),
);

export interface ImprovementAction {
  action: string;
  owner: string;
  dueAt: string;
}

/** 004 §8.1.1 d: cause, time, scope of impact, handling process, recovery time, improvement actions. */
export interface SummaryReport {
  cause: string;
  time: string;
  scope: string;
  handling: string;
  recoveryTime: string;
  improvementActions: ImprovementAction[];
}
export const summaryReportForm = typedForm<SummaryReport>(
  form({
    cause: text(),
    time: text(200),
    scope: text(),
    handling: text(),
    recoveryTime: text(200),
    improvementActions: {
      type: 'array',
      maxItems: 50,
      items: form({ action: text(), owner: text(100), dueAt: instant }),
    },
  }),
);

export interface ActionDone {
  outcome: string;
  evidenceRef?: string;
}
export const actionDoneForm = typedForm<ActionDone>(
  form({ outcome: text(), evidenceRef: text(400) }, ['outcome']),
);

/** Every task step's form, by step name, published as `emergency.<step>` in /openapi.json. */
export const emergencyStepForms: Record<string, JsonSchema> = {
  dispatch: dispatchForm,
  responded: milestoneForm,
  arrived: milestoneForm,
  diagnosed: diagnosisForm,
  recovered: recoveryForm,
  businessCommunication: communicationForm,
  recoveryReport: recoveryReportForm,
  summaryReport: summaryReportForm,
  improvementAction: actionDoneForm,
};
