/** The form of the service report's one task: its redraft after the O&M head asked for changes. */
import { typedForm, type JsonSchema } from '../contracts/form-schema';

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';

/**
 * What the drafter did about the head's comments — which of the period's cases were corrected, or
 * why a figure stands — before the figures are frozen again from the read model.
 */
export interface Redraft {
  corrections: string;
}
export const redraftForm = typedForm<Redraft>({
  type: 'object',
  additionalProperties: false,
  required: ['corrections'],
  properties: { corrections: { type: 'string', minLength: 1, maxLength: 4000, pattern: storable } },
});

export const stepForms: Record<string, JsonSchema> = { redraftReport: redraftForm };
