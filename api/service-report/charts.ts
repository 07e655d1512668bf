/**
 * The report's charts, drawn by Apache ECharts on the server as SVG (`renderer: 'svg', ssr: true`):
 * no browser needed to draw them, the same markup in the HTML page and in the PDF Chromium prints
 * from it. ECharts numbers its SVG classes and ids per chart instance in the process; they are
 * renumbered per chart so that rendering the same figures twice gives the same document.
 */
import * as echarts from 'echarts';
import type { ServiceReportFigures } from '../../db/service-report-shape';

export interface ReportCharts {
  trend: string;
  byProcess: string;
  sla: string;
  defectsByClass: string | null;
  emergenciesByLevel: string | null;
}

const FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2'];

function draw(name: string, option: echarts.EChartsCoreOption, width = 640, height = 280): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, color: COLORS, textStyle: { fontFamily: FONT }, ...option });
    const seen = new Map<string, string>();
    return chart.renderToSVGString().replace(/zr\d+-[A-Za-z]+-?\d*/g, (token) => {
      if (!seen.has(token)) seen.set(token, `${name}-${seen.size}`);
      return seen.get(token)!;
    });
  } finally {
    // An undisposed SSR chart keeps the process alive.
    chart.dispose();
  }
}

const title = (text: string) => ({ text, left: 'center', textStyle: { fontSize: 14, fontFamily: FONT } });
const legend = { bottom: 0, textStyle: { fontFamily: FONT } };
const grid = { left: 48, right: 24, top: 40, bottom: 48, containLabel: true };

function bars(
  name: string,
  heading: string,
  categories: string[],
  series: Array<{ name: string; data: number[] }>,
) {
  return draw(name, {
    title: title(heading),
    legend,
    grid,
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, fontFamily: FONT } },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      data: s.data,
      label: { show: true, position: 'top' },
    })),
  });
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
