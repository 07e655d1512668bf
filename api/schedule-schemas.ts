/** JSON Schemas of the admin schedule routes (`routes/schedules.ts`): periodic jobs and their Temporal Schedules. */
import type { Schema } from './schemas';

const instant: Schema = { type: 'string', format: 'date-time' };

export const scheduleSchema: Schema = {
  title: 'PeriodicSchedule',
  type: 'object',
  required: [
    'id',
    'kind',
    'title',
    'spec',
    'timeZone',
    'overlap',
    'catchupWindowSeconds',
    'paused',
    'active',
    'temporal',
  ],
  properties: {
    id: { type: 'string', description: 'the periodic job and its Temporal Schedule id' },
    kind: { type: 'string', description: 'what runs: inspection, change-plan-review, drill, …' },
    title: { type: 'string' },
    spec: {
      description: 'when it runs, in timeZone: a cron expression or a Temporal calendar spec',
      oneOf: [
        { type: 'object', required: ['cron'], properties: { cron: { type: 'string' } } },
        { type: 'object', required: ['calendar'], properties: { calendar: { type: 'object' } } },
      ],
    },
    timeZone: { type: 'string' },
    overlap: { type: 'string', description: 'a slot while the last run still runs: SKIP, BUFFER_ONE, …' },
    catchupWindowSeconds: {
      type: 'integer',
      description: 'slots missed while Temporal was down are caught up if no older',
    },
    paused: { type: 'boolean', description: 'as master data keeps it; a restart keeps it' },
    pauseNote: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    source: {
      type: 'string',
      description: 'periodic_jobs, or the master data it is copied from (drill_schedules)',
    },
    active: { type: 'boolean' },
    temporal: {
      description: 'the Temporal Schedule as the server describes it; null before the worker created it',
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['paused', 'nextActionTimes', 'recentActions', 'skippedOverlap'],
          properties: {
            paused: { type: 'boolean' },
            note: { type: 'string' },
            nextActionTimes: { type: 'array', items: instant },
            recentActions: {
              type: 'array',
              items: {
                type: 'object',
                required: ['scheduledAt', 'takenAt', 'workflowId'],
                properties: { scheduledAt: instant, takenAt: instant, workflowId: { type: 'string' } },
              },
            },
            skippedOverlap: {
              type: 'integer',
              description: 'slots skipped because the last run was still open',
            },
          },
        },
      ],
    },
    events: {
      type: 'array',
      description: 'who paused or resumed it, when and why (single schedule only)',
      items: {
        type: 'object',
        required: ['at', 'actor', 'action'],
        properties: {
          at: instant,
          actor: { type: 'string' },
          action: { enum: ['paused', 'unpaused'] },
          reason: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        },
      },
    },
  },
};

export const scheduleListSchema: Schema = {
  title: 'PeriodicScheduleList',
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: scheduleSchema } },
};

export const pauseScheduleBody: Schema = {
  title: 'PauseScheduleRequest',
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: { type: 'string', minLength: 1, maxLength: 500, pattern: '\\S' } },
};

export const unpauseScheduleBody: Schema = {
  title: 'UnpauseScheduleRequest',
  type: 'object',
  additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 1, maxLength: 500, pattern: '\\S' } },
};
