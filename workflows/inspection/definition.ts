/** Routine inspections (巡查, 003 (七) 1(1)) as the rest of Opsflow sees it; `workflow.ts` is the procedure. */
import { defineProcess } from '../contracts/process-definition';
import { stepForms } from './forms';
import { inspectionRequestSchema, type InspectionRequest } from './request-form';

export const inspectionDefinition = defineProcess<InspectionRequest>({
  name: 'inspection',
  title: { en: 'Routine inspection', 'zh-CN': '例行巡查' },
  workflowType: 'routineInspection',
  casePrefix: 'INS',
  startSchema: inspectionRequestSchema,
  starterRoles: ['ops_engineer', 'ops_head', 'admin'],
  headline: (request) => ({
    title:
      request.title ??
      (request.scope === 'daily'
        ? `Daily inspection ${request.date}`
        : `Annual comprehensive inspection ${request.date.slice(0, 4)}`),
    priority: 'normal',
    system: request.systems.length === 1 ? request.systems[0] : null,
  }),
  stages: {
    inspection: ['dailyCheck'],
    comprehensiveInspection: ['annualCheck'],
    report: ['inspectionReport', 'inspectionReportAcceptance'],
  },
  forms: stepForms,
  steps: {
    dailyCheck: { en: 'O&M inspects the system (daily round)', 'zh-CN': '运维人员日常巡查系统' },
    annualCheck: { en: 'O&M inspects the system in full (annual)', 'zh-CN': '运维人员定期全面巡查系统' },
    inspectionReport: {
      en: 'O&M writes the formal inspection report',
      'zh-CN': '运维人员编写正式巡检报告单',
    },
    reviseInspectionReport: { en: 'O&M revises the inspection report', 'zh-CN': '运维人员修改巡检报告单' },
    inspectionReportAcceptance: {
      en: 'O&M head accepts the inspection report',
      'zh-CN': '运维部门负责人确认巡检报告单',
    },
  },
  templates: [],
});
