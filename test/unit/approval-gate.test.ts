import {
  applyDecision,
  applyDelegation,
  checkDecision,
  checkDelegation,
  evaluate,
  openApproval,
  pendingApprovers,
  reassignOpenSlots,
  type ApprovalLevel,
  type ApprovalSpec,
  type ApprovalState,
  type CaseParties,
} from '../../workflows/kernel/approval';
import { role } from '../../workflows/contracts/assignees';
import { Refusal, type RefusalCode } from '../../workflows/contracts/refusals';
import type { ActorRef, DecisionInput, DecisionKind } from '../../workflows/contracts/messages';

const NOW = '2027-06-08T02:00:00.000Z';

const parties: CaseParties = {
  requester: 'u-requester',
  implementers: ['u-implementer'],
  vendorId: 'v-acme',
};

const person = (id: string, ...roles: string[]): ActorRef => ({ id, roles });

const gate = (levels: ApprovalLevel[], extra: Partial<ApprovalSpec> = {}): ApprovalState =>
  openApproval({ step: 'cabApproval', title: 'CAB approval', levels, ...extra });

const decision = (actor: ActorRef, kind: DecisionKind, comment?: string): DecisionInput => ({
  step: 'cabApproval',
  decision: kind,
  actor,
  channel: 'api',
  ...(comment === undefined ? {} : { comment }),
});

/** Checks the decision as the update validator would, applies it, and returns what the gate adds up to. */
function decide(state: ApprovalState, actor: ActorRef, kind: DecisionKind, comment?: string) {
  const input = decision(actor, kind, comment ?? (kind === 'approve' ? undefined : 'not ready'));
  checkDecision(state, parties, input);
  applyDecision(state, input, NOW);
  return evaluate(state);
}

/** The refusal code a check throws, or a failure message when it throws nothing or something else. */
function refusalOf(check: () => void): RefusalCode | string {
  try {
    check();
  } catch (err) {
    if (err instanceof Refusal) return err.code;
    throw err;
  }
  return 'no refusal';
}

const alice = person('u-alice', 'cab');
const bob = person('u-bob', 'cab');
const carol = person('u-carol', 'cab');
const dave = person('u-dave', 'cab');
const head = person('u-head', 'dept_head');
const outsider = person('u-outsider', 'engineer');

describe('single and sequential gates', () => {
  test('a single approver holding the role approves the gate', () => {
    const state = gate([{ approvers: [role('dept_head')], mode: 'any' }]);
    expect(decide(state, head, 'approve')).toBe('approved');
  });

  test('approving level 1 of a sequential gate moves it to level 2, whose approval approves the gate', () => {
    const state = gate([
      { approvers: [role('dept_head')], mode: 'any' },
      { approvers: [role('cab')], mode: 'any' },
    ]);
    expect(decide(state, head, 'approve')).toBe('next-level');
    expect(state.level).toBe(1);
    expect(pendingApprovers(state)).toEqual([role('cab')]);
    expect(refusalOf(() => checkDecision(state, parties, decision(head, 'approve')))).toBe('NOT_ELIGIBLE');
    expect(decide(state, alice, 'approve')).toBe('approved');
  });

  test('a gate without approvers on a level cannot be opened', () => {
    expect(() => gate([{ approvers: [], mode: 'any' }])).toThrow(/at least one approver/);
    expect(() => gate([])).toThrow(/at least one approver/);
  });
});

describe('parallel gates: all, any, quorum', () => {
  const threeCab = (mode: ApprovalLevel['mode'], quorum?: ApprovalLevel['quorum']) =>
    gate([{ approvers: [alice.id, bob.id, carol.id], mode, ...(quorum ? { quorum } : {}) }]);

  test('with mode all, one rejection rejects the gate', () => {
    const state = threeCab('all');
    expect(decide(state, alice, 'approve')).toBeNull();
    expect(decide(state, bob, 'reject')).toBe('rejected');
  });

  test('with mode all, the gate is approved only when every approver has approved', () => {
    const state = threeCab('all');
    expect(decide(state, alice, 'approve')).toBeNull();
    expect(decide(state, bob, 'approve')).toBeNull();
    expect(decide(state, carol, 'approve')).toBe('approved');
  });

  test('with mode any, the first approval approves the gate', () => {
    const state = threeCab('any');
    expect(decide(state, alice, 'reject')).toBeNull();
    expect(decide(state, bob, 'approve')).toBe('approved');
  });

  test('with mode any, the gate is rejected once everyone has rejected', () => {
    const state = threeCab('any');
    expect(decide(state, alice, 'reject')).toBeNull();
    expect(decide(state, bob, 'reject')).toBeNull();
    expect(decide(state, carol, 'reject')).toBe('rejected');
  });

  test('a quorum of 2 of 3 is approved by the second approval', () => {
    const state = threeCab('quorum', { count: 2 });
    expect(decide(state, alice, 'approve')).toBeNull();
    expect(decide(state, bob, 'reject')).toBeNull();
    expect(decide(state, carol, 'approve')).toBe('approved');
  });

  test('a quorum of 2 of 3 is rejected as soon as two rejections make it unreachable', () => {
    const state = threeCab('quorum', { count: 2 });
    expect(decide(state, alice, 'reject')).toBeNull();
    expect(decide(state, bob, 'reject')).toBe('rejected');
  });

  test('a quorum of 60 % of 5 approvers needs 3 approvals', () => {
    const state = gate([
      {
        approvers: [role('cab'), role('cab'), role('cab'), role('cab'), role('cab')],
        mode: 'quorum',
        quorum: { percent: 60 },
      },
    ]);
    expect(decide(state, alice, 'approve')).toBeNull();
    expect(decide(state, bob, 'approve')).toBeNull();
    expect(decide(state, carol, 'approve')).toBe('approved');
  });

  test('a quorum of 60 % of 5 is rejected by the third rejection, when 3 approvals are no longer possible', () => {
    const state = gate([
      {
        approvers: [role('cab'), role('cab'), role('cab'), role('cab'), role('cab')],
        mode: 'quorum',
        quorum: { percent: 60 },
      },
    ]);
    expect(decide(state, alice, 'approve')).toBeNull();
    expect(decide(state, bob, 'reject')).toBeNull();
    expect(decide(state, carol, 'reject')).toBeNull();
    expect(decide(state, dave, 'reject')).toBe('rejected');
  });
});

describe('vetoes and requests for changes', () => {
  test("a vetoer's rejection ends the gate even when the others approved", () => {
    const ciso = person('u-ciso', 'ciso');
    const state = gate([{ approvers: [alice.id, bob.id, carol.id], mode: 'quorum', quorum: { count: 3 } }], {
      vetoers: [role('ciso')],
    });
    expect(decide(state, alice, 'approve')).toBeNull();
    expect(decide(state, bob, 'approve')).toBeNull();
    expect(decide(state, ciso, 'reject', 'unpatched CVE on the target host')).toBe('rejected');
  });

  test('a vetoer who holds no approver slot may veto but not approve', () => {
    const ciso = person('u-ciso', 'ciso');
    const state = gate([{ approvers: [role('cab')], mode: 'any' }], { vetoers: [role('ciso')] });
    expect(refusalOf(() => checkDecision(state, parties, decision(ciso, 'approve')))).toBe('NOT_ELIGIBLE');
  });

  test('a request for changes sends the gate back with changes_requested', () => {
    const state = gate([{ approvers: [alice.id, bob.id], mode: 'all' }]);
    expect(decide(state, alice, 'approve')).toBeNull();
    expect(decide(state, bob, 'request_changes', 'add a rollback plan')).toBe('changes_requested');
  });

  test('a rejection or a request for changes without a comment is refused with REASON_REQUIRED', () => {
    const state = gate([{ approvers: [role('cab')], mode: 'any' }]);
    for (const kind of ['reject', 'request_changes'] as const) {
      expect(refusalOf(() => checkDecision(state, parties, decision(alice, kind)))).toBe('REASON_REQUIRED');
      expect(refusalOf(() => checkDecision(state, parties, decision(alice, kind, '   ')))).toBe(
        'REASON_REQUIRED',
      );
    }
    expect(refusalOf(() => checkDecision(state, parties, decision(alice, 'approve')))).toBe('no refusal');
  });
});

describe('separation of duties and eligibility', () => {
  test('the requester cannot approve their own case, even holding the approver role', () => {
    const state = gate([{ approvers: [role('cab')], mode: 'any' }]);
    const requester = person(parties.requester, 'cab');
    expect(refusalOf(() => checkDecision(state, parties, decision(requester, 'approve')))).toBe(
      'SOD_REQUESTER',
    );
  });

  test('the implementer cannot approve a step that checks their own work', () => {
    const state = gate([{ approvers: [role('cab')], mode: 'any' }], { checks: ['implementer'] });
    const implementer = person('u-implementer', 'cab');
    expect(refusalOf(() => checkDecision(state, parties, decision(implementer, 'approve')))).toBe(
      'SOD_IMPLEMENTER',
    );
  });

  test('the implementer may approve a step that does not check implementation', () => {
    const state = gate([{ approvers: [role('cab')], mode: 'any' }]);
    const implementer = person('u-implementer', 'cab');
    expect(refusalOf(() => checkDecision(state, parties, decision(implementer, 'approve')))).toBe(
      'no refusal',
    );
  });

  test("vendor staff cannot approve their own vendor's work", () => {
    const state = gate([{ approvers: [role('cab')], mode: 'any' }], { checks: ['vendor'] });
    const acmeEngineer: ActorRef = { id: 'u-acme', roles: ['cab'], vendorId: 'v-acme' };
    const otherVendor: ActorRef = { id: 'u-other', roles: ['cab'], vendorId: 'v-other' };
    expect(refusalOf(() => checkDecision(state, parties, decision(acmeEngineer, 'approve')))).toBe(
      'SOD_VENDOR',
    );
    expect(refusalOf(() => checkDecision(state, parties, decision(otherVendor, 'approve')))).toBe(
      'no refusal',
    );
  });

  test('someone without the approver role is not eligible', () => {
    const state = gate([{ approvers: [role('cab')], mode: 'any' }]);
    expect(refusalOf(() => checkDecision(state, parties, decision(outsider, 'approve')))).toBe(
      'NOT_ELIGIBLE',
    );
  });

  test('a second decision by the same person on the same level is a duplicate', () => {
    const state = gate([{ approvers: [role('cab'), role('cab')], mode: 'all' }]);
    expect(decide(state, alice, 'approve')).toBeNull();
    expect(refusalOf(() => checkDecision(state, parties, decision(alice, 'approve')))).toBe(
      'DUPLICATE_DECISION',
    );
    expect(refusalOf(() => checkDecision(state, parties, decision(alice, 'reject', 'changed my mind')))).toBe(
      'DUPLICATE_DECISION',
    );
  });

  test('a person named on a slot fills their own slot, leaving the role slot to the role', () => {
    // Alice holds the cab role and is also named personally: her approval must not use up the cab slot.
    const state = gate([{ approvers: [role('cab'), alice.id], mode: 'all' }]);
    expect(decide(state, alice, 'approve')).toBeNull();
    expect(pendingApprovers(state)).toEqual([role('cab')]);
    expect(decide(state, bob, 'approve')).toBe('approved');
  });
});

describe('delegation', () => {
  const delegation = (from: ActorRef, to: string, reason = 'on leave this week') => ({
    step: 'cabApproval',
    actor: from,
    to,
    reason,
    channel: 'api' as const,
  });

  test('a delegate decides on behalf of the delegator, who then cannot decide again', () => {
    const state = gate([{ approvers: [alice.id, bob.id], mode: 'all' }]);
    const deputy = person('u-deputy');
    checkDelegation(state, parties, delegation(alice, deputy.id));
    applyDelegation(state, delegation(alice, deputy.id), NOW);

    const input = decision(deputy, 'approve');
    checkDecision(state, parties, input);
    const record = applyDecision(state, input, NOW);
    expect(record).toMatchObject({ actor: deputy.id, onBehalfOf: alice.id, decision: 'approve' });
    expect(evaluate(state)).toBeNull();

    expect(refusalOf(() => checkDecision(state, parties, decision(alice, 'approve')))).toBe(
      'DUPLICATE_DECISION',
    );
    expect(decide(state, bob, 'approve')).toBe('approved');
  });

  test('an approval cannot be delegated to the requester of the case', () => {
    const state = gate([{ approvers: [alice.id], mode: 'any' }]);
    expect(refusalOf(() => checkDelegation(state, parties, delegation(alice, parties.requester)))).toBe(
      'SOD_REQUESTER',
    );
  });

  test('a delegation needs a reason and an open approval of the delegator', () => {
    const state = gate([{ approvers: [alice.id], mode: 'any' }]);
    expect(refusalOf(() => checkDelegation(state, parties, delegation(alice, 'u-deputy', ' ')))).toBe(
      'REASON_REQUIRED',
    );
    expect(refusalOf(() => checkDelegation(state, parties, delegation(outsider, 'u-deputy')))).toBe(
      'NOT_ELIGIBLE',
    );
  });

  test('the delegate is subject to separation of duties as well as the delegator', () => {
    const state = gate([{ approvers: [alice.id], mode: 'any' }], { checks: ['implementer'] });
    applyDelegation(state, delegation(alice, 'u-implementer'), NOW);
    const implementer = person('u-implementer');
    expect(refusalOf(() => checkDecision(state, parties, decision(implementer, 'approve')))).toBe(
      'SOD_IMPLEMENTER',
    );
  });

  test('a delegation made on one level does not make the delegate an approver of the next level', () => {
    const state = gate([
      { approvers: [alice.id], mode: 'any' },
      { approvers: [role('dept_head')], mode: 'any' },
    ]);
    applyDelegation(state, delegation(alice, 'u-deputy'), NOW);
    expect(decide(state, person('u-deputy'), 'approve')).toBe('next-level');
    expect(pendingApprovers(state)).toEqual([role('dept_head')]);
    expect(refusalOf(() => checkDecision(state, parties, decision(person('u-deputy'), 'approve')))).toBe(
      'NOT_ELIGIBLE',
    );
  });

  test('a delegate who is an approver of the next level in their own right decides there as themselves', () => {
    const state = gate([
      { approvers: [alice.id], mode: 'any' },
      { approvers: [role('dept_head')], mode: 'any' },
    ]);
    applyDelegation(state, delegation(alice, head.id), NOW);
    expect(decide(state, head, 'approve')).toBe('next-level');
    const input = decision(head, 'approve');
    checkDecision(state, parties, input);
    expect(applyDecision(state, input, NOW)).toMatchObject({ level: 1, actor: head.id, onBehalfOf: null });
    expect(evaluate(state)).toBe('approved');
  });
});

describe('who is waiting and escalation', () => {
  test('pendingApprovers shows the slots still open, and the delegates standing in', () => {
    const state = gate([{ approvers: [alice.id, bob.id, role('cab')], mode: 'all' }]);
    expect(pendingApprovers(state)).toEqual([alice.id, bob.id, role('cab')]);
    expect(decide(state, alice, 'approve')).toBeNull();
    expect(pendingApprovers(state)).toEqual([bob.id, role('cab')]);
    applyDelegation(
      state,
      { step: 'cabApproval', actor: bob, to: 'u-deputy', reason: 'on leave', channel: 'api' },
      NOW,
    );
    expect(pendingApprovers(state)).toContain('u-deputy');
  });

  test('an escalation hands the open slots to the escalation target and keeps the decisions made', () => {
    const state = gate([{ approvers: [alice.id, bob.id, carol.id], mode: 'quorum', quorum: { count: 2 } }]);
    expect(decide(state, alice, 'approve')).toBeNull();
    reassignOpenSlots(state, role('ops_head'));
    expect(pendingApprovers(state)).toEqual([role('ops_head')]);
    expect(refusalOf(() => checkDecision(state, parties, decision(bob, 'approve')))).toBe('NOT_ELIGIBLE');
    expect(decide(state, person('u-ops-head', 'ops_head'), 'approve')).toBe('approved');
  });
});
