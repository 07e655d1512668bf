/**
 * What the API tells the person starting a case besides its number, one optional adviser per
 * process, by name (like api/admission.ts). A defect being registered gets the published
 * knowledge entries its text matches best (issue #13: "when a defect is registered, the API
 * suggests the top matching entries"), among those the registrant may read, so a known problem
 * is recognised before anyone works on it again.
 */
import type { Knex } from 'knex';
import type { CaseReader } from '../db/case-access';
import { suggestKnowledge } from '../db/knowledge-search';
import { hitSchema } from './routes/knowledge';
import type { Schema } from './schemas';

type Adviser = (
  form: Record<string, unknown>,
  db: Knex,
  reader: CaseReader,
) => Promise<Record<string, unknown>>;

const SUGGESTIONS = 5;

/** The text a registrant wrote about the problem: what the entries are matched against. */
function defectText(form: Record<string, unknown>): string {
  return ['title', 'module', 'actualResult', 'stepsToReproduce']
    .map((k) => (typeof form[k] === 'string' ? (form[k] as string) : ''))
    .filter(Boolean)
    .join('\n');
}

const advisers: Readonly<Record<string, Adviser>> = {
  defect: async (form, db, reader) => ({
    knowledgeSuggestions: await suggestKnowledge(db, defectText(form), { limit: SUGGESTIONS, reader }),
  }),
};

/** The start response's extra fields, as the OpenAPI document publishes them. */
export const startAdviceProperties: Readonly<Record<string, Schema>> = {
  knowledgeSuggestions: {
    type: 'array',
    maxItems: SUGGESTIONS,
    items: hitSchema,
    description:
      'defects only: published knowledge entries that match the registered text best, best first (GET /api/v1/knowledge/entries/{id} for one)',
  },
};

export async function adviseStarter(
  process: string,
  form: Record<string, unknown>,
  db: Knex,
  reader: CaseReader,
): Promise<Record<string, unknown>> {
  return (await advisers[process]?.(form, db, reader)) ?? {};
}
