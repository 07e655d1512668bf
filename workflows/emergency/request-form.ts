/**
 * An emergency event as it is registered (004 §8.1.1 a–b): its level (master data: I especially
 * major – IV ordinary), the systems and services it hits, how it was detected, and whether it is
 * served remotely (the 7×24 hotline) or on site (003 (八) 1–2). Level and mode choose the clocks.
 */
import type { JsonSchema } from '../contracts/form-schema';

export const detectionChannels = ['user_report', 'monitoring', 'inspection'] as const;
export const serviceModes = ['remote', 'onsite'] as const;
export type ServiceMode = (typeof serviceModes)[number];

export interface EmergencyEvent {
  title: string;
  /** A level code of the `emergency_levels` master data, e.g. `II`. */
  level: string;
  affectedSystems: string[];
  affectedServices: string[];
  detectedBy: (typeof detectionChannels)[number];
  serviceMode: ServiceMode;
  description: string;
  /** Affected business departments, told and asked to confirm (004 §8.1.1 c). */
  affectedDepartments?: string[];
}

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
const text = (max = 4000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: storable });
const names = { type: 'array', minItems: 1, maxItems: 50, items: text(200) };

export const emergencyEventProperties: Record<string, JsonSchema> = {
  title: text(200),
  level: {
    type: 'string',
    pattern: '^[A-Z0-9]{1,8}$',
    description:
      'a level code of the emergency_levels master data; seeded: I (especially major), II (major), III (larger), IV (ordinary). An unknown level is refused (400 ADMISSION_REFUSED naming /level)',
  },
  affectedSystems: names,
  affectedServices: names,
  detectedBy: { type: 'string', enum: [...detectionChannels] },
  serviceMode: { type: 'string', enum: [...serviceModes] },
  description: text(),
  affectedDepartments: { type: 'array', maxItems: 50, items: text(200) },
};

export const emergencyEventSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'title',
    'level',
    'affectedSystems',
    'affectedServices',
    'detectedBy',
    'serviceMode',
    'description',
  ],
  properties: emergencyEventProperties,
};
