/**
 * The periodic change review's charts: changes by type and by source, each bar stacked by
 * outcome, and whether the changes met their goals — drawn with the reports' chart helper
 * (`api/reports/charts.ts`). None for a period without changes: no chart of zeros.
 */
import type { ChangeReviewFigures } from '../../db/change-review';
import { bars } from '../reports/charts';
import { outcomeLabels, outcomesOf } from './tables';

/** Success green, failure red, rollback amber; other outcomes take the palette's colours. */
const OUTCOME_COLORS: Record<string, string> = {
  succeeded: '#16a34a',
  failed: '#dc2626',
  rolled_back: '#d97706',
};

export interface ChangeReviewCharts {
  byType: string;
  bySource: string;
  goals: string;
}

function stackedByOutcome(
  name: string,
  heading: string,
  f: ChangeReviewFigures,
  counts: Record<string, Record<string, number>>,
): string {
  const categories = Object.keys(counts).sort();
  return bars(
    name,
    heading,
    categories,
    outcomesOf(f).map((o) => ({
      name: outcomeLabels[o] ?? o,
      data: categories.map((c) => counts[c][o] ?? 0),
      color: OUTCOME_COLORS[o],
    })),
    { stacked: true },
  );
}

export function changeReviewCharts(f: ChangeReviewFigures): ChangeReviewCharts | null {
  if (f.total === 0) return null;
  return {
    byType: stackedByOutcome('type', '按变更类型及结果 Changes by type and outcome', f, f.byTypeAndOutcome),
    bySource: stackedByOutcome(
      'source',
      '按变更来源及结果 Changes by source and outcome',
      f,
      f.bySourceAndOutcome,
    ),
    goals: bars(
      'goals',
      '预期目标 Goals met',
      ['达到 met', '未达到 not met', '未评价 not assessed'],
      [{ name: '变更 changes', data: [f.goals.met, f.goals.notMet, f.goals.unknown] }],
    ),
  };
}
