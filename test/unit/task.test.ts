import { role } from '../../workflows/contracts/assignees';
import { Refusal, type RefusalCode } from '../../workflows/contracts/refusals';
import type { JsonSchema } from '../../workflows/contracts/form-schema';
import type { ActorRef, TaskAction, TaskActionInput } from '../../workflows/contracts/messages';
import {
  applyTaskAction,
  checkTaskAction,
  openTask,
  owner,
  taskAssignees,
  type TaskSpec,
  type TaskState,
} from '../../workflows/kernel/task';

const NOW = '2027-06-08T02:00:00.000Z';
const REQUESTER = 'u-requester';

const person = (id: string, ...roles: string[]): ActorRef => ({ id, roles });
const alice = person('u-alice', 'ops_engineer');
const bob = person('u-bob', 'ops_engineer');
const outsider = person('u-outsider', 'developer');
const opsHead = person('u-ops-head', 'ops_head');

const rollbackPlanSchema: JsonSchema = {
  type: 'object',
  required: ['summary', 'rollbackSteps'],
  additionalProperties: false,
  properties: {
    summary: { type: 'string', minLength: 1 },
    rollbackSteps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['owner', 'minutes'],
        properties: { owner: { type: 'string' }, minutes: { type: 'integer', minimum: 1 } },
      },
    },
  },
};

const validForm = {
  summary: 'restore the previous build',
  rollbackSteps: [{ owner: 'u-alice', minutes: 15 }],
};

const queueTask = (extra: Partial<TaskSpec> = {}): TaskState =>
  openTask({
    step: 'rollbackPlan',
    title: 'Rollback plan',
    assignee: role('ops_engineer'),
    formSchema: rollbackPlanSchema,
    ...extra,
  });

const action = (actor: ActorRef, a: TaskAction): TaskActionInput => ({
  ...a,
  step: 'rollbackPlan',
  actor,
  channel: 'api',
});
const claim = (actor: ActorRef) => action(actor, { action: 'claim' });
const complete = (actor: ActorRef, form: Record<string, unknown> = validForm) =>
  action(actor, { action: 'complete', form });
const reassign = (actor: ActorRef, to: string, reason: string) =>
  action(actor, { action: 'reassign', to, reason });

/** Checks the action as the update validator would, then applies it. */
function act(state: TaskState, input: TaskActionInput) {
  checkTaskAction(state, REQUESTER, input);
  return applyTaskAction(state, input, NOW);
}

function refusalOf(check: () => void): Refusal | 'no refusal' {
  try {
    check();
  } catch (err) {
    if (err instanceof Refusal) return err;
    throw err;
  }
  return 'no refusal';
}

const codeOf = (check: () => void): RefusalCode | 'no refusal' => {
  const result = refusalOf(check);
  return result === 'no refusal' ? result : result.code;
};

describe('role queues and claims', () => {
  test('a role-queue task claimed by someone holding the role may then be completed only by them', () => {
    const state = queueTask();
    expect(act(state, claim(alice))).toEqual({ kind: 'claimed', by: alice.id });
    expect(owner(state)).toBe(alice.id);
    expect(taskAssignees(state)).toEqual([alice.id]);

    expect(codeOf(() => checkTaskAction(state, REQUESTER, complete(bob)))).toBe('NOT_ELIGIBLE');
    expect(codeOf(() => checkTaskAction(state, REQUESTER, claim(bob)))).toBe('TASK_CLAIMED');
    const change = act(state, complete(alice));
    expect(change).toMatchObject({
      kind: 'completed',
      completion: { completedBy: alice.id, form: validForm },
    });
  });

  test('someone outside the queue can neither claim nor complete the task', () => {
    const state = queueTask();
    expect(codeOf(() => checkTaskAction(state, REQUESTER, claim(outsider)))).toBe('NOT_ELIGIBLE');
    expect(codeOf(() => checkTaskAction(state, REQUESTER, complete(outsider)))).toBe('NOT_ELIGIBLE');
  });

  test('a task assigned to a person cannot be claimed like a queue', () => {
    const state = queueTask({ assignee: alice.id });
    expect(codeOf(() => checkTaskAction(state, REQUESTER, claim(alice)))).toBe('INVALID_MESSAGE');
    expect(codeOf(() => checkTaskAction(state, REQUESTER, complete(bob)))).toBe('NOT_ELIGIBLE');
    expect(codeOf(() => checkTaskAction(state, REQUESTER, complete(alice)))).toBe('no refusal');
  });
});

describe('reassignment', () => {
  test('a reassignment without a reason is refused with REASON_REQUIRED', () => {
    const state = queueTask();
    act(state, claim(alice));
    expect(codeOf(() => checkTaskAction(state, REQUESTER, reassign(alice, bob.id, '')))).toBe(
      'REASON_REQUIRED',
    );
    expect(codeOf(() => checkTaskAction(state, REQUESTER, reassign(alice, bob.id, '  ')))).toBe(
      'REASON_REQUIRED',
    );
  });

  test('the owner may reassign their task, and the new assignee then owns it', () => {
    const state = queueTask();
    act(state, claim(alice));
    expect(act(state, reassign(alice, bob.id, 'on call elsewhere tonight'))).toEqual({
      kind: 'reassigned',
      from: alice.id,
      to: bob.id,
      reason: 'on call elsewhere tonight',
    });
    expect(owner(state)).toBe(bob.id);
    expect(codeOf(() => checkTaskAction(state, REQUESTER, complete(alice)))).toBe('NOT_ELIGIBLE');
    expect(codeOf(() => checkTaskAction(state, REQUESTER, complete(bob)))).toBe('no refusal');
  });

  test('an ops_head supervisor may reassign a task they do not own', () => {
    const state = queueTask();
    act(state, claim(alice));
    expect(act(state, reassign(opsHead, bob.id, 'alice is on leave'))).toMatchObject({
      kind: 'reassigned',
      to: bob.id,
    });
    expect(owner(state)).toBe(bob.id);
  });

  test('someone who neither owns the task nor supervises may not reassign it', () => {
    const state = queueTask();
    act(state, claim(alice));
    expect(codeOf(() => checkTaskAction(state, REQUESTER, reassign(bob, bob.id, 'I will take it')))).toBe(
      'NOT_ELIGIBLE',
    );
  });
});

describe('completion', () => {
  test('a form that violates the schema is refused with FORM_INVALID naming the JSON path of each bad field', () => {
    const state = queueTask();
    const bad = { rollbackSteps: [{ owner: 'u-alice', minutes: 15 }, { minutes: 'ten' }], note: 'extra' };
    const refusal = refusalOf(() => checkTaskAction(state, REQUESTER, complete(alice, bad)));
    expect(refusal).toBeInstanceOf(Refusal);
    const { code, details } = refusal as Refusal;
    expect(code).toBe('FORM_INVALID');
    const paths = (details.errors as Array<{ path: string }>).map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/summary', '/note', '/rollbackSteps/1/owner', '/rollbackSteps/1/minutes']),
    );
    expect(paths).not.toContain('/rollbackSteps/0/owner');
  });

  test('a form that satisfies the schema completes the task', () => {
    const state = queueTask();
    expect(codeOf(() => checkTaskAction(state, REQUESTER, complete(alice)))).toBe('no refusal');
  });

  test('the requester may not complete a task marked notByRequester, even holding the role', () => {
    const state = queueTask({ notByRequester: true });
    const requester = person(REQUESTER, 'ops_engineer');
    expect(codeOf(() => checkTaskAction(state, REQUESTER, complete(requester)))).toBe('SOD_REQUESTER');
  });

  test('whoever did the work may not complete a task marked notByImplementer (a retest), even assigned to it', () => {
    const state = queueTask({ notByImplementer: true });
    const parties = { requester: REQUESTER, implementers: [alice.id] };
    expect(codeOf(() => checkTaskAction(state, parties, complete(alice)))).toBe('SOD_IMPLEMENTER');
    expect(codeOf(() => checkTaskAction(state, parties, complete(bob)))).toBe('no refusal');
  });
});
