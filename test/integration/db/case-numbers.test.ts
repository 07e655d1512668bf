import { randomInt } from 'node:crypto';
import { allocateCaseNumber } from '../../../db/case-numbers';
import { createDb } from '../../../db/connection';

const db = createDb(process.env.DATABASE_URL as string, 20);
// A prefix no other test file uses, so the counters start at 1 here.
const prefix = `T${Array.from({ length: 6 }, () => String.fromCharCode(65 + randomInt(26))).join('')}`;

afterAll(async () => {
  await db('case_number_counters').where({ prefix }).delete();
  await db.destroy();
});

describe('case numbers', () => {
  it('50 concurrent allocations give 50 distinct consecutive numbers in the PREFIX-YYYY-NNNNNN form', async () => {
    const numbers = await Promise.all(Array.from({ length: 50 }, () => allocateCaseNumber(db, prefix, 2026)));

    for (const n of numbers) expect(n).toMatch(new RegExp(`^${prefix}-2026-\\d{6}$`));
    const values = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('each year counts from 000001', async () => {
    expect(await allocateCaseNumber(db, prefix, 2027)).toBe(`${prefix}-2027-000001`);
    expect(await allocateCaseNumber(db, prefix, 2027)).toBe(`${prefix}-2027-000002`);
  });

  it('a malformed prefix is refused before touching the database', async () => {
    await expect(allocateCaseNumber(db, 'chg', 2026)).rejects.toThrow(RangeError);
  });
});
