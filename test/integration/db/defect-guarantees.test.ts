/**
 * The monthly defect guarantees (003 (九) 1–2) against a hand count: nine defects of two vendors
 * in the read model, around the edges of March 2031 in Shanghai time.
 */
import { randomUUID } from 'node:crypto';
import { upsertSystem } from '../../../db/api-master-data';
import { upsertCaseProjection } from '../../../db/cases';
import { createDb } from '../../../db/connection';
import { defectGuarantees } from '../../../db/defect-guarantees';
import { upsertVendor } from '../../../db/directory';
import type { CaseReader } from '../../../db/case-access';
import type { CaseProjection } from '../../../workflows/contracts/case-records';

const db = createDb(process.env.DATABASE_URL as string);
const run = randomUUID().slice(0, 8);
const v1 = `dg-v1-${run}`;
const v2 = `dg-v2-${run}`;
const s1 = `dg-s1-${run}`;
const s2 = `dg-s2-${run}`;
const s3 = `dg-s3-${run}`;
const caseIds: string[] = [];

interface Seed {
  system: string;
  vendor: string;
  confirmedAt: string;
  resolvedAt?: string;
  codeChange?: boolean;
  onTime?: boolean;
  closed?: { at: string; outcome: string };
}

/** The defects, named a–i as in the hand count below (times in Shanghai, +08:00). */
const seeds: Record<string, Seed> = {
  a: {
    system: s1,
    vendor: v1,
    confirmedAt: '2031-03-02T10:00:00+08:00',
    resolvedAt: '2031-03-04T15:00:00+08:00',
    codeChange: true,
    onTime: true,
  },
  b: {
    system: s1,
    vendor: v1,
    confirmedAt: '2031-03-10T10:00:00+08:00',
    resolvedAt: '2031-03-20T15:00:00+08:00',
    codeChange: true,
    onTime: false,
  },
  c: { system: s1, vendor: v1, confirmedAt: '2031-03-28T10:00:00+08:00' },
  d: {
    system: s1,
    vendor: v1,
    confirmedAt: '2031-02-27T10:00:00+08:00',
    resolvedAt: '2031-03-03T11:00:00+08:00',
    codeChange: true,
    onTime: true,
  },
  e: {
    system: s1,
    vendor: v1,
    confirmedAt: '2031-03-31T23:00:00+08:00',
    closed: { at: '2031-03-31T23:30:00+08:00', outcome: 'rejected' },
  },
  // 00:30 on 1 March in Shanghai is still February in UTC: a March problem, resolved in April.
  f: {
    system: s1,
    vendor: v1,
    confirmedAt: '2031-02-28T16:30:00Z',
    resolvedAt: '2031-04-02T10:00:00+08:00',
    codeChange: true,
    onTime: true,
  },
  g: {
    system: s2,
    vendor: v1,
    confirmedAt: '2031-03-05T10:00:00+08:00',
    resolvedAt: '2031-03-06T10:00:00+08:00',
    codeChange: false,
    onTime: true,
  },
  h: {
    system: s2,
    vendor: v1,
    confirmedAt: '2031-03-05T11:00:00+08:00',
    resolvedAt: '2031-03-09T10:00:00+08:00',
    codeChange: true,
    onTime: true,
  },
  i: {
    system: s3,
    vendor: v2,
    confirmedAt: '2031-03-03T10:00:00+08:00',
    resolvedAt: '2031-03-04T10:00:00+08:00',
    codeChange: true,
    onTime: false,
  },
};
const id = (name: string) => `DEF-${run}-${name}`;
const ids = (...names: string[]) => names.map(id).sort();

const organisationReader: CaseReader = {
  id: `dg-ops-${run}`,
  roles: ['ops_head'],
  departmentId: null,
  vendorId: null,
};
const vendorTwoPm: CaseReader = {
  id: `dg-pm2-${run}`,
  roles: ['vendor_pm'],
  departmentId: null,
  vendorId: v2,
};
const month = (reader = organisationReader, filter: { vendor?: string; system?: string } = {}) =>
  defectGuarantees(db, { month: '2031-03', reader, timeZone: 'Asia/Shanghai', ...filter });

beforeAll(async () => {
  for (const vendor of [v1, v2]) await upsertVendor(db, { id: vendor, name: vendor });
  for (const [system, vendorId] of [
    [s1, v1],
    [s2, v1],
    [s3, v2],
  ]) {
    await upsertSystem(db, { id: system, name: system, ownerDepartmentId: null, vendorId, active: true });
  }
  for (const [name, seed] of Object.entries(seeds)) {
    const caseId = id(name);
    caseIds.push(caseId);
    const at = new Date(seed.confirmedAt).toISOString();
    const projection: CaseProjection = {
      caseId,
      version: 1,
      process: 'defect',
      title: `defect ${name}`,
      state: seed.closed ? 'closed' : 'open',
      stage: seed.closed ? 'closed' : seed.resolvedAt ? 'verification' : 'inProgress',
      priority: 'corrective',
      system: seed.system,
      requester: `dg-user-${run}`,
      assignees: [],
      dueAt: null,
      overdue: false,
      createdAt: at,
      updatedAt: at,
      closedAt: seed.closed ? new Date(seed.closed.at).toISOString() : null,
      fields: {
        defectKind: 'defect',
        defectClass: 'corrective',
        vendorId: seed.vendor,
        confirmedAt: at,
        resolvedAt: seed.resolvedAt ? new Date(seed.resolvedAt).toISOString() : null,
        codeChange: seed.codeChange ?? false,
        onTime: seed.resolvedAt ? (seed.onTime ?? null) : null,
        reopenCount: 0,
        outcome: seed.closed?.outcome ?? null,
      },
    };
    await upsertCaseProjection(db, projection);
  }
});

afterAll(async () => {
  await db('cases').whereIn('case_id', caseIds).delete();
  await db('systems').whereIn('id', [s1, s2, s3]).delete();
  await db('vendors').whereIn('id', [v1, v2]).delete();
  await db.destroy();
});

describe('monthly defect guarantees', () => {
  test("the month's handling and on-time rates per vendor and system match a hand count", async () => {
    const report = await month(organisationReader, { vendor: v1 });
    expect(report).toMatchObject({
      month: '2031-03',
      from: '2031-02-28T16:00:00.000Z',
      to: '2031-03-31T16:00:00.000Z',
    });
    const bySystem = Object.fromEntries(report.groups.map((g) => [g.system, g]));
    expect(Object.keys(bySystem).sort()).toEqual([s1, s2].sort());

    // s1: problems a b c e f (confirmed in March, Shanghai); handled a b (resolved) and e (rejection
    // closed) — c is open, f resolved only in April: 3 / 5. Code changes resolved in March: a b d;
    // on time a d: 2 / 3.
    expect(bySystem[s1]).toMatchObject({
      vendorId: v1,
      handling: {
        problems: ids('a', 'b', 'c', 'e', 'f'),
        handled: ids('a', 'b', 'e'),
        unhandled: ids('c', 'f'),
      },
      onTime: { codeChanges: ids('a', 'b', 'd'), onTime: ids('a', 'd'), late: ids('b') },
    });
    expect(bySystem[s1].handling).toMatchObject({ rate: 0.6, target: 1, met: false });
    expect(bySystem[s1].onTime).toMatchObject({ rate: 0.6667, target: 0.85, met: false });

    // s2: g and h handled; h the only code change, on time.
    expect(bySystem[s2].handling).toMatchObject({ problems: ids('g', 'h'), rate: 1, met: true });
    expect(bySystem[s2].onTime).toMatchObject({ codeChanges: ids('h'), rate: 1, met: true });

    // The vendor over both systems: 5 / 7 handled; 3 / 4 code changes on time.
    expect(report.total.handling).toMatchObject({ rate: 0.7143, met: false });
    expect(report.total.handling.unhandled).toEqual(ids('c', 'f'));
    expect(report.total.onTime).toMatchObject({ rate: 0.75, met: false, late: ids('b') });
  });

  test('one system alone, and a month with nothing to count', async () => {
    const s3Only = await month(organisationReader, { system: s3 });
    expect(s3Only.groups).toEqual([
      expect.objectContaining({
        vendorId: v2,
        system: s3,
        handling: expect.objectContaining({ problems: ids('i'), rate: 1, met: true }),
        onTime: expect.objectContaining({ codeChanges: ids('i'), late: ids('i'), rate: 0, met: false }),
      }),
    ]);
    const empty = await defectGuarantees(db, {
      month: '2031-07',
      vendor: v1,
      reader: organisationReader,
      timeZone: 'Asia/Shanghai',
    });
    expect(empty.groups).toEqual([]);
    expect(empty.total.handling).toMatchObject({ rate: null, met: null, problems: [] });
  });

  test("a vendor's project manager counts only the defects on their own vendor's systems", async () => {
    const report = await month(vendorTwoPm);
    const mine = report.groups.filter((g) => g.system === s1 || g.system === s2 || g.system === s3);
    expect(mine.map((g) => g.system)).toEqual([s3]);
    const otherVendor = await month(vendorTwoPm, { vendor: v1 });
    expect(otherVendor.groups).toEqual([]);
  });
});
