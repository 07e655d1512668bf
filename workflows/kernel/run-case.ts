/** The frame of every process workflow: open the case, run the procedure, persist everything. */
import type { ProcessDefinition } from '../contracts/process-definition';
import type { CaseView } from '../contracts/messages';
import { condition } from '@temporalio/workflow';
import { Case, type CaseRules } from './case';
import { registerEndingHandlers } from './case-ending';
import { registerCaseHandlers } from './case-handlers';
import { registerReopenHandler } from './reopen';
import type { CaseInput } from './case-state';

export async function runCase(
  input: CaseInput,
  procedure: (kase: Case) => Promise<void>,
  rules: CaseRules | null = null,
): Promise<CaseView> {
  const kase = new Case(input, rules);
  registerCaseHandlers(kase);
  registerEndingHandlers(kase);
  registerReopenHandler(kase);
  // A withdrawal or cancellation closes the case while the procedure waits on a step: it is left
  // there. A case the procedure closed itself may still wait to be reopened (`reopen.ts`).
  await Promise.race([procedure(kase), condition(() => kase.endedEarly)]);
  if (kase.state.status === 'open')
    throw new Error(`the ${input.process} procedure ended without closing case ${input.caseId}`);
  return kase.finish();
}

/**
 * A process workflow: the case held to its definition (stages, SLA stages, mail templates) and
 * the procedure given the request as the definition's start schema accepted it.
 */
export async function runProcess<Request>(
  definition: ProcessDefinition<Request>,
  input: CaseInput,
  procedure: (kase: Case, request: Request) => Promise<void>,
): Promise<CaseView> {
  // The API validated the fields against `definition.startSchema` before the case started.
  const request = input.fields as Request;
  return runCase(input, (kase) => procedure(kase, request), definition as ProcessDefinition<unknown>);
}
