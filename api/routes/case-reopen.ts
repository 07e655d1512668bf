/**
 * Reopening a closed case that came back — a defect that recurred (003 (七) 1(2) 7) — while its
 * process keeps it reopenable (`workflows/kernel/reopen.ts`): the same case, its history kept.
 */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../../runtime/config';
import { actorOf } from '../auth';
import { reopenCase } from '../case-commands';
import type { OperationRegistry } from '../operations';
import * as s from '../schemas';
import { assertReadable } from './cases';

const problem = (description: string) => ({ description, schema: s.problemSchema });

export const reopenBody = {
  title: 'ReopenRequest',
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: {
    reason: { type: 'string', minLength: 1, maxLength: 4000, description: 'what recurred, and where' },
    link: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'the recurrence as recorded elsewhere: another case, an incident, a ticket',
    },
    evidenceRefs: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 500 } },
  },
};

export function registerCaseReopenOperations(
  api: OperationRegistry,
  deps: { client: Client; db: Knex; config: Pick<Config, 'auth'> },
): void {
  api.add(
    {
      method: 'post',
      path: '/api/v1/cases/{id}/reopen',
      operationId: 'reopenCase',
      tag: 'commands',
      summary: 'Reopen a closed case that came back (a defect that recurred), with a reason and a link',
      description:
        'Only while its process keeps it reopenable after closing (a defect: 90 days by policy); the case ' +
        'goes back to work, its history kept and the reopen counted. Allowed to the requester and the roles the process names.',
      permission: 'case:act',
      params: { id: s.caseIdParam },
      body: reopenBody,
      responses: {
        200: { description: 'the case, open again', schema: s.caseViewSchema },
        400: problem('malformed request'),
        403: problem('NOT_ELIGIBLE: may not reopen this case'),
        404: problem('no such case'),
        409: problem('NOT_REOPENABLE: the case is open, or no longer reopenable'),
        422: problem('REASON_REQUIRED'),
      },
    },
    async ({ params, body, principal }) => {
      // A case one may not read is not there for them (db/case-access.ts).
      await assertReadable(deps, principal, params.id);
      const b = body as { reason: string; link?: string; evidenceRefs?: string[] };
      const view = await reopenCase(
        deps.client,
        params.id,
        { ...b, actor: actorOf(principal) },
        { commandSecret: deps.config.auth.commandSecrets[0] },
      );
      return { status: 200, body: view };
    },
  );
}
