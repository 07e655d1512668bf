/**
 * The vendor review's measured figures on a seeded quarter: every figure matches the hand count and
 * names the cases behind it; a quarter with no records shows "no data" (null with a reason), never
 * 0 or 100 %.
 */
import { randomUUID } from 'node:crypto';
import { upsertSystem } from '../../../db/api-master-data';
import { upsertUser, upsertVendor } from '../../../db/directory';
import { vendorReviewFigures, type Figure } from '../../../db/vendor-review-figures';
import { testDb } from '../../support/db';
import { handCount, Q3, seedVendorQuarter, type SeededVendor } from '../../support/vendor-review-records';

const db = testDb();
const run = randomUUID().slice(0, 8);
const vendor: SeededVendor = {
  vendorId: `vrf-${run}`,
  systems: [`vrf-${run}-a`, `vrf-${run}-b`, `vrf-${run}-c`],
  otherSystem: `vrf-${run}-other`,
  vendorEngineer: `vrf-${run}-ve`,
  bankEngineer: `vrf-${run}-be`,
};

beforeAll(async () => {
  await upsertVendor(db, { id: vendor.vendorId, name: 'Figures vendor' });
  await upsertVendor(db, { id: `${vendor.vendorId}-other`, name: 'Other vendor' });
  for (const id of vendor.systems)
    await upsertSystem(db, {
      id,
      name: id,
      ownerDepartmentId: null,
      vendorId: vendor.vendorId,
      active: true,
    });
  await upsertSystem(db, {
    id: vendor.otherSystem,
    name: 'other',
    ownerDepartmentId: null,
    vendorId: `${vendor.vendorId}-other`,
    active: true,
  });
  await upsertUser(db, {
    id: vendor.vendorEngineer,
    displayName: 'VE',
    email: 've@example.invalid',
    locale: 'en',
    roles: ['vendor_engineer'],
    vendorId: vendor.vendorId,
  });
  await upsertUser(db, {
    id: vendor.bankEngineer,
    displayName: 'BE',
    email: 'be@example.invalid',
    locale: 'en',
    roles: ['ops_engineer'],
  });
});
afterAll(() => db.destroy());

test('a seeded quarter of emergencies, defects and changes: each figure matches the hand count', async () => {
  const ids = await seedVendorQuarter(db, run, vendor);
  const measured = await vendorReviewFigures(db, { vendorId: vendor.vendorId, ...Q3 });
  const byKey = Object.fromEntries(measured.figures.map((f) => [f.key, f]));
  for (const [key, expected] of Object.entries(handCount(ids))) {
    expect([key, byKey[key]]).toMatchObject([key, expected]);
  }
  expect(measured.systems).toEqual([...vendor.systems].sort());
  // Another vendor's emergency and the quarter before are not counted.
  const all = measured.figures.flatMap((f) => f.caseIds);
  expect(all).not.toContain(ids.e3);
  expect(all).not.toContain(ids.e4);
  expect(all).not.toContain(ids.d5);
  expect(all).not.toContain(ids.d6);
  expect(all).not.toContain(ids.c3);
});

test('a quarter with no emergency, defect or change shows no data, not 100 % or 0', async () => {
  const measured = await vendorReviewFigures(db, {
    vendorId: vendor.vendorId,
    from: '2025-12-31T16:00:00.000Z',
    to: '2026-03-31T16:00:00.000Z',
  });
  const rates = measured.figures.filter((f: Figure) => f.kind === 'rate');
  expect(rates.length).toBeGreaterThan(10);
  for (const f of measured.figures) {
    expect(f).toMatchObject({ value: null, numerator: null, caseIds: [] });
    expect(f.missing).toEqual(expect.stringMatching(/\bno /));
  }
  expect(measured.figures.find((f) => f.key === 'emergency.responseWindow.onsiteResponse')?.missing).toMatch(
    /no emergency/,
  );
});
