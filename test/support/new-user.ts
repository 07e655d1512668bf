/**
 * A new user of the HTTP API, as the "new user" tests of every process drive it: they know the
 * API only from what `/openapi.json` and the case responses publish. A case is started with the
 * process's published `<process>.request` form; each pending step is acted on by the person it
 * names with its published action, a task's form filled from the schema its pending step carries
 * (and names by `formRef`, published in the document). Nothing is known from reading workflow
 * code, and every call must be accepted: a refused call, a task that names no form, or a form the
 * document does not publish fails the test, saying which step.
 */
import type { Express } from 'express';
import request from 'supertest';
import { fillForm, publishedSchema, type Answers, type Schema } from './published-forms';

export type { Answers, Schema } from './published-forms';

/** A step the case waits on, as `GET /cases/{id}` publishes it. */
export interface PendingStep {
  step: string;
  action: 'decide' | 'complete';
  assignees: string[];
  formRef: string | null;
  formSchema: Schema | null;
}

/** A case as `GET /cases/{id}` publishes it (only what the tests read is typed). */
export interface CaseView {
  status: string;
  outcome?: string | null;
  pendingSteps: PendingStep[];
  fields: Record<string, unknown>;
  /** The read model's row, which says who may read the case. */
  readModel?: { state?: string; pendingSteps?: Array<{ step: string }> };
  [key: string]: unknown;
}

/** How to drive a case from step to step. */
export interface Drive {
  /** Who reads the case between steps. */
  reader: string;
  /** Who acts on a step (a user id), from the assignees it publishes. */
  actor(step: PendingStep): string;
  /** Where to stop; by default when the case is closed. */
  until?(view: CaseView): boolean;
  /**
   * Whether the actor can act yet, as a person would see it (the task in their inbox, the case
   * readable to them); if not, the case is read again a moment later.
   */
  ready?(step: PendingStep, actor: string, view: CaseView): Promise<boolean> | boolean;
  /** What the test expects of every step it is about to act on. */
  check?(step: PendingStep): void;
  /** How long the whole drive may take (the machine is loaded). */
  timeoutMs?: number;
}

export interface NewUser {
  /** The published document, as read once when the user came. */
  readonly doc: Schema;
  /** The published schema by name; fails the test if the document does not publish it. */
  schema(name: string): Schema;
  /** The published form `name` filled: the answers by field name, the simplest valid value of the rest. */
  form(name: string, answers?: Answers): unknown;
  /** The path and method of an operation, by its published operationId. */
  operation(operationId: string): { path: string; method: string; op: Schema };
  /** Starts a case of `process` from its published request form as `as`; returns the case id. */
  start(process: string, as: string): Promise<string>;
  /** The case as `as` reads it (must be readable). */
  read(caseId: string, as: string): Promise<CaseView>;
  /** Waits until a step (by name, or any) is pending, and returns it. */
  pending(caseId: string, as: string, name?: string): Promise<PendingStep>;
  /**
   * Acts on a pending step with its published action: a decision (approve unless told), or its
   * task completed with the form its `formRef` names, filled; `beside` goes beside the form.
   * Returns the accepted response's body.
   */
  act(
    caseId: string,
    step: PendingStep,
    as: string,
    how?: { decision?: string; beside?: Record<string, unknown> },
  ): Promise<CaseView>;
  /** Acts on each next step until `until` (closed by default); returns the view there and the steps acted on. */
  drive(caseId: string, how: Drive): Promise<{ view: CaseView; acted: string[] }>;
}

/** What a new user calls: start, read, decide, complete. */
const ROUTES = [
  ['post', '/api/v1/cases/{process}'],
  ['get', '/api/v1/cases/{id}'],
  ['post', '/api/v1/cases/{id}/decisions'],
  ['post', '/api/v1/cases/{id}/tasks/{task}/complete'],
] as const;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A drive's actor: a role's queue (`role:x`) is taken by the test's holder of the role. */
export function roleHolders(people: Record<string, string>): (step: PendingStep) => string {
  return (step) => {
    const assignee = step.assignees[0];
    if (assignee === undefined) throw new Error(`step ${step.step} publishes no assignee`);
    if (!assignee.startsWith('role:')) return assignee;
    const holder = people[assignee.slice(5)];
    if (!holder)
      throw new Error(`step ${step.step} waits for ${assignee}, which none of this test's people holds`);
    return holder;
  };
}

/**
 * A user who has read `/openapi.json` and nothing else. `answers` are the values a person
 * chooses (a title, a system, a time), by field name; everything else comes from the schemas.
 */
export async function newUser(
  app: Express,
  bearer: (userId: string) => Promise<string>,
  answers: Answers = {},
): Promise<NewUser> {
  const published = await request(app).get('/openapi.json');
  expect(published.status).toBe(200);
  const doc = published.body as Schema;
  // The routes the user calls are the ones the document publishes.
  const paths = (doc.paths ?? {}) as Record<string, Record<string, unknown>>;
  for (const [method, path] of ROUTES) {
    if (!paths[path]?.[method]) throw new Error(`/openapi.json publishes no ${method.toUpperCase()} ${path}`);
  }

  const read = async (caseId: string, as: string): Promise<CaseView> => {
    const view = await request(app)
      .get(`/api/v1/cases/${caseId}`)
      .set('Authorization', await bearer(as));
    expect({ read: caseId, as, status: view.status }).toEqual({ read: caseId, as, status: 200 });
    return view.body as CaseView;
  };

  /**
   * A task's form: its pending step must name it (`formRef`, a schema the document publishes) and
   * carry the schema this case accepts (`formSchema`), which is filled — the published one is the
   * form as most cases show it (a new-function change's plan also needs its risk analysis).
   */
  const taskForm = (step: PendingStep): unknown => {
    if (!step.formRef) throw new Error(`task ${step.step} publishes no formRef naming its form`);
    publishedSchema(doc, step.formRef);
    if (!step.formSchema) throw new Error(`task ${step.step} publishes no formSchema`);
    return fillForm(step.formSchema, doc, answers);
  };

  const user: NewUser = {
    doc,
    schema: (name) => publishedSchema(doc, name),
    form: (name, more = {}) => fillForm(publishedSchema(doc, name), doc, { ...answers, ...more }),
    operation(operationId) {
      for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Schema>>))
        for (const [method, op] of Object.entries(methods))
          if (op.operationId === operationId) return { path, method, op };
      throw new Error(`/openapi.json publishes no operation ${operationId}`);
    },
    async start(process, as) {
      const started = await request(app)
        .post(`/api/v1/cases/${process}`)
        .set('Authorization', await bearer(as))
        .send(user.form(`${process}.request`) as object);
      expect({
        start: process,
        status: started.status,
        body: started.status === 201 ? null : started.body,
      }).toEqual({ start: process, status: 201, body: null });
      return started.body.caseId as string;
    },
    read,
    async pending(caseId, as, name) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const steps = (await read(caseId, as)).pendingSteps ?? [];
        const step = name === undefined ? steps[0] : steps.find((s) => s.step === name);
        if (step) return step;
        if (Date.now() > deadline) throw new Error(`${name ?? 'no step'} of ${caseId} never opened`);
        await pause(200);
      }
    },
    async act(caseId, step, as, how = {}) {
      const res =
        step.action === 'decide'
          ? await request(app)
              .post(`/api/v1/cases/${caseId}/decisions`)
              .set('Authorization', await bearer(as))
              .send({ step: step.step, decision: how.decision ?? 'approve' })
          : await request(app)
              .post(`/api/v1/cases/${caseId}/tasks/${encodeURIComponent(step.step)}/complete`)
              .set('Authorization', await bearer(as))
              .send({ form: taskForm(step), ...how.beside });
      expect({ step: step.step, status: res.status, body: res.status === 200 ? null : res.body }).toEqual({
        step: step.step,
        status: 200,
        body: null,
      });
      return res.body as CaseView;
    },
    async drive(caseId, how) {
      const until = how.until ?? ((view: CaseView) => view.status === 'closed');
      const deadline = Date.now() + (how.timeoutMs ?? 120_000);
      const acted: string[] = [];
      let waitingOn = 'the first step';
      while (Date.now() < deadline) {
        const view = await read(caseId, how.reader);
        if (until(view)) return { view, acted };
        const step = view.pendingSteps[0];
        if (!step) {
          await pause(200); // the next step opens a moment after the last one closes
          continue;
        }
        const actor = how.actor(step);
        waitingOn = `${step.step} for ${actor}`;
        if (how.ready && !(await how.ready(step, actor, view))) {
          await pause(200);
          continue;
        }
        how.check?.(step);
        await user.act(caseId, step, actor);
        acted.push(step.step);
        // Read on once the step has left the case, so that it is never acted on twice.
        for (;;) {
          const after = await read(caseId, how.reader);
          if (after.status === 'closed' || !after.pendingSteps.some((s) => s.step === step.step)) break;
          if (Date.now() > deadline)
            throw new Error(`${step.step} of ${caseId} stayed pending after it was acted on`);
          await pause(100);
        }
      }
      throw new Error(
        `${caseId} did not get there: waiting on ${waitingOn}; acted on ${acted.join(', ') || 'nothing'}`,
      );
    },
  };
  return user;
}
