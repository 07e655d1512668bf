/** Change management (变更管理) as the rest of Opsflow sees it; `workflow.ts` is the procedure. */
import { defineProcess } from '../contracts/process-definition';
import { changeRequestSchema, type ChangeRequest } from './request-form';

export const changeDefinition = defineProcess<ChangeRequest>({
  name: 'change',
  title: { en: 'Change', 'zh-CN': '变更' },
  workflowType: 'changeProcess',
  casePrefix: 'CHG',
  startSchema: changeRequestSchema,
  starterRoles: [],
  // The request is part 1 of the change form; the case's priority is its urgency.
  headline: (request) => ({
    title: request.title,
    priority: request.urgency,
    system: request.affectedSystems[0] ?? null,
  }),
  stages: {
    departmentHeadApproval: ['departmentHeadApproval'],
    reviseRequest: ['revision'],
    opsAssessment: ['opsAssessment'],
    opsHeadAssessmentApproval: ['opsHeadAssessmentApproval'],
    reviseAssessment: ['revision'],
    designAndBuild: ['designAndBuild'],
    planAndTest: ['planAndTest'],
    scheduling: ['scheduling'],
    implementation: ['implementation'],
    postImplementationReview: ['departmentHeadConfirmation', 'securityPostReview'],
    emergencyAuthorisation: ['emergencyAuthorisation'],
    paperwork: ['paperwork'],
  },
  templates: [
    'change-schedule-conflict',
    'change-interruption-notice',
    'change-unauthorised',
    'paperwork-missing',
  ],
});
