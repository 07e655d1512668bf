import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { createCaseEventActivities } from '../../../activities/case-events';
import { verifyAuditChain } from '../../../db/audit';
import { getCase } from '../../../db/cases';
import { createDb } from '../../../db/connection';
import { upsertUser } from '../../../db/directory';
import type {
  CaseEventRecord,
  CaseProjection,
  NotificationIntent,
} from '../../../workflows/contracts/case-records';

const db = createDb(process.env.DATABASE_URL as string);
const { recordCaseEvents } = createCaseEventActivities(db);
const run = randomUUID().slice(0, 8);
let cases = 0;
const newCaseId = () => `CHG-T${run}-${++cases}`;

function event(caseId: string, seq: number, data: Record<string, unknown> = {}): CaseEventRecord {
  return {
    caseId,
    seq,
    type: seq === 1 ? 'case.opened' : 'step.decided',
    occurredAt: new Date(Date.UTC(2026, 0, 5, 1, seq)).toISOString(),
    actor: seq === 1 ? `requester-${run}` : null,
    channel: seq === 1 ? 'api' : 'system',
    data: { step: 'departmentHeadApproval', 意见: '同意', ...data },
  };
}

function events(caseId: string, from: number, to: number): CaseEventRecord[] {
  return Array.from({ length: to - from + 1 }, (_, i) => event(caseId, from + i));
}

function projection(caseId: string, version: number, stage: string): CaseProjection {
  return {
    caseId,
    version,
    process: 'change',
    title: '核心系统参数变更',
    state: 'open',
    stage,
    priority: 'normal',
    system: 'core-banking',
    requester: `requester-${run}`,
    assignees: [`head-${run}`],
    dueAt: '2026-01-06T09:00:00.000Z',
    overdue: false,
    createdAt: '2026-01-05T01:01:00.000Z',
    updatedAt: new Date(Date.UTC(2026, 0, 5, 1, version)).toISOString(),
    closedAt: null,
    fields: { changeType: 'configuration' },
  };
}

async function storedSeqs(caseId: string): Promise<number[]> {
  return db('case_events').where({ case_id: caseId }).orderBy('seq').pluck('seq');
}

async function outboxRows(caseId: string): Promise<{ id: string; recipient_user_id: string }[]> {
  return db('notification_outbox').where({ case_id: caseId }).orderBy('id').select('id', 'recipient_user_id');
}

beforeAll(async () => {
  await upsertUser(db, {
    id: `head-${run}`,
    displayName: '部门负责人',
    email: `head-${run}@example.gov.cn`,
    locale: 'zh-CN',
    roles: ['department_head'],
  });
  await upsertUser(db, {
    id: `receiver-${run}`,
    displayName: '接收单位',
    email: `receiver-${run}@example.gov.cn`,
    locale: 'zh-CN',
    roles: ['receiving_unit'],
  });
});

afterAll(async () => {
  await db.destroy();
});

describe('recordCaseEvents', () => {
  it('recording the same batch twice stores each event once and queues each notification once', async () => {
    const caseId = newCaseId();
    const notifications: NotificationIntent[] = [
      {
        id: `${caseId}/2/approval-request`,
        caseId,
        recipient: { userId: `head-${run}` },
        template: 'approval-request',
        data: { stage: 'departmentHeadApproval' },
      },
      {
        id: `${caseId}/2/handover-notice`,
        caseId,
        recipient: { role: 'receiving_unit' },
        template: 'decision-made',
        data: {},
      },
    ];
    const input = {
      caseId,
      events: events(caseId, 1, 2),
      // The receiving unit's queue is assigned, so its holders may read the case and be told.
      projection: { ...projection(caseId, 2, 'x'), assignees: [`head-${run}`, 'role:receiving_unit'] },
      notifications,
    };

    expect(await recordCaseEvents(input)).toEqual({ written: 2 });
    const queuedFirst = await outboxRows(caseId);
    expect(await recordCaseEvents(input)).toEqual({ written: 0 });

    expect(await storedSeqs(caseId)).toEqual([1, 2]);
    const queued = await outboxRows(caseId);
    expect(queued).toEqual(queuedFirst);
    expect(queued).toContainEqual({ id: `${caseId}/2/approval-request`, recipient_user_id: `head-${run}` });
    expect(queued).toContainEqual({
      id: `${caseId}/2/handover-notice/receiver-${run}`,
      recipient_user_id: `receiver-${run}`,
    });
    expect(new Set(queued.map((row) => row.id)).size).toBe(queued.length);
    expect(await verifyAuditChain(db, caseId)).toEqual({ ok: true, checked: 2, cases: 1 });
  });

  it('a role is told only through holders who may read the case, and the participants are recorded', async () => {
    const caseId = newCaseId();
    await recordCaseEvents({
      caseId,
      events: events(caseId, 1, 1),
      projection: projection(caseId, 1, 'x'),
      notifications: [
        {
          id: `${caseId}/1/nosy`,
          caseId,
          recipient: { role: 'receiving_unit' },
          template: 'decision-made',
          data: {},
        },
      ],
    });
    expect(await outboxRows(caseId)).toEqual([
      { id: `${caseId}/1/nosy/role:receiving_unit`, recipient_user_id: null },
    ]);
    const participants = await db('case_participants').where({ case_id: caseId }).pluck('participant');
    expect(participants).toContain(`head-${run}`);
  });

  it('a retried batch that overlaps the stored events writes only the new ones, chained to the old', async () => {
    const caseId = newCaseId();
    await recordCaseEvents({ caseId, events: events(caseId, 1, 2) });

    expect(await recordCaseEvents({ caseId, events: events(caseId, 1, 4) })).toEqual({ written: 2 });

    expect(await storedSeqs(caseId)).toEqual([1, 2, 3, 4]);
    expect(await verifyAuditChain(db, caseId)).toMatchObject({ ok: true, checked: 4 });
  });

  it('a batch given out of order is stored in seq order', async () => {
    const caseId = newCaseId();
    await recordCaseEvents({ caseId, events: events(caseId, 1, 3).reverse() });

    expect(await storedSeqs(caseId)).toEqual([1, 2, 3]);
    expect(await verifyAuditChain(db, caseId)).toMatchObject({ ok: true, checked: 3 });
  });

  it('a batch that starts after a missing seq is refused retryably, naming the missing seq', async () => {
    const caseId = newCaseId();
    await recordCaseEvents({ caseId, events: events(caseId, 1, 2) });

    const refusal = recordCaseEvents({ caseId, events: events(caseId, 4, 5) });

    await expect(refusal).rejects.toThrow('event #3 is not recorded yet');
    await expect(refusal).rejects.not.toBeInstanceOf(ApplicationFailure);
    expect(await storedSeqs(caseId)).toEqual([1, 2]);
  });

  it('a different event under an already recorded seq is refused without retry and changes nothing', async () => {
    const caseId = newCaseId();
    await recordCaseEvents({ caseId, events: events(caseId, 1, 2) });

    const rewritten = [event(caseId, 1), event(caseId, 2, { 意见: '不同意' }), event(caseId, 3)];
    const refusal = recordCaseEvents({ caseId, events: rewritten });

    await expect(refusal).rejects.toMatchObject({ nonRetryable: true, type: 'CaseEventConflictError' });
    expect(await storedSeqs(caseId)).toEqual([1, 2]);
  });

  it('a batch with a hole inside it is refused without retry', async () => {
    const caseId = newCaseId();

    const refusal = recordCaseEvents({ caseId, events: [event(caseId, 1), event(caseId, 3)] });

    await expect(refusal).rejects.toMatchObject({ nonRetryable: true, type: 'InvalidCaseEventBatchError' });
    expect(await storedSeqs(caseId)).toEqual([]);
  });

  it('an event PostgreSQL cannot store as it is (a NUL character) is refused without retry', async () => {
    const caseId = newCaseId();

    const refusal = recordCaseEvents({ caseId, events: [event(caseId, 1, { note: 'a\u0000b' })] });

    await expect(refusal).rejects.toMatchObject({ nonRetryable: true, type: 'InvalidCaseEventBatchError' });
    expect(await storedSeqs(caseId)).toEqual([]);
  });

  it('a projection PostgreSQL refuses (a time that is no time) fails without retry and records nothing', async () => {
    const caseId = newCaseId();
    const broken = { ...projection(caseId, 1, 'x'), dueAt: 'next Tuesday' };

    const refusal = recordCaseEvents({ caseId, events: events(caseId, 1, 1), projection: broken });

    await expect(refusal).rejects.toMatchObject({ nonRetryable: true, type: 'CaseRecordRefused' });
    expect(await storedSeqs(caseId)).toEqual([]);
  });

  it('an older projection arriving late does not overwrite a newer one', async () => {
    const caseId = newCaseId();
    await recordCaseEvents({
      caseId,
      events: events(caseId, 1, 3),
      projection: projection(caseId, 3, 'opsAssessment'),
    });

    await recordCaseEvents({
      caseId,
      events: events(caseId, 1, 2),
      projection: projection(caseId, 2, 'departmentHeadApproval'),
    });

    expect(await getCase(db, caseId)).toMatchObject({ version: 3, stage: 'opsAssessment' });
  });

  it('a newer projection replaces the stored one and reads back as written', async () => {
    const caseId = newCaseId();
    await recordCaseEvents({
      caseId,
      events: events(caseId, 1, 1),
      projection: projection(caseId, 1, 'departmentHeadApproval'),
    });

    await recordCaseEvents({
      caseId,
      events: events(caseId, 2, 2),
      projection: projection(caseId, 2, 'opsAssessment'),
    });

    // Written without pending steps (an older writer), it reads back with none.
    expect(await getCase(db, caseId)).toEqual({
      ...projection(caseId, 2, 'opsAssessment'),
      pendingSteps: [],
    });
  });

  it('a projection claiming more events than the trail holds is refused without retry', async () => {
    const caseId = newCaseId();

    const refusal = recordCaseEvents({
      caseId,
      events: events(caseId, 1, 1),
      projection: projection(caseId, 2, 'x'),
    });

    await expect(refusal).rejects.toMatchObject({ nonRetryable: true, type: 'InvalidCaseEventBatchError' });
    expect(await getCase(db, caseId)).toBeNull();
    expect(await storedSeqs(caseId)).toEqual([]);
  });

  it('concurrent deliveries of the same batch store it once', async () => {
    const caseId = newCaseId();
    const input = { caseId, events: events(caseId, 1, 5), projection: projection(caseId, 5, 'x') };

    const results = await Promise.all(Array.from({ length: 8 }, () => recordCaseEvents(input)));

    expect(results.map((r) => r.written).sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 5]);
    expect(await storedSeqs(caseId)).toEqual([1, 2, 3, 4, 5]);
    expect(await verifyAuditChain(db, caseId)).toMatchObject({ ok: true, checked: 5 });
  });

  it('consecutive batches racing each other end as one unbroken chain once retried', async () => {
    const caseId = newCaseId();
    const batches = [events(caseId, 1, 3), events(caseId, 4, 6), events(caseId, 7, 9)];
    const deliver = async (batch: CaseEventRecord[]): Promise<void> => {
      for (;;) {
        try {
          await recordCaseEvents({ caseId, events: batch });
          return;
        } catch (err) {
          if (!(err as Error).message.includes('is not recorded yet')) throw err;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    };

    await Promise.all(batches.reverse().map(deliver));

    expect(await storedSeqs(caseId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await verifyAuditChain(db, caseId)).toMatchObject({ ok: true, checked: 9 });
  });
});
