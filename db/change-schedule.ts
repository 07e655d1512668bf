/** When changes may go live: freeze periods, maintenance windows, and the changes already scheduled. */
import type { Knex } from 'knex';
import type { SchedulePeriod } from '../workflows/change/schedule-check';

interface PeriodRow {
  id: string;
  name: string;
  starts_at: Date;
  ends_at: Date;
  systems: string[];
}

export type PeriodInput = Omit<SchedulePeriod, 'systems'> & { systems?: string[] };

const toPeriod = (row: PeriodRow): SchedulePeriod => ({
  id: row.id,
  name: row.name,
  startsAt: row.starts_at.toISOString(),
  endsAt: row.ends_at.toISOString(),
  systems: row.systems,
});

function upsertPeriod(table: string) {
  return async (db: Knex, period: PeriodInput): Promise<void> => {
    await db(table)
      .insert({
        id: period.id,
        name: period.name,
        starts_at: period.startsAt,
        ends_at: period.endsAt,
        systems: period.systems ?? [],
        updated_at: db.fn.now(),
      })
      .onConflict('id')
      .merge();
  };
}

export const upsertFreezePeriod = upsertPeriod('change_freeze_periods');
export const upsertMaintenanceWindow = upsertPeriod('change_maintenance_windows');

export type PeriodKind = 'freeze-periods' | 'maintenance-windows';
const periodTables: Record<PeriodKind, string> = {
  'freeze-periods': 'change_freeze_periods',
  'maintenance-windows': 'change_maintenance_windows',
};

/** Every period of the kind, soonest first; `current` leaves out the ones already over. */
export async function listPeriods(
  db: Knex,
  kind: PeriodKind,
  options: { current?: boolean; now?: Date } = {},
): Promise<SchedulePeriod[]> {
  const query = db<PeriodRow>(periodTables[kind]).orderBy([{ column: 'starts_at' }, { column: 'id' }]);
  if (options.current) void query.where('ends_at', '>', options.now ?? new Date());
  return (await query).map(toPeriod);
}

/** Deletes a period; false when there was none with that id. A scheduled change keeps what it was checked against. */
export async function deletePeriod(db: Knex, kind: PeriodKind, id: string): Promise<boolean> {
  return (await db(periodTables[kind]).where({ id }).delete()) > 0;
}

/** Periods not yet over that concern any of the systems (or every system). */
async function periodsAhead(
  db: Knex,
  table: string,
  systems: string[],
  now: Date,
): Promise<SchedulePeriod[]> {
  const rows = await db<PeriodRow>(table)
    .where('ends_at', '>', now)
    .where((q) => {
      void q.whereRaw(`systems = '{}'`).orWhereRaw('systems && ?::text[]', [systems]);
    })
    .orderBy('starts_at');
  return rows.map(toPeriod);
}

export const freezePeriodsAhead = (db: Knex, systems: string[], now: Date) =>
  periodsAhead(db, 'change_freeze_periods', systems, now);
export const maintenanceWindowsAhead = (db: Knex, systems: string[], now: Date) =>
  periodsAhead(db, 'change_maintenance_windows', systems, now);

export interface ScheduledChange {
  caseId: string;
  title: string;
  affectedSystems: string[];
  windowStart: string;
  windowEnd: string;
}

/** Other open changes scheduled on any of the systems in a window overlapping [start, end). */
export async function overlappingChanges(
  db: Knex,
  query: { caseId: string; systems: string[]; windowStart: string; windowEnd: string },
): Promise<ScheduledChange[]> {
  const rows: Array<{ case_id: string; title: string; fields: Record<string, unknown> }> = await db('cases')
    .where({ process: 'change', state: 'open' })
    .whereNot({ case_id: query.caseId })
    .whereRaw(`fields->'window' IS NOT NULL`)
    .whereRaw(`jsonb_exists_any(fields->'affectedSystems', ?::text[])`, [query.systems])
    .whereRaw(`(fields->'window'->>'windowStart')::timestamptz < ?::timestamptz`, [query.windowEnd])
    .whereRaw(`(fields->'window'->>'windowEnd')::timestamptz > ?::timestamptz`, [query.windowStart])
    .orderBy('case_id')
    .select('case_id', 'title', 'fields');
  return rows.map((r) => {
    const window = r.fields.window as { windowStart: string; windowEnd: string };
    return {
      caseId: r.case_id,
      title: r.title,
      affectedSystems: r.fields.affectedSystems as string[],
      windowStart: window.windowStart,
      windowEnd: window.windowEnd,
    };
  });
}

/** Whom to tell in writing before a change that may interrupt their business (001 §19): each department's heads, else its staff. */
export async function departmentContacts(db: Knex, departmentIds: string[]): Promise<string[]> {
  if (departmentIds.length === 0) return [];
  const rows: Array<{ id: string; department_id: string; head: boolean }> = await db('users as u')
    .where('u.active', true)
    .whereIn('u.department_id', departmentIds)
    .select(
      'u.id',
      'u.department_id',
      db.raw(
        `EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'department_head') AS head`,
      ),
    )
    .orderBy('u.id');
  return departmentIds.flatMap((d) => {
    const staff = rows.filter((r) => r.department_id === d);
    const heads = staff.filter((r) => r.head);
    return (heads.length > 0 ? heads : staff).map((r) => r.id);
  });
}
