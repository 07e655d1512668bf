/**
 * The runtime of one case inside its workflow: the state, the audit/projection stream, the
 * message handlers, and the kernel calls a process is written with (`approval`, `task`,
 * `record`, `close`). A process workflow is `runCase(input, async (kase) => { … })`.
 *
 * Every kernel call is journaled by its position: after continue-as-new the process function
 * runs again from the top and each finished call returns its recorded result at once, while a
 * step that was still pending is resumed where it stood. So process code between kernel calls
 * must be deterministic in the results of those calls — which is what workflow code is anyway.
 * Branches that run side by side (`Promise.all` over deliverables) reach their calls in an order
 * people decide, not the code: each makes its calls through `kase.branch(name)`, journaled apart.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { OpsActivities } from '../../activities';
import { formRefOf, kernelTemplates, type ProcessDefinition } from '../contracts/process-definition';
import { localMasterData, masterData, persistence } from './activity-proxies';
import { pendingApprovers, reassignOpenSlots, type CaseParties } from './approval';
import type { Assignee } from '../contracts/assignees';
import { pendingSteps, type CallKey, type CaseInput, type CaseState, type StepRecord } from './case-state';
import { iso, nowIso } from './clock';
import { Refusal } from '../contracts/refusals';
import type { CaseView } from '../contracts/messages';
import * as search from '../contracts/search-attributes';
import { reassignTo, taskAssignees } from './task';
import type {
  CaseProjection,
  Channel,
  NotificationIntent,
  Recipient,
  ResolveSlaPolicyInput,
  SlaPolicy,
} from '../contracts/case-records';

/**
 * From this patch on a step's SLA policy is read in a local activity, inside the workflow task
 * that opens the step, and the events a workflow task emits leave in one `recordCaseEvents` once
 * its master-data reads are done: opening a case is one activity instead of three, and a decision
 * that opens the next step answers within its own workflow task. Decided once per run, when the
 * run starts — never later, where asking could fall after a local activity inside an Update
 * handler — so a run keeps the shape it began with.
 */
const STEP_OPENS_IN_ONE_TASK = 'step-opens-in-one-task';

/**
 * From this patch on a step opens in fewer workflow tasks. The master-data reads a procedure makes
 * on its way to a step (who heads the requester's department, the schedule rules, the catalogue)
 * are local activities too, and a new case's `case.opened` leaves with its first step's events:
 * a case opens in one `recordCaseEvents`. A step's SLA clock sets its first timer from the task
 * that write's completion wakes, not from a task of its own (`sla-clock.ts`). Decided when the run
 * starts, like `STEP_OPENS_IN_ONE_TASK`.
 */
const FEWER_TASKS_PER_STEP = 'fewer-tasks-per-step';

/**
 * The lookups read in the task (`FEWER_TASKS_PER_STEP`): reads of master data without side effects,
 * taking milliseconds, so running one again after a lost task is harmless. Lookups that write
 * (a knowledge version published, an owner transferred, a report frozen) or compute over many
 * cases (the review figures) stay activities of their own.
 */
const READS_IN_THE_TASK: ReadonlySet<string> = new Set<keyof OpsActivities>([
  'requesterDepartmentHeads',
  'isDepartmentHead',
  'departmentOf',
  'defectParties',
  'emergencyLevels',
  'emergencyCommandGroup',
  'changeDepartmentContacts',
  'loadChangeScheduleRules',
  'findStandardChange',
  'handoverChecklist',
  'serviceReportRecipients',
  'vendorReviewScope',
]);

export interface EmitOptions {
  actor?: string | null;
  channel?: Channel;
  occurredAt?: string;
  notify?: Array<{ to: Recipient[]; template: string; data?: Record<string, unknown> }>;
}

/** A priority change as a process hears of it. */
export interface PriorityChange {
  from: string;
  to: string;
  reason: string;
  actor: string;
  /**
   * `patched(name)` for a listener: the listener runs inside the priority Update after local
   * activities (the command's proof, the re-planned policies), where asking the SDK directly can
   * fall before its marker on replay — so this answers from a decision made as the Update arrived.
   */
  patched: (name: string) => boolean;
}

/** What a process's definition holds the kernel to: the stages it enters and the mails it sends. */
export type CaseRules = Pick<ProcessDefinition, 'name' | 'stages' | 'templates' | 'notWithdrawableIn'> &
  Partial<Pick<ProcessDefinition, 'forms' | 'title' | 'steps'>>;

/** Master-data reads as a process makes them: each journaled, so a continued run gets the same answer. */
export type Lookups = {
  [K in keyof OpsActivities]: (...args: Parameters<OpsActivities[K]>) => ReturnType<OpsActivities[K]>;
};

export class Case {
  readonly state: CaseState;
  /** Journaled reads of master data: `await kase.lookup.findStandardChange({ … })`. */
  readonly lookup: Lookups;
  private readonly overdueListeners: Array<(step: StepRecord) => void> = [];
  private readonly priorityListeners: Array<(change: PriorityChange) => void> = [];
  private readonly templates: Set<string> | null;
  private cursor = 0;
  private readonly roundOf = new Map<string, number>();
  private flushing = false;
  private lastSearchAttributes = '';
  /** Steps the procedure is awaiting now, and kernel calls (master-data reads) still in flight. */
  private readonly awaited = new Set<string>();
  private busy = 0;
  private timed = 0;
  private continuing = false;
  private endedByMessage = false;
  /** Whether this run opens its steps in one workflow task (`STEP_OPENS_IN_ONE_TASK`). */
  readonly opensStepsInOneTask: boolean;
  /** The local activity in flight, if any (`oneLocalAtATime`). */
  private localQueue: Promise<void> = Promise.resolve();
  /**
   * Whether this run's reads of master data are local activities and its clocks start from the
   * write of a step's opening (`FEWER_TASKS_PER_STEP`).
   */
  readonly opensStepsInFewerTasks: boolean;
  /**
   * Reads in the task asked for and not yet answered (policies, lookups): the flush waits for
   * them, so the events of a step's opening leave together.
   */
  private readingLocally = 0;

  constructor(
    private readonly input: CaseInput,
    private readonly rules: CaseRules | null = null,
  ) {
    const at = nowIso();
    this.templates = rules ? new Set<string>([...kernelTemplates, ...rules.templates]) : null;
    this.lookup = new Proxy({} as Lookups, {
      get:
        (_, name: string) =>
        (...args: unknown[]) =>
          this.lookUp(name, args),
    });
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
    this.opensStepsInOneTask = patched(STEP_OPENS_IN_ONE_TASK);
    this.opensStepsInFewerTasks = this.opensStepsInOneTask && patched(FEWER_TASKS_PER_STEP);
    if (this.opensStepsInFewerTasks && !input.carried) {
      // `case.opened` waits for the procedure's first move: conditions are first checked before
      // the procedure has run a single microtask, and only then would it reach its first read.
      this.readingLocally += 1;
      void Promise.resolve().then(() => (this.readingLocally -= 1));
    }
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
    for (const n of options.notify ?? []) {
      if (this.templates && !this.templates.has(n.template))
        throw new Error(
          `${this.rules!.name} does not declare the mail template ${n.template} in its definition`,
        );
    }
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
            ...this.wordings(n.data),
            ...(n.data ?? {}),
          },
        };
        this.state.outbox.notifications.push(intent);
      }),
    );
    return seq;
  }

  /** The process's and the step's names in both languages, for the mail to pick the reader's. */
  private wordings(data: Record<string, unknown> | undefined): Record<string, unknown> {
    const step = typeof data?.step === 'string' ? data.step.replace(/#\d+$/, '') : null;
    const stepTitles = step ? this.rules?.steps?.[step] : undefined;
    return {
      ...(this.rules?.title ? { processTitle: this.rules.title } : {}),
      ...(stepTitles ? { stepTitles } : {}),
    };
  }

  /** The SLA policy a step, wait or retention period opens with, for this run's shape. */
  resolveSlaPolicy(input: ResolveSlaPolicyInput): Promise<SlaPolicy> {
    // Older runs: the activity's own promise, as recorded (no extra awaits to reorder anything).
    if (!this.opensStepsInOneTask) return masterData.resolveSlaPolicy(input);
    return this.readPolicyLocally(input);
  }

  private async readPolicyLocally(input: ResolveSlaPolicyInput): Promise<SlaPolicy> {
    this.readingLocally += 1;
    try {
      return await this.oneLocalAtATime(() => localMasterData.resolveSlaPolicy(input));
    } finally {
      this.readingLocally -= 1;
    }
  }

  /** A journaled read of master data (`kase.lookup.<name>(…)`), in the task when it may be. */
  private async lookUp(name: string, args: unknown[]): Promise<unknown> {
    const inTheTask = this.opensStepsInFewerTasks && READS_IN_THE_TASK.has(name);
    const key = name as keyof OpsActivities;
    const call = (proxy: typeof masterData) => (proxy[key] as (...a: unknown[]) => Promise<unknown>)(...args);
    // Counted from the call, not from when the local activity starts: between the two the journal
    // awaits (its check for continue-as-new), and the flush must not leave in that gap.
    if (inTheTask) this.readingLocally += 1;
    try {
      return await this.journaled(`lookup:${name}`, () =>
        this.working(() =>
          inTheTask ? this.oneLocalAtATime(() => call(localMasterData)) : call(masterData),
        ),
      );
    } finally {
      if (inTheTask) this.readingLocally -= 1;
    }
  }

  /**
   * Runs a local activity once the case's previous one has finished. Two local activities in
   * flight at once (two steps opening side by side, a trial and its first report) may resolve in
   * one activation on replay where they resolved in two when recorded; code that ran between them
   * (an Update answering) then moves, and the replay fails on nondeterminism. One at a time, each
   * resolves in an activation of its own both times. Older runs call their local activities
   * directly, as recorded.
   */
  oneLocalAtATime<T>(run: () => Promise<T>): Promise<T> {
    if (!this.opensStepsInOneTask) return run();
    const result = this.localQueue.then(run);
    this.localQueue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async flushLoop(): Promise<void> {
    for (;;) {
      // In one task, a step's events wait for the policy read that opens it — a local activity,
      // so this wait ends within the task — and leave together. Other reads (activities that may
      // take many tasks, or fail) hold nothing back.
      // A lookup is counted from its call, across the journal's wait to continue as new, and that
      // wait needs the flush: a run continuing as new does not hold its events for reads.
      const holdForReads = () => this.readingLocally > 0 && !(this.opensStepsInFewerTasks && this.continuing);
      await condition(() => this.state.outbox.events.length > 0 && !holdForReads());
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
    await condition(() => this.isDrained);
  }

  private get isDrained(): boolean {
    return this.state.outbox.events.length === 0 && !this.flushing;
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
      pendingSteps: pending.map((s) => ({
        step: s.key,
        title: s.title,
        action: s.kind === 'approval' ? 'decide' : 'complete',
        formRef: this.formRef(s),
        assignees: this.assigneesOf(s),
        dueAt: s.sla ? iso(s.sla.dueAt) : null,
      })),
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
  async journaled<T>(name: string, run: (callIndex: CallKey) => Promise<T>): Promise<T> {
    const index = this.nextCallKey();
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

  /** The journal position of the procedure's next kernel call on its main line. */
  private nextCallKey(): CallKey {
    return this.cursor++;
  }

  /**
   * A branch of the procedure that runs beside others (one per deliverable, one per session): its
   * kernel calls are journaled under its own name and count, so a run continued as new finds each
   * call's record whatever order the branches reach their calls in. Everything else is the case's.
   * The name must be unique within the case and the same in every run.
   */
  branch(name: string): Case {
    let cursor = 0;
    const nextCallKey = (): CallKey => `${name}/${cursor++}`;
    return new Proxy(this, {
      get: (target, prop, receiver) =>
        prop === 'nextCallKey' ? nextCallKey : (Reflect.get(target, prop, receiver) as unknown),
    });
  }

  /**
   * `patched(name)` for a journaled procedure: where a run continued from an older one had already
   * gone past this point without the patch, the old path is kept, or the journal would not match.
   */
  patched(name: string): boolean {
    const taken = this.state.patches ?? [];
    const passed = Object.keys(this.state.journal).some((index) => Number(index) >= this.cursor);
    if (passed && !taken.includes(name)) return false;
    if (!patched(name)) return false;
    if (!taken.includes(name)) this.state.patches = [...taken, name];
    return true;
  }

  /**
   * The procedure has reacted to everything so far: it is waiting on its pending steps (a person
   * must act next), or the case is closed or continuing as new. An Update answers once this holds,
   * so its response is what the next read would show.
   */
  get settled(): boolean {
    if (this.state.status !== 'open' || this.continuing) return true;
    const pending = pendingSteps(this.state);
    if (this.busy > 0) return false;
    // Waiting for a date (a trial run) is waiting too: an Update must not wait for the date.
    if (this.timed > 0) return true;
    return pending.length > 0 && pending.every((s) => this.awaited.has(s.key));
  }

  /**
   * Every branch of the procedure whose step just finished has moved on: in a procedure waiting on
   * several steps at once (one per deliverable), the others are still awaited while the finished
   * one's branch opens its next step, so `settled` alone would answer before that step is open.
   */
  get branchesMovedOn(): boolean {
    return [...this.awaited].every((key) => this.state.steps[key]?.status === 'pending');
  }

  /** Brackets the procedure's durable wait for a date (`wait.ts`), for `settled`. */
  async awaitTime<T>(wait: () => Promise<T>): Promise<T> {
    this.timed += 1;
    try {
      return await wait();
    } finally {
      this.timed -= 1;
    }
  }

  /** Brackets the procedure's wait on a step, for `settled`. */
  async awaitStep<T>(key: string, wait: () => Promise<T>): Promise<T> {
    this.awaited.add(key);
    try {
      return await wait();
    } finally {
      this.awaited.delete(key);
    }
  }

  /** Brackets work the procedure does before it waits again (reading master data), for `settled`. */
  async working<T>(work: () => Promise<T>): Promise<T> {
    this.busy += 1;
    try {
      return await work();
    } finally {
      this.busy -= 1;
    }
  }

  /** Key of the next round of a step: `name`, then `name#2`, `name#3`… */
  nextStepKey(name: string): string {
    const round = (this.roundOf.get(name) ?? 0) + 1;
    this.roundOf.set(name, round);
    return round === 1 ? name : `${name}#${round}`;
  }

  /** Moves the case to a stage, recorded once. */
  async enterStage(stage: string): Promise<void> {
    if (this.rules && !(stage in this.rules.stages))
      throw new Error(`${this.rules.name} does not declare the stage ${stage} in its definition`);
    await this.journaled(`stage:${stage}`, async () => {
      this.state.stage = stage;
      this.emit('stage.entered', { stage });
      this.describe();
    });
  }

  /**
   * Moves the case to a stage from a message handler (a manual escalation), where a journaled call
   * cannot be made: recorded at once; the procedure's next `enterStage` moves it on as usual.
   */
  enterStageNow(stage: string): void {
    if (this.rules && !(stage in this.rules.stages))
      throw new Error(`${this.rules.name} does not declare the stage ${stage} in its definition`);
    if (this.state.stage === stage) return;
    this.state.stage = stage;
    this.emit('stage.entered', { stage });
    this.describe();
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

  /** Withdrawn or cancelled by a message while the procedure waited (`endEarly`). */
  get endedEarly(): boolean {
    return this.endedByMessage;
  }

  /**
   * Opens a closed case again (a defect that recurred), from `reopen.ts`: the same case, its
   * history kept; the procedure goes on from where it waited. Not journaled itself: its caller is.
   */
  reopen(reopening: { by: string; reason: string; link: string | null; identityVerified: boolean }): void {
    const { by, identityVerified, ...data } = reopening;
    const closedOutcome = this.state.outcome;
    this.state.status = 'open';
    this.state.outcome = null;
    this.state.closedAt = null;
    this.emit(
      'case.reopened',
      { ...data, closedOutcome, ...(identityVerified ? {} : { identityVerified: false }) },
      { actor: by, channel: identityVerified ? 'api' : 'operator' },
    );
    this.describe();
  }

  /** Whether the requester may still withdraw the case in its current stage. */
  get withdrawable(): boolean {
    return !(this.rules?.notWithdrawableIn ?? []).includes(this.state.stage);
  }

  /**
   * Ends the case from a message handler (withdrawal, cancellation): its waiting steps are
   * cancelled and the procedure is left where it stood. Not journaled, so a handler may call it.
   */
  endEarly(
    outcome: 'withdrawn' | 'cancelled',
    by: string,
    reason: string,
    /** `operator` when the command did not come signed through the API: the identity is only claimed. */
    channel: 'api' | 'operator' = 'api',
  ): void {
    const at = nowIso();
    const cancelled = pendingSteps(this.state).map((step) => {
      step.status = 'cancelled';
      step.closedAt = at;
      return step.key;
    });
    const stage = this.state.stage;
    this.endedByMessage = true;
    this.state.status = 'closed';
    this.state.stage = 'closed';
    this.state.outcome = outcome;
    this.state.closedAt = at;
    this.emit(
      `case.${outcome}`,
      {
        outcome,
        reason,
        stage,
        cancelledSteps: cancelled,
        ...(channel === 'operator' ? { identityVerified: false } : {}),
      },
      {
        actor: by,
        channel,
        notify: [
          { to: [{ userId: this.state.requester }], template: 'case-closed', data: { outcome, reason } },
        ],
      },
    );
    this.describe();
  }

  // ---------------------------------------------------------------- steps

  /** A step's clock must run on an SLA stage its definition names for the current stage. */
  checkStepClock(slaStage: string): void {
    if (this.rules && !(this.rules.stages[this.state.stage] ?? []).includes(slaStage)) {
      throw new Error(
        `${this.rules.name} does not declare SLA stage ${slaStage} in stage ${this.state.stage} of its definition`,
      );
    }
  }

  /**
   * A task's form must be one its definition publishes: under the name the step gives (`form`),
   * else under the step's own name.
   */
  checkStepForm(form: string, hasForm: boolean): void {
    if (this.rules?.forms && hasForm && !(form in this.rules.forms)) {
      throw new Error(`${this.rules.name} does not declare the form ${form} in its definition`);
    }
  }

  /**
   * The published name of a pending task's form: the form the step names, else its own name; null
   * when the definition publishes no such form (a step opened before its process published it).
   */
  private formRef(step: StepRecord): string | null {
    if (step.kind !== 'task' || !step.task?.spec.formSchema) return null;
    const form = step.task.spec.form ?? step.name;
    if (this.rules && !(this.rules.forms && form in this.rules.forms)) return null;
    return formRefOf(this.state.process, form);
  }

  /**
   * Calls `listener` whenever a waiting step of this case passes its due time. Registered by the
   * procedure each run (a continued run registers again before its steps resume); what it
   * records must be recorded once, which state it sets can tell.
   */
  onStepOverdue(listener: (step: StepRecord) => void): void {
    this.overdueListeners.push(listener);
  }

  /**
   * Calls `listener` after the case's priority changed and its pending clocks were re-planned to
   * the new priority's policies (an emergency's level raised). Registered by the procedure each
   * run, like `onStepOverdue`; what it records must be recorded once, which state it sets can tell.
   */
  onPriorityChanged(listener: (change: PriorityChange) => void): void {
    this.priorityListeners.push(listener);
  }

  /** Called by the priority-change handler once the pending clocks are re-planned. */
  priorityChanged(change: PriorityChange): void {
    for (const listener of this.priorityListeners) listener(change);
  }

  /** Called by the SLA clock when a step becomes overdue. */
  stepOverdue(step: StepRecord): void {
    for (const listener of this.overdueListeners) listener(step);
  }

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
        action: s.kind === 'approval' ? ('decide' as const) : ('complete' as const),
        formRef: this.formRef(s),
        formSchema: s.kind === 'task' ? (s.task?.spec.formSchema ?? null) : null,
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
    this.continuing = true;
    if (this.opensStepsInOneTask) {
      // An Update accepted while the last events were written (its proof still being checked in a
      // local activity) must finish in this run too, or its caller gets an error, not its answer.
      await condition(() => allHandlersFinished() && this.isDrained);
    } else {
      await condition(allHandlersFinished);
      await this.drained();
    }
    await continueAsNew<(input: CaseInput) => Promise<unknown>>({ ...this.input, carried: this.state });
  }

  /** The end of a case run: everything persisted, every handler finished. */
  async finish(): Promise<CaseView> {
    if (this.opensStepsInOneTask) await condition(() => allHandlersFinished() && this.isDrained);
    else {
      await condition(allHandlersFinished);
      await this.drained();
    }
    return this.view();
  }
}
