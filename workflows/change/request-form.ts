/**
 * Part 1 of the 已投产系统变更流程单 — the application (001 §7, §8): what kind of change, where it
 * comes from, what it touches, why it is needed, what happens if it is not made, and how urgent it is.
 * Plain data, so the API validates the same schema the process starts from.
 */
import type { JsonSchema } from '../contracts/form-schema';

export const changeTypes = [
  'new_function',
  'logic_change',
  'defect_fix',
  'patch_update',
  'configuration_change',
  'business_parameter_change',
] as const;
export const changeSources = ['business_need', 'incident', 'vendor_patch', 'capacity_or_dependency'] as const;
export const urgencies = ['normal', 'urgent', 'emergency'] as const;

export type ChangeType = (typeof changeTypes)[number];
export type ChangeUrgency = (typeof urgencies)[number];

const impactAreas = [
  'customers',
  'compliance',
  'externalStakeholders',
  'internalOperations',
  'securityControls',
  'availability',
  'dataAccuracy',
] as const;

// Text PostgreSQL can store: no NUL character, no lone UTF-16 surrogate (ajv matches patterns in unicode mode).
const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
const text = (max = 4000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: storable });

/** The request properties; `changeRequestSchema` requires them, a revision may send any of them. */
export const changeRequestProperties: Record<string, JsonSchema> = {
  title: text(200),
  changeType: { enum: [...changeTypes] },
  source: { enum: [...changeSources] },
  affectedSystems: { type: 'array', minItems: 1, uniqueItems: true, items: text(100) },
  content: text(),
  purpose: text(),
  /** 001 §8(3): could another measure meet the need? */
  alternativeMeasure: text(),
  /** 001 §8(4): the impact of NOT making the change, area by area ("none" is an answer). */
  impactOfNotChanging: {
    type: 'object',
    additionalProperties: false,
    required: [...impactAreas],
    properties: Object.fromEntries(impactAreas.map((area) => [area, text(2000)])),
  },
  urgency: { enum: [...urgencies] },
  requester: text(100),
  department: text(100),
  desiredDate: { type: 'string', format: 'date', description: 'a calendar date, e.g. 2031-03-10' },
  /** A template from the approved standard-change catalogue. */
  standardChangeId: text(100),
};

export const changeRequestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'title',
    'changeType',
    'source',
    'affectedSystems',
    'content',
    'purpose',
    'alternativeMeasure',
    'impactOfNotChanging',
    'urgency',
    'requester',
    'department',
    'desiredDate',
  ],
  properties: changeRequestProperties,
};

export interface ChangeRequest {
  title: string;
  changeType: ChangeType;
  source: (typeof changeSources)[number];
  affectedSystems: string[];
  content: string;
  purpose: string;
  alternativeMeasure: string;
  impactOfNotChanging: Record<(typeof impactAreas)[number], string>;
  urgency: ChangeUrgency;
  requester: string;
  department: string;
  desiredDate: string;
  standardChangeId?: string;
}
