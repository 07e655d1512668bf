/**
 * A short demonstration of the kernel end to end: a request for production access, approved
 * by the requesting department's head and then the O&M head, each step on its SLA clock.
 * Real processes (change, release…) are written the same way.
 */
import { approval, role, runProcess, type CaseInput } from '../kernel';
import { accessDefinition } from './definition';

export async function accessRequest(input: CaseInput) {
  return runProcess(accessDefinition, input, async (kase) => {
    await kase.enterStage('departmentHeadApproval');
    const head = await approval(kase, {
      step: 'departmentHeadApproval',
      title: 'Department head approves the access request',
      levels: [{ approvers: [role('department_head')], mode: 'any' }],
    });
    if (head.outcome !== 'approved') return kase.close(head.outcome);

    await kase.enterStage('opsHeadApproval');
    const ops = await approval(kase, {
      step: 'opsHeadApproval',
      title: 'O&M head approves production access',
      levels: [{ approvers: [role('ops_head')], mode: 'any' }],
    });
    await kase.close(ops.outcome);
  });
}
