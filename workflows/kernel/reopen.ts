/**
 * A closed case that may come back: after closing, the procedure keeps a cheap durable wait (one
 * timer, no activity) for the length of an SLA policy (the retention period), during which the
 * `reopen` Update reopens the very same case — same case number, same audit trail and read-model
 * row, its history kept — and the procedure carries on from there. Why not a new run or a new
 * case: a new run of the same workflow id would have to rebuild the state and event sequence from
 * PostgreSQL, and a new linked case would split one defect's history in two and lose its reopen
 * count; the wait costs one timer per closed case and ends by itself when the retention elapses
 * (after that a recurrence is a new case that links the old one). Journaled like `waitForPolicy`:
 * the deadline lives in the case state, so a run continued as new resumes the same one.
 */
import { condition, setHandler } from '@temporalio/workflow';
import { reopenUpdate, type ReopenInput } from '../contracts/messages';
import { Refusal } from '../contracts/refusals';
import { addPolicyDuration } from '../contracts/working-time';
import { commandChecks } from './activity-proxies';
import type { Case } from './case';
import type { Reopening } from './case-state';
import { iso, nowIso } from './clock';

export type { Reopening };

/**
 * Waits, on a closed case, for a reopening until the policy of `slaStage` (declared for the
 * `closed` stage in the definition) has elapsed; returns it with the case open again, or null
 * when the retention period ended without one.
 */
export async function reopenWithin(
  kase: Case,
  name: string,
  slaStage: string,
  mayReopen: readonly string[],
): Promise<Reopening | null> {
  return kase.journaled(`reopen:${name}`, async (callIndex) => {
    let watch = kase.state.reopenWatch;
    if (!watch || watch.callIndex !== callIndex) {
      kase.checkStepClock(slaStage);
      const policy = await kase.working(() =>
        kase.resolveSlaPolicy({
          process: kase.state.process,
          stage: slaStage,
          priority: kase.state.priority,
        }),
      );
      const now = Date.now();
      const until = addPolicyDuration(
        now,
        policy.duration,
        policy.basis,
        policy.calendar,
        kase.state.timeZone,
      );
      watch = { callIndex, name, until, roles: [...mayReopen], reopening: null };
      kase.state.reopenWatch = watch;
      kase.emit('case.reopenable', { watch: name, until: iso(until), policyId: policy.policyId });
    }
    const open = watch;
    const left = open.until - Date.now();
    if (open.reopening === null && left > 0) {
      await kase.awaitTime(() =>
        condition(() => open.reopening !== null, left, { summary: `${name} until ${iso(open.until)}` }),
      );
    }
    kase.state.reopenWatch = undefined;
    const reopening = open.reopening;
    if (reopening === null) {
      kase.emit('case.reopen-window-ended', { watch: name, until: iso(open.until) });
      return null;
    }
    kase.reopen(reopening);
    return reopening;
  });
}

/** The `reopen` Update: refused unless the case is closed and watching, with a reason, by someone who may. */
export function registerReopenHandler(kase: Case): void {
  setHandler(
    reopenUpdate,
    async (input) => {
      const { verified } = await kase.oneLocalAtATime(() =>
        commandChecks.checkCommandAttestation({
          update: 'reopen',
          caseId: kase.state.caseId,
          message: input,
        }),
      );
      refuseUnless(() => checkReopen(kase, input));
      kase.state.reopenWatch!.reopening = {
        by: input.actor.id,
        reason: input.reason.trim(),
        link: input.link?.trim() || null,
        evidenceRefs: input.evidenceRefs ?? [],
        at: nowIso(),
        identityVerified: verified,
      };
      await condition(() => kase.state.status === 'open' && kase.settled);
      return kase.view();
    },
    { validator: (input) => refuseUnless(() => checkReopen(kase, input)) },
  );
}

function checkReopen(kase: Case, input: ReopenInput): void {
  if (!input?.actor?.id || !Array.isArray(input.actor.roles)) {
    throw new Refusal('INVALID_MESSAGE', 'a reopening needs actor {id, roles} and a reason');
  }
  const watch = kase.state.reopenWatch;
  if (kase.state.status !== 'closed' || !watch || watch.reopening !== null) {
    throw new Refusal(
      'NOT_REOPENABLE',
      `case ${kase.state.caseId} is not a closed case that can be reopened`,
    );
  }
  if (typeof input.reason !== 'string' || !input.reason.trim()) {
    throw new Refusal('REASON_REQUIRED', 'reopening a case needs a reason: what recurred');
  }
  const may =
    input.actor.id === kase.state.requester || watch.roles.some((r) => input.actor.roles.includes(r));
  if (!may) throw new Refusal('NOT_ELIGIBLE', `${input.actor.id} may not reopen ${kase.state.caseId}`);
}

function refuseUnless(check: () => void): void {
  try {
    check();
  } catch (err) {
    throw err instanceof Refusal ? err.toFailure() : err;
  }
}
