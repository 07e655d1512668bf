/** The periodic outsourcing review (外包服务评价, 002 §6.6.3.8 e) as the rest of Opsflow sees it. */
import { defineProcess } from '../contracts/process-definition';
import { acknowledgementForm, actionDoneForm, scoringForm, surveyForm, vendorReportForm } from './forms';
import { vendorReviewRequestSchema, type VendorReviewRequest } from './request-form';

export const vendorReviewDefinition = defineProcess<VendorReviewRequest>({
  name: 'vendor-review',
  title: { en: 'Vendor review', 'zh-CN': '外包服务评价' },
  workflowType: 'vendorReview',
  casePrefix: 'VRV',
  startSchema: vendorReviewRequestSchema,
  starterRoles: ['ops_engineer', 'ops_head', 'admin'],
  headline: (r) => ({
    title: `Vendor review ${r.vendorId} ${r.periodStart} (${r.periodKind})`,
    priority: 'normal',
    system: null,
  }),
  stages: {
    figures: [],
    inputs: ['vendorReport', 'satisfactionSurvey', 'surveyReminder', 'surveyClose'],
    scoring: ['scoring'],
    signOff: ['signOff', 'scoring'],
    // After sign-off the vendor acknowledges while the corrective actions run, each on its date.
    followUp: ['acknowledgement', 'correctiveAction'],
  },
  templates: ['vendor-survey-request', 'vendor-survey-reminder', 'vendor-review-signed-off'],
  forms: {
    vendorReport: vendorReportForm,
    satisfactionSurvey: surveyForm,
    scoring: scoringForm,
    reviseScoring: scoringForm,
    acknowledgement: acknowledgementForm,
    correctiveAction: actionDoneForm,
  },
  steps: {
    vendorReport: { en: 'Vendor files its service report', 'zh-CN': '服务商提交服务报告' },
    // The survey's assignment mail is the survey's one mail: its title says what is asked.
    satisfactionSurvey: {
      en: "Rate the vendor's service in the satisfaction survey",
      'zh-CN': '填写对服务商服务的满意度调查',
    },
    scoring: { en: 'O&M center scores the vendor', 'zh-CN': '运维中心评分' },
    reviseScoring: { en: 'O&M center revises the scoring', 'zh-CN': '运维中心修改评分' },
    signOff: { en: 'O&M head signs the review off', 'zh-CN': '运维负责人签署评价' },
    acknowledgement: { en: 'Vendor PM acknowledges the review', 'zh-CN': '服务商项目经理确认评价' },
    correctiveAction: { en: 'Corrective action', 'zh-CN': '纠正措施' },
  },
  notWithdrawableIn: ['signOff', 'followUp'],
});
