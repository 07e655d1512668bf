/** The steps of the monthly service report as kernel specs. */
import { role } from '../contracts/assignees';
import type { ApprovalSpec } from '../kernel/approval';

/** 004 §7.1.1 c: the report's generation and presentation are controlled by an approval. */
export const reportApproval: ApprovalSpec = {
  step: 'reportApproval',
  title: 'O&M head approves the service report',
  levels: [{ approvers: [role('ops_head')], mode: 'any' }],
};
