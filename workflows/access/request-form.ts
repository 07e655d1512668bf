/** What a request for production access says: which system, why, how urgent. */
import type { JsonSchema } from '../contracts/form-schema';

export interface AccessRequest {
  title: string;
  system: string;
  justification: string;
  priority?: 'low' | 'normal' | 'high';
}

export const accessRequestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'system', 'justification'],
  properties: {
    title: { type: 'string', minLength: 3, maxLength: 200 },
    system: { type: 'string', minLength: 1, maxLength: 100 },
    justification: { type: 'string', minLength: 3, maxLength: 4000 },
    priority: { enum: ['low', 'normal', 'high'], default: 'normal' },
  },
};
