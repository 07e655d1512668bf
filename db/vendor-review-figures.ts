/**
 * The measured inputs of a vendor review (002 §6.6.3.8 e, 003 (九)) for one vendor and one period
 * [from, to), counted in SQL from Opsflow's own records — the audit trail's SLA events and the read
 * model — never typed in by anyone:
 *
 * - response-window attainment per emergency clock, on the emergencies of the vendor's contracted
 *   systems (`systems.vendor_id`); a clock belongs to the period its due time fell in, met when its
 *   milestone came by then, missed when it came later or has not come;
 * - defect on-time rate per class, code-change on-time rate (target 85 %), handling rate (target
 *   100 %) and reopen rate, from the defect read model (`fields.vendorId`, or the system's vendor);
 * - success and rollback counts of the changes the vendor's staff implemented;
 * - SLA escalations of steps assigned, at the time, to the vendor's staff;
 * - report timeliness: failure-recovery and summary reports of those emergencies and the vendor's
 *   own review reports, against their due times.
 *
 * Each figure carries the cases behind it, and those that fell short. Missing data is missing: a
 * rate with nothing to count is `value: null` with the reason, never 0 or 100 %.
 */
import type { Knex } from 'knex';

export type Dimension = 'projectManagement' | 'technicalCapability' | 'serviceQuality' | 'staffing';

export interface Figure {
  key: string;
  dimension: Dimension;
  kind: 'rate' | 'count';
  /** A rate in [0, 1] (four decimals) or a count; null when there was nothing to measure. */
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /** The contract's target for a rate, where a seed gives one. */
  target: number | null;
  /** Why there is no value. */
  missing: string | null;
  /** Every case the figure counts. */
  caseIds: string[];
  /** The cases that fell short (missed, late, reopened, rolled back, escalated). */
  shortfallCaseIds: string[];
}

export interface VendorReviewFigures {
  vendorId: string;
  from: string;
  to: string;
  systems: string[];
  figures: Figure[];
}

/** The emergency response clocks (SLA stages of the emergency process's milestones). */
export const EMERGENCY_CLOCKS = [
  'onsiteResponse',
  'onsiteArrival',
  'onsiteResolution',
  'remoteResponse',
  'diagnosisReport',
  'diagnosis',
  'resolution',
] as const;
const MILESTONE_STEPS = ['responded', 'arrived', 'diagnosed', 'recovered'];
export const DEFECT_CLASSES = ['routine', 'corrective', 'perfective'] as const;

interface Tally {
  /** What the rate counts: met, on time, handled, succeeded — or, for the reopen rate, reopened. */
  good: number;
  total: number;
  ids: string[] | null;
  short: string[] | null;
}

function rate(
  key: string,
  dimension: Dimension,
  t: Tally | undefined,
  missing: string,
  target: number | null = null,
): Figure {
  const total = Number(t?.total ?? 0);
  const good = Number(t?.good ?? 0);
  return {
    key,
    dimension,
    kind: 'rate',
    value: total === 0 ? null : Math.round((good / total) * 10_000) / 10_000,
    numerator: total === 0 ? null : good,
    denominator: total === 0 ? null : total,
    target,
    missing: total === 0 ? missing : null,
    caseIds: sorted(t?.ids),
    shortfallCaseIds: sorted(t?.short),
  };
}

function count(
  key: string,
  dimension: Dimension,
  n: number,
  ids: string[] | null,
  base: number,
  missing: string,
): Figure {
  return {
    key,
    dimension,
    kind: 'count',
    value: base === 0 ? null : n,
    numerator: null,
    denominator: null,
    target: null,
    missing: base === 0 ? missing : null,
    caseIds: sorted(ids),
    shortfallCaseIds: sorted(ids),
  };
}

const sorted = (ids: string[] | null | undefined) => [...new Set(ids ?? [])].sort();

/** A text field that must be an instant before SQL compares it (a malformed one counts as absent). */
const instant = (expr: string) =>
  `(CASE WHEN ${expr} ~ '^\\d{4}-\\d{2}-\\d{2}T' THEN (${expr})::timestamptz END)`;

export async function vendorReviewFigures(
  db: Knex,
  input: { vendorId: string; from: string | Date; to: string | Date },
): Promise<VendorReviewFigures> {
  const from = new Date(input.from).toISOString();
  const to = new Date(input.to).toISOString();
  const v = input.vendorId;
  const systems = (await db('systems').where({ vendor_id: v }).orderBy('id').pluck('id')) as string[];
  const p = { v, from, to, systems };

  const [clocks, defects, changes, escalations, reports] = await Promise.all([
    emergencyClocks(db, p),
    defectTallies(db, p),
    changeTallies(db, p),
    escalationTally(db, p),
    reportTally(db, p),
  ]);

  const noEmergency = 'no emergency on the vendor’s systems had this clock fall due in the period';
  const figures: Figure[] = [
    ...EMERGENCY_CLOCKS.map((clock) =>
      rate(`emergency.responseWindow.${clock}`, 'serviceQuality', clocks.get(clock), noEmergency),
    ),
    ...DEFECT_CLASSES.map((cls) =>
      rate(
        `defect.onTime.${cls}`,
        'serviceQuality',
        defects.get(`class:${cls}`),
        `no ${cls} defect of the vendor was resolved in the period`,
      ),
    ),
    rate(
      'defect.codeChangeOnTime',
      'serviceQuality',
      defects.get('codeChange'),
      'no code-change defect of the vendor was resolved in the period',
      0.85,
    ),
    rate(
      'defect.handlingRate',
      'serviceQuality',
      defects.get('handled'),
      'no defect of the vendor was raised in the period',
      1,
    ),
    rate(
      'defect.reopenRate',
      'technicalCapability',
      defects.get('reopened'),
      'no defect of the vendor was resolved in the period',
    ),
    rate(
      'change.successRate',
      'technicalCapability',
      changes.success,
      'the vendor implemented no change that closed in the period',
    ),
    count(
      'change.rollbacks',
      'technicalCapability',
      changes.rollbacks.length,
      changes.rollbacks,
      changes.success.total,
      'the vendor implemented no change that closed in the period',
    ),
    count(
      'escalations.received',
      'projectManagement',
      escalations.ids.length,
      escalations.ids,
      escalations.assigned,
      'no step was assigned to the vendor’s staff in the period',
    ),
    rate(
      'reports.timeliness',
      'projectManagement',
      reports,
      'no report of the vendor fell due in the period',
    ),
  ];
  return { vendorId: v, from, to, systems, figures };
}

interface Params {
  v: string;
  from: string;
  to: string;
  systems: string[];
}

async function emergencyClocks(db: Knex, p: Params): Promise<Map<string, Tally>> {
  const { rows } = await db.raw<{ rows: Array<Tally & { clock: string }> }>(
    `WITH emg AS (
       SELECT case_id FROM cases WHERE process = 'emergency' AND "system" = ANY(:systems::text[])
     ),
     reached AS (
       SELECT e.case_id, e.data->>'clock' AS clock, e.data->>'outcome' AS outcome
         FROM case_events e JOIN emg USING (case_id)
        WHERE e.type = 'emergency.milestone'
          AND ${instant("e.data->>'dueAt'")} >= :from AND ${instant("e.data->>'dueAt'")} < :to
     ),
     unreached AS (
       SELECT o.case_id, pol.stage AS clock, 'missed' AS outcome
         FROM case_events o JOIN emg USING (case_id)
         LEFT JOIN sla_policies pol ON pol.id = o.data->>'policyId'
        WHERE o.type = 'sla.overdue' AND o.data->>'step' = ANY(:steps::text[])
          AND ${instant("o.data->>'dueAt'")} >= :from AND ${instant("o.data->>'dueAt'")} < :to
          AND NOT EXISTS (SELECT 1 FROM case_events m
                           WHERE m.case_id = o.case_id AND m.type = 'emergency.milestone'
                             AND m.data->>'milestone' = o.data->>'step')
     )
     SELECT clock,
            count(*) FILTER (WHERE outcome = 'met')::int AS good,
            count(*)::int AS total,
            array_agg(case_id) AS ids,
            array_agg(case_id) FILTER (WHERE outcome <> 'met') AS short
       FROM (SELECT * FROM reached UNION ALL SELECT * FROM unreached) clocks
      WHERE clock IS NOT NULL
      GROUP BY clock`,
    { systems: p.systems, from: p.from, to: p.to, steps: MILESTONE_STEPS },
  );
  return new Map(rows.map((r) => [r.clock, r]));
}

async function defectTallies(db: Knex, p: Params): Promise<Map<string, Tally>> {
  const resolvedAt = instant("fields->>'resolvedAt'");
  const { rows } = await db.raw<{ rows: Array<Tally & { tally: string }> }>(
    `WITH d AS (
       SELECT case_id, created_at, fields->>'defectClass' AS cls,
              ${resolvedAt} AS resolved_at,
              CASE jsonb_typeof(fields->'onTime') WHEN 'boolean' THEN (fields->>'onTime')::boolean END AS on_time,
              COALESCE(fields->>'codeChange', 'false') = 'true' AS code_change,
              CASE WHEN fields->>'reopenCount' ~ '^\\d+$' THEN (fields->>'reopenCount')::int ELSE 0 END AS reopens
         FROM cases
        WHERE process = 'defect'
          AND (fields->>'vendorId' = :v
               OR (COALESCE(fields->>'vendorId', '') = '' AND "system" = ANY(:systems::text[])))
     ),
     resolved AS (SELECT * FROM d WHERE resolved_at >= :from AND resolved_at < :to)
     SELECT 'class:' || cls AS tally,
            count(*) FILTER (WHERE on_time)::int AS good, count(*)::int AS total,
            array_agg(case_id) AS ids, array_agg(case_id) FILTER (WHERE NOT on_time) AS short
       FROM resolved WHERE on_time IS NOT NULL GROUP BY cls
     UNION ALL
     SELECT 'codeChange', count(*) FILTER (WHERE on_time)::int, count(*)::int,
            array_agg(case_id), array_agg(case_id) FILTER (WHERE NOT on_time)
       FROM resolved WHERE code_change AND on_time IS NOT NULL
     UNION ALL
     SELECT 'reopened', count(*) FILTER (WHERE reopens > 0)::int, count(*)::int,
            array_agg(case_id), array_agg(case_id) FILTER (WHERE reopens > 0)
       FROM resolved
     UNION ALL
     SELECT 'handled', count(*) FILTER (WHERE resolved_at < :to)::int, count(*)::int,
            array_agg(case_id), array_agg(case_id) FILTER (WHERE resolved_at IS NULL OR resolved_at >= :to)
       FROM d WHERE created_at >= :from AND created_at < :to`,
    { v: p.v, systems: p.systems, from: p.from, to: p.to },
  );
  return new Map(rows.filter((r) => Number(r.total) > 0).map((r) => [r.tally, r]));
}

async function changeTallies(db: Knex, p: Params): Promise<{ success: Tally; rollbacks: string[] }> {
  const { rows } = await db.raw<{ rows: Array<Tally & { rolled: string[] | null }> }>(
    `SELECT count(*) FILTER (WHERE fields->>'outcome' = 'succeeded')::int AS good,
            count(*)::int AS total,
            array_agg(case_id) AS ids,
            array_agg(case_id) FILTER (WHERE fields->>'outcome' <> 'succeeded') AS short,
            array_agg(case_id) FILTER (WHERE fields->>'outcome' = 'rolled_back') AS rolled
       FROM cases
      WHERE process = 'change' AND state = 'closed'
        AND fields->>'outcome' IN ('succeeded', 'failed', 'rolled_back')
        AND closed_at >= :from AND closed_at < :to
        AND fields->>'implementedBy' IN (SELECT id FROM users WHERE vendor_id = :v)`,
    { v: p.v, from: p.from, to: p.to },
  );
  const r = rows[0];
  return { success: r, rollbacks: r?.rolled ?? [] };
}

/**
 * Escalations the vendor received: `sla.escalated` events in the period whose step was, at that
 * moment (its last opening, reassignment, claim or delegation before the escalation), held by one
 * of the vendor's staff. `assigned` counts the steps held by them at all, so "none" can be told
 * from "no work".
 */
async function escalationTally(db: Knex, p: Params): Promise<{ ids: string[]; assigned: number }> {
  const holders = `
    SELECT CASE h.type WHEN 'step.opened' THEN h.data->'assignees'
                       WHEN 'task.claimed' THEN jsonb_build_array(h.actor)
                       ELSE jsonb_build_array(h.data->'to') END AS holders
      FROM case_events h
     WHERE h.case_id = e.case_id AND h.seq < e.seq AND h.data->>'step' = e.data->>'step'
       AND h.type IN ('step.opened', 'task.reassigned', 'task.claimed', 'step.delegated')
     ORDER BY h.seq DESC LIMIT 1`;
  const vendorHeld = `EXISTS (SELECT 1 FROM jsonb_array_elements_text(held.holders) who
                               JOIN users u ON u.id = who WHERE u.vendor_id = :v)`;
  const { rows } = await db.raw<{ rows: Array<{ ids: string[] | null; assigned: number }> }>(
    `SELECT (SELECT array_agg(e.case_id ORDER BY e.case_id)
               FROM case_events e CROSS JOIN LATERAL (${holders}) held
              WHERE e.type = 'sla.escalated' AND e.occurred_at >= :from AND e.occurred_at < :to
                AND ${vendorHeld}) AS ids,
            (SELECT count(*)::int
               FROM case_events e CROSS JOIN LATERAL (SELECT e.data->'assignees' AS holders) held
              WHERE e.type = 'step.opened' AND e.occurred_at < :to
                AND e.case_id IN (SELECT case_id FROM cases
                                   WHERE created_at < :to AND (closed_at IS NULL OR closed_at >= :from))
                AND ${vendorHeld}) +
            (SELECT count(*)::int FROM case_events e
               JOIN users u ON u.id = COALESCE(e.data->>'to', e.actor)
              WHERE e.type IN ('task.reassigned', 'task.claimed', 'step.delegated')
                AND e.occurred_at >= :from AND e.occurred_at < :to AND u.vendor_id = :v) AS assigned`,
    { v: p.v, from: p.from, to: p.to },
  );
  return { ids: rows[0]?.ids ?? [], assigned: Number(rows[0]?.assigned ?? 0) };
}

/** Reports that fell due in the period: on time when completed by their due time. */
async function reportTally(db: Knex, p: Params): Promise<Tally> {
  const { rows } = await db.raw<{ rows: Tally[] }>(
    `WITH due AS (
       SELECT o.case_id, ${instant("o.data->>'dueAt'")} AS due_at,
              (SELECT min(d.occurred_at) FROM case_events d
                WHERE d.case_id = o.case_id AND d.type = 'task.completed'
                  AND d.data->>'step' = o.data->>'step') AS done_at
         FROM case_events o JOIN cases c ON c.case_id = o.case_id
        WHERE o.type = 'step.opened'
          AND ((c.process = 'emergency' AND c."system" = ANY(:systems::text[])
                AND o.data->>'step' IN ('recoveryReport', 'summaryReport'))
            OR (c.process = 'vendor-review' AND c.fields->>'vendorId' = :v
                AND o.data->>'step' = 'vendorReport'))
     )
     SELECT count(*) FILTER (WHERE done_at <= due_at)::int AS good,
            count(*)::int AS total,
            array_agg(case_id) AS ids,
            array_agg(case_id) FILTER (WHERE done_at IS NULL OR done_at > due_at) AS short
       FROM due
      WHERE due_at >= :from AND due_at < :to AND (done_at IS NOT NULL OR due_at < now())`,
    { v: p.v, systems: p.systems, from: p.from, to: p.to },
  );
  return rows[0];
}
