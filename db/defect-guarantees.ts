/**
 * The monthly guarantees of defect handling (003 (九) 1–2), per vendor and system, computed in
 * SQL from the read model (`cases.fields` of process `defect`), over the cases the reader may
 * read (db/case-access.ts):
 *
 * - handling rate (target 100 %): the month's problems are the defects whose requirement the user
 *   confirmed in the month (the window runs from there, 003 (九) 3); handled are those resolved
 *   before the month's end, or closed by then otherwise (a rejection the PM agreed to, a data fix
 *   the user declined). A defect reopened and not resolved again is not handled.
 * - on-time rate of code-change maintenance (target ≥ 85 %): resolutions in the month whose fix
 *   changed program code (`codeChange`), on time when resolved by the window (`onTime`).
 *
 * Each figure comes with its case ids, so a reader can check every count.
 */
import type { Knex } from 'knex';
import { visibleTo, type CaseReader } from './case-access';

export const HANDLING_TARGET = 1;
export const ON_TIME_TARGET = 0.85;

export interface Rate {
  /** Null when the month has nothing to count. */
  rate: number | null;
  target: number;
  met: boolean | null;
}

export interface GuaranteeFigures {
  handling: Rate & { problems: string[]; handled: string[]; unhandled: string[] };
  onTime: Rate & { codeChanges: string[]; onTime: string[]; late: string[] };
}

export interface DefectGuarantees {
  month: string;
  from: string;
  to: string;
  vendor: string | null;
  system: string | null;
  total: GuaranteeFigures;
  groups: Array<{ vendorId: string | null; system: string | null } & GuaranteeFigures>;
}

export interface GuaranteeQuery {
  /** `YYYY-MM`. */
  month: string;
  vendor?: string;
  system?: string;
  reader: CaseReader;
  /** The organisation's zone: a month runs from its first midnight there. */
  timeZone: string;
}

interface Row {
  vendor_id: string | null;
  system: string | null;
  problems: string[];
  handled: string[];
  code_changes: string[];
  on_time: string[];
}

export async function defectGuarantees(db: Knex, q: GuaranteeQuery): Promise<DefectGuarantees> {
  const [year, month] = q.month.split('-').map(Number);
  const next = month === 12 ? [year + 1, 1] : [year, month + 1];
  const bounds = (await db
    .select(
      db.raw('make_timestamptz(?, ?, 1, 0, 0, 0, ?) AS "from"', [year, month, q.timeZone]),
      db.raw('make_timestamptz(?, ?, 1, 0, 0, 0, ?) AS "to"', [next[0], next[1], q.timeZone]),
    )
    .first()) as { from: Date; to: Date };

  const { total, groups } = await guaranteesOver(
    db,
    db('cases')
      .modify(visibleTo(q.reader))
      .modify((query) => {
        if (q.vendor) void query.whereRaw(`fields->>'vendorId' = ?`, [q.vendor]);
        if (q.system) void query.where('system', q.system);
      }),
    bounds,
  );
  return {
    month: q.month,
    from: bounds.from.toISOString(),
    to: bounds.to.toISOString(),
    vendor: q.vendor ?? null,
    system: q.system ?? null,
    total,
    groups,
  };
}

/**
 * The rule itself, over the defects among `cases` (a query over `cases` the caller has narrowed to
 * the reader and scope), for the month [bounds.from, bounds.to): per vendor and system, and in
 * total. The monthly service report counts its guarantees with it too (db/service-report.ts).
 */
export async function guaranteesOver(
  db: Knex,
  cases: Knex.QueryBuilder,
  bounds: { from: Date; to: Date },
): Promise<Pick<DefectGuarantees, 'total' | 'groups'>> {
  const defects = cases
    .clone()
    .where('cases.process', 'defect')
    .select(
      'cases.case_id',
      'cases.system',
      'cases.state',
      'cases.closed_at',
      db.raw(`cases.fields->>'vendorId' AS vendor_id`),
      db.raw(`(cases.fields->>'confirmedAt')::timestamptz AS confirmed_at`),
      db.raw(`(cases.fields->>'resolvedAt')::timestamptz AS resolved_at`),
      db.raw(`coalesce((cases.fields->>'codeChange')::boolean, false) AS code_change`),
      db.raw(`coalesce((cases.fields->>'onTime')::boolean, false) AS on_time`),
      db.raw('?::timestamptz AS m_from', [bounds.from]),
      db.raw('?::timestamptz AS m_to', [bounds.to]),
    );

  // The month's bounds ride along as columns, so the figures below need no bindings.
  const inMonth = (column: string) => `${column} >= m_from AND ${column} < m_to`;
  const handled = `(resolved_at < m_to OR (state = 'closed' AND closed_at < m_to))`;
  const ids = (condition: string, name: string) =>
    db.raw(`coalesce(array_agg(case_id ORDER BY case_id) FILTER (WHERE ${condition}), '{}') AS ${name}`);
  const rows: Row[] = await db
    .with('d', defects)
    .from('d')
    .select(
      'vendor_id',
      'system',
      ids(inMonth('confirmed_at'), 'problems'),
      ids(`${inMonth('confirmed_at')} AND ${handled}`, 'handled'),
      ids(`code_change AND ${inMonth('resolved_at')}`, 'code_changes'),
      ids(`code_change AND on_time AND ${inMonth('resolved_at')}`, 'on_time'),
    )
    .whereRaw(`${inMonth('confirmed_at')} OR (code_change AND ${inMonth('resolved_at')})`)
    .groupBy('vendor_id', 'system')
    .orderByRaw('vendor_id NULLS LAST, "system" NULLS LAST');

  return {
    groups: rows.map((r) => ({ vendorId: r.vendor_id, system: r.system, ...figures(r) })),
    total: figures({
      problems: rows.flatMap((r) => r.problems).sort(),
      handled: rows.flatMap((r) => r.handled).sort(),
      code_changes: rows.flatMap((r) => r.code_changes).sort(),
      on_time: rows.flatMap((r) => r.on_time).sort(),
    }),
  };
}

function figures(r: Pick<Row, 'problems' | 'handled' | 'code_changes' | 'on_time'>): GuaranteeFigures {
  return {
    handling: {
      ...rate(r.handled.length, r.problems.length, HANDLING_TARGET),
      problems: r.problems,
      handled: r.handled,
      unhandled: r.problems.filter((id) => !r.handled.includes(id)),
    },
    onTime: {
      ...rate(r.on_time.length, r.code_changes.length, ON_TIME_TARGET),
      codeChanges: r.code_changes,
      onTime: r.on_time,
      late: r.code_changes.filter((id) => !r.on_time.includes(id)),
    },
  };
}

function rate(count: number, of: number, target: number): Rate {
  if (of === 0) return { rate: null, target, met: null };
  const value = count / of;
  return { rate: Math.round(value * 10000) / 10000, target, met: value >= target };
}
