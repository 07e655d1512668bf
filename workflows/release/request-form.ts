/**
 * The release application (001 §28(1), §32; 004 §7.6.1 a–b): the go-live / release application
 * form and the user acceptance test report signed by the business department head, the kind,
 * type and scope of the release, the approved changes it carries, and the known errors and open
 * problems it goes out with. Plain data, so the API validates the same schema the case starts from.
 */
import type { JsonSchema } from '../contracts/form-schema';

/** 软件上线 (001 §28–31) and 系统发布 (001 §32–35): one procedure, the differences are data (`kinds.ts`). */
export const releaseKindNames = ['go_live', 'system_release'] as const;
export type ReleaseKindName = (typeof releaseKindNames)[number];
export const releaseTypes = ['major', 'minor', 'patch', 'configuration'] as const;
export const releaseUrgencies = ['normal', 'urgent'] as const;

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
export const text = (max = 4000): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  pattern: storable,
});
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
/** A change case number: CHG-2026-000123. */
export const changeCaseId = { type: 'string', pattern: '^CHG-[0-9A-Za-z-]{1,40}$' };
const attachment = {
  type: 'object',
  additionalProperties: false,
  required: ['attachmentRef'],
  properties: { attachmentRef: text(500) },
};

export const releaseRequestProperties: Record<string, JsonSchema> = {
  title: text(200),
  kind: { enum: [...releaseKindNames] },
  releaseType: { enum: [...releaseTypes] },
  scope: text(),
  /** Each system the release puts a new version on (the version history is updated on formal operation). */
  systems: {
    type: 'array',
    minItems: 1,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['systemId', 'version'],
      properties: { systemId: text(100), version: text(100) },
    },
  },
  /** The change cases it carries: each must be approved (checked at the door). */
  changes: { type: 'array', uniqueItems: true, items: changeCaseId },
  knownErrors: { type: 'array', items: text(2000) },
  openProblems: { type: 'array', items: text(2000) },
  applicationForm: attachment,
  /** 《用户测试验收报告》 signed by the business department head. */
  userAcceptanceTestReport: {
    type: 'object',
    additionalProperties: false,
    required: ['attachmentRef', 'signedBy', 'signedOn'],
    properties: { attachmentRef: text(500), signedBy: text(100), signedOn: date },
  },
  /** The user's representative who confirms the deployment plan in writing (003 (七) 7). */
  userRepresentative: text(100),
  urgency: { enum: [...releaseUrgencies] },
  plannedDate: date,
};

export const releaseRequestSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'title',
    'kind',
    'releaseType',
    'scope',
    'systems',
    'changes',
    'knownErrors',
    'openProblems',
    'applicationForm',
    'userAcceptanceTestReport',
    'userRepresentative',
    'urgency',
    'plannedDate',
  ],
  properties: releaseRequestProperties,
};

export interface ReleaseRequest {
  title: string;
  kind: ReleaseKindName;
  releaseType: (typeof releaseTypes)[number];
  scope: string;
  systems: Array<{ systemId: string; version: string }>;
  changes: string[];
  knownErrors: string[];
  openProblems: string[];
  applicationForm: { attachmentRef: string };
  userAcceptanceTestReport: { attachmentRef: string; signedBy: string; signedOn: string };
  userRepresentative: string;
  urgency: (typeof releaseUrgencies)[number];
  plannedDate: string;
}
