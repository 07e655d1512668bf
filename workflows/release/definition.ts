/** Release and go-live (发布、上线) as the rest of Opsflow sees it; `workflow.ts` is the procedure. */
import { defineProcess } from '../contracts/process-definition';
import { releaseStepForms } from './forms';
import { releaseRequestSchema, type ReleaseRequest } from './request-form';

export const releaseDefinition = defineProcess<ReleaseRequest>({
  name: 'release',
  title: { en: 'Release / go-live', 'zh-CN': '发布、上线' },
  workflowType: 'releaseProcess',
  casePrefix: 'REL',
  startSchema: releaseRequestSchema,
  starterRoles: [],
  headline: (request) => ({
    title: request.title,
    priority: request.urgency,
    system: request.systems[0]?.systemId ?? null,
  }),
  stages: {
    pmoReview: ['pmoReview'],
    securityAndItHeadReview: ['securityReview', 'itHeadReview'],
    reviseApplication: ['revision'],
    plan: ['plan'],
    planApproval: ['planApproval'],
    deploymentConfirmation: ['deploymentConfirmation'],
    revisePlan: ['revision'],
    execution: ['execution', 'failureDecision'],
    rollback: ['rollback'],
    verification: ['verification'],
    trialRun: ['trialRun', 'trialExtension', 'trialReportInterval', 'trialReport'],
    acceptance: ['acceptanceApplication', 'acceptanceReview'],
  },
  forms: releaseStepForms,
  templates: ['release-returned', 'release-rolled-back', 'release-trial-problems', 'release-trial-ended'],
});
