/**
 * The figures of the monthly service report (003 (四) 2 "提供完整的服务报告", (九) guarantees;
 * 004 §7.1; 002 §6.3.2 a–b) for one month in the organisation's time zone, optionally one system
 * or one vendor. SQL over the read model (`cases`, `case_events`), every query through the
 * case-access rule (`db/case-access.ts`): a reader sees figures over the cases they may read, and
 * the organisation-wide figures a report freezes are those an organisation-wide reader sees.
 *
 * Each section names its source, so the processes still being built plug in by writing those
 * fields; a section whose process has no case in scope is `null` ("no data"), never 0.
 */
import type { Knex } from 'knex';
import { visibleTo, type CaseReader } from './case-access';
import { guaranteesOver } from './defect-guarantees';
import { serviceReportSources, type ServiceReportFigures } from './service-report-shape';

export * from './service-report-shape';

export interface ServiceReportScope {
  /** YYYY-MM. */
  month: string;
  system?: string | null;
  vendor?: string | null;
  timeZone: string;
}

/** Everyone's cases, or the cases one reader may read. */
export type ReportReader = CaseReader | 'organisation';

const TREND_MONTHS = 6;

interface Bounds {
  from: Date;
  to: Date;
  trendFrom: Date;
}

/** Start and end of the month (and of the trend's first month) in the time zone. */
async function boundsOf(db: Knex, scope: ServiceReportScope): Promise<Bounds> {
  const first = `${scope.month}-01`;
  const { rows } = await db.raw(
    `SELECT (?::date::timestamp AT TIME ZONE ?) AS "from",
            ((?::date + interval '1 month')::timestamp AT TIME ZONE ?) AS "to",
            ((?::date - ?::int * interval '1 month')::timestamp AT TIME ZONE ?) AS "trendFrom"`,
    [first, scope.timeZone, first, scope.timeZone, first, TREND_MONTHS - 1, scope.timeZone],
  );
  return rows[0] as Bounds;
}

/** The reader's cases within the scope (system; vendor by the system's contract or the case's vendor). */
function scoped(db: Knex, scope: ServiceReportScope, reader: ReportReader): Knex.QueryBuilder {
  return db('cases').modify((q) => {
    if (reader !== 'organisation') visibleTo(reader)(q);
    if (scope.system) void q.where('cases.system', scope.system);
    const vendor = scope.vendor;
    if (vendor) {
      void q.whereRaw(
        `(EXISTS (SELECT 1 FROM systems s WHERE s.id = cases."system" AND s.vendor_id = ?)
          OR cases.fields->>'vendorId' = ?)`,
        [vendor, vendor],
      );
    }
  });
}

const num = (v: unknown) => Number(v ?? 0);
const rate = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10000) / 10000;
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v == null ? null : String(v));

/** The report's figures, and every case they count (who may read a frozen report: db/service-report-snapshots.ts). */
export async function serviceReportFigures(
  db: Knex,
  scope: ServiceReportScope,
  reader: ReportReader,
): Promise<{ figures: ServiceReportFigures; coveredCases: string[] }> {
  const b = await boundsOf(db, scope);
  const covered = new Set<string>();
  const cover = (ids: Iterable<string>) => {
    for (const id of ids) covered.add(id);
  };
  const inMonth = (column: string) => (q: Knex.QueryBuilder) =>
    void q.where(column, '>=', b.from).where(column, '<', b.to);
  const openDuringMonth = (q: Knex.QueryBuilder) =>
    void q
      .where('cases.created_at', '<', b.to)
      .whereRaw('(cases.closed_at IS NULL OR cases.closed_at >= ?)', [b.from]);

  // Cases opened / closed by process, and the monthly trend.
  const moved = await scoped(db, scope, reader)
    .whereRaw('(cases.created_at >= ? OR cases.closed_at >= ?)', [b.trendFrom, b.trendFrom])
    .where('cases.created_at', '<', b.to)
    .select(
      'cases.case_id',
      'cases.process',
      db.raw(`to_char(cases.created_at AT TIME ZONE ?, 'YYYY-MM') AS opened_month`, [scope.timeZone]),
      db.raw(`to_char(cases.closed_at AT TIME ZONE ?, 'YYYY-MM') AS closed_month`, [scope.timeZone]),
    );
  const byProcess = new Map<string, { opened: number; closed: number }>();
  const trendMonths = monthsEndingWith(scope.month, TREND_MONTHS);
  const trend = new Map(trendMonths.map((m) => [m, { opened: 0, closed: 0 }]));
  for (const r of moved as Array<Record<string, string | null>>) {
    const p = byProcess.get(r.process!) ?? { opened: 0, closed: 0 };
    if (r.opened_month === scope.month) p.opened += 1;
    if (r.closed_month === scope.month) p.closed += 1;
    if (p.opened + p.closed > 0) byProcess.set(r.process!, p);
    if (r.opened_month === scope.month || r.closed_month === scope.month) covered.add(r.case_id!);
    if (r.opened_month && trend.has(r.opened_month)) trend.get(r.opened_month)!.opened += 1;
    if (r.closed_month && trend.has(r.closed_month)) trend.get(r.closed_month)!.closed += 1;
  }

  // SLA per stage: each step counted once, in the month its verdict fell — completed in time
  // (met), or its `sla.overdue` fired (breached).
  const scopedIds = scoped(db, scope, reader).modify(openDuringMonth).select('cases.case_id');
  const steps = await db
    .with('scoped', scopedIds)
    .with(
      'opened',
      db.raw(
        `SELECT e.case_id, c.process, e.data->>'step' AS step_key, e.data->>'dueAt' AS due_at
           FROM case_events e JOIN cases c ON c.case_id = e.case_id
          WHERE e.type = 'step.opened' AND e.case_id IN (SELECT case_id FROM scoped)`,
      ),
    )
    .with(
      'done',
      db.raw(
        `SELECT case_id, data->>'step' AS step_key, min(occurred_at) AS done_at FROM case_events
          WHERE case_id IN (SELECT case_id FROM scoped)
            AND (type = 'task.completed' OR (type = 'step.decided' AND data->>'outcome' IS NOT NULL))
          GROUP BY 1, 2`,
      ),
    )
    .with(
      'breach',
      db.raw(
        `SELECT case_id, data->>'step' AS step_key,
                min(occurred_at) FILTER (WHERE type = 'sla.overdue') AS overdue_at,
                max((data->>'level')::int) FILTER (WHERE type = 'sla.escalated') AS level
           FROM case_events
          WHERE case_id IN (SELECT case_id FROM scoped) AND type IN ('sla.overdue', 'sla.escalated')
          GROUP BY 1, 2`,
      ),
    )
    .from('opened as o')
    .leftJoin('done as d', (j) => j.on('d.case_id', 'o.case_id').andOn('d.step_key', 'o.step_key'))
    .leftJoin('breach as x', (j) => j.on('x.case_id', 'o.case_id').andOn('x.step_key', 'o.step_key'))
    .whereRaw('coalesce(x.overdue_at, d.done_at) >= ? AND coalesce(x.overdue_at, d.done_at) < ?', [
      b.from,
      b.to,
    ])
    .orderBy([{ column: 'o.case_id' }, { column: 'o.step_key' }])
    .select(
      'o.case_id',
      'o.process',
      'o.step_key',
      'o.due_at',
      'd.done_at',
      'x.overdue_at',
      db.raw('coalesce(x.level, 0) AS level'),
    );
  const stages = new Map<string, { process: string; step: string; met: number; breached: number }>();
  const breaches: ServiceReportFigures['sla']['breaches'] = [];
  for (const s of steps as Array<Record<string, unknown>>) {
    const step = String(s.step_key).replace(/#\d+$/, '');
    const key = `${String(s.process)}\u0000${step}`;
    const row = stages.get(key) ?? { process: String(s.process), step, met: 0, breached: 0 };
    covered.add(String(s.case_id));
    if (s.overdue_at) {
      row.breached += 1;
      breaches.push({
        caseId: String(s.case_id),
        process: String(s.process),
        step: String(s.step_key),
        dueAt: iso(s.due_at),
        overdueAt: iso(s.overdue_at)!,
        doneAt: iso(s.done_at),
        escalationLevel: num(s.level),
      });
    } else row.met += 1;
    stages.set(key, row);
  }
  const stageRows = [...stages.values()]
    .sort((a, b2) => a.process.localeCompare(b2.process) || a.step.localeCompare(b2.step))
    .map((r) => ({ ...r, attainment: rate(r.met, r.met + r.breached) }));
  const met = stageRows.reduce((n, r) => n + r.met, 0);
  const breached = stageRows.reduce((n, r) => n + r.breached, 0);

  // Defects (003 (九) 1–3): the process writes defectClass, vendorId, codeChange, onTime, resolvedAt.
  const defects = (await scoped(db, scope, reader)
    .where('cases.process', 'defect')
    .modify(openDuringMonth)
    .orderBy('cases.case_id')
    .select('cases.case_id', 'cases.created_at', 'cases.closed_at', 'cases.fields')) as Array<{
    case_id: string;
    created_at: Date;
    closed_at: Date | null;
    fields: Record<string, unknown>;
  }>;
  let guarantees: ServiceReportFigures['guarantees'] = null;
  let defectsByClass: ServiceReportFigures['defectsByClass'] = null;
  const within = (t: number | null) => t !== null && t >= b.from.getTime() && t < b.to.getTime();
  const instant = (v: unknown) =>
    typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : null;
  const resolvedAt = (d: (typeof defects)[number]) => instant(d.fields.resolvedAt);
  // The guarantees as the defect process counts them — the one rule, db/defect-guarantees.ts —
  // over the defects in the report's scope; "no data" when the scope has no defect this month.
  if (defects.length > 0) {
    cover(defects.map((d) => d.case_id));
    const { total } = await guaranteesOver(db, scoped(db, scope, reader), b);
    cover([...total.handling.problems, ...total.onTime.codeChanges]);
    guarantees = {
      handling: {
        toHandle: total.handling.problems.length,
        handled: total.handling.handled.length,
        rate: total.handling.rate,
        target: total.handling.target,
        met: total.handling.met,
      },
      onTime: {
        codeChanges: total.onTime.codeChanges.length,
        onTime: total.onTime.onTime.length,
        rate: total.onTime.rate,
        target: total.onTime.target,
        met: total.onTime.met,
      },
    };
    const classes = new Map<string, { defectClass: string; raised: number; resolved: number }>();
    for (const d of defects) {
      const defectClass = typeof d.fields.defectClass === 'string' ? d.fields.defectClass : 'unclassified';
      const row = classes.get(defectClass) ?? { defectClass, raised: 0, resolved: 0 };
      if (within(d.created_at.getTime())) row.raised += 1;
      if (within(resolvedAt(d))) row.resolved += 1;
      classes.set(defectClass, row);
    }
    defectsByClass = [...classes.values()]
      .filter((r) => r.raised + r.resolved > 0)
      .sort((a, b2) => a.defectClass.localeCompare(b2.defectClass));
  }

  // Emergencies raised in the month, with their recovery (the emergency's milestones and recovery report).
  const emergencyRows = (await scoped(db, scope, reader)
    .where('cases.process', 'emergency')
    .modify(inMonth('cases.created_at'))
    .orderBy('cases.created_at')
    .select(
      'cases.case_id',
      'cases.title',
      'cases.priority',
      'cases.state',
      'cases.created_at',
      db.raw(`cases.fields #>> '{milestones,recovered,at}' AS recovered_at`),
      db.raw(`cases.fields #>> '{milestones,recovered,outcome}' AS recovery_clock`),
      db.raw(`cases.fields #>> '{recoveryReport,recoveryMinutes}' AS reported_minutes`),
    )) as Array<Record<string, unknown>>;
  cover(emergencyRows.map((e) => String(e.case_id)));
  const emergencies = emergencyRows.map((e) => {
    const recoveredAt = iso(e.recovered_at);
    const measured =
      recoveredAt === null
        ? null
        : Math.max(0, Math.round((Date.parse(recoveredAt) - (e.created_at as Date).getTime()) / 60_000));
    return {
      caseId: String(e.case_id),
      title: String(e.title),
      level: String(e.priority),
      state: String(e.state),
      occurredAt: iso(e.created_at)!,
      recoveredAt,
      recoveryMinutes: e.reported_minutes != null ? Number(e.reported_minutes) : measured,
      recoveryClock: e.recovery_clock == null ? null : String(e.recovery_clock),
    };
  });

  // Changes and releases: opened and closed in the month, the closed ones by outcome (and type).
  const lifecycle = async (process: string, typeField: string | null) => {
    const rows = (await scoped(db, scope, reader)
      .where('cases.process', process)
      .whereRaw(
        '((cases.created_at >= ? AND cases.created_at < ?) OR (cases.closed_at >= ? AND cases.closed_at < ?))',
        [b.from, b.to, b.from, b.to],
      )
      .select('cases.case_id', 'cases.created_at', 'cases.closed_at', 'cases.fields')) as Array<{
      case_id: string;
      created_at: Date;
      closed_at: Date | null;
      fields: Record<string, unknown>;
    }>;
    cover(rows.map((r) => r.case_id));
    const closed = rows.filter((r) => r.closed_at && within(r.closed_at.getTime()));
    const tally = (key: string) =>
      [
        ...closed.reduce(
          (m, r) =>
            m.set(String(r.fields[key] ?? 'unknown'), (m.get(String(r.fields[key] ?? 'unknown')) ?? 0) + 1),
          new Map<string, number>(),
        ),
      ]
        .sort(([a], [b2]) => a.localeCompare(b2))
        .map(([value, count]) => ({ value, count }));
    return {
      opened: rows.filter((r) => within(r.created_at.getTime())).length,
      closed: closed.length,
      byOutcome: tally('outcome'),
      ...(typeField ? { byType: tally(typeField) } : {}),
    };
  };
  const changes = await lifecycle('change', 'changeType');
  const releases = await lifecycle('release', null);

  // Open corrective actions of vendor reviews: items of `fields.correctiveActions` not done.
  const reviews = (await scoped(db, scope, reader)
    .where('cases.process', 'vendor-review')
    .where('cases.created_at', '<', b.to)
    .orderBy('cases.case_id')
    .select('cases.case_id', 'cases.fields')) as Array<{ case_id: string; fields: Record<string, unknown> }>;
  let correctiveActions: ServiceReportFigures['correctiveActions'] = null;
  if (reviews.length > 0) {
    correctiveActions = [];
    for (const r of reviews) {
      const actions = Array.isArray(r.fields.correctiveActions) ? r.fields.correctiveActions : [];
      for (const a of actions as Array<Record<string, unknown>>) {
        if (a.doneAt || a.closedAt || a.status === 'done' || a.status === 'closed') continue;
        covered.add(r.case_id);
        correctiveActions.push({
          caseId: r.case_id,
          // The vendor review writes `correctiveAction` (and its `finding`); `action` is accepted too.
          action: String(a.correctiveAction ?? a.action ?? a.finding ?? ''),
          owner: a.owner == null ? null : String(a.owner),
          dueAt: a.dueAt == null ? null : String(a.dueAt),
        });
      }
    }
  }

  const figures: ServiceReportFigures = {
    period: {
      month: scope.month,
      from: b.from.toISOString(),
      to: b.to.toISOString(),
      timeZone: scope.timeZone,
      system: scope.system ?? null,
      vendor: scope.vendor ?? null,
    },
    sources: serviceReportSources,
    casesByProcess: [...byProcess]
      .sort(([a], [b2]) => a.localeCompare(b2))
      .map(([process, c]) => ({ process, ...c })),
    trend: trendMonths.map((m) => ({ month: m, ...trend.get(m)! })),
    sla: { met, breached, attainment: rate(met, met + breached), stages: stageRows, breaches },
    guarantees,
    emergencies,
    changes,
    releases,
    defectsByClass,
    correctiveActions,
  };
  return { figures, coveredCases: [...covered].sort() };
}

/** `count` months ending with `month` (YYYY-MM), oldest first. */
export function monthsEndingWith(month: string, count: number): string[] {
  const [y, m] = month.split('-').map(Number);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}
