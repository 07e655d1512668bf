/**
 * The figures of the periodic change review (001 §26): how many changes closed in the period, by
 * type, source and outcome; the rollbacks and their causes; whether changes met their goal and
 * what negative effects they had. Read from the case read model (`cases.fields`), through the
 * case-access rule when a reader is named (`db/case-access.ts`); the review case compiles them
 * organisation-wide.
 */
import type { Knex } from 'knex';
import { visibleTo, type CaseReader } from './case-access';

export interface ChangeReviewFigures {
  from: string;
  to: string;
  total: number;
  byType: Record<string, number>;
  bySource: Record<string, number>;
  byUrgency: Record<string, number>;
  byOutcome: Record<string, number>;
  /** Outcomes per type and per source (success / failed / rolled back … by type and source, §26 (1)). */
  byTypeAndOutcome: Record<string, Record<string, number>>;
  bySourceAndOutcome: Record<string, Record<string, number>>;
  rollbacks: { count: number; causes: Array<{ caseId: string; cause: string }> };
  goals: { met: number; notMet: number; unknown: number };
  negativeEffects: Array<{ caseId: string; effects: string }>;
}

interface Row {
  case_id: string;
  fields: Record<string, unknown>;
}

/** Changes closed in [from, to). */
export async function changeReviewFigures(
  db: Knex,
  period: { from: Date | string; to: Date | string },
  reader: CaseReader | 'organisation' = 'organisation',
): Promise<ChangeReviewFigures> {
  const from = new Date(period.from);
  const to = new Date(period.to);
  const rows: Row[] = await db('cases')
    .where({ process: 'change', state: 'closed' })
    .where('closed_at', '>=', from)
    .where('closed_at', '<', to)
    .modify((q) => {
      if (reader !== 'organisation') visibleTo(reader)(q);
    })
    .orderBy('case_id')
    .select('case_id', 'fields');

  const valueOf = (r: Row, key: string) => String(r.fields[key] ?? 'unknown');
  const count = (key: string) =>
    rows.reduce<Record<string, number>>((acc, r) => {
      const value = valueOf(r, key);
      acc[value] = (acc[value] ?? 0) + 1;
      return acc;
    }, {});
  const countWithOutcome = (key: string) =>
    rows.reduce<Record<string, Record<string, number>>>((acc, r) => {
      const byOutcome = (acc[valueOf(r, key)] ??= {});
      const outcome = valueOf(r, 'outcome');
      byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
      return acc;
    }, {});
  const rolledBack = rows.filter((r) => r.fields.outcome === 'rolled_back');
  const effects = rows.filter(
    (r) => typeof r.fields.negativeEffects === 'string' && r.fields.negativeEffects.trim() !== '',
  );

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    total: rows.length,
    byType: count('changeType'),
    bySource: count('source'),
    byUrgency: count('urgency'),
    byOutcome: count('outcome'),
    byTypeAndOutcome: countWithOutcome('changeType'),
    bySourceAndOutcome: countWithOutcome('source'),
    rollbacks: {
      count: rolledBack.length,
      causes: rolledBack.map((r) => ({ caseId: r.case_id, cause: String(r.fields.rollbackCause ?? '') })),
    },
    goals: {
      met: rows.filter((r) => r.fields.goalMet === true).length,
      notMet: rows.filter((r) => r.fields.goalMet === false).length,
      unknown: rows.filter((r) => typeof r.fields.goalMet !== 'boolean').length,
    },
    negativeEffects: effects.map((r) => ({ caseId: r.case_id, effects: String(r.fields.negativeEffects) })),
  };
}
