/** The monthly service report (服务报告, 004 §7.1) as the rest of Opsflow sees it; `workflow.ts` is the procedure. */
import { defineProcess } from '../contracts/process-definition';
import { stepForms } from './forms';
import { serviceReportRequestSchema, type ServiceReportRequest } from './request-form';

export const serviceReportDefinition = defineProcess<ServiceReportRequest>({
  name: 'service-report',
  title: { en: 'Monthly service report', 'zh-CN': '月度服务报告' },
  workflowType: 'serviceReport',
  casePrefix: 'RPT',
  startSchema: serviceReportRequestSchema,
  starterRoles: ['ops_engineer', 'ops_head', 'admin'],
  headline: (request) => ({
    title:
      `月度服务报告 Monthly service report ${request.month}` +
      (request.system ? ` · ${request.system}` : '') +
      (request.vendor ? ` · ${request.vendor}` : ''),
    priority: 'normal',
    system: request.system ?? null,
  }),
  stages: {
    drafting: ['redraftReport'],
    reportApproval: ['reportApproval'],
    distribution: [],
  },
  templates: ['service-report-distributed', 'service-report-returned'],
  forms: stepForms,
  steps: {
    reportApproval: { en: 'O&M head approves the service report', 'zh-CN': '运维负责人审批服务报告' },
    redraftReport: {
      en: 'Redraft the service report after the O&M head’s comments',
      'zh-CN': '按运维负责人意见重新编制服务报告',
    },
  },
  notWithdrawableIn: ['distribution'],
});
