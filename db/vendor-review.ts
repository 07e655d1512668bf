/**
 * What a vendor review reads besides its figures: the vendor, the period as instants, the business
 * departments to survey (the heads of the departments owning the vendor's systems), the vendor's
 * project manager, the corrective actions earlier reviews left open, and the review schedule.
 */
import type { Knex } from 'knex';

export type PeriodKind = 'monthly' | 'quarterly';

export interface ReviewPeriod {
  kind: PeriodKind;
  start: string;
  /** [from, to) as instants. */
  from: string;
  to: string;
  /** `2026-Q3`, `2026-09`. */
  label: string;
}

/** The UTC offset of `zone` at `ms`, in milliseconds. */
function offsetMs(zone: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - Math.floor(ms / 1000) * 1000;
}

/** Midnight at the start of a local date (month index may overflow: 12 → next January). */
function localMidnight(zone: string, year: number, month: number, day = 1): number {
  const utc = Date.UTC(year, month, day);
  return utc - offsetMs(zone, utc - offsetMs(zone, utc));
}

export function reviewPeriod(kind: PeriodKind, start: string, zone: string): ReviewPeriod {
  const [y, m] = start.split('-').map(Number);
  const months = kind === 'monthly' ? 1 : 3;
  return {
    kind,
    start,
    from: new Date(localMidnight(zone, y, m - 1)).toISOString(),
    to: new Date(localMidnight(zone, y, m - 1 + months)).toISOString(),
    label: kind === 'monthly' ? `${y}-${String(m).padStart(2, '0')}` : `${y}-Q${(m + 2) / 3}`,
  };
}

/** The first day of the last whole period before `at` (a schedule firing on the 1st reviews the one just ended). */
export function periodBefore(kind: PeriodKind, at: string, zone: string): string {
  const ms = Date.parse(at);
  const local = new Date(ms + offsetMs(zone, ms));
  let y = local.getUTCFullYear();
  let m = local.getUTCMonth(); // 0-based month of `at`
  if (kind === 'quarterly') m -= m % 3;
  m -= kind === 'monthly' ? 1 : 3;
  if (m < 0) {
    m += 12;
    y -= 1;
  }
  return `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

export interface SurveyContact {
  departmentId: string;
  departmentName: string;
  userId: string;
}

export interface OpenCorrectiveAction {
  reviewCaseId: string;
  period: string | null;
  step: string;
  finding: string;
  correctiveAction: string;
  owner: string;
  dueAt: string;
  overdue: boolean;
  /** The highest escalation level its clock reached. */
  escalationLevel: number;
}

export interface VendorReviewScope {
  vendorName: string;
  period: ReviewPeriod;
  contacts: SurveyContact[];
  unreachable: Array<{ departmentId: string; departmentName: string }>;
  vendorPm: string | null;
  openActions: OpenCorrectiveAction[];
}

export async function vendorReviewScope(
  db: Knex,
  input: { vendorId: string; periodKind: PeriodKind; periodStart: string; timeZone: string; caseId: string },
): Promise<VendorReviewScope | null> {
  const vendor = (await db('vendors').where({ id: input.vendorId }).first()) as
    { id: string; name: string } | undefined;
  if (!vendor) return null;
  const departments = (await db('systems as s')
    .join('departments as d', 'd.id', 's.owner_department_id')
    .leftJoin('users as u', function () {
      this.on('u.id', '=', 'd.head_user_id').andOn('u.active', '=', db.raw('true'));
    })
    .where({ 's.vendor_id': input.vendorId, 's.active': true })
    .distinct('d.id', 'd.name', 'u.id as head')
    .orderBy('d.id')) as Array<{ id: string; name: string; head: string | null }>;
  const pm = (await db('users as u')
    .join('user_roles as r', 'r.user_id', 'u.id')
    .where({ 'u.vendor_id': input.vendorId, 'u.active': true, 'r.role': 'vendor_pm' })
    .orderBy('u.id')
    .first('u.id')) as { id: string } | undefined;
  return {
    vendorName: vendor.name,
    period: reviewPeriod(input.periodKind, input.periodStart, input.timeZone),
    contacts: departments
      .filter((d) => d.head !== null)
      .map((d) => ({ departmentId: d.id, departmentName: d.name, userId: d.head as string })),
    unreachable: departments
      .filter((d) => d.head === null)
      .map((d) => ({ departmentId: d.id, departmentName: d.name })),
    vendorPm: pm?.id ?? null,
    openActions: await openCorrectiveActions(db, input.vendorId, input.caseId),
  };
}

/** Corrective actions of the vendor's other reviews that are not closed, with how far they escalated. */
export async function openCorrectiveActions(
  db: Knex,
  vendorId: string,
  exceptCaseId: string,
): Promise<OpenCorrectiveAction[]> {
  const { rows } = await db.raw<{ rows: Array<Record<string, unknown>> }>(
    `SELECT c.case_id, c.fields->'period'->>'label' AS period, a.value AS action,
            COALESCE((SELECT max((e.data->>'level')::int) FROM case_events e
                       WHERE e.case_id = c.case_id AND e.type = 'sla.escalated'
                         AND e.data->>'step' = a.value->>'step'), 0) AS level
       FROM cases c CROSS JOIN LATERAL jsonb_array_elements(
              CASE jsonb_typeof(c.fields->'correctiveActions') WHEN 'array' THEN c.fields->'correctiveActions'
                   ELSE '[]'::jsonb END) a
      WHERE c.process = 'vendor-review' AND c.fields->>'vendorId' = ? AND c.case_id <> ?
        AND a.value->>'status' = 'open'
      ORDER BY c.case_id, a.value->>'step'`,
    [vendorId, exceptCaseId],
  );
  return rows.map((r) => {
    const a = r.action as Record<string, unknown>;
    return {
      reviewCaseId: String(r.case_id),
      period: (r.period as string | null) ?? null,
      step: String(a.step),
      finding: String(a.finding ?? ''),
      correctiveAction: String(a.correctiveAction ?? ''),
      owner: String(a.owner ?? ''),
      dueAt: String(a.dueAt ?? ''),
      overdue: a.overdue === true || Date.parse(String(a.dueAt)) < Date.now(),
      escalationLevel: Number(r.level ?? 0),
    };
  });
}

/** A vendor reviewed on a schedule (table `vendor_review_settings`). */
export interface VendorReviewSetting {
  vendorId: string;
  period: PeriodKind;
  requester: string;
  timeZone: string;
}

export async function activeVendorReviewSettings(db: Knex): Promise<VendorReviewSetting[]> {
  const rows = (await db('vendor_review_settings').where({ active: true }).orderBy('vendor_id')) as Array<
    Record<string, string>
  >;
  return rows.map((r) => ({
    vendorId: r.vendor_id,
    period: r.period as PeriodKind,
    requester: r.requester,
    timeZone: r.time_zone,
  }));
}

/** The start request refers to a vendor that exists. */
export async function unknownVendor(db: Knex, vendorId: unknown): Promise<boolean> {
  if (typeof vendorId !== 'string') return false;
  return !(await db('vendors').where({ id: vendorId }).first());
}

/**
 * 002 §6.4 b: each corrective action has an owner who is told and chased. An owner the directory
 * does not know as an active user would make a task nobody is mailed about or may complete, so the
 * scoring form naming one is refused at the door, each bad owner by its JSON path.
 */
export async function unknownActionOwners(
  db: Knex,
  form: Record<string, unknown>,
): Promise<Array<{ path: string; message: string }>> {
  const actions = Array.isArray(form.nonConformities) ? (form.nonConformities as unknown[]) : [];
  const owners = actions.map((a) =>
    a && typeof a === 'object' ? String((a as { owner?: unknown }).owner ?? '') : '',
  );
  if (owners.length === 0) return [];
  const active = new Set(
    await db('users')
      .whereIn('id', [...new Set(owners)])
      .where({ active: true })
      .pluck<string[]>('id'),
  );
  return owners.flatMap((owner, i) =>
    active.has(owner) ? [] : [{ path: `/nonConformities/${i}/owner`, message: `no active user ${owner}` }],
  );
}
