/** The service report's pure parts: the month a schedule reports on, the charts, the CSV. */
import { reportCharts } from '../../api/service-report/charts';
import { tableCsv, type ReportTable } from '../../api/reports/tables';
import { serviceReportSources, type ServiceReportFigures } from '../../db/service-report-shape';
import { monthBefore } from '../../workflows/service-report/request-form';

test('the monthly schedule reports on the month before the one it fires in, across a year', () => {
  expect(monthBefore('2026-03-01')).toBe('2026-02');
  expect(monthBefore('2026-01-01')).toBe('2025-12');
  expect(monthBefore('2026-12-31')).toBe('2026-11');
});

const figures: ServiceReportFigures = {
  period: { month: '2026-03', from: '', to: '', timeZone: 'Asia/Shanghai', system: null, vendor: null },
  sources: serviceReportSources,
  casesByProcess: [{ process: 'change', opened: 2, closed: 1 }],
  trend: [
    { month: '2026-02', opened: 1, closed: 0 },
    { month: '2026-03', opened: 2, closed: 1 },
  ],
  sla: {
    met: 1,
    breached: 1,
    attainment: 0.5,
    stages: [{ process: 'change', step: 'opsAssessment', met: 1, breached: 1, attainment: 0.5 }],
    breaches: [],
  },
  guarantees: null,
  emergencies: [],
  changes: { opened: 2, closed: 1, byOutcome: [] },
  releases: { opened: 0, closed: 0, byOutcome: [] },
  defectsByClass: null,
  correctiveActions: null,
};

test('the same figures draw the same charts, every time (an archived report re-renders identically)', () => {
  const first = reportCharts(figures);
  const second = reportCharts(figures);
  expect(second).toEqual(first);
  expect(first.trend).toMatch(/^<svg /);
  expect(first.trend).toContain('工单趋势 Cases per month');
  // No defect data: no chart pretending zeros.
  expect(first.defectsByClass).toBeNull();
});

test('a CSV table quotes what needs quoting and says "no data" for a source without records', () => {
  const table: ReportTable = {
    name: 'correctiveActions',
    heading: 'x',
    columns: [
      { key: 'action', label: '措施 action' },
      { key: 'owner', label: 'owner' },
    ],
    rows: [{ action: 'fix "A", then B', owner: null }],
    noData: false,
  };
  expect(tableCsv(table)).toBe('\uFEFF措施 action,owner\r\n"fix ""A"", then B",\r\n');
  expect(tableCsv({ ...table, rows: [], noData: true })).toBe('\uFEFF措施 action,owner\r\nno data\r\n');
});
