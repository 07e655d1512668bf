/**
 * Charts for every report, drawn by Apache ECharts on the server as SVG (`renderer: 'svg', ssr:
 * true`): no browser needed to draw them, the same markup in the HTML page and in the PDF Chromium
 * prints from it. ECharts numbers its SVG classes and ids per chart instance in the process; they
 * are renumbered per chart so that rendering the same figures twice gives the same document.
 */
import * as echarts from 'echarts';

export const FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2'];

/** One chart as SVG markup; `name` prefixes its ids (unique within a page). */
export function draw(name: string, option: echarts.EChartsCoreOption, width = 640, height = 280): string {
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

export const title = (text: string) => ({
  text,
  left: 'center',
  textStyle: { fontSize: 14, fontFamily: FONT },
});
export const legend = { bottom: 0, textStyle: { fontFamily: FONT } };
export const grid = { left: 48, right: 24, top: 40, bottom: 48, containLabel: true };

/** A bar chart of counts by category, one bar per series — or one stacked bar with `stacked`. */
export function bars(
  name: string,
  heading: string,
  categories: string[],
  series: Array<{ name: string; data: number[]; color?: string }>,
  { stacked = false } = {},
): string {
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
      ...(s.color ? { itemStyle: { color: s.color } } : {}),
      ...(stacked ? { stack: 'total' } : {}),
      label: stacked
        ? {
            show: true,
            position: 'inside',
            formatter: (p: { value: unknown }) => (p.value ? String(p.value) : ''),
          }
        : { show: true, position: 'top' },
    })),
  });
}
