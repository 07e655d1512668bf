/** Change management (变更管理) as the rest of Opsflow sees it; `workflow.ts` is the procedure. */
import { defineProcess } from '../contracts/process-definition';
import { stepForms } from './forms';
import { changeRequestSchema, type ChangeRequest } from './request-form';

export const changeDefinition = defineProcess<ChangeRequest>({
  name: 'change',
  title: { en: 'Change', 'zh-CN': '变更' },
  workflowType: 'changeProcess',
  casePrefix: 'CHG',
  startSchema: changeRequestSchema,
  // Staff of the bank open changes; auditors only read and vendor staff work through a bank department.
  starterRoles: [
    'requester',
    'department_head',
    'ops_engineer',
    'ops_head',
    'developer',
    'tester',
    'security_officer',
    'pmo',
    'it_head',
    'admin',
  ],
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
    // Accepted, waiting for its window: the rules are checked again when it is about to begin.
    scheduled: [],
    implementation: ['implementation'],
    postImplementationReview: ['departmentHeadConfirmation', 'securityPostReview'],
    emergencyAuthorisation: ['emergencyAuthorisation'],
    paperwork: ['paperwork'],
  },
  forms: stepForms,
  steps: {
    departmentHeadApproval: {
      en: 'Requesting department head approves the change request',
      'zh-CN': '需求部门负责人审批变更申请',
    },
    reviseRequest: { en: 'Requester revises the change request', 'zh-CN': '申请人修改变更申请' },
    opsAssessment: {
      en: 'O&M assesses the change (part 2 of the change form)',
      'zh-CN': '运维部门评估变更（变更流程单第二部分）',
    },
    reviseAssessment: { en: 'O&M revises the assessment', 'zh-CN': '运维部门修改评估意见' },
    opsHeadAssessmentApproval: {
      en: 'O&M head approves the assessment',
      'zh-CN': '运维部门负责人审批评估意见',
    },
    designAndBuild: { en: 'Development designs and builds the change', 'zh-CN': '开发部门设计并开发变更' },
    changePlan: {
      en: 'O&M writes the implementation and rollback plan',
      'zh-CN': '运维部门编写实施方案和回退方案',
    },
    testReport: {
      en: 'Test center tests the change and signs the results',
      'zh-CN': '测试中心测试变更并签署测试结果',
    },
    securityPreReview: { en: 'Security reviews the change before go-live', 'zh-CN': '安全部门上线前审查' },
    userTestConfirmation: { en: 'Requester confirms the user test', 'zh-CN': '申请人确认用户测试' },
    scheduling: { en: 'O&M schedules the change window', 'zh-CN': '运维部门安排变更窗口' },
    implementation: { en: 'O&M implements the change under monitoring', 'zh-CN': '运维部门在监控下实施变更' },
    securityPostReview: { en: 'Security reviews the change after go-live', 'zh-CN': '安全部门上线后审查' },
    departmentHeadConfirmation: {
      en: 'Requesting department head confirms the change',
      'zh-CN': '需求部门负责人确认变更结果',
    },
    emergencyAuthorisation: {
      en: 'O&M head authorises the emergency change',
      'zh-CN': '运维部门负责人授权紧急变更',
    },
    completedChangeForm: {
      en: 'Requester completes and signs the full change form',
      'zh-CN': '申请人补全并签署完整的变更流程单',
    },
    signedTestResults: {
      en: 'Test center tests afterwards and signs the results',
      'zh-CN': '测试中心事后测试并签署测试结果',
    },
    backupConfirmation: {
      en: 'O&M confirms the program and data backups',
      'zh-CN': '运维部门确认程序和数据备份',
    },
    jointReview: {
      en: 'O&M and the requesting department review the change log together',
      'zh-CN': '运维部门与需求部门共同审阅变更日志',
    },
  },
  // Once implementation has begun the change is on production: the requester can no longer withdraw it.
  notWithdrawableIn: ['implementation', 'postImplementationReview', 'paperwork'],
  templates: [
    'change-schedule-held',
    'change-schedule-conflict',
    'change-interruption-notice',
    'change-unauthorised',
    'paperwork-missing',
    'change-declined',
  ],
});
