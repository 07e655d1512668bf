import { randomUUID } from 'node:crypto';
import { createCaseEventActivities } from '../../../activities/case-events';
import { listInbox, listOverdue } from '../../../db/cases';
import { createDb } from '../../../db/connection';
import type { CaseProjection } from '../../../workflows/contracts/case-records';

const db = createDb(process.env.DATABASE_URL as string);
const { recordCaseEvents } = createCaseEventActivities(db);
const run = randomUUID().slice(0, 8);
const me = `engineer-${run}`;
const process_ = `lists-${run}`;

/** A case as a workflow would leave it: one event, and its projection at version 1. */
async function openCase(name: string, overrides: Partial<CaseProjection>): Promise<void> {
  const caseId = `LST-${run}-${name}`;
  await recordCaseEvents({
    caseId,
    events: [
      {
        caseId,
        seq: 1,
        type: 'case.opened',
        occurredAt: '2026-03-02T01:00:00Z',
        actor: me,
        channel: 'api',
        data: {},
      },
    ],
    projection: {
      caseId,
      version: 1,
      process: process_,
      title: name,
      state: 'open',
      stage: 'opsAssessment',
      priority: 'normal',
      system: null,
      requester: `requester-${run}`,
      assignees: [me],
      dueAt: null,
      overdue: false,
      createdAt: '2026-03-02T01:00:00.000Z',
      updatedAt: '2026-03-02T01:00:00.000Z',
      closedAt: null,
      fields: {},
      ...overrides,
    },
  });
}

beforeAll(async () => {
  await openCase('later', { dueAt: '2026-03-05T09:00:00.000Z' });
  await openCase('undated', { dueAt: null });
  await openCase('sooner', { dueAt: '2026-03-03T09:00:00.000Z', overdue: true });
  await openCase('someone-else', {
    dueAt: '2026-03-01T09:00:00.000Z',
    assignees: [`other-${run}`],
    overdue: true,
  });
  await openCase('closed', {
    dueAt: '2026-03-01T09:00:00.000Z',
    state: 'closed',
    stage: 'closed',
    overdue: true,
  });
});

afterAll(async () => {
  await db.destroy();
});

describe('case lists', () => {
  it('the inbox holds the open cases waiting for me, soonest due first, undated last', async () => {
    const inbox = await listInbox(db, me);

    expect(inbox.map((c) => c.title)).toEqual(['sooner', 'later', 'undated']);
  });

  it('the inbox stops at the limit', async () => {
    expect((await listInbox(db, me, { limit: 1 })).map((c) => c.title)).toEqual(['sooner']);
  });

  it('the overdue list holds open overdue cases whoever they wait for, longest overdue first', async () => {
    const overdue = await listOverdue(db, { process: process_ });

    expect(overdue.map((c) => c.title)).toEqual(['someone-else', 'sooner']);
  });
});
