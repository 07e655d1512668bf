/** The change-review report's pure parts: its charts and tables from the figures, for a period with and without changes. */
import { changeReviewCharts } from '../../api/change-review-report/charts';
import { changeReviewTables } from '../../api/change-review-report/tables';
import type { ChangeReviewFigures } from '../../db/change-review';

const figures: ChangeReviewFigures = {
  from: '2029-06-30T16:00:00.000Z',
  to: '2029-07-31T16:00:00.000Z',
  total: 3,
  byType: { normal: 2, standard: 1 },
  bySource: { incident: 3 },
  byUrgency: { normal: 3 },
  byOutcome: { succeeded: 1, rolled_back: 1, not_recommended: 1 },
  byTypeAndOutcome: { normal: { succeeded: 1, rolled_back: 1 }, standard: { not_recommended: 1 } },
  bySourceAndOutcome: { incident: { succeeded: 1, rolled_back: 1, not_recommended: 1 } },
  rollbacks: { count: 1, causes: [{ caseId: 'CHG-1', cause: 'disk full' }] },
  goals: { met: 1, notMet: 1, unknown: 1 },
  negativeEffects: [],
};

test('the same figures draw the same charts, with the outcomes stacked in each bar', () => {
  const first = changeReviewCharts(figures)!;
  expect(changeReviewCharts(figures)).toEqual(first);
  expect(first.byType).toMatch(/^<svg /);
  expect(first.byType).toContain('按变更类型及结果 Changes by type and outcome');
  expect(first.byType).toContain('不建议实施 not recommended');
});

test('success, failure and rollback come first among the outcome columns; only outcomes of the period appear', () => {
  const byType = changeReviewTables(figures).find((t) => t.name === 'byType')!;
  expect(byType.columns.map((c) => c.label)).toEqual([
    '类型 type',
    '合计 total',
    '成功 succeeded',
    '回退 rolled back',
    '不建议实施 not recommended',
  ]);
  expect(byType.rows[1]).toEqual({
    value: 'standard',
    total: 1,
    'outcome:succeeded': 0,
    'outcome:rolled_back': 0,
    'outcome:not_recommended': 1,
  });
});

test('a period without changes has no charts and says "no data" rather than a table of zeros', () => {
  const empty: ChangeReviewFigures = {
    ...figures,
    total: 0,
    byType: {},
    bySource: {},
    byUrgency: {},
    byOutcome: {},
    byTypeAndOutcome: {},
    bySourceAndOutcome: {},
    rollbacks: { count: 0, causes: [] },
    goals: { met: 0, notMet: 0, unknown: 0 },
  };
  expect(changeReviewCharts(empty)).toBeNull();
  const tables = changeReviewTables(empty);
  expect(tables.filter((t) => t.noData).map((t) => t.name)).toEqual(['byType', 'bySource', 'byUrgency']);
  expect(tables.find((t) => t.name === 'summary')!.rows[0]).toEqual({
    measure: '变更总数 changes closed',
    count: 0,
  });
});
