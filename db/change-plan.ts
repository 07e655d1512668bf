/**
 * The change plan of a week (001 §17(1)): the open changes whose scheduled window starts in it,
 * with what the O&M head weighs when reviewing it — systems, window, risk, who implements, and
 * the other planned changes it clashes with on the same system. Read from the case read model.
 */
import type { Knex } from 'knex';
import { role } from '../workflows/contracts/assignees';

/**
 * Whom a scheduled change's implementation opens to when its window comes (the change process's
 * implementation step, 001 §17): the O&M engineers' queue. The change records no named person before
 * then — whoever claims the step implements it — so the review lists the queue, not an empty list.
 */
const PLANNED_IMPLEMENTER = role('ops_engineer');

export interface PlannedChange {
  caseId: string;
  title: string;
  systems: string[];
  windowStart: string;
  windowEnd: string;
  riskLevel: string | null;
  urgency: string | null;
  /**
   * Who scheduled it (O&M), and who implements it: whom the implementation waits for now (a person or
   * a role queue), or, for a change still waiting for its window, the queue it will open to.
   */
  scheduledBy: string | null;
  implementer: string[];
  businessInterruption: boolean;
  /** Other changes of the plan (or already scheduled) on a shared system in an overlapping window. */
  conflicts: string[];
}

interface Row {
  case_id: string;
  title: string;
  assignees: string[];
  stage: string;
  fields: Record<string, unknown>;
}

interface Window {
  windowStart: string;
  windowEnd: string;
  businessInterruption?: boolean;
}

/** Open changes whose window starts in [from, to), soonest first, with their clashes. */
export async function changesPlannedBetween(
  db: Knex,
  period: { from: string; to: string },
): Promise<PlannedChange[]> {
  const rows: Row[] = await db('cases')
    .where({ process: 'change', state: 'open' })
    .whereRaw(`fields->'window' IS NOT NULL`)
    .whereRaw(`(fields->'window'->>'windowStart')::timestamptz >= ?::timestamptz`, [period.from])
    .whereRaw(`(fields->'window'->>'windowStart')::timestamptz < ?::timestamptz`, [period.to])
    .orderByRaw(`(fields->'window'->>'windowStart')::timestamptz, case_id`)
    .select('case_id', 'title', 'assignees', 'stage', 'fields');
  const planned = rows.map((r) => {
    const window = r.fields.window as Window;
    const systems = Array.isArray(r.fields.affectedSystems) ? (r.fields.affectedSystems as string[]) : [];
    return {
      caseId: r.case_id,
      title: r.title,
      systems,
      windowStart: window.windowStart,
      windowEnd: window.windowEnd,
      riskLevel: typeof r.fields.riskLevel === 'string' ? r.fields.riskLevel : null,
      urgency: typeof r.fields.urgency === 'string' ? r.fields.urgency : null,
      scheduledBy: typeof r.fields.scheduledBy === 'string' ? r.fields.scheduledBy : null,
      implementer: implementerOf(r),
      businessInterruption: window.businessInterruption === true,
      conflicts: [] as string[],
    };
  });
  for (const a of planned) {
    a.conflicts = planned
      .filter(
        (b) =>
          b !== a &&
          b.systems.some((s) => a.systems.includes(s)) &&
          Date.parse(b.windowStart) < Date.parse(a.windowEnd) &&
          Date.parse(b.windowEnd) > Date.parse(a.windowStart),
      )
      .map((b) => b.caseId);
  }
  return planned;
}

function implementerOf(r: Row): string[] {
  if (r.stage === 'implementation') return r.assignees;
  // Since the go-live re-check a scheduled change waits in `scheduled` until its window opens.
  if (r.stage === 'scheduled') return [PLANNED_IMPLEMENTER];
  return [];
}
