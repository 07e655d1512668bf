/**
 * A routine inspection (巡查, 003 (七) 1(1)) as it is opened: the daily round of a working day, or
 * the annual comprehensive inspection, over the systems it covers. The daily schedule opens one
 * each working day; O&M may open one by hand (an extra round after an incident).
 */
import type { JsonSchema } from '../contracts/form-schema';

export type InspectionScope = 'daily' | 'annual';

export interface InspectionRequest {
  scope: InspectionScope;
  /** The local date the inspection is for, "YYYY-MM-DD". */
  date: string;
  systems: string[];
  /** Daily: the local time "HH:MM" on the date by which each system's check is due; 12:00 if absent. */
  dueBy?: string;
  title?: string;
}

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';

export const inspectionRequestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['scope', 'date', 'systems'],
  properties: {
    scope: {
      enum: ['daily', 'annual'],
      description: 'daily round (日常巡查) or annual comprehensive inspection (定期巡查)',
    },
    date: {
      type: 'string',
      pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$',
      description: 'YYYY-MM-DD',
    },
    systems: {
      type: 'array',
      minItems: 1,
      maxItems: 200,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 100, pattern: storable },
    },
    dueBy: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM local time' },
    title: { type: 'string', minLength: 1, maxLength: 200, pattern: storable },
  },
};

/** What the periodic job (`periodic_jobs.args`) says about the inspections it opens. */
export interface InspectionJob {
  scope: InspectionScope;
  /** The working calendar whose working days the daily round follows; `default` if absent. */
  calendarId?: string;
  /** The systems covered; every system in service if absent. */
  systems?: string[];
  dueBy?: string;
  /** Who the case is opened for; `schedule:<job id>` if absent. */
  requester?: string;
}
