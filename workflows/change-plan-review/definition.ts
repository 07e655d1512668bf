/** The weekly change-plan review (变更工作计划审阅, 001 §17(1)) as the rest of Opsflow sees it. */
import { defineProcess } from '../contracts/process-definition';
import { stepForms } from './forms';
import { changePlanReviewRequestSchema, type ChangePlanReviewRequest } from './request-form';

export const changePlanReviewDefinition = defineProcess<ChangePlanReviewRequest>({
  name: 'change-plan-review',
  title: { en: 'Weekly change-plan review', 'zh-CN': '每周变更工作计划审阅' },
  workflowType: 'changePlanReview',
  casePrefix: 'CPR',
  startSchema: changePlanReviewRequestSchema,
  starterRoles: ['ops_engineer', 'ops_head', 'admin'],
  headline: (request) => ({
    title: request.title ?? `Change plan for the week of ${request.weekStart}`,
    priority: 'normal',
    system: null,
  }),
  stages: {
    compilation: [],
    review: ['planReview'],
    feedback: [],
  },
  forms: stepForms,
  steps: {
    planReview: {
      en: "O&M head reviews the coming week's change plan",
      'zh-CN': '运维中心负责人审阅下周变更工作计划',
    },
  },
  templates: [],
});
