/**
 * A quarterly check (001 §36(3)(4)) as it is opened: which quarter, and which check — the IT
 * department's check of documentation completeness, or the security section's own check.
 */
import type { JsonSchema } from '../contracts/form-schema';

export type QuarterlyCheckType = 'documentation' | 'security';

export interface QuarterlyCheckRequest {
  checkType: QuarterlyCheckType;
  /** "YYYY-Qn". */
  quarter: string;
  /** Documentation check: the role that carries it out; `pmo` if absent. */
  responsibleRole?: string;
  title?: string;
}

export const quarterlyCheckRequestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['checkType', 'quarter'],
  properties: {
    checkType: { enum: ['documentation', 'security'] },
    quarter: { type: 'string', pattern: '^\\d{4}-Q[1-4]$', description: 'YYYY-Qn' },
    responsibleRole: { enum: ['pmo', 'ops_head', 'ops_engineer', 'it_head', 'auditor'] },
    title: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^\\u0000\\uD800-\\uDFFF]*$' },
  },
};

export interface QuarterlyCheckJob {
  checkType: QuarterlyCheckType;
  responsibleRole?: string;
  requester?: string;
}
