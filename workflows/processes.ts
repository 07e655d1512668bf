/**
 * The processes Opsflow runs, as the API sees them: which workflow type, which case-number
 * prefix, which request form starts a case. Plain data and pure functions, so the API can
 * import it without pulling workflow code into its process.
 */
import type { JsonSchema } from './contracts/form-schema';
import { changeRequestSchema } from './change/request-form';

export interface CaseHeadline {
  title: string;
  priority: string;
  system: string | null;
}

export interface ProcessDefinition {
  /** The name in URLs and the read model: `POST /api/v1/cases/change`. */
  name: string;
  workflowType: string;
  /** `CHG` → case numbers CHG-2026-000123. */
  casePrefix: string;
  /** The request form (JSON Schema) a case starts from. */
  startSchema: JsonSchema;
  /** Roles that may open a case of this process; empty means any signed-in person. */
  starterRoles: string[];
  /** Title, priority and system of the case, read from its request form. */
  headline(form: Record<string, unknown>): CaseHeadline;
}

const accessRequest: ProcessDefinition = {
  name: 'access',
  workflowType: 'accessRequest',
  casePrefix: 'ACC',
  starterRoles: [],
  startSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['title', 'system', 'justification'],
    properties: {
      title: { type: 'string', minLength: 3, maxLength: 200 },
      system: { type: 'string', minLength: 1, maxLength: 100 },
      justification: { type: 'string', minLength: 3, maxLength: 4000 },
      priority: { enum: ['low', 'normal', 'high'], default: 'normal' },
    },
  },
  headline: (form) => ({
    title: String(form.title),
    priority: String(form.priority ?? 'normal'),
    system: String(form.system),
  }),
};

/** Change management (001 §7–§27): the request is part 1 of the change form; priority is its urgency. */
const change: ProcessDefinition = {
  name: 'change',
  workflowType: 'changeProcess',
  casePrefix: 'CHG',
  starterRoles: [],
  startSchema: changeRequestSchema,
  headline: (form) => ({
    title: String(form.title),
    priority: String(form.urgency),
    system:
      Array.isArray(form.affectedSystems) && form.affectedSystems.length > 0
        ? String(form.affectedSystems[0])
        : null,
  }),
};

export const processes: Record<string, ProcessDefinition> = {
  [accessRequest.name]: accessRequest,
  [change.name]: change,
};
