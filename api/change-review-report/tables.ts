/**
 * The periodic change review's tables (001 §26): the summary, changes by type and by source with
 * their outcomes, by urgency, the rollbacks with their causes, the negative effects — as the page
 * shows them and CSV exports them (`GET /api/v1/reports/change-review?…&format=csv&table=<name>`).
 */
import type { ChangeReviewFigures } from '../../db/change-review';
import { cols, type ReportTable } from '../reports/tables';

export const changeReviewTableNames = [
  'summary',
  'byType',
  'bySource',
  'byUrgency',
  'rollbacks',
  'negativeEffects',
] as const;

const SOURCE = "cases of process 'change' closed in the period (db/change-review.ts)";

/** The outcomes a change closes with, in Chinese and English; others show as written. */
export const outcomeLabels: Record<string, string> = {
  succeeded: '成功 succeeded',
  failed: '失败 failed',
  rolled_back: '回退 rolled back',
  rejected: '驳回 rejected',
  not_recommended: '不建议实施 not recommended',
  too_large: '变更过大 too large',
  unknown: '未知 unknown',
};

/** The period's outcomes: success, failure and rollback first (§26 (1)), then the others. */
export function outcomesOf(f: ChangeReviewFigures): string[] {
  const first = ['succeeded', 'failed', 'rolled_back'];
  const rest = Object.keys(f.byOutcome)
    .filter((o) => !first.includes(o))
    .sort();
  return [...first.filter((o) => o in f.byOutcome), ...rest];
}

/** One row per type (or source): its total and a column per outcome. */
function withOutcomes(
  name: string,
  heading: string,
  label: string,
  f: ChangeReviewFigures,
  counts: Record<string, Record<string, number>>,
): ReportTable {
  const outcomes = outcomesOf(f);
  return {
    name,
    heading,
    source: `${SOURCE}, fields ${name === 'byType' ? 'changeType' : 'source'}, outcome`,
    columns: [
      { key: 'value', label },
      { key: 'total', label: '合计 total' },
      ...outcomes.map((o) => ({ key: `outcome:${o}`, label: outcomeLabels[o] ?? o })),
    ],
    rows: Object.keys(counts)
      .sort()
      .map((value) => ({
        value,
        total: Object.values(counts[value]).reduce((n, c) => n + c, 0),
        ...Object.fromEntries(outcomes.map((o) => [`outcome:${o}`, counts[value][o] ?? 0])),
      })),
    noData: f.total === 0,
  };
}

export function changeReviewTables(f: ChangeReviewFigures): ReportTable[] {
  return [
    {
      name: 'summary',
      heading: '概要 Summary',
      source: `${SOURCE}, fields outcome, goalMet, negativeEffects`,
      columns: cols(['measure', '项目 measure'], ['count', '数量 count']),
      rows: [
        { measure: '变更总数 changes closed', count: f.total },
        { measure: '回退 rolled back', count: f.rollbacks.count },
        { measure: '达到预期目标 goal met', count: f.goals.met },
        { measure: '未达到预期目标 goal not met', count: f.goals.notMet },
        { measure: '目标未评价 goal not assessed', count: f.goals.unknown },
        { measure: '有负面影响 with negative effects', count: f.negativeEffects.length },
      ],
      noData: false,
    },
    withOutcomes('byType', '按变更类型 Changes by type and outcome', '类型 type', f, f.byTypeAndOutcome),
    withOutcomes(
      'bySource',
      '按变更来源 Changes by source and outcome',
      '来源 source',
      f,
      f.bySourceAndOutcome,
    ),
    {
      name: 'byUrgency',
      heading: '按紧急程度 Changes by urgency',
      source: `${SOURCE}, field urgency`,
      columns: cols(['urgency', '紧急程度 urgency'], ['count', '数量 count']),
      rows: Object.keys(f.byUrgency)
        .sort()
        .map((urgency) => ({ urgency, count: f.byUrgency[urgency] })),
      noData: f.total === 0,
    },
    {
      name: 'rollbacks',
      heading: '回退及原因 Rollbacks and their causes',
      source: `${SOURCE}, fields outcome = rolled_back, rollbackCause`,
      columns: cols(['caseId', '工单 case'], ['cause', '原因 cause']),
      rows: f.rollbacks.causes,
      noData: false,
    },
    {
      name: 'negativeEffects',
      heading: '负面影响 Negative effects',
      source: `${SOURCE}, field negativeEffects`,
      columns: cols(['caseId', '工单 case'], ['effects', '负面影响 effects']),
      rows: f.negativeEffects,
      noData: false,
    },
  ];
}
