/** The quarterly checks (季度检查, 001 §36(3)(4)) as the rest of Opsflow sees it. */
import { defineProcess } from '../contracts/process-definition';
import { stepForms } from './forms';
import { quarterlyCheckRequestSchema, type QuarterlyCheckRequest } from './request-form';

export const quarterlyCheckDefinition = defineProcess<QuarterlyCheckRequest>({
  name: 'quarterly-check',
  title: { en: 'Quarterly check', 'zh-CN': '季度检查' },
  workflowType: 'quarterlyCheck',
  casePrefix: 'QCK',
  startSchema: quarterlyCheckRequestSchema,
  starterRoles: ['ops_head', 'it_head', 'security_officer', 'pmo', 'admin'],
  headline: (request) => ({
    title:
      request.title ??
      (request.checkType === 'documentation'
        ? `Documentation completeness ${request.quarter}`
        : `Security check ${request.quarter}`),
    priority: 'normal',
    system: null,
  }),
  stages: {
    documentationCheck: ['documentationCheck'],
    securityCheck: ['securityCheck'],
  },
  forms: stepForms,
  steps: {
    documentationCheck: {
      en: 'Check the quarter’s case documentation for completeness',
      'zh-CN': '检查本季度项目文档的完整性、规范性',
    },
    securityCheck: { en: 'Security section’s quarterly check', 'zh-CN': '安全科季度检查' },
  },
  templates: [],
});
