/** The steps of the monthly service report as kernel specs. */
import { role, type Assignee } from '../contracts/assignees';
import type { ApprovalSpec } from '../kernel/approval';
import type { TaskSpec } from '../kernel/task';
import { redraftForm, type Redraft } from './forms';

/** 004 §7.1.1 c: the report's generation and presentation are controlled by an approval. */
export const reportApproval: ApprovalSpec = {
  step: 'reportApproval',
  title: 'O&M head approves the service report',
  levels: [{ approvers: [role('ops_head')], mode: 'any' }],
};

/**
 * Sent back: whoever drafted the report — the O&M engineers' queue when the monthly schedule did —
 * has the period's data corrected and says what changed; the figures are then frozen again.
 */
export function redraftReport(drafter: Assignee): TaskSpec<Redraft> {
  return {
    step: 'redraftReport',
    title: 'Redraft the service report after the O&M head’s comments',
    assignee: drafter,
    formSchema: redraftForm,
  };
}

/** The drafter of a report: its requester, or the O&M engineers when the schedule drafted it. */
export function drafterOf(requester: string): Assignee {
  return requester.startsWith('schedule:') ? role('ops_engineer') : requester;
}
