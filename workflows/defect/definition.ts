/** Defect handling (缺陷管理, 003 (七) 1(2)) as the rest of Opsflow sees it; `workflow.ts` is the procedure. */
import { defineProcess } from '../contracts/process-definition';
import { stepForms } from './forms';
import { defectReportSchema, type DefectReport } from './request-form';

export const defectDefinition = defineProcess<DefectReport>({
  name: 'defect',
  title: { en: 'Defect', 'zh-CN': '缺陷' },
  workflowType: 'defectProcess',
  casePrefix: 'DEF',
  startSchema: defectReportSchema,
  // 003 (七) 1(2) 1: registered by the vendor's service team, or by a user.
  starterRoles: [],
  // The case's priority is the defect's class: the class chooses the window's policy.
  headline: (report) => ({ title: report.title, priority: report.defectClass, system: report.system }),
  stages: {
    confirmation: ['confirmation'],
    dueDateAgreement: ['dueDateAgreement'],
    submitted: ['resolution'],
    rejectionReview: ['rejectionReview'],
    fixPlan: ['resolution'],
    userApproval: ['userApproval'],
    inProgress: ['resolution'],
    verification: ['verification'],
    // A closed defect stays reopenable for the retention period (`kernel/reopen.ts`).
    closed: ['recurrenceWatch'],
  },
  forms: stepForms,
  steps: {
    confirmation: { en: "The user's side confirms the requirement", 'zh-CN': '用户方确认需求' },
    dueDateAgreement: {
      en: "The vendor's project manager agrees the negotiated due date",
      'zh-CN': '服务商项目经理确认协商的完成日期',
    },
    acceptance: { en: 'The owner accepts the defect or rejects it', 'zh-CN': '负责人确认受理或否决缺陷' },
    rejectionReview: {
      en: "The vendor's project manager decides on the rejection",
      'zh-CN': '项目经理审定缺陷否决',
    },
    fixPlan: { en: 'The owner writes the data fix plan', 'zh-CN': '负责人制定数据处理方案' },
    userApproval: {
      en: 'The business department approves the data fix plan',
      'zh-CN': '业务部门批准数据处理方案',
    },
    resolution: {
      en: 'The owner resolves the defect: cause analysis and solution',
      'zh-CN': '负责人解决缺陷：填写原因分析和解决方案',
    },
    verification: { en: 'Retest the resolved defect', 'zh-CN': '对已解决的缺陷进行重新测试' },
  },
  notWithdrawableIn: ['inProgress', 'verification', 'userApproval', 'fixPlan'],
  templates: ['defect-reopened'],
});
