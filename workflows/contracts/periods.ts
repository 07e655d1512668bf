/** Reporting periods of periodic work: calendar quarters and months, as local dates. */

const pad = (n: number) => String(n).padStart(2, '0');

/** "YYYY-Qn" → its first day and the first day after it, "YYYY-MM-DD". */
export function quarterRange(quarter: string): { from: string; to: string } {
  const [year, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6))];
  const startMonth = (q - 1) * 3 + 1;
  const next = q === 4 ? { y: year + 1, m: 1 } : { y: year, m: startMonth + 3 };
  return { from: `${year}-${pad(startMonth)}-01`, to: `${next.y}-${pad(next.m)}-01` };
}

/** The quarter before the one the date falls in, "YYYY-Qn". */
export function previousQuarter(date: string): string {
  const year = Number(date.slice(0, 4));
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}

/** The month before the one the date falls in: its first day and the first day after it. */
export function previousMonth(date: string): { from: string; to: string } {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const from = month === 1 ? `${year - 1}-12-01` : `${year}-${pad(month - 1)}-01`;
  return { from, to: `${year}-${pad(month)}-01` };
}
