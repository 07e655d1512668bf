/** The periodic change review (变更定期集中评估, 001 §26–§27) as the rest of Opsflow sees it. */
import { defineProcess } from '../contracts/process-definition';
import { stepForms } from './forms';
import { changeReviewRequestSchema, type ChangeReviewRequest } from './request-form';

export const changeReviewDefinition = defineProcess<ChangeReviewRequest>({
  name: 'change-review',
  title: { en: 'Periodic change review', 'zh-CN': '变更定期集中评估' },
  workflowType: 'periodicChangeReview',
  casePrefix: 'CRV',
  startSchema: changeReviewRequestSchema,
  starterRoles: ['ops_engineer', 'ops_head', 'admin'],
  headline: (request) => ({
    title: request.title ?? `Change review ${request.from} – ${request.to}`,
    priority: 'normal',
    system: null,
  }),
  stages: {
    compilation: ['reviewSummary'],
    jointReview: ['opsCenterOpinion', 'developmentOpinion', 'securityOpinion'],
    archive: ['itHeadReview', 'reviewSummary'],
  },
  forms: stepForms,
  steps: {
    reviewSummary: {
      en: 'O&M center assesses the period’s changes',
      'zh-CN': '运维中心对本期变更进行总结评估',
    },
    reviseSummary: { en: 'O&M center revises the change review', 'zh-CN': '运维中心修改变更评估' },
    opsCenterOpinion: { en: 'O&M center head gives an opinion', 'zh-CN': '运维中心负责人提出意见' },
    developmentOpinion: { en: 'Development gives an opinion', 'zh-CN': '软件开发中心提出意见' },
    securityOpinion: { en: 'Security section gives an opinion', 'zh-CN': '安全科提出意见' },
    itHeadReview: {
      en: 'IT department head reviews the change review for the archive',
      'zh-CN': 'IT部门负责人审阅后归档',
    },
  },
  templates: [],
});
