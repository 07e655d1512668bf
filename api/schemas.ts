/**
 * JSON Schemas of every request and response body of the API. ajv enforces them at runtime and
 * the OpenAPI document is generated from the same objects, so the docs cannot drift from the code.
 */
import { ROLES } from '../db/directory';

export type Schema = Record<string, unknown>;

const str = (max = 200, min = 1): Schema => ({ type: 'string', minLength: min, maxLength: max });
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const isoInstant: Schema = { type: 'string', format: 'date-time' };

export const CASE_ID_PATTERN = '^[A-Z][A-Z0-9]{1,9}-[0-9]{4}-[0-9]{6,}$';
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
export const STEP_PATTERN = '^[A-Za-z][A-Za-z0-9_-]{0,99}(#[0-9]+)?$';

export const idParam: Schema = { type: 'string', pattern: ID_PATTERN };
export const caseIdParam: Schema = { type: 'string', pattern: CASE_ID_PATTERN };
export const stepParam: Schema = { type: 'string', pattern: STEP_PATTERN };
export const processParam: Schema = { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' };

export const problemSchema: Schema = {
  title: 'Problem',
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: {
      type: 'string',
      description: 'Stable machine-readable code, e.g. SOD_REQUESTER, VALIDATION_FAILED',
    },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string', description: 'JSON pointer' }, message: { type: 'string' } },
      },
    },
  },
};

/** Offline provenance: an action taken on paper or by phone, entered later with its real time and evidence. */
const provenance = {
  channel: { enum: ['api', 'offline'], default: 'api' },
  occurredAt: { ...isoInstant, description: 'offline only: when it really happened' },
  evidenceRef: { ...str(500), description: 'offline only: scan, e-mail id, recording reference' },
};

export const decisionBody: Schema = {
  title: 'DecisionRequest',
  type: 'object',
  additionalProperties: false,
  required: ['step', 'decision'],
  properties: {
    step: { type: 'string', pattern: STEP_PATTERN },
    decision: { enum: ['approve', 'reject', 'request_changes'] },
    comment: str(4000, 0),
    ...provenance,
  },
};

export const delegationBody: Schema = {
  title: 'DelegationRequest',
  type: 'object',
  additionalProperties: false,
  required: ['step', 'to', 'reason'],
  properties: {
    step: { type: 'string', pattern: STEP_PATTERN },
    to: { ...str(100), description: 'the user who will decide instead of you' },
    reason: str(2000),
    ...provenance,
  },
};

export const clockBody: Schema = {
  title: 'ClockRequest',
  type: 'object',
  additionalProperties: false,
  required: ['step', 'reason'],
  properties: { step: { type: 'string', pattern: STEP_PATTERN }, reason: str(2000) },
};

export const priorityBody: Schema = {
  title: 'PriorityChangeRequest',
  type: 'object',
  additionalProperties: false,
  required: ['priority', 'reason'],
  properties: {
    priority: {
      ...str(50),
      description: 'a priority the process knows (a change: normal, urgent, emergency)',
    },
    reason: str(2000),
  },
};

export const replanBody: Schema = {
  title: 'ReplanRequest',
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: str(2000) },
};

export const reasonBody: Schema = {
  title: 'ReasonRequest',
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: str(2000) },
};

export const changeReviewQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: { ...isoInstant, description: 'changes closed at or after this instant' },
    to: { ...isoInstant, description: 'changes closed before this instant' },
  },
};

const tally: Schema = { type: 'object', additionalProperties: { type: 'integer' } };
export const changeReviewSchema: Schema = {
  title: 'ChangeReviewFigures',
  type: 'object',
  required: ['from', 'to', 'total', 'byType', 'bySource', 'byUrgency', 'byOutcome', 'rollbacks', 'goals'],
  properties: {
    from: isoInstant,
    to: isoInstant,
    total: { type: 'integer' },
    byType: tally,
    bySource: tally,
    byUrgency: tally,
    byOutcome: tally,
    byTypeAndOutcome: { type: 'object', additionalProperties: tally, description: 'type → outcome → count' },
    bySourceAndOutcome: {
      type: 'object',
      additionalProperties: tally,
      description: 'source → outcome → count',
    },
    rollbacks: {
      type: 'object',
      properties: {
        count: { type: 'integer' },
        causes: {
          type: 'array',
          items: { type: 'object', properties: { caseId: { type: 'string' }, cause: { type: 'string' } } },
        },
      },
    },
    goals: {
      type: 'object',
      properties: { met: { type: 'integer' }, notMet: { type: 'integer' }, unknown: { type: 'integer' } },
    },
    negativeEffects: {
      type: 'array',
      items: { type: 'object', properties: { caseId: { type: 'string' }, effects: { type: 'string' } } },
    },
  },
};

export const claimBody: Schema = {
  title: 'ClaimRequest',
  type: 'object',
  additionalProperties: false,
  properties: { ...provenance },
};

export const reassignBody: Schema = {
  title: 'ReassignRequest',
  type: 'object',
  additionalProperties: false,
  required: ['to', 'reason'],
  properties: {
    to: { ...str(100), description: 'user id or role:<name>' },
    reason: str(2000),
    ...provenance,
  },
};

export const completeBody: Schema = {
  title: 'CompleteTaskRequest',
  type: 'object',
  additionalProperties: false,
  required: ['form'],
  properties: {
    form: { type: 'object', description: "the step's form; the case checks it against the step's schema" },
    comment: str(4000, 0),
    ...provenance,
  },
};

export const offlineEntryBody: Schema = {
  title: 'OfflineEntryRequest',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'occurredAt', 'evidenceRef'],
  properties: {
    kind: { ...str(100), description: 'e.g. verbal-authorisation, paper-signature' },
    occurredAt: isoInstant,
    evidenceRef: str(500),
    content: { type: 'object', default: {} },
  },
};

export const priorityChangeBody: Schema = {
  title: 'PriorityChangeRequest',
  type: 'object',
  additionalProperties: false,
  required: ['priority', 'reason'],
  properties: {
    priority: { ...str(50), description: 'the new priority; for an emergency, its level (I–IV)' },
    reason: str(2000),
  },
};

const pendingStep: Schema = {
  type: 'object',
  required: ['step', 'kind', 'title', 'assignees', 'dueAt', 'overdue'],
  properties: {
    step: { type: 'string' },
    kind: { enum: ['approval', 'task'] },
    title: { type: 'string' },
    action: {
      enum: ['decide', 'complete'],
      description:
        'decide: POST /api/v1/cases/{id}/decisions; complete: POST /api/v1/cases/{id}/tasks/{step}/complete with the form',
    },
    formRef: nullable({
      type: 'string',
      description: 'the name of the step form in /openapi.json components.schemas, e.g. change.opsAssessment',
    }),
    formSchema: nullable({ type: 'object', description: 'the JSON Schema this step accepts as its form' }),
    assignees: { type: 'array', items: { type: 'string' } },
    dueAt: nullable(isoInstant),
    warnAt: nullable(isoInstant),
    overdue: { type: 'boolean' },
    paused: { type: 'boolean' },
    escalationLevel: { type: 'integer' },
  },
};

export const caseViewSchema: Schema = {
  title: 'CaseView',
  type: 'object',
  required: ['caseId', 'process', 'title', 'status', 'stage', 'priority', 'requester', 'pendingSteps'],
  properties: {
    caseId: { type: 'string' },
    process: { type: 'string' },
    title: { type: 'string' },
    status: { enum: ['open', 'closed'] },
    stage: { type: 'string' },
    priority: { type: 'string' },
    system: nullable({ type: 'string' }),
    requester: { type: 'string' },
    outcome: nullable({ type: 'string' }),
    fields: { type: 'object' },
    pendingSteps: { type: 'array', items: pendingStep },
    lastSeq: { type: 'integer' },
  },
};

export const caseSummarySchema: Schema = {
  title: 'CaseSummary',
  type: 'object',
  required: [
    'caseId',
    'process',
    'title',
    'state',
    'stage',
    'priority',
    'requester',
    'assignees',
    'dueAt',
    'overdue',
  ],
  properties: {
    caseId: { type: 'string' },
    process: { type: 'string' },
    title: { type: 'string' },
    state: { type: 'string' },
    stage: { type: 'string' },
    priority: { type: 'string' },
    system: nullable({ type: 'string' }),
    requester: { type: 'string' },
    assignees: { type: 'array', items: { type: 'string' } },
    dueAt: nullable(isoInstant),
    overdue: { type: 'boolean' },
    createdAt: isoInstant,
    updatedAt: isoInstant,
    closedAt: nullable(isoInstant),
    fields: { type: 'object' },
  },
};

export const caseDetailSchema: Schema = {
  title: 'CaseDetail',
  type: 'object',
  required: ['caseId', 'live', 'temporalUiUrl'],
  properties: {
    ...(caseViewSchema.properties as Schema),
    live: {
      type: 'boolean',
      description: 'false when the workflow did not answer and only the read model is shown',
    },
    readModel: nullable(caseSummarySchema),
    temporalUiUrl: { type: 'string', format: 'uri' },
  },
};

export const caseStartedSchema: Schema = {
  title: 'CaseStarted',
  type: 'object',
  required: ['caseId', 'process', 'temporalUiUrl', 'replayed'],
  properties: {
    caseId: { type: 'string' },
    process: { type: 'string' },
    temporalUiUrl: { type: 'string', format: 'uri' },
    replayed: { type: 'boolean', description: 'true when an Idempotency-Key returned an earlier start' },
  },
};

export const caseListSchema: Schema = {
  title: 'CaseList',
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: caseSummarySchema },
    nextCursor: nullable({ type: 'string' }),
  },
};

export const caseListQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    process: processParam,
    state: str(50),
    stage: str(100),
    assignee: { const: 'me', description: 'only cases waiting for me (my id or one of my roles)' },
    overdue: { type: 'boolean' },
    system: str(100),
    priority: str(50),
    createdFrom: isoInstant,
    createdTo: isoInstant,
    q: { ...str(200), description: 'free text: case id or title contains' },
    sort: {
      enum: ['due_at', '-due_at', 'created_at', '-created_at', 'updated_at', '-updated_at'],
      default: '-created_at',
      description: 'a leading minus sorts descending',
    },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: { type: 'string', maxLength: 500 },
  },
};

export const caseEventsSchema: Schema = {
  title: 'CaseEvents',
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['seq', 'type', 'occurredAt', 'actor', 'channel', 'data'],
        properties: {
          seq: { type: 'integer' },
          type: { type: 'string' },
          occurredAt: isoInstant,
          actor: nullable({ type: 'string' }),
          channel: { type: 'string' },
          data: { type: 'object' },
          hash: { type: 'string' },
        },
      },
    },
  },
};

export const inboxSchema: Schema = {
  title: 'Inbox',
  type: 'object',
  required: ['items', 'timeBasis'],
  properties: {
    timeBasis: { const: 'elapsed', description: 'timeLeftMs is wall-clock time to the due time' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['case', 'steps', 'timeLeftMs', 'overdue'],
        properties: {
          case: caseSummarySchema,
          steps: {
            type: 'array',
            description: 'the steps of the case waiting for me',
            items: {
              type: 'object',
              required: ['step', 'title', 'action', 'formRef', 'dueAt'],
              properties: {
                step: { type: 'string', description: 'the step key, as the commands name it' },
                title: { type: 'string' },
                action: {
                  enum: ['decide', 'complete'],
                  description:
                    'decide: POST /api/v1/cases/{id}/decisions; complete: POST /api/v1/cases/{id}/tasks/{step}/complete',
                },
                formRef: nullable({
                  type: 'string',
                  description: 'the form in /openapi.json components.schemas',
                }),
                formUrl: nullable({ type: 'string', description: 'where the form schema is published' }),
                dueAt: nullable(isoInstant),
              },
            },
          },
          timeLeftMs: nullable({
            type: 'integer',
            description: 'negative when overdue; null without a due time',
          }),
          overdue: { type: 'boolean' },
        },
      },
    },
  },
};

export const inboxQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
};

export const outboxQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: ['pending', 'sending', 'sent', 'failed'] },
    caseId: { ...str(64), description: 'only the mail of this case' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
};

export const outboxEntrySchema: Schema = {
  title: 'OutboxEntry',
  type: 'object',
  required: ['id', 'caseId', 'template', 'status', 'attempts', 'createdAt'],
  properties: {
    id: { type: 'string' },
    caseId: { type: 'string' },
    template: { type: 'string' },
    recipientUserId: nullable({ type: 'string' }),
    recipientEmail: nullable({ type: 'string' }),
    status: { enum: ['pending', 'sending', 'sent', 'failed'] },
    attempts: { type: 'integer' },
    lastError: nullable({
      type: 'string',
      description: 'why the last attempt failed, or why the mail was given up',
    }),
    createdAt: isoInstant,
    sentAt: nullable(isoInstant),
  },
};

export const userSchema: Schema = {
  title: 'User',
  type: 'object',
  additionalProperties: false,
  required: ['displayName', 'email', 'roles'],
  properties: {
    id: idParam,
    displayName: str(200),
    email: { type: 'string', format: 'email', maxLength: 320 },
    locale: { enum: ['zh-CN', 'en'], default: 'zh-CN' },
    departmentId: nullable(idParam),
    vendorId: nullable(idParam),
    active: { type: 'boolean', default: true },
    roles: { type: 'array', uniqueItems: true, items: { enum: [...ROLES] } },
  },
};

export const meSchema: Schema = { ...userSchema, title: 'Me', required: ['id', 'roles'] };

export const departmentSchema: Schema = {
  title: 'Department',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { id: idParam, name: str(200) },
};

export const systemSchema: Schema = {
  title: 'System',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    id: idParam,
    name: str(200),
    ownerDepartmentId: nullable(idParam),
    vendorId: nullable(idParam),
    active: { type: 'boolean', default: true },
  },
};

const recipient: Schema = {
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['userId'], properties: { userId: idParam } },
    {
      type: 'object',
      additionalProperties: false,
      required: ['role'],
      properties: { role: { enum: [...ROLES] } },
    },
  ],
};

export const slaPolicySchema: Schema = {
  title: 'SlaPolicy',
  type: 'object',
  additionalProperties: false,
  required: ['process', 'stage', 'priority', 'basis', 'duration', 'escalation'],
  properties: {
    id: idParam,
    process: str(64),
    stage: str(100),
    priority: str(50),
    basis: {
      enum: ['elapsed', 'working-hours', 'working-days', 'working'],
      description:
        "elapsed: wall-clock time. working-hours: N hours of the calendar's working time from the instant (P1D = one " +
        "working day's hours). working-days: the start day does not count; due at close of business on the Nth " +
        'working day after it. working: the earlier name of working-hours.',
    },
    duration: {
      type: 'string',
      pattern: '^P',
      maxLength: 40,
      description: 'ISO-8601 duration, e.g. PT4H, P2D',
    },
    warnRatio: nullable({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }),
    calendarId: nullable(idParam),
    escalation: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['level', 'after', 'notify'],
        properties: {
          level: { type: 'integer', minimum: 1 },
          after: { type: 'string', pattern: '^P', maxLength: 40 },
          notify: { type: 'array', items: recipient },
          reassignTo: recipient,
        },
      },
    },
    active: { type: 'boolean', default: true },
  },
};

export const listOf = (title: string, item: Schema): Schema => ({
  title,
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: item } },
});

export const calendarSchema: Schema = {
  title: 'WorkingCalendar',
  type: 'object',
  required: ['id', 'name', 'timeZone', 'workingHours', 'weekendDays', 'holidays', 'makeUpWorkdays'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    timeZone: { type: 'string' },
    workingHours: { type: 'array', items: { type: 'object' } },
    weekendDays: { type: 'array', items: { type: 'integer' } },
    holidays: { type: 'array', items: { type: 'string' } },
    makeUpWorkdays: { type: 'array', items: { type: 'string' } },
    holidaysThrough: {
      type: 'integer',
      description: 'the last year the calendar has public-holiday data for; absent if it keeps none',
    },
    warnings: {
      type: 'array',
      description: 'years a due time ran into without holiday data, until that year is imported',
      items: {
        type: 'object',
        required: ['year', 'message'],
        properties: {
          year: { type: 'integer' },
          holidaysThrough: nullable({ type: 'integer' }),
          firstCaseId: { type: 'string' },
          firstSeenAt: { type: 'string', format: 'date-time' },
          message: { type: 'string' },
        },
      },
    },
  },
};

export const apiKeyCreateBody: Schema = {
  title: 'ApiKeyRequest',
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'name'],
  properties: { userId: idParam, name: str(200) },
};

export const apiKeyCreatedSchema: Schema = {
  title: 'ApiKeyCreated',
  type: 'object',
  required: ['id', 'userId', 'name', 'key'],
  properties: {
    id: { type: 'string' },
    userId: { type: 'string' },
    name: { type: 'string' },
    createdAt: isoInstant,
    revokedAt: nullable(isoInstant),
    key: { type: 'string', description: 'shown once; only its SHA-256 is stored' },
  },
};

export const devTokenBody: Schema = {
  title: 'DevTokenRequest',
  type: 'object',
  additionalProperties: false,
  required: ['userId'],
  properties: { userId: { ...idParam, description: 'a seeded demo user, e.g. demo-ops-head' } },
};

export const tokenSchema: Schema = {
  title: 'Token',
  type: 'object',
  required: ['token', 'tokenType', 'expiresInSeconds'],
  properties: {
    token: { type: 'string' },
    tokenType: { const: 'Bearer' },
    expiresInSeconds: { type: 'integer' },
  },
};

export const emptyQuery: Schema = { type: 'object', additionalProperties: false, properties: {} };

export const schedulePeriodSchema: Schema = {
  title: 'SchedulePeriod',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'startsAt', 'endsAt'],
  properties: {
    id: idParam,
    name: str(200),
    startsAt: isoInstant,
    endsAt: isoInstant,
    systems: {
      type: 'array',
      items: str(100),
      uniqueItems: true,
      default: [],
      description: 'empty: every system',
    },
  },
};

export const standardChangeSchema: Schema = {
  title: 'StandardChange',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'changeType', 'implementationSteps', 'rollbackSteps'],
  properties: {
    id: idParam,
    name: str(200),
    changeType: str(100),
    systems: {
      type: 'array',
      items: str(100),
      uniqueItems: true,
      default: [],
      description: 'empty: any system',
    },
    implementationSteps: { type: 'array', minItems: 1, items: str(2000) },
    rollbackSteps: { type: 'array', minItems: 1, items: str(2000) },
    approved: {
      type: 'boolean',
      default: true,
      description: 'approved by the calling admin now; false withdraws the approval',
    },
    active: { type: 'boolean', default: true },
    approvedBy: nullable({ type: 'string' }),
    approvedAt: nullable(isoInstant),
  },
};
