/** Starting kernel cases and reading what they wrote, for workflow and integration tests. */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { upsertSlaPolicy, type SlaPolicyDefinition } from '../../db/sla-policies';
import type { CaseInput } from '../../workflows/kernel';
import { eventually } from './db';

let counter = 0;

/** A process name no other test uses, so its SLA policies are its own. */
export function uniqueProcess(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
}

export function caseInput(process: string, overrides: Partial<CaseInput> = {}): CaseInput {
  return {
    caseId: `${process.toUpperCase()}-000001`,
    process,
    title: 'Read access to the production database',
    requester: 'u-requester',
    priority: 'normal',
    system: 'si-core',
    ...overrides,
  };
}

export async function startAccessRequest(client: Client, taskQueue: string, input: CaseInput) {
  return client.workflow.start('accessRequest', { taskQueue, workflowId: input.caseId, args: [input] });
}

/** Both steps of the demonstration process under one policy. */
export async function givenPolicy(
  db: Knex,
  process: string,
  policy: Partial<SlaPolicyDefinition>,
): Promise<void> {
  await upsertSlaPolicy(db, {
    id: `${process}-all`,
    process,
    stage: '*',
    priority: '*',
    basis: 'elapsed',
    duration: 'PT4H',
    warnRatio: 0.75,
    calendarId: null,
    escalation: [
      { level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] },
      { level: 2, after: 'PT2H', notify: [{ role: 'it_head' }] },
    ],
    active: true,
    ...policy,
  });
}

export interface EventRow {
  seq: number;
  type: string;
  actor: string | null;
  channel: string;
  occurred_at: Date;
  data: Record<string, unknown>;
}

export async function caseEvents(db: Knex, caseId: string): Promise<EventRow[]> {
  return db('case_events')
    .where({ case_id: caseId })
    .orderBy('seq')
    .select('seq', 'type', 'actor', 'channel', 'occurred_at', 'data');
}

/** Waits until the case's audit trail holds `count` events of `type`. */
export async function eventsOfType(
  db: Knex,
  caseId: string,
  type: string,
  count = 1,
  timeoutMs?: number,
): Promise<EventRow[]> {
  return eventually(
    async () => {
      const rows = (await caseEvents(db, caseId)).filter((e) => e.type === type);
      return rows.length >= count ? rows : null;
    },
    `${count} × ${type} on ${caseId}`,
    timeoutMs,
  );
}
