/**
 * The service report's tables, one per figure set, as the HTML page shows them and CSV exports
 * them (`GET /api/v1/reports/service?…&format=csv&table=<name>`), each naming its source.
 */
import type { ServiceReportFigures, ServiceReportSection } from '../../db/service-report-shape';
import { cols, pct, type ReportTable } from '../reports/tables';

/** A table of the report, and the section of the figures it comes from (its source). */
export type ServiceReportTable = ReportTable & { section: ServiceReportSection };

export const tableNames = [
  'casesByProcess',
  'trend',
  'slaByStage',
  'slaBreaches',
  'guarantees',
  'emergencies',
  'changes',
  'releases',
  'defectsByClass',
  'correctiveActions',
] as const;
export type TableName = (typeof tableNames)[number];

export function reportTables(f: ServiceReportFigures): ServiceReportTable[] {
  const g = f.guarantees;
  const tally = (
    lifecycle: ServiceReportFigures['releases'] & { byType?: Array<{ value: string; count: number }> },
  ) => [
    { measure: 'opened', value: '', count: lifecycle.opened },
    { measure: 'closed', value: '', count: lifecycle.closed },
    ...lifecycle.byOutcome.map((o) => ({ measure: 'outcome', value: o.value, count: o.count })),
    ...(lifecycle.byType ?? []).map((o) => ({ measure: 'type', value: o.value, count: o.count })),
  ];
  const tables: Array<Omit<ServiceReportTable, 'noData'> & { noData?: boolean }> = [
    {
      name: 'casesByProcess',
      heading: '工单按流程 Cases opened and closed by process',
      section: 'casesByProcess',
      columns: cols(['process', '流程 process'], ['opened', '新建 opened'], ['closed', '关闭 closed']),
      rows: f.casesByProcess,
    },
    {
      name: 'trend',
      heading: '月度趋势 Trend',
      section: 'trend',
      columns: cols(['month', '月份 month'], ['opened', '新建 opened'], ['closed', '关闭 closed']),
      rows: f.trend,
    },
    {
      name: 'slaByStage',
      heading: '服务级别按环节 SLA attainment by stage',
      section: 'sla',
      columns: cols(
        ['process', '流程 process'],
        ['step', '环节 step'],
        ['met', '达成 met'],
        ['breached', '超时 breached'],
        ['attainmentPercent', '达成率 % attainment'],
      ),
      rows: f.sla.stages.map((s) => ({
        process: s.process,
        step: s.step,
        met: s.met,
        breached: s.breached,
        attainmentPercent: pct(s.attainment),
      })),
    },
    {
      name: 'slaBreaches',
      heading: '超时明细 SLA breaches',
      section: 'sla',
      columns: cols(
        ['caseId', '工单 case'],
        ['process', '流程 process'],
        ['step', '环节 step'],
        ['dueAt', '应完成 due'],
        ['overdueAt', '超时 overdue at'],
        ['doneAt', '完成 done'],
        ['escalationLevel', '升级 escalation level'],
      ),
      rows: f.sla.breaches,
    },
    {
      name: 'guarantees',
      heading: '维护保障要求 Monthly guarantees (003 (九) 1–2)',
      section: 'guarantees',
      columns: cols(
        ['guarantee', '指标 guarantee'],
        ['counted', '应计 counted'],
        ['achieved', '达成 achieved'],
        ['ratePercent', '比率 % rate'],
        ['targetPercent', '目标 % target'],
        ['met', '是否达标 met'],
      ),
      rows: g
        ? [
            {
              guarantee: '问题处理率 handling rate',
              counted: g.handling.toHandle,
              achieved: g.handling.handled,
              ratePercent: pct(g.handling.rate),
              targetPercent: 100,
              met: g.handling.met,
            },
            {
              guarantee: '代码修改类按时完成率 on-time rate of code changes',
              counted: g.onTime.codeChanges,
              achieved: g.onTime.onTime,
              ratePercent: pct(g.onTime.rate),
              targetPercent: 85,
              met: g.onTime.met,
            },
          ]
        : [],
      noData: g === null,
    },
    {
      name: 'emergencies',
      heading: '应急事件及恢复时间 Emergencies and their recovery times',
      section: 'emergencies',
      columns: cols(
        ['caseId', '工单 case'],
        ['title', '事件 event'],
        ['level', '级别 level'],
        ['occurredAt', '发生 occurred'],
        ['recoveredAt', '恢复 recovered'],
        ['recoveryMinutes', '恢复耗时(分钟) recovery minutes'],
        ['recoveryClock', '恢复时限 recovery window'],
      ),
      rows: f.emergencies.map((e) => ({
        caseId: e.caseId,
        title: e.title,
        level: e.level,
        occurredAt: e.occurredAt,
        recoveredAt: e.recoveredAt,
        recoveryMinutes: e.recoveryMinutes,
        recoveryClock: e.recoveryClock,
      })),
    },
    {
      name: 'changes',
      heading: '变更 Changes',
      section: 'changes',
      columns: cols(['measure', '项目 measure'], ['value', '分类 value'], ['count', '数量 count']),
      rows: tally(f.changes),
    },
    {
      name: 'releases',
      heading: '发布上线 Releases',
      section: 'releases',
      columns: cols(['measure', '项目 measure'], ['value', '分类 value'], ['count', '数量 count']),
      rows: tally(f.releases),
    },
    {
      name: 'defectsByClass',
      heading: '缺陷分类 Defects by class',
      section: 'defectsByClass',
      columns: cols(['defectClass', '类别 class'], ['raised', '新增 raised'], ['resolved', '解决 resolved']),
      rows: f.defectsByClass ?? [],
      noData: f.defectsByClass === null,
    },
    {
      name: 'correctiveActions',
      heading: '未关闭的纠正措施 Open corrective actions',
      section: 'correctiveActions',
      columns: cols(
        ['caseId', '评价工单 review'],
        ['action', '措施 action'],
        ['owner', '责任人 owner'],
        ['dueAt', '期限 due'],
      ),
      rows: f.correctiveActions ?? [],
      noData: f.correctiveActions === null,
    },
  ];
  return tables.map((t) => ({ ...t, noData: t.noData ?? false, source: f.sources[t.section] }));
}
