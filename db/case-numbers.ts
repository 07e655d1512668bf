/**
 * Case numbers such as CHG-2026-000123, which are also the workflow ids. One statement both
 * creates the year's counter and advances it; PostgreSQL's row lock on the counter makes
 * concurrent callers take turns, so no two ever get the same number.
 */
import type { Knex } from 'knex';

export async function allocateCaseNumber(db: Knex, prefix: string, year: number): Promise<string> {
  if (!/^[A-Z][A-Z0-9]{1,9}$/.test(prefix))
    throw new RangeError(`case-number prefix "${prefix}" must be 2-10 capitals`);
  if (!Number.isInteger(year) || year < 2000 || year > 9999)
    throw new RangeError(`year ${year} is out of range`);
  const result = await db.raw<{ rows: { last_value: number }[] }>(
    `INSERT INTO case_number_counters AS c (prefix, year, last_value) VALUES (?, ?, 1)
     ON CONFLICT (prefix, year) DO UPDATE SET last_value = c.last_value + 1
     RETURNING c.last_value`,
    [prefix, year],
  );
  return formatCaseNumber(prefix, year, Number(result.rows[0].last_value));
}

export function formatCaseNumber(prefix: string, year: number, value: number): string {
  return `${prefix}-${year}-${String(value).padStart(6, '0')}`;
}
