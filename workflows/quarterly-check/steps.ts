/** The steps of the quarterly checks (001 §36(3)(4)) as kernel specs. */
import { role } from '../contracts/assignees';
import type { TaskSpec } from '../kernel/task';
import {
  documentationCheckForm,
  securityCheckForm,
  type DocumentationCheck,
  type SecurityCheck,
} from './forms';

export function documentationCheck(responsibleRole: string): TaskSpec<DocumentationCheck> {
  return {
    step: 'documentationCheck',
    title: 'Check the quarter’s case documentation for completeness',
    assignee: role(responsibleRole),
    formSchema: documentationCheckForm,
  };
}

export const securityCheck: TaskSpec<SecurityCheck> = {
  step: 'securityCheck',
  title: 'Security section’s quarterly check',
  assignee: role('security_officer'),
  formSchema: securityCheckForm,
};
