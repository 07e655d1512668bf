/**
 * The runtime of one case inside its workflow: the state, the audit/projection stream, the
 * message handlers, and the kernel calls a process is written with (`approval`, `task`,
 * `record`, `close`). A process workflow is `runCase(input, async (kase) => { … })`.
 *
 * Every kernel call is journaled by its position: after continue-as-new the process function
 * runs again from the top and each finished call returns its recorded result at once, while a
 * step that was still pending is resumed where it stood. So process code between kernel calls
 * must be deterministic in the results of those calls — which is what workflow code is anyway.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { OpsActivities } from '../../activities';
import {
  applyDecision,
  applyDelegation,
  checkDecision,
  checkDelegation,
  evaluate,
  pendingApprovers,
  reassignOpenSlots,
  type CaseParties,
} from './approval';
import { matches, toRecipient, type Assignee } from './assignees';
import { pendingSteps, type CaseInput, type CaseState, type StepRecord } from './case-state';
import { Refusal } from './errors';
import {
  caseViewQuery,
  changePriorityUpdate,
  decideUpdate,
  decisionSignal,
  delegateUpdate,
  offlineEntryUpdate,
  pauseClockUpdate,
  replanSignal,
  resumeClockUpdate,
  taskUpdate,
  type ActorRef,
  type CaseView,
  type ClockInput,
  type DecisionInput,
  type Provenance,
} from './messages';
import * as search from './search-attributes';
import { pause, replan, resume } from './sla';
import { applyTaskAction, checkTaskAction, reassignTo, taskAssignees } from './task';
import type { CaseProjection, Channel, NotificationIntent, Recipient } from './types';

// The audit trail must never lose an event: retry until PostgreSQL takes it. The writes take
// milliseconds; a short start-to-close timeout bounds the wait after a worker dies mid-write.
const persistence = proxyActivities<OpsActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});
export const policies = proxyActivities<OpsActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
});

const CLOCK_ROLES = ['ops_head', 'admin'];
const PRIORITY_ROLES = ['ops_head', 'ops_engineer', 'admin'];

export interface EmitOptions {
  actor?: string | null;
  channel?: Channel;
  occurredAt?: string;
  notify?: Array<{ to: Recipient[]; template: string; data?: Record<string, unknown> }>;
}

export const nowIso = (): string => new Date(Date.now()).toISOString();

export class Case {
  readonly state: CaseState;
  private cursor = 0;
  private readonly roundOf = new Map<string, number>();
  private flushing = false;
  private lastSearchAttributes = '';

  constructor(private readonly input: CaseInput) {
    const at = nowIso();
    this.state = input.carried ?? {
      caseId: input.caseId,
      process: input.process,
      title: input.title,
      requester: input.requester,
      priority: input.priority,
      system: input.system ?? null,
      businessKey: input.businessKey ?? null,
      vendorId: input.vendorId ?? null,
      timeZone: input.timeZone ?? 'Asia/Shanghai',
      fields: input.fields ?? {},
      status: 'open',
      stage: 'opened',
      outcome: null,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      implementers: [],
      steps: {},
      journal: {},
      seq: 0,
      outbox: { events: [], notifications: [] },
    };
    this.registerHandlers();
    void this.flushLoop();
    if (!input.carried) {
      this.emit(
        'case.opened',
        { title: this.state.title, priority: this.state.priority, fields: this.state.fields },
        {
          actor: this.state.requester,
          channel: 'api',
        },
      );
    }
    this.describe();
  }

  get parties(): CaseParties {
    return {
      requester: this.state.requester,
      implementers: this.state.implementers,
      vendorId: this.state.vendorId,
    };
  }

  // ---------------------------------------------------------------- the audit/projection stream

  /** Appends an event (and what to tell whom) to the case's outbox; the flush loop writes it. */
  emit(type: string, data: Record<string, unknown>, options: EmitOptions = {}): number {
    const seq = ++this.state.seq;
    const at = nowIso();
    this.state.updatedAt = at;
    this.state.outbox.events.push({
      caseId: this.state.caseId,
      seq,
      type,
      occurredAt: options.occurredAt ?? at,
      actor: options.actor ?? null,
      channel: options.channel ?? 'system',
      data,
    });
    (options.notify ?? []).forEach((n, i) =>
      n.to.forEach((recipient, j) => {
        const intent: NotificationIntent = {
          id: `${this.state.caseId}:${seq}:${i}:${j}`,
          caseId: this.state.caseId,
          recipient,
          template: n.template,
          data: {
            caseId: this.state.caseId,
            title: this.state.title,
            process: this.state.process,
            ...(n.data ?? {}),
          },
        };
        this.state.outbox.notifications.push(intent);
      }),
    );
    return seq;
  }

  private async flushLoop(): Promise<void> {
    for (;;) {
      await condition(() => this.state.outbox.events.length > 0);
      this.flushing = true;
      const events = this.state.outbox.events.slice();
      const notifications = this.state.outbox.notifications.slice();
      const projection = this.projection(events[events.length - 1].seq);
      this.upsertSearchAttributes(projection);
      await persistence.recordCaseEvents({ caseId: this.state.caseId, events, projection, notifications });
      // Only now, with PostgreSQL holding them, do they leave the outbox (continue-as-new carries the rest).
      this.state.outbox.events.splice(0, events.length);
      this.state.outbox.notifications.splice(0, notifications.length);
      this.flushing = false;
    }
  }

  /** Waits until every event so far is in PostgreSQL. */
  async drained(): Promise<void> {
    await condition(() => this.state.outbox.events.length === 0 && !this.flushing);
  }

  projection(version: number): CaseProjection {
    const pending = pendingSteps(this.state);
    const due = pending.map((s) => s.sla?.dueAt).filter((d): d is number => d !== undefined);
    return {
      caseId: this.state.caseId,
      version,
      process: this.state.process,
      title: this.state.title,
      state: this.state.status,
      stage: this.state.stage,
      priority: this.state.priority,
      system: this.state.system,
      requester: this.state.requester,
      assignees: [...new Set(pending.flatMap((s) => this.assigneesOf(s)))],
      dueAt: due.length ? new Date(Math.min(...due)).toISOString() : null,
      overdue: pending.some((s) => s.sla?.fired.overdue),
      createdAt: this.state.createdAt,
      updatedAt: this.state.updatedAt,
      closedAt: this.state.closedAt,
      fields: { ...this.state.fields, outcome: this.state.outcome },
    };
  }

  private upsertSearchAttributes(p: CaseProjection): void {
    const pairs = [
      { key: search.OpsProcess, value: p.process },
      { key: search.OpsStage, value: p.stage },
      { key: search.OpsPriority, value: p.priority },
      { key: search.OpsAssignees, value: p.assignees },
      { key: search.OpsDueAt, value: p.dueAt ? new Date(p.dueAt) : null },
      { key: search.OpsOverdue, value: p.overdue },
      { key: search.OpsBusinessKey, value: this.state.businessKey },
      { key: search.OpsSystem, value: p.system },
    ] as const;
    const fingerprint = JSON.stringify(pairs.map((x) => x.value));
    if (fingerprint === this.lastSearchAttributes) return;
    this.lastSearchAttributes = fingerprint;
    upsertSearchAttributes(pairs.map((x) => ({ ...x })) as Parameters<typeof upsertSearchAttributes>[0]);
  }

  /** The current stage in words, for the Temporal UI's "current details". */
  describe(): void {
    const pending = pendingSteps(this.state)
      .map((s) => `${s.title} — ${this.assigneesOf(s).join(', ')}${s.sla?.fired.overdue ? ' (OVERDUE)' : ''}`)
      .join('; ');
    setCurrentDetails(
      `**${this.state.process} ${this.state.caseId}** · ${this.state.status} · stage: ${this.state.stage}` +
        (pending ? `\n\nwaiting for: ${pending}` : ''),
    );
  }

  // ---------------------------------------------------------------- kernel calls for processes

  /**
   * Runs a kernel call once per case: a continued run gets the recorded result back at once.
   * A new call is also where the case continues as new when its history has grown long.
   */
  async journaled<T>(name: string, run: (callIndex: number) => Promise<T>): Promise<T> {
    const index = this.cursor++;
    const entry = this.state.journal[index];
    if (entry) {
      if (entry.name !== name)
        throw new Error(`journal mismatch at ${index}: recorded ${entry.name}, called ${name}`);
      return entry.result as T;
    }
    if (!Object.values(this.state.steps).some((s) => s.callIndex === index && s.status === 'pending')) {
      await this.continueAsNewIfLong();
    }
    const result = await run(index);
    this.state.journal[index] = { name, result };
    return result;
  }

  /** Key of the next round of a step: `name`, then `name#2`, `name#3`… */
  nextStepKey(name: string): string {
    const round = (this.roundOf.get(name) ?? 0) + 1;
    this.roundOf.set(name, round);
    return round === 1 ? name : `${name}#${round}`;
  }

  /** Moves the case to a stage, recorded once. */
  async enterStage(stage: string): Promise<void> {
    await this.journaled(`stage:${stage}`, async () => {
      this.state.stage = stage;
      this.emit('stage.entered', { stage });
      this.describe();
    });
  }

  /** Records a process event (and notifications) exactly once. */
  async record(type: string, data: Record<string, unknown>, options: EmitOptions = {}): Promise<void> {
    await this.journaled(`record:${type}`, async () => {
      this.emit(type, data, options);
    });
  }

  /** Merges key fields into the case (read model `fields`, reports). */
  async setFields(fields: Record<string, unknown>): Promise<void> {
    await this.journaled('fields', async () => {
      Object.assign(this.state.fields, fields);
      this.emit('case.fields-updated', { fields });
    });
  }

  async close(outcome: string, data: Record<string, unknown> = {}, notifyRequester = true): Promise<void> {
    await this.journaled('close', async () => {
      const at = nowIso();
      this.state.status = 'closed';
      this.state.stage = 'closed';
      this.state.outcome = outcome;
      this.state.closedAt = at;
      this.emit(
        'case.closed',
        { outcome, ...data },
        {
          notify: notifyRequester
            ? [
                {
                  to: [{ userId: this.state.requester }],
                  template: 'case-closed',
                  data: { outcome, ...data },
                },
              ]
            : [],
        },
      );
      this.describe();
    });
  }

  // ---------------------------------------------------------------- steps

  assigneesOf(step: StepRecord): Assignee[] {
    if (step.approval) return pendingApprovers(step.approval);
    if (step.task) return taskAssignees(step.task);
    return [];
  }

  /** The pending step a message names, or a refusal. */
  pendingStep(name: string): StepRecord {
    if (this.state.status !== 'open') throw new Refusal('CASE_CLOSED', `case ${this.state.caseId} is closed`);
    const step = pendingSteps(this.state).find((s) => s.name === name || s.key === name);
    if (!step)
      throw new Refusal('STEP_NOT_PENDING', `no step ${name} is waiting for a decision`, { step: name });
    return step;
  }

  /** Marks a step done with its result and wakes the process waiting on it. */
  finishStep(step: StepRecord, result: unknown): void {
    step.status = 'done';
    step.closedAt = nowIso();
    step.result = result;
  }

  // ---------------------------------------------------------------- message handlers

  private registerHandlers(): void {
    setHandler(caseViewQuery, () => this.view());

    setHandler(
      decideUpdate,
      (input) => {
        this.decide(input);
        return this.view();
      },
      { validator: (input) => this.validate(() => this.checkDecisionInput(input)) },
    );

    setHandler(decisionSignal, (input) => {
      try {
        this.checkDecisionInput(input);
      } catch (err) {
        if (!(err instanceof Refusal)) throw err;
        this.emit(
          'decision.refused',
          { step: input?.step, decision: input?.decision, code: err.code, reason: err.message },
          {
            actor: input?.actor?.id ?? null,
            channel: input?.channel ?? 'api',
          },
        );
        return;
      }
      this.decide(input);
    });

    setHandler(
      delegateUpdate,
      (input) => {
        const step = this.pendingStep(input.step);
        const delegation = applyDelegation(step.approval!, input, nowIso());
        this.emit(
          'step.delegated',
          { step: step.key, from: delegation.from.id, to: delegation.to, reason: delegation.reason },
          {
            ...this.provenance(input),
            notify: [
              {
                to: [{ userId: input.to }],
                template: 'approval-request',
                data: { step: step.key, stepTitle: step.title },
              },
            ],
          },
        );
        this.describe();
        return this.view();
      },
      {
        validator: (input) =>
          this.validate(() => {
            checkProvenance(input);
            const step = this.pendingStep(input.step);
            if (!step.approval) throw new Refusal('INVALID_MESSAGE', `${input.step} is not an approval`);
            checkDelegation(step.approval, this.parties, input);
          }),
      },
    );

    setHandler(
      taskUpdate,
      (input) => {
        const step = this.pendingStep(input.step);
        const change = applyTaskAction(step.task!, input, nowIso());
        const prov = this.provenance(input);
        if (change.kind === 'completed') {
          if (step.task!.spec.recordsImplementer && !this.state.implementers.includes(input.actor.id)) {
            this.state.implementers.push(input.actor.id);
          }
          this.emit(
            'task.completed',
            { step: step.key, form: change.completion.form, comment: change.completion.comment },
            prov,
          );
          this.finishStep(step, change.completion);
        } else if (change.kind === 'claimed') {
          this.emit('task.claimed', { step: step.key }, prov);
        } else {
          this.emit(
            'task.reassigned',
            { step: step.key, from: change.from, to: change.to, reason: change.reason },
            {
              ...prov,
              notify: [
                {
                  to: [toRecipient(change.to)],
                  template: 'task-assigned',
                  data: { step: step.key, stepTitle: step.title },
                },
              ],
            },
          );
        }
        this.describe();
        return this.view();
      },
      {
        validator: (input) =>
          this.validate(() => {
            checkProvenance(input);
            const step = this.pendingStep(input.step);
            if (!step.task) throw new Refusal('INVALID_MESSAGE', `${input.step} is not a task`);
            checkTaskAction(step.task, this.state.requester, input);
          }),
      },
    );

    setHandler(
      offlineEntryUpdate,
      (input) => {
        this.emit(
          'offline.recorded',
          { kind: input.kind, evidenceRef: input.evidenceRef, content: input.content },
          {
            actor: input.actor.id,
            channel: 'offline',
            occurredAt: input.occurredAt,
          },
        );
        return this.view();
      },
      {
        validator: (input) =>
          this.validate(() => {
            if (!input?.kind?.trim()) throw new Refusal('INVALID_MESSAGE', 'an offline entry needs a kind');
            checkProvenance({
              channel: 'offline',
              occurredAt: input.occurredAt,
              evidenceRef: input.evidenceRef,
            });
          }),
      },
    );

    const clockHandler = (kind: 'paused' | 'resumed') => (input: ClockInput) => {
      const step = this.pendingStep(input.step);
      if (step.sla) (kind === 'paused' ? pause : resume)(step.sla, Date.now());
      this.emit(
        `sla.${kind}`,
        { step: step.key, reason: input.reason, dueAt: step.sla ? iso(step.sla.dueAt) : null },
        {
          actor: input.actor.id,
          channel: 'api',
        },
      );
      this.describe();
      return this.view();
    };
    const clockValidator = (input: ClockInput) =>
      this.validate(() => {
        if (!input?.reason?.trim())
          throw new Refusal('REASON_REQUIRED', 'pausing or resuming a clock needs a reason');
        const step = this.pendingStep(input.step);
        const mayAct =
          CLOCK_ROLES.some((r) => input.actor.roles.includes(r)) ||
          this.assigneesOf(step).some((a) => matches(input.actor, a));
        if (!mayAct)
          throw new Refusal('NOT_ELIGIBLE', `${input.actor.id} may not pause or resume ${input.step}`);
      });
    setHandler(pauseClockUpdate, clockHandler('paused'), { validator: clockValidator });
    setHandler(resumeClockUpdate, clockHandler('resumed'), { validator: clockValidator });

    setHandler(
      changePriorityUpdate,
      async (input) => {
        const from = this.state.priority;
        this.state.priority = input.priority;
        await this.replanPendingSteps();
        this.emit(
          'case.priority-changed',
          { from, to: input.priority, reason: input.reason },
          { actor: input.actor.id, channel: 'api' },
        );
        this.describe();
        return this.view();
      },
      {
        validator: (input) =>
          this.validate(() => {
            if (this.state.status !== 'open')
              throw new Refusal('CASE_CLOSED', `case ${this.state.caseId} is closed`);
            if (!input?.priority?.trim() || !input.reason?.trim()) {
              throw new Refusal('INVALID_MESSAGE', 'a priority change needs the new priority and a reason');
            }
            if (!PRIORITY_ROLES.some((r) => input.actor.roles.includes(r))) {
              throw new Refusal('NOT_ELIGIBLE', `${input.actor.id} may not change the priority`);
            }
          }),
      },
    );

    setHandler(replanSignal, async ({ reason }) => {
      await this.replanPendingSteps();
      this.emit('sla.replanned', { reason });
    });
  }

  private async replanPendingSteps(): Promise<void> {
    for (const step of pendingSteps(this.state)) {
      if (!step.sla) continue;
      const policy = await policies.resolveSlaPolicy({
        process: this.state.process,
        stage: step.sla.policy.stage,
        priority: this.state.priority,
      });
      // The step may have been decided while the policy was read.
      if (step.status === 'pending') replan(step.sla, policy, Date.now());
    }
  }

  /** Validators report refusals as failures whose type is the refusal code. */
  private validate(check: () => void): void {
    try {
      check();
    } catch (err) {
      throw err instanceof Refusal ? err.toFailure() : err;
    }
  }

  private checkDecisionInput(input: DecisionInput): void {
    if (!input || typeof input.step !== 'string' || !input.actor?.id || !Array.isArray(input.actor.roles)) {
      throw new Refusal('INVALID_MESSAGE', 'a decision needs step, decision and actor {id, roles}');
    }
    if (!['approve', 'reject', 'request_changes'].includes(input.decision)) {
      throw new Refusal('INVALID_MESSAGE', `unknown decision ${String(input.decision)}`);
    }
    checkProvenance(input);
    const step = this.pendingStep(input.step);
    if (!step.approval) throw new Refusal('INVALID_MESSAGE', `${input.step} is not an approval`);
    checkDecision(step.approval, this.parties, input);
  }

  private decide(input: DecisionInput): void {
    const step = this.pendingStep(input.step);
    const approval = step.approval!;
    const record = applyDecision(approval, input, nowIso());
    const outcome = evaluate(approval);
    const notify =
      outcome === 'next-level'
        ? [
            {
              to: pendingApprovers(approval).map(toRecipient),
              template: 'approval-request',
              data: { step: step.key, stepTitle: step.title },
            },
          ]
        : outcome
          ? [
              {
                to: [{ userId: this.state.requester }],
                template: 'decision-made',
                data: { step: step.key, stepTitle: step.title, outcome, comment: record.comment },
              },
            ]
          : [];
    this.emit(
      'step.decided',
      {
        step: step.key,
        decision: record.decision,
        comment: record.comment,
        onBehalfOf: record.onBehalfOf,
        level: record.level + 1,
        evidenceRef: record.evidenceRef,
        outcome: outcome ?? null,
      },
      { ...this.provenance(input), notify },
    );
    if (outcome && outcome !== 'next-level') {
      this.finishStep(step, { outcome, decisions: approval.decisions });
    }
    this.describe();
  }

  private provenance(input: Provenance & { actor: ActorRef }): EmitOptions {
    return {
      actor: input.actor.id,
      channel: input.channel,
      occurredAt: input.channel === 'offline' ? input.occurredAt : undefined,
    };
  }

  /** Called by the SLA clock when an escalation level reassigns the step. */
  reassignByEscalation(step: StepRecord, to: Assignee): void {
    if (step.task) reassignTo(step.task, to);
    if (step.approval) reassignOpenSlots(step.approval, to);
  }

  view(): CaseView {
    return {
      caseId: this.state.caseId,
      process: this.state.process,
      title: this.state.title,
      status: this.state.status,
      stage: this.state.stage,
      priority: this.state.priority,
      system: this.state.system,
      requester: this.state.requester,
      outcome: this.state.outcome,
      fields: this.state.fields,
      lastSeq: this.state.seq,
      pendingSteps: pendingSteps(this.state).map((s) => ({
        step: s.key,
        kind: s.kind,
        title: s.title,
        assignees: this.assigneesOf(s),
        dueAt: s.sla ? iso(s.sla.dueAt) : null,
        warnAt: s.sla?.warnAt != null ? iso(s.sla.warnAt) : null,
        overdue: s.sla?.fired.overdue ?? false,
        paused: s.sla?.pausedSince != null,
        escalationLevel: s.sla?.fired.levels ?? 0,
      })),
    };
  }

  // ---------------------------------------------------------------- continue-as-new

  private async continueAsNewIfLong(): Promise<void> {
    const info = workflowInfo();
    const limit = this.input.historyLimit;
    if (!info.continueAsNewSuggested && !(limit && info.historyLength > limit)) return;
    // No decision may be lost: let running handlers finish and PostgreSQL take every event first.
    await condition(allHandlersFinished);
    await this.drained();
    await continueAsNew<(input: CaseInput) => Promise<unknown>>({ ...this.input, carried: this.state });
  }

  /** The end of a case run: everything persisted, every handler finished. */
  async finish(): Promise<CaseView> {
    await condition(allHandlersFinished);
    await this.drained();
    return this.view();
  }
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Offline actions must say when they really happened and what proves them. */
function checkProvenance(input: Provenance): void {
  if (!input || !['api', 'email', 'offline'].includes(input.channel)) {
    throw new Refusal('INVALID_MESSAGE', 'channel must be api, email or offline');
  }
  if (input.channel !== 'offline') return;
  if (!input.occurredAt || Number.isNaN(Date.parse(input.occurredAt))) {
    throw new Refusal('EVIDENCE_REQUIRED', 'an offline entry needs occurredAt, the real time it happened');
  }
  if (Date.parse(input.occurredAt) > Date.now()) {
    throw new Refusal('EVIDENCE_REQUIRED', 'occurredAt of an offline entry cannot be in the future');
  }
  if (!input.evidenceRef?.trim())
    throw new Refusal('EVIDENCE_REQUIRED', 'an offline entry needs an evidence reference');
}
