/**
 * A knowledge review (知识入库审批, 004 §6.2.2 d) as it is opened: the entry version to decide on.
 * The API's knowledge routes write the version first and open its review with this form
 * (`POST /api/v1/knowledge/proposals`, `POST /api/v1/knowledge/entries/{id}/versions`).
 */
import type { JsonSchema } from '../contracts/form-schema';

export interface KnowledgeReviewRequest {
  entryId: string;
  version: number;
  title: string;
  origin: 'manual' | 'defect' | 'emergency' | 'change';
  /** The case it was learnt from, when proposed from one. */
  sourceCase?: string;
  /** The first system the entry is tied to, shown on the case. */
  system?: string;
}

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';

export const knowledgeReviewRequestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['entryId', 'version', 'title', 'origin'],
  properties: {
    entryId: { type: 'string', pattern: '^KB-[0-9]{6,}$' },
    version: { type: 'integer', minimum: 1 },
    title: { type: 'string', minLength: 1, maxLength: 200, pattern: storable },
    origin: { enum: ['manual', 'defect', 'emergency', 'change'] },
    sourceCase: { type: 'string', pattern: '^[A-Z][A-Z0-9]{1,9}-[0-9]{4}-[0-9]{6,}$' },
    system: { type: 'string', minLength: 1, maxLength: 100, pattern: storable },
  },
};
