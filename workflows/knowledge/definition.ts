/** The knowledge review (知识入库审批) as the rest of Opsflow sees it; `workflow.ts` is the procedure. */
import { defineProcess } from '../contracts/process-definition';
import { knowledgeRevisionForm } from './forms';
import { knowledgeReviewRequestSchema, type KnowledgeReviewRequest } from './request-form';

export const knowledgeDefinition = defineProcess<KnowledgeReviewRequest>({
  name: 'knowledge',
  title: { en: 'Knowledge entry review', 'zh-CN': '知识入库审批' },
  workflowType: 'knowledgeReview',
  casePrefix: 'KNB',
  startSchema: knowledgeReviewRequestSchema,
  starterRoles: [],
  headline: (request) => ({
    title: `${request.entryId} v${request.version}: ${request.title}`,
    priority: 'normal',
    system: request.system ?? null,
  }),
  stages: {
    review: ['knowledgeReview', 'knowledgeRevision'],
  },
  templates: [],
  forms: { reviseEntry: knowledgeRevisionForm },
  steps: {
    knowledgeReview: { en: 'O&M head reviews the knowledge entry', 'zh-CN': '运维负责人审核知识条目' },
    reviseEntry: { en: 'The author revises the knowledge entry', 'zh-CN': '作者修改知识条目' },
  },
});
