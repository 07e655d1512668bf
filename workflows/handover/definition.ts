/** The build-to-run handover (运行维护交接, 002 §6.6.3.5) as the rest of Opsflow sees it; `workflow.ts` is the procedure. */
import { defineProcess } from '../contracts/process-definition';
import { stepForms } from './forms';
import { handoverRequestSchema, type HandoverRequest } from './request-form';

export const handoverDefinition = defineProcess<HandoverRequest>({
  name: 'handover',
  title: { en: 'Build-to-run handover', 'zh-CN': '运行维护交接' },
  workflowType: 'handoverProcess',
  casePrefix: 'HOV',
  startSchema: handoverRequestSchema,
  // The O&M center organises the handover; the project team or the vendor's manager may ask for it.
  starterRoles: ['ops_engineer', 'ops_head', 'pmo', 'it_head', 'developer', 'vendor_pm', 'admin'],
  headline: (request) => ({ title: request.title, priority: 'normal', system: request.systemId }),
  stages: {
    planning: ['plan'],
    planApproval: ['planApproval'],
    planAcceptance: ['planAcceptance'],
    planRevision: ['plan'],
    // Deliverables and knowledge transfer run side by side, each item and session on its own clock.
    transfer: ['delivery', 'acceptance', 'session', 'feedback', 'assessment'],
    completion: ['archive'],
  },
  forms: stepForms,
  steps: {
    handoverPlan: { en: 'Delivering party writes the handover plan', 'zh-CN': '交付方编制运行维护交接计划' },
    revisePlan: { en: 'Delivering party revises the handover plan', 'zh-CN': '交付方修改运行维护交接计划' },
    planApproval: { en: 'O&M head approves the handover plan', 'zh-CN': '运维负责人审批交接计划' },
    planAcceptance: { en: 'Receiving unit accepts the handover plan', 'zh-CN': '接收单位确认交接计划' },
    archiveTransfer: {
      en: 'Delivering party hands the handover archive to the receiving unit',
      'zh-CN': '交付方将交接档案移交接收单位',
    },
  },
  notWithdrawableIn: ['completion'],
  templates: [
    'handover-deliverable-returned',
    'handover-session-notice',
    'handover-session-late',
    'handover-archive',
  ],
});
