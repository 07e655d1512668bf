/**
 * Ending a case before its procedure does: the requester withdraws their own case while no work
 * on production has begun (the definition names the stages where it has), and the O&M head (or an
 * admin) cancels any open case. Both need a reason and are audited; waiting steps are cancelled.
 */
import { patched, setHandler } from '@temporalio/workflow';
import { cancelUpdate, withdrawUpdate, type EndCaseInput } from '../contracts/messages';
import { Refusal } from '../contracts/refusals';
import type { Case } from './case';
import { ATTESTED_CONTROLS, attested } from './case-handlers';

const CANCELLERS = ['ops_head', 'admin'];

export function registerEndingHandlers(kase: Case): void {
  /**
   * Before the `attested-controls` patch an ending was recorded as the API's whatever sent it; from
   * it on, only one the API signed is, and one sent straight to Temporal is an operator's.
   */
  const ending =
    (how: 'withdraw' | 'cancel', outcome: 'withdrawn' | 'cancelled', check: (input: EndCaseInput) => void) =>
    (input: EndCaseInput) => {
      if (!patched(ATTESTED_CONTROLS)) {
        kase.endEarly(outcome, input.actor.id, input.reason.trim());
        return kase.view();
      }
      return (async () => {
        const verified = await attested(kase, how, input);
        refuse(() => check(input));
        kase.endEarly(outcome, input.actor.id, input.reason.trim(), verified ? 'api' : 'operator');
        return kase.view();
      })();
    };

  const checkWithdrawal = (input: EndCaseInput) => {
    checkEnding(kase, input);
    if (input.actor.id !== kase.state.requester) {
      throw new Refusal('NOT_ELIGIBLE', 'only the requester may withdraw their case');
    }
    if (!kase.withdrawable) {
      throw new Refusal(
        'TOO_LATE_TO_WITHDRAW',
        `the case is in ${kase.state.stage}: it can no longer be withdrawn, only cancelled by the O&M head`,
        { stage: kase.state.stage },
      );
    }
  };
  const checkCancellation = (input: EndCaseInput) => {
    checkEnding(kase, input);
    if (!CANCELLERS.some((r) => input.actor.roles.includes(r))) {
      throw new Refusal('NOT_ELIGIBLE', `${input.actor.id} may not cancel a case (O&M head or admin)`);
    }
  };
  setHandler(withdrawUpdate, ending('withdraw', 'withdrawn', checkWithdrawal), {
    validator: (input) => refuse(() => checkWithdrawal(input)),
  });
  setHandler(cancelUpdate, ending('cancel', 'cancelled', checkCancellation), {
    validator: (input) => refuse(() => checkCancellation(input)),
  });
}

function checkEnding(kase: Case, input: EndCaseInput): void {
  if (!input?.actor?.id || !Array.isArray(input.actor.roles)) {
    throw new Refusal('INVALID_MESSAGE', 'ending a case needs actor {id, roles} and a reason');
  }
  if (kase.state.status !== 'open') throw new Refusal('CASE_CLOSED', `case ${kase.state.caseId} is closed`);
  if (typeof input.reason !== 'string' || !input.reason.trim()) {
    throw new Refusal('REASON_REQUIRED', 'withdrawing or cancelling a case needs a reason');
  }
}

function refuse(check: () => void): void {
  try {
    check();
  } catch (err) {
    throw err instanceof Refusal ? err.toFailure() : err;
  }
}
