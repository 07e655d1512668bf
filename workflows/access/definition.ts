/** A request for production access: the two-step demonstration of the kernel. */
import { defineProcess } from '../contracts/process-definition';
import { accessRequestSchema, type AccessRequest } from './request-form';

export const accessDefinition = defineProcess<AccessRequest>({
  name: 'access',
  title: { en: 'Access request', 'zh-CN': '访问权限申请' },
  workflowType: 'accessRequest',
  casePrefix: 'ACC',
  startSchema: accessRequestSchema,
  starterRoles: [],
  headline: (request) => ({
    title: request.title,
    priority: request.priority ?? 'normal',
    system: request.system,
  }),
  stages: {
    departmentHeadApproval: ['departmentHeadApproval'],
    opsHeadApproval: ['opsHeadApproval'],
  },
  templates: [],
  forms: {},
  steps: {
    departmentHeadApproval: { en: 'Department head approves the access', 'zh-CN': '部门负责人审批访问权限' },
    opsHeadApproval: { en: 'O&M head approves the access', 'zh-CN': '运维部门负责人审批访问权限' },
  },
});
