/** The one form of a knowledge review: the author's revision when the reviewer asks for changes. */
import { typedForm, type JsonSchema } from '../contracts/form-schema';

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
const text = (max: number): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  pattern: storable,
});
const list = (max: number): JsonSchema => ({
  type: 'array',
  maxItems: max,
  uniqueItems: true,
  items: text(100),
});

/** What the revision changes; fields left out keep the text under review. */
export interface KnowledgeRevision {
  title?: string;
  problem?: string;
  symptoms?: string;
  cause?: string;
  solution?: string;
  systems?: string[];
  tags?: string[];
}

export const knowledgeRevisionForm = typedForm<KnowledgeRevision>({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    title: text(200),
    problem: text(8000),
    symptoms: text(8000),
    cause: text(8000),
    solution: text(8000),
    systems: list(20),
    tags: list(20),
  },
});
