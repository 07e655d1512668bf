/** The signed-in person: who they are, and what waits for them. */
import type { Knex } from 'knex';
import { listInboxFor } from '../../db/api-case-queries';
import type { OperationRegistry } from '../operations';
import * as s from '../schemas';
import type { PendingStepSummary } from '../../workflows/contracts/case-records';
import { assigneeKeys, summary } from './cases';

/** The waiting steps that are mine (my id or one of my roles), each with where its form is published. */
function myStepsOf(steps: PendingStepSummary[], keys: string[]) {
  return steps
    .filter((s) => s.assignees.some((a) => keys.includes(a)))
    .map(({ step, title, action, formRef, dueAt }) => ({
      step,
      title,
      action,
      formRef,
      formUrl: formRef ? `/openapi.json#/components/schemas/${formRef}` : null,
      dueAt,
    }));
}

export function registerMeOperations(api: OperationRegistry, deps: { db: Knex; now?: () => number }): void {
  const now = deps.now ?? Date.now;

  api.add(
    {
      method: 'get',
      path: '/api/v1/me',
      operationId: 'me',
      tag: 'me',
      summary: 'Who I am: my directory entry and roles',
      permission: 'authenticated',
      responses: { 200: { description: 'the signed-in user', schema: s.meSchema } },
    },
    async ({ principal }) => {
      const { user } = principal;
      const body = { ...user };
      return { status: 200, body };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/me/inbox',
      operationId: 'inbox',
      tag: 'me',
      summary: 'What waits for me (my id or one of my roles), soonest due first',
      description:
        'timeLeftMs is wall-clock (elapsed) time to the due time, negative once overdue. The due time itself was computed by the case on its policy basis (working calendar or elapsed).',
      permission: 'case:read',
      query: s.inboxQuery,
      responses: { 200: { description: 'my open work', schema: s.inboxSchema } },
    },
    async ({ principal, query }) => {
      const keys = assigneeKeys(principal);
      const rows = await listInboxFor(deps.db, principal.user, keys, Number(query.limit));
      const at = now();
      return {
        status: 200,
        body: {
          timeBasis: 'elapsed',
          items: rows.map((row) => {
            const timeLeftMs = row.dueAt === null ? null : Date.parse(row.dueAt) - at;
            const { pendingSteps = [], ...caseSummary } = summary(row);
            return {
              case: caseSummary,
              steps: myStepsOf(pendingSteps as PendingStepSummary[], keys),
              timeLeftMs,
              overdue: row.overdue || (timeLeftMs !== null && timeLeftMs < 0),
            };
          }),
        },
      };
    },
  );
}
