/** The frame of every process workflow: open the case, run the procedure, persist everything. */
import { Case } from './case';
import type { CaseInput } from './case-state';
import type { CaseView } from '../contracts/messages';

export async function runCase(input: CaseInput, procedure: (kase: Case) => Promise<void>): Promise<CaseView> {
  const kase = new Case(input);
  await procedure(kase);
  if (kase.state.status === 'open')
    throw new Error(`the ${input.process} procedure ended without closing case ${input.caseId}`);
  return kase.finish();
}
