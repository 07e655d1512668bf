/**
 * A quarter of a vendor's work as the read model and the audit trail hold it — emergencies with
 * their response clocks, defects, changes, an escalation, reports — written through the same
 * activity the workflows write with, and the hand count of what a review of Q3 2026 must find.
 */
import type { Knex } from 'knex';
import { createCaseEventActivities } from '../../activities/case-events';
import type { CaseProjection } from '../../workflows/contracts/case-records';

export interface SeededVendor {
  vendorId: string;
  /** Systems of the vendor (the first is an emergency's), and a system of another vendor. */
  systems: [string, string, string];
  otherSystem: string;
  vendorEngineer: string;
  bankEngineer: string;
}

/** Q3 2026 in Asia/Shanghai. */
export const Q3 = { from: '2026-06-30T16:00:00.000Z', to: '2026-09-30T16:00:00.000Z' };

type Ev = { type: string; at: string; actor?: string | null; data?: Record<string, unknown> };

export function recordIds(run: string) {
  const id = (s: string) => `VR${run}-${s}`;
  return {
    e1: id('E1'),
    e2: id('E2'),
    e3: id('E3'),
    e4: id('E4'),
    d1: id('D1'),
    d2: id('D2'),
    d3: id('D3'),
    d4: id('D4'),
    d5: id('D5'),
    d6: id('D6'),
    c1: id('C1'),
    c2: id('C2'),
    c3: id('C3'),
  };
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Every instant in `value` moved by `ms` (the same quarter's records, for another quarter). */
function shifted<T>(value: T, ms: number): T {
  if (ms === 0) return value;
  if (typeof value === 'string' && INSTANT.test(value))
    return new Date(Date.parse(value) + ms).toISOString() as T;
  if (Array.isArray(value)) return value.map((v) => shifted(v, ms)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shifted(v, ms)])) as T;
  return value;
}

/**
 * Seeds the records; `shiftMs` moves them all (records of Q3 2026 land in another quarter the same
 * number of milliseconds from its start), so a review of "the quarter just ended" finds them on any day.
 */
export async function seedVendorQuarter(db: Knex, run: string, v: SeededVendor, shiftMs = 0) {
  const { recordCaseEvents } = createCaseEventActivities(db);
  const ids = recordIds(run);
  const [sysA] = v.systems;
  async function seed(caseId: string, p: Partial<CaseProjection>, events: Ev[]) {
    const created = p.createdAt ?? events[0]?.at ?? '2026-07-01T00:00:00Z';
    const all: Ev[] = [{ type: 'case.opened', at: created, actor: 'someone' }, ...events];
    await recordCaseEvents(
      shifted(
        {
          caseId,
          events: all.map((e, i) => ({
            caseId,
            seq: i + 1,
            type: e.type,
            occurredAt: e.at,
            actor: e.actor ?? null,
            channel: 'system',
            data: e.data ?? {},
          })),
          projection: {
            caseId,
            version: all.length,
            process: 'emergency',
            title: caseId,
            state: 'closed',
            stage: 'closed',
            priority: 'normal',
            system: sysA,
            requester: 'someone',
            assignees: [],
            dueAt: null,
            overdue: false,
            createdAt: created,
            updatedAt: created,
            closedAt: null,
            fields: {},
            pendingSteps: [],
            ...p,
          },
          notifications: [],
        },
        shiftMs,
      ),
    );
  }
  const milestone = (
    milestoneName: string,
    clock: string,
    dueAt: string,
    at: string,
    outcome: string,
  ): Ev => ({
    type: 'emergency.milestone',
    at,
    data: { milestone: milestoneName, clock, dueAt, outcome, escalationLevel: 0 },
  });

  // E1, on site: responded and arrived in time, recovered late; recovery report on time.
  await seed(ids.e1, { createdAt: '2026-07-10T02:00:00Z' }, [
    milestone('responded', 'onsiteResponse', '2026-07-10T02:15:00Z', '2026-07-10T02:10:00Z', 'met'),
    milestone('arrived', 'onsiteArrival', '2026-07-10T06:00:00Z', '2026-07-10T05:00:00Z', 'met'),
    milestone('recovered', 'onsiteResolution', '2026-07-10T10:00:00Z', '2026-07-10T11:00:00Z', 'missed'),
    {
      type: 'step.opened',
      at: '2026-07-10T11:05:00Z',
      data: { step: 'diagnosed', assignees: [v.bankEngineer], dueAt: '2026-07-10T06:00:00Z' },
    },
    {
      type: 'sla.escalated',
      at: '2026-07-10T12:00:00Z',
      data: { step: 'diagnosed', level: 1, dueAt: '2026-07-10T06:00:00Z' },
    },
    {
      type: 'step.opened',
      at: '2026-07-10T11:10:00Z',
      data: { step: 'recoveryReport', assignees: [v.vendorEngineer], dueAt: '2026-07-12T09:30:00Z' },
    },
    {
      type: 'task.completed',
      at: '2026-07-11T08:00:00Z',
      actor: v.vendorEngineer,
      data: { step: 'recoveryReport' },
    },
  ]);
  // E2, remote: response late, diagnosis report in time, recovery never reached though due; the
  // response step was handed to the vendor's engineer and escalated; summary report never filed.
  await seed(ids.e2, { createdAt: '2026-08-01T00:00:00Z' }, [
    {
      type: 'step.opened',
      at: '2026-08-01T00:00:00Z',
      data: { step: 'responded', assignees: ['role:ops_engineer'], dueAt: '2026-08-01T02:00:00Z' },
    },
    {
      type: 'task.reassigned',
      at: '2026-08-01T00:05:00Z',
      data: { step: 'responded', from: 'role:ops_engineer', to: v.vendorEngineer, reason: 'dispatched' },
    },
    {
      type: 'sla.escalated',
      at: '2026-08-01T02:00:00Z',
      data: { step: 'responded', level: 1, dueAt: '2026-08-01T02:00:00Z' },
    },
    milestone('responded', 'remoteResponse', '2026-08-01T02:00:00Z', '2026-08-01T03:00:00Z', 'missed'),
    milestone('diagnosed', 'diagnosisReport', '2026-08-01T04:00:00Z', '2026-08-01T03:30:00Z', 'met'),
    {
      type: 'sla.overdue',
      at: '2026-08-01T08:00:00Z',
      data: { step: 'recovered', dueAt: '2026-08-01T08:00:00Z', policyId: 'emergency.resolution' },
    },
    {
      type: 'step.opened',
      at: '2026-08-10T00:00:00Z',
      data: { step: 'summaryReport', assignees: [v.vendorEngineer], dueAt: '2026-08-20T09:30:00Z' },
    },
  ]);
  // E3: a clock of the quarter before (not counted); E4: another vendor's system (not counted).
  await seed(ids.e3, { createdAt: '2026-06-20T00:00:00Z' }, [
    milestone('responded', 'onsiteResponse', '2026-06-20T00:15:00Z', '2026-06-20T00:10:00Z', 'met'),
  ]);
  await seed(ids.e4, { createdAt: '2026-07-20T00:00:00Z', system: v.otherSystem }, [
    milestone('responded', 'onsiteResponse', '2026-07-20T00:15:00Z', '2026-07-20T00:30:00Z', 'missed'),
  ]);

  const defect = (
    caseId: string,
    createdAt: string,
    fields: Record<string, unknown>,
    vendorId: string = v.vendorId,
  ) =>
    seed(caseId, { process: 'defect', createdAt, fields: { vendorId, ...fields } }, [
      { type: 'case.fields-updated', at: createdAt },
    ]);
  await defect(ids.d1, '2026-07-01T01:00:00Z', {
    defectClass: 'routine',
    onTime: true,
    resolvedAt: '2026-07-05T08:00:00Z',
    reopenCount: 0,
    codeChange: true,
  });
  await defect(ids.d2, '2026-08-01T01:00:00Z', {
    defectClass: 'routine',
    onTime: false,
    resolvedAt: '2026-08-05T08:00:00Z',
    reopenCount: 1,
    codeChange: true,
  });
  await defect(ids.d3, '2026-08-28T01:00:00Z', {
    defectClass: 'corrective',
    onTime: true,
    resolvedAt: '2026-09-01T08:00:00Z',
    reopenCount: 0,
    codeChange: false,
  });
  await defect(ids.d4, '2026-09-20T01:00:00Z', { defectClass: 'corrective', reopenCount: 0 });
  await defect(ids.d5, '2026-06-01T01:00:00Z', {
    defectClass: 'perfective',
    onTime: true,
    resolvedAt: '2026-06-15T08:00:00Z',
  });
  await defect(
    ids.d6,
    '2026-07-02T01:00:00Z',
    { defectClass: 'routine', onTime: false, resolvedAt: '2026-07-06T08:00:00Z' },
    `${v.vendorId}-other`,
  );

  const change = (caseId: string, closedAt: string, outcome: string, implementedBy: string) =>
    seed(
      caseId,
      { process: 'change', createdAt: '2026-07-01T00:00:00Z', closedAt, fields: { outcome, implementedBy } },
      [{ type: 'case.closed', at: closedAt, data: { outcome } }],
    );
  await change(ids.c1, '2026-07-15T10:00:00Z', 'succeeded', v.vendorEngineer);
  await change(ids.c2, '2026-08-15T10:00:00Z', 'rolled_back', v.vendorEngineer);
  await change(ids.c3, '2026-09-10T10:00:00Z', 'succeeded', v.bankEngineer);
  return ids;
}

/** What a review of Q3 2026 must count, by hand from the records above. */
export function handCount(ids: ReturnType<typeof recordIds>) {
  return {
    'emergency.responseWindow.onsiteResponse': { value: 1, numerator: 1, denominator: 1, caseIds: [ids.e1] },
    'emergency.responseWindow.onsiteArrival': { value: 1, caseIds: [ids.e1] },
    'emergency.responseWindow.onsiteResolution': { value: 0, shortfallCaseIds: [ids.e1] },
    'emergency.responseWindow.remoteResponse': { value: 0, shortfallCaseIds: [ids.e2] },
    'emergency.responseWindow.diagnosisReport': { value: 1, caseIds: [ids.e2] },
    'emergency.responseWindow.resolution': { value: 0, caseIds: [ids.e2], shortfallCaseIds: [ids.e2] },
    'emergency.responseWindow.diagnosis': { value: null, caseIds: [] },
    'defect.onTime.routine': { value: 0.5, caseIds: [ids.d1, ids.d2], shortfallCaseIds: [ids.d2] },
    'defect.onTime.corrective': { value: 1, caseIds: [ids.d3] },
    'defect.onTime.perfective': { value: null },
    'defect.codeChangeOnTime': { value: 0.5, target: 0.85, caseIds: [ids.d1, ids.d2] },
    'defect.handlingRate': {
      value: 0.75,
      numerator: 3,
      denominator: 4,
      target: 1,
      shortfallCaseIds: [ids.d4],
    },
    'defect.reopenRate': { value: 0.3333, numerator: 1, denominator: 3, shortfallCaseIds: [ids.d2] },
    'change.successRate': { value: 0.5, caseIds: [ids.c1, ids.c2], shortfallCaseIds: [ids.c2] },
    'change.rollbacks': { value: 1, caseIds: [ids.c2] },
    'escalations.received': { value: 1, caseIds: [ids.e2] },
    'reports.timeliness': { value: 0.5, caseIds: [ids.e1, ids.e2], shortfallCaseIds: [ids.e2] },
  } as Record<string, Record<string, unknown>>;
}
