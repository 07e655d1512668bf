/**
 * The forms of the handover (002 §6.6.3.5; 003 (七) 6): the plan (b, c, f), each deliverable
 * delivered and accepted or returned (g), each knowledge-transfer session recorded, answered with
 * feedback and, where planned, assessed (h; 003 (七) 6 (4)–(7)), and the archive handed over (e).
 * Deliverable and session steps are named at run time (`deliver-design_docs`, `session-2`); their
 * forms are published under the names below, which each step's spec names as its `form`.
 */
import { typedForm, type JsonSchema } from '../contracts/form-schema';
import { directoryId, text } from './request-form';

const instant = { type: 'string', format: 'date-time' };

function form(
  properties: Record<string, JsonSchema>,
  required: string[] = Object.keys(properties),
): JsonSchema {
  return { type: 'object', additionalProperties: false, required, properties };
}

// ---- the plan (§6.6.3.5 b, c, f)

const plannedSession = form(
  {
    topic: text(500),
    trainer: text(200),
    audience: text(500),
    plannedAt: instant,
    plannedMinutes: { type: 'integer', minimum: 15, maximum: 1440 },
    /** 003 (七) 6 (6): whether an assessment checks what was learnt. */
    assessment: { type: 'boolean' },
  },
  ['topic', 'trainer', 'audience', 'plannedAt', 'plannedMinutes', 'assessment'],
);

export const planForm = typedForm<HandoverPlan>(
  form(
    {
      /** b: every party, internal and external, with its role and responsibilities. */
      parties: {
        type: 'array',
        minItems: 2,
        maxItems: 30,
        items: form({ party: text(200), role: text(200), responsibilities: text(2000) }),
      },
      scope: text(),
      /** c: the risks of the handover and how each is handled. */
      risks: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: form({ risk: text(1000), handling: text(2000) }),
      },
      standards: text(),
      procedure: text(),
      schedule: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: form({ milestone: text(500), date: { type: 'string', format: 'date' } }),
      },
      archives: text(),
      /** f: the knowledge-transfer scope and its sessions. */
      knowledgeTransfer: form({
        scope: text(),
        sessions: { type: 'array', minItems: 1, maxItems: 30, items: plannedSession },
      }),
      /** g: when each deliverable is due (by its checklist code); one not named gets the policy's time. */
      deliverableDueDates: {
        type: 'array',
        maxItems: 50,
        items: form({ item: directoryId, dueAt: instant }),
      },
    },
    ['parties', 'scope', 'risks', 'standards', 'procedure', 'schedule', 'archives', 'knowledgeTransfer'],
  ),
);

export interface PlannedSession {
  topic: string;
  trainer: string;
  audience: string;
  plannedAt: string;
  plannedMinutes: number;
  assessment: boolean;
}
export interface HandoverPlan {
  parties: Array<{ party: string; role: string; responsibilities: string }>;
  scope: string;
  risks: Array<{ risk: string; handling: string }>;
  standards: string;
  procedure: string;
  schedule: Array<{ milestone: string; date: string }>;
  archives: string;
  knowledgeTransfer: { scope: string; sessions: PlannedSession[] };
  deliverableDueDates?: Array<{ item: string; dueAt: string }>;
}

/** A revision resends only what changes. */
export const planRevisionForm = typedForm<Partial<HandoverPlan>>({
  ...planForm,
  required: [],
  minProperties: 1,
});

// ---- deliverables (§6.6.3.5 g, d)

export const deliveryForm = typedForm<Delivery>(
  form(
    {
      /** Where the receiving unit finds it: a document-system reference, an asset-register entry. */
      reference: text(500),
      version: text(100),
      notes: text(),
    },
    ['reference'],
  ),
);
export interface Delivery {
  reference: string;
  version?: string;
  notes?: string;
}

export const acceptanceForm = typedForm<Acceptance>({
  ...form({ verdict: { enum: ['accepted', 'returned'] }, reasons: text() }, ['verdict']),
  if: { properties: { verdict: { const: 'returned' } } },
  then: { required: ['reasons'] },
});
export interface Acceptance {
  verdict: 'accepted' | 'returned';
  reasons?: string;
}

// ---- knowledge transfer (§6.6.3.5 h; 003 (七) 6 (4)(5))

export const sessionRecordForm = typedForm<SessionRecord>(
  form(
    {
      heldAt: instant,
      durationMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
      content: text(),
      /** (4) the sign-in sheet: everyone present, trainers included. */
      attendance: {
        type: 'array',
        minItems: 1,
        maxItems: 500,
        items: form({ name: text(200), unit: text(200) }, ['name']),
      },
      materials: { type: 'array', minItems: 1, maxItems: 50, items: text(500) },
    },
    ['heldAt', 'durationMinutes', 'content', 'attendance', 'materials'],
  ),
);
export interface SessionRecord {
  heldAt: string;
  durationMinutes: number;
  content: string;
  attendance: Array<{ name: string; unit?: string }>;
  materials: string[];
}

/** (7) feedback, and the receiving side's signature on the record (the completing user). */
export const sessionFeedbackForm = typedForm<SessionFeedback>(
  form({ satisfaction: { type: 'integer', minimum: 1, maximum: 5 }, feedback: text(), suggestions: text() }, [
    'satisfaction',
    'feedback',
  ]),
);
export interface SessionFeedback {
  satisfaction: number;
  feedback: string;
  suggestions?: string;
}

/** (6) the assessment; a failed one is held again on the date given. */
export const sessionAssessmentForm = typedForm<SessionAssessment>({
  ...form({ passed: { type: 'boolean' }, results: text(), retrainAt: instant }, ['passed', 'results']),
  if: { properties: { passed: { const: false } } },
  then: { required: ['retrainAt'] },
});
export interface SessionAssessment {
  passed: boolean;
  results: string;
  retrainAt?: string;
}

// ---- completion (§6.6.3.5 e)

export const archiveForm = typedForm<ArchiveRecord>(
  form(
    {
      archiveRef: text(500),
      location: text(500),
      contents: { type: 'array', minItems: 1, maxItems: 200, items: text(500) },
    },
    ['archiveRef', 'location', 'contents'],
  ),
);
export interface ArchiveRecord {
  archiveRef: string;
  location: string;
  contents: string[];
}

/** Every task form of the handover, by the name its steps publish it under. */
export const stepForms = {
  handoverPlan: planForm,
  revisePlan: planRevisionForm,
  deliverable: deliveryForm,
  deliverableAcceptance: acceptanceForm,
  sessionRecord: sessionRecordForm,
  sessionFeedback: sessionFeedbackForm,
  sessionAssessment: sessionAssessmentForm,
  archiveTransfer: archiveForm,
};
