/** Emergency drills (应急演练, 004 §8.2) as the rest of Opsflow sees it; `workflow.ts` is the procedure. */
import { defineProcess } from '../contracts/process-definition';
import { drillStepForms } from './forms';
import { drillRequestSchema, type DrillRequest } from './request-form';

export const drillDefinition = defineProcess<DrillRequest>({
  name: 'drill',
  title: { en: 'Emergency drill', 'zh-CN': '应急演练' },
  workflowType: 'emergencyDrill',
  casePrefix: 'DRL',
  startSchema: drillRequestSchema,
  starterRoles: ['ops_engineer', 'ops_head', 'admin'],
  headline: (request) => ({ title: request.title, priority: 'normal', system: request.system }),
  stages: {
    planning: ['drillPlan'],
    planApproval: ['drillPlanApproval', 'drillPlan'],
    execution: ['drillStep'],
    report: ['drillReport'],
    planRevision: ['planRevision'],
  },
  forms: drillStepForms,
  templates: [],
});
