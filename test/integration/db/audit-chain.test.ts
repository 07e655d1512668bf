import { randomUUID } from 'node:crypto';
import { createCaseEventActivities } from '../../../activities/case-events';
import { verifyAuditChain } from '../../../db/audit';
import { eventHash } from '../../../db/audit-hash';
import { createDb } from '../../../db/connection';
import type { CaseEventRecord } from '../../../workflows/contracts/case-records';

const db = createDb(process.env.DATABASE_URL as string);
const { recordCaseEvents } = createCaseEventActivities(db);
const run = randomUUID().slice(0, 8);
const caseIds: string[] = [];

/** A case with events 1..count recorded the way workflows record them, and its projection at `count`. */
async function recordedCase(count: number): Promise<string> {
  const caseId = `EMG-T${run}-${caseIds.length + 1}`;
  caseIds.push(caseId);
  const events: CaseEventRecord[] = Array.from({ length: count }, (_, i) => ({
    caseId,
    seq: i + 1,
    type: i === 0 ? 'case.opened' : 'sla.warning',
    occurredAt: `2026-02-0${1 + (i % 9)}T08:00:00+08:00`,
    actor: i === 0 ? 'duty-engineer' : null,
    channel: i === 0 ? 'api' : 'system',
    data: { level: 'major', minutes: i * 15, note: i === 0 ? '核心系统宕机' : undefined },
  }));
  await recordCaseEvents({
    caseId,
    events,
    projection: {
      caseId,
      version: count,
      process: 'emergency',
      title: '核心系统宕机',
      state: 'open',
      stage: 'onsiteResponse',
      priority: 'major',
      system: 'core',
      requester: 'duty-engineer',
      assignees: [],
      dueAt: null,
      overdue: false,
      createdAt: '2026-02-01T00:00:00.000Z',
      updatedAt: '2026-02-01T00:00:00.000Z',
      closedAt: null,
      fields: {},
    },
  });
  return caseId;
}

afterAll(async () => {
  // Leave no tampered trail behind for a verification of the whole database.
  await db('case_events').whereIn('case_id', caseIds).delete();
  await db('cases').whereIn('case_id', caseIds).delete();
  await db.destroy();
});

describe('audit chain verification', () => {
  it('an untouched trail verifies, counting its events', async () => {
    const caseId = await recordedCase(5);

    expect(await verifyAuditChain(db, caseId)).toEqual({ ok: true, checked: 5, cases: 1 });
  });

  it('an edited event is reported at its seq', async () => {
    const caseId = await recordedCase(5);

    await db('case_events')
      .where({ case_id: caseId, seq: 3 })
      .update({ data: JSON.stringify({ level: 'minor' }) });

    expect(await verifyAuditChain(db, caseId)).toEqual({
      ok: false,
      caseId,
      seq: 3,
      reason: expect.stringContaining('hash mismatch'),
    });
  });

  it('an edited time of occurrence is reported at its seq', async () => {
    const caseId = await recordedCase(4);

    await db('case_events')
      .where({ case_id: caseId, seq: 2 })
      .update({ occurred_at: db.raw(`occurred_at - interval '1 hour'`) });

    expect(await verifyAuditChain(db, caseId)).toMatchObject({ ok: false, seq: 2 });
  });

  it('a deleted event is reported at the seq that is missing', async () => {
    const caseId = await recordedCase(5);

    await db('case_events').where({ case_id: caseId, seq: 2 }).delete();

    expect(await verifyAuditChain(db, caseId)).toEqual({
      ok: false,
      caseId,
      seq: 2,
      reason: 'event #2 is missing (the next stored event is #3)',
    });
  });

  it('a deleted first event is reported at seq 1', async () => {
    const caseId = await recordedCase(3);

    await db('case_events').where({ case_id: caseId, seq: 1 }).delete();

    expect(await verifyAuditChain(db, caseId)).toMatchObject({ ok: false, caseId, seq: 1 });
  });

  it('events cut off the end are reported at the first missing seq', async () => {
    const caseId = await recordedCase(5);

    await db('case_events').where({ case_id: caseId }).where('seq', '>=', 4).delete();

    expect(await verifyAuditChain(db, caseId)).toMatchObject({ ok: false, caseId, seq: 4 });
  });

  it('a trail emptied of every event is reported at seq 1', async () => {
    const caseId = await recordedCase(2);

    await db('case_events').where({ case_id: caseId }).delete();

    expect(await verifyAuditChain(db, caseId)).toMatchObject({ ok: false, caseId, seq: 1 });
  });

  it('an edit that also rewrites the hash is caught at the next link', async () => {
    const caseId = await recordedCase(5);
    const row = await db('case_events').where({ case_id: caseId, seq: 3 }).first();
    const forged = { level: 'minor' };
    const forgedHash = eventHash(row.prev_hash, {
      caseId,
      seq: 3,
      type: row.type,
      occurredAt: row.occurred_at.toISOString(),
      actor: row.actor,
      channel: row.channel,
      data: forged,
    });

    await db('case_events')
      .where({ case_id: caseId, seq: 3 })
      .update({ data: JSON.stringify(forged), hash: forgedHash });

    expect(await verifyAuditChain(db, caseId)).toEqual({
      ok: false,
      caseId,
      seq: 4,
      reason: 'prev_hash does not match the hash of event #3',
    });
  });

  it('a trail longer than one verification page is checked to its end', async () => {
    const caseId = await recordedCase(2100);
    expect(await verifyAuditChain(db, caseId)).toEqual({ ok: true, checked: 2100, cases: 1 });

    await db('case_events').where({ case_id: caseId, seq: 1500 }).update({ actor: 'someone-else' });

    expect(await verifyAuditChain(db, caseId)).toMatchObject({ ok: false, caseId, seq: 1500 });
  });

  it('verifying the whole database does not pass while any case is broken', async () => {
    await recordedCase(3);
    const broken = await recordedCase(3);
    await db('case_events').where({ case_id: broken, seq: 2 }).delete();

    expect(await verifyAuditChain(db)).toMatchObject({ ok: false });
  });
});
