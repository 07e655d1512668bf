/** The forms of a routine inspection: the daily checklist per system, the annual one, the formal report. */
import { typedForm, type JsonSchema } from '../contracts/form-schema';

const storable = '^[^\\u0000\\uD800-\\uDFFF]*$';
const text = (max = 4000) => ({ type: 'string', minLength: 1, maxLength: max, pattern: storable });
const status = { enum: ['ok', 'anomaly', 'not_applicable'] };

export type CheckStatus = 'ok' | 'anomaly' | 'not_applicable';

/** 003 (七) 1(1) and spec: business nodes, table space, disk space, logs, services; anomalies described. */
export interface DailyCheck {
  businessNodes: CheckStatus;
  tableSpace: CheckStatus;
  diskSpace: CheckStatus;
  logs: CheckStatus;
  services: CheckStatus;
  /** Required when any item is an anomaly: what was found. */
  anomalies?: string;
  /** The defect or emergency case the anomaly was raised as, if any. */
  followUpCase?: string;
}

export const CHECK_ITEMS = ['businessNodes', 'tableSpace', 'diskSpace', 'logs', 'services'] as const;

export const dailyCheckForm = typedForm<DailyCheck>({
  type: 'object',
  additionalProperties: false,
  required: [...CHECK_ITEMS],
  properties: {
    ...Object.fromEntries(CHECK_ITEMS.map((item) => [item, status])),
    anomalies: text(),
    followUpCase: { type: 'string', pattern: '^[A-Z][A-Z0-9]{1,9}-[0-9]{4}-[0-9]{6,}$' },
  },
  if: {
    anyOf: CHECK_ITEMS.map((item) => ({ required: [item], properties: { [item]: { const: 'anomaly' } } })),
  },
  then: { required: ['anomalies'] },
});

/** The annual comprehensive inspection of a system (003 (七) 1(1) 定期巡查). */
export interface AnnualCheck {
  tableSpaceUsagePercent: number;
  diskUsagePercent: number;
  obsoleteLogsDeleted: boolean;
  servicesRestarted: boolean;
  findings: string;
  result: 'ok' | 'findings';
}
const percent: JsonSchema = { type: 'number', minimum: 0, maximum: 100 };
export const annualCheckForm = typedForm<AnnualCheck>({
  type: 'object',
  additionalProperties: false,
  required: [
    'tableSpaceUsagePercent',
    'diskUsagePercent',
    'obsoleteLogsDeleted',
    'servicesRestarted',
    'findings',
    'result',
  ],
  properties: {
    tableSpaceUsagePercent: percent,
    diskUsagePercent: percent,
    obsoleteLogsDeleted: { type: 'boolean' },
    servicesRestarted: { type: 'boolean' },
    findings: text(),
    result: { enum: ['ok', 'findings'] },
  },
});

/** The formal inspection report (巡检报告单) the annual inspection ends in. */
export interface InspectionReport {
  summary: string;
  findings: string;
  recommendations: string;
  /** The signed report document (archive or attachment reference). */
  reportRef: string;
}
const reportProperties = { summary: text(), findings: text(), recommendations: text(), reportRef: text(400) };
export const inspectionReportForm = typedForm<InspectionReport>({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(reportProperties),
  properties: reportProperties,
});
export const reportRevisionForm = typedForm<Partial<InspectionReport>>({
  type: 'object',
  additionalProperties: false,
  properties: reportProperties,
});

/** Published in /openapi.json as `inspection.<step>`. */
export const stepForms: Record<string, JsonSchema> = {
  dailyCheck: dailyCheckForm,
  annualCheck: annualCheckForm,
  inspectionReport: inspectionReportForm,
  reviseInspectionReport: reportRevisionForm,
};
