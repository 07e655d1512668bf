/**
 * The service report's charts — the cases' trend, cases by process, SLA attainment by stage,
 * defects by class, emergencies by level — drawn with the reports' chart helper (`api/reports/charts.ts`).
 */
import type { ServiceReportFigures } from '../../db/service-report-shape';
import { bars, draw, FONT, grid, legend, title } from '../reports/charts';

export interface ReportCharts {
  trend: string;
  byProcess: string;
  sla: string;
  defectsByClass: string | null;
  emergenciesByLevel: string | null;
}

export function reportCharts(f: ServiceReportFigures): ReportCharts {
  const trend = draw('trend', {
    title: title('工单趋势 Cases per month'),
    legend,
    grid,
    xAxis: { type: 'category', data: f.trend.map((t) => t.month) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'line', name: '新建 opened', data: f.trend.map((t) => t.opened), label: { show: true } },
      { type: 'line', name: '关闭 closed', data: f.trend.map((t) => t.closed), label: { show: true } },
    ],
  });
  const byProcess = bars(
    'process',
    '按流程 Cases by process',
    f.casesByProcess.map((p) => p.process),
    [
      { name: '新建 opened', data: f.casesByProcess.map((p) => p.opened) },
      { name: '关闭 closed', data: f.casesByProcess.map((p) => p.closed) },
    ],
  );
  const sla = draw(
    'sla',
    {
      title: title('服务级别达成率 SLA attainment by stage (%)'),
      grid: { ...grid, left: 16, bottom: 16 },
      xAxis: { type: 'value', max: 100 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: f.sla.stages.map((s) => `${s.process} · ${s.step}`),
        axisLabel: { fontFamily: FONT },
      },
      series: [
        {
          type: 'bar',
          name: 'attainment',
          data: f.sla.stages.map((s) => ({
            value: s.attainment === null ? 0 : Math.round(s.attainment * 1000) / 10,
            itemStyle: { color: s.breached > 0 ? '#dc2626' : '#16a34a' },
          })),
          label: { show: true, position: 'right', formatter: '{c}%' },
        },
      ],
    },
    640,
    Math.max(160, 60 + 28 * f.sla.stages.length),
  );
  const defectsByClass = f.defectsByClass
    ? bars(
        'defects',
        '缺陷分类 Defects by class',
        f.defectsByClass.map((d) => d.defectClass),
        [
          { name: '新增 raised', data: f.defectsByClass.map((d) => d.raised) },
          { name: '解决 resolved', data: f.defectsByClass.map((d) => d.resolved) },
        ],
      )
    : null;
  const levels = [...new Set(f.emergencies.map((e) => e.level))].sort();
  const emergenciesByLevel = levels.length
    ? bars('emergencies', '应急事件按级别 Emergencies by level', levels, [
        { name: '事件 events', data: levels.map((l) => f.emergencies.filter((e) => e.level === l).length) },
      ])
    : null;
  return { trend, byProcess, sla, defectsByClass, emergenciesByLevel };
}
