/**
 * An emergency drill (应急演练, 004 §8.2, 002 §6.6.3.1 h) as it is opened: the system, the
 * emergency plan it exercises, and — when the annual schedule opened it — the schedule entry.
 */
import type { JsonSchema } from '../contracts/form-schema';

export interface DrillRequest {
  title: string;
  system: string;
  emergencyPlan: string;
  /** The `drill_schedules` entry that opened it, if the schedule did. */
  scheduleId?: string;
}

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
const text = (max = 4000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: storable });

export const drillRequestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'system', 'emergencyPlan'],
  properties: { title: text(200), system: text(100), emergencyPlan: text(400), scheduleId: text(100) },
};

/** What a Temporal Schedule passes: the drill to open, before it has a case number. */
export interface ScheduledDrill {
  scheduled: DrillRequest & { scheduleId: string; requester: string; timeZone: string };
}
