/**
 * Commands the kernel already answers beyond decisions and tasks: delegate an approval, pause and
 * resume a step's clock, change the priority, re-plan the clocks. Each is one Update (re-plan a
 * Signal); the case decides who may, and a refusal carries its code.
 */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../../runtime/config';
import { actorOf } from '../auth';
import { changePriority, delegateStep, endCase, pauseOrResumeClock, replanCase } from '../case-commands';
import type { OperationRegistry } from '../operations';
import * as s from '../schemas';
import { assertReadable } from './cases';

const problem = (description: string) => ({ description, schema: s.problemSchema });
const responses = {
  200: { description: 'the case after the command', schema: s.caseViewSchema },
  400: problem('malformed request'),
  401: problem('not authenticated'),
  403: problem('NOT_ELIGIBLE, NOT_REQUESTERS_HEAD, SOD_REQUESTER or ROLE_REQUIRED'),
  404: problem('no such case'),
  409: problem('STEP_NOT_PENDING or CASE_CLOSED'),
  422: problem('REASON_REQUIRED or INVALID_MESSAGE'),
};

export function registerCaseControlOperations(
  api: OperationRegistry,
  deps: { client: Client; db: Knex; config: Config },
): void {
  const { client } = deps;
  // Signed with the API's key: the case records these as the API's (runtime/command-attestation.ts).
  const signed = { commandSecret: deps.config.auth.commandSecrets[0] };
  api.add(
    {
      method: 'post',
      path: '/api/v1/cases/{id}/delegations',
      operationId: 'delegateApproval',
      tag: 'commands',
      summary: 'Hand your open approval on a step to another person, with a reason',
      description:
        'The delegate then decides on your behalf (the decision records both); you may not delegate to the requester.',
      permission: 'case:act',
      params: { id: s.caseIdParam },
      body: s.delegationBody,
      responses,
    },
    async ({ params, body, principal }) => {
      // A case one may not read is not there for them (db/case-access.ts).
      await assertReadable(deps, principal, params.id);
      const b = body as { step: string; to: string; reason: string };
      const view = await delegateStep(
        client,
        params.id,
        {
          step: b.step,
          to: b.to,
          reason: b.reason,
          actor: actorOf(principal),
          channel: 'api',
        },
        signed,
      );
      return { status: 200, body: view };
    },
  );

  for (const kind of ['pause', 'resume'] as const) {
    api.add(
      {
        method: 'post',
        path: `/api/v1/cases/{id}/clock/${kind}`,
        operationId: `${kind}Clock`,
        tag: 'commands',
        summary:
          kind === 'pause'
            ? "Stop a pending step's SLA clock (waiting on the requester, a vendor…), with a reason"
            : "Restart a paused step's SLA clock; its due time moves by the time it was paused",
        description: "Allowed to the step's assignees, the O&M head and admins.",
        permission: 'case:act',
        params: { id: s.caseIdParam },
        body: s.clockBody,
        responses,
      },
      async ({ params, body, principal }) => {
        // A case one may not read is not there for them (db/case-access.ts).
        await assertReadable(deps, principal, params.id);
        const b = body as { step: string; reason: string };
        const view = await pauseOrResumeClock(
          client,
          params.id,
          kind,
          {
            step: b.step,
            reason: b.reason,
            actor: actorOf(principal),
          },
          signed,
        );
        return { status: 200, body: view };
      },
    );
  }

  for (const how of ['withdraw', 'cancel'] as const) {
    api.add(
      {
        method: 'post',
        path: `/api/v1/cases/{id}/${how}`,
        operationId: `${how}Case`,
        tag: 'commands',
        summary:
          how === 'withdraw'
            ? 'The requester withdraws their own case, with a reason, before work on production begins'
            : 'The O&M head (or an admin) cancels an open case, with a reason',
        description:
          how === 'withdraw'
            ? 'Refused with 409 TOO_LATE_TO_WITHDRAW once the case is in a stage its process names as begun (a change: implementation and after).'
            : 'Waiting steps are cancelled; the requester is told.',
        permission: 'case:act',
        params: { id: s.caseIdParam },
        body: s.reasonBody,
        responses: {
          ...responses,
          403: problem('NOT_ELIGIBLE: not the requester (withdraw) / not the O&M head or an admin (cancel)'),
          409: problem('CASE_CLOSED or TOO_LATE_TO_WITHDRAW'),
          422: problem('REASON_REQUIRED'),
        },
      },
      async ({ params, body, principal }) => {
        // A case one may not read is not there for them (db/case-access.ts).
        await assertReadable(deps, principal, params.id);
        const view = await endCase(
          client,
          params.id,
          how,
          {
            actor: actorOf(principal),
            reason: (body as { reason: string }).reason,
          },
          signed,
        );
        return { status: 200, body: view };
      },
    );
  }

  api.add(
    {
      method: 'post',
      path: '/api/v1/cases/{id}/priority',
      operationId: 'changePriority',
      tag: 'commands',
      summary: "Change the case's priority, with a reason; pending clocks are re-planned on the new priority",
      description: 'Allowed to O&M engineers, the O&M head and admins.',
      permission: 'case:act',
      params: { id: s.caseIdParam },
      body: s.priorityBody,
      responses,
    },
    async ({ params, body, principal }) => {
      // A case one may not read is not there for them (db/case-access.ts).
      await assertReadable(deps, principal, params.id);
      const b = body as { priority: string; reason: string };
      const view = await changePriority(
        client,
        params.id,
        {
          priority: b.priority,
          reason: b.reason,
          actor: actorOf(principal),
        },
        signed,
      );
      return { status: 200, body: view };
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/cases/{id}/replan',
      operationId: 'replanCase',
      tag: 'commands',
      summary: "Re-read the SLA policies of the case's pending steps (after a policy edit), with a reason",
      description:
        'A policy edit never changes a running case by itself; this is the explicit way. Accepted at once (202); the new due times show in the case a moment later.',
      permission: 'case:replan',
      params: { id: s.caseIdParam },
      body: s.replanBody,
      responses: {
        202: { description: 'the re-plan was sent to the case' },
        400: problem('malformed request'),
        403: problem('ROLE_REQUIRED: ops_head or admin'),
        404: problem('no such case'),
        409: problem('CASE_CLOSED'),
      },
    },
    async ({ params, body }) => {
      await replanCase(client, params.id, (body as { reason: string }).reason);
      return { status: 202, body: { caseId: params.id, replan: 'sent' } };
    },
  );
}
