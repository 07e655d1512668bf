/** Cases: start, list, read, history, and the commands people send to a running case. */
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Request } from 'express';
import type { Knex } from 'knex';
import { listCaseEvents, listCases, type CaseListFilter, type CaseSortKey } from '../../db/api-case-queries';
import {
  findIdempotencyKey,
  markIdempotencyKeyStarted,
  recordIdempotencyKey,
} from '../../db/api-idempotency';
import { claimCommandKey, recordCommandAnswer } from '../../db/api-command-keys';
import { canonicalJson } from '../../db/canonical-json';
import { caseAccess, mayReadAsAssignee, mayReadUnprojected } from '../../db/case-access';
import { allocateCaseNumber } from '../../db/case-numbers';
import { getCase } from '../../db/cases';
import type { Config } from '../../runtime/config';
import type { CaseInput } from '../../workflows/kernel/case-state';
import type { Provenance, TaskActionInput } from '../../workflows/contracts/messages';
import { processes } from '../../workflows/registry';
import { admit, checkStarter } from '../admission';
import { actorOf, type Principal } from '../auth';
import {
  caseWorkflowExists,
  queryCaseView,
  recordOfflineEntry,
  type CaseView,
  type CommandOptions,
  submitDecision,
  submitTaskAction,
  temporalError,
} from '../case-commands';
import { ConflictError, ForbiddenError, NotFoundError, UnavailableError, ValidationError } from '../errors';
import { validate, type OperationRegistry } from '../operations';
import { mayStart } from '../policy';
import { publishedCompleteBody } from '../process-forms';
import { checkStepForm, hasStepCheck } from '../step-checks';
import * as s from '../schemas';
import { adviseStarter, startAdviceProperties } from '../start-advice';

export interface CaseRouteDeps {
  client: Client;
  db: Knex;
  config: Config;
}

const problem = (description: string) => ({ description, schema: s.problemSchema });
/** Commands take an Idempotency-Key: a retry after a lost answer gets the first answer again. */
const commandHeaders = {
  'Idempotency-Key': {
    type: 'string',
    maxLength: 200,
    description:
      'client-chosen key, per user; a retry with the same key and the same request returns the first answer (200, same body, header Idempotent-Replayed: true) and acts only once; the same key with a different request is 409 IDEMPOTENCY_KEY_REUSED',
  },
} as const;

const commandResponses = {
  200: { description: 'the case after the command', schema: s.caseViewSchema },
  400: problem('malformed request'),
  401: problem('not authenticated'),
  403: problem('NOT_ELIGIBLE, SOD_REQUESTER, SOD_IMPLEMENTER, SOD_VENDOR or ROLE_REQUIRED'),
  404: problem('no such case'),
  409: problem(
    'STEP_NOT_PENDING, DUPLICATE_DECISION, TASK_CLAIMED, CASE_CLOSED, or IDEMPOTENCY_KEY_REUSED (the key was sent with a different request)',
  ),
  422: problem('REASON_REQUIRED, FORM_INVALID, FORM_REFUSED, EVIDENCE_REQUIRED or INVALID_MESSAGE'),
};

export function temporalUiUrl(config: Config, caseId: string): string {
  const base = config.temporal.uiUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(caseId)}`;
}

export function yearIn(timeZone: string, now = new Date()): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(now));
}

function provenanceOf(body: Partial<Provenance>): Provenance {
  if (body.channel === 'offline')
    return { channel: 'offline', occurredAt: body.occurredAt, evidenceRef: body.evidenceRef };
  return { channel: 'api' };
}

// ----------------------------------------------------------------------------- cursors

interface Cursor {
  sort: string;
  value: string;
  caseId: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.caseId]), 'utf8').toString(
    'base64url',
  );
}

function decodeCursor(raw: string, sort: string): Cursor {
  const bad = () =>
    new ValidationError(
      [{ path: '/query/cursor', message: 'is not a cursor this list returned (or the sort changed)' }],
      'invalid cursor',
      'INVALID_CURSOR',
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    !parsed.every((p) => typeof p === 'string') ||
    parsed[0] !== sort
  )
    throw bad();
  const value = parsed[1] as string;
  if (!/^(-?infinity|\d{4}-\d{2}-\d{2} [\d:.]+[+-]\d{2}(:\d{2})?)$/.test(value)) throw bad();
  // The shape alone lets a tampered `2024-13-45 99:99+00` through to PostgreSQL: it must be a real instant.
  if (
    !value.endsWith('infinity') &&
    Number.isNaN(Date.parse(value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')))
  ) {
    throw bad();
  }
  if (!/^[A-Z][A-Z0-9]{1,9}-[0-9]{4}-[0-9]{6,}$/.test(parsed[2] as string)) throw bad();
  return { sort, value, caseId: parsed[2] as string };
}

// ----------------------------------------------------------------------------- operations

export function registerCaseOperations(api: OperationRegistry, deps: CaseRouteDeps): void {
  const { client, db, config } = deps;

  api.add(
    {
      method: 'post',
      path: '/api/v1/cases/{process}',
      operationId: 'startCase',
      tag: 'cases',
      summary: 'Start a case of a process',
      description:
        "The body is the process's request form (see each process's schema). Send an Idempotency-Key header to make a retried start return the same case.",
      permission: 'authenticated',
      params: { process: s.processParam },
      bodyTypes: ['application/json'],
      headers: {
        'Idempotency-Key': {
          type: 'string',
          maxLength: 200,
          description: 'client-chosen key; same key + same body returns the same case',
        },
      },
      body: {
        oneOf: Object.values(processes).map((p) => ({ title: `${p.name} request`, ...p.startSchema })),
      },
      bodyCheckedByHandler: true,
      responses: {
        201: {
          description: 'the case was started (or an Idempotency-Key replay)',
          schema: {
            ...s.caseStartedSchema,
            properties: { ...(s.caseStartedSchema.properties as object), ...startAdviceProperties },
          },
        },
        400: problem(
          'the form is not valid, or ADMISSION_REFUSED: it refers to records it cannot use (e.g. a rejected change)',
        ),
        403: problem('your roles may not start this process'),
        404: problem('unknown process'),
        409: problem('IDEMPOTENCY_KEY_REUSED: the key was used with a different request'),
        422: problem(
          'FORM_REFUSED: you may not start it as you are named in it (handover: the receiving contact accepts the plan, and a requester never approves their own case)',
        ),
      },
    },
    async ({ params, body, principal, req }) => {
      const def = processes[params.process];
      if (!def) throw new NotFoundError(`no process "${params.process}"`, 'PROCESS_NOT_FOUND');
      if (!mayStart(principal.user, def.starterRoles)) {
        throw new ForbiddenError(
          `starting a ${def.name} case needs one of: ${def.starterRoles.join(', ')}`,
          'ROLE_REQUIRED',
        );
      }
      const form = validate<Record<string, unknown>>(def.startSchema, body);
      await admit(def.name, form, db);
      checkStarter(def.name, form, principal.user.id);
      // Before a number is taken: a failure here leaves no case behind.
      const advice = await adviseStarter(def.name, form, db, principal.user);
      const key = idempotencyKeyOf(req.get('idempotency-key'));
      const requestHash = createHash('sha256')
        .update(canonicalJson({ process: def.name, form }))
        .digest('hex');
      const { caseId, replayed } = await reserveCaseNumber(
        db,
        principal,
        def.casePrefix,
        yearIn(config.timeZone),
        key,
        requestHash,
        (id) => caseWorkflowExists(client, id),
      );

      const headline = def.headline(form);
      const input: CaseInput = {
        caseId,
        process: def.name,
        title: headline.title,
        requester: principal.user.id,
        priority: headline.priority,
        system: headline.system,
        vendorId: principal.user.vendorId,
        fields: form,
        timeZone: config.timeZone,
      };
      try {
        await client.workflow.start(def.workflowType, {
          taskQueue: config.temporal.taskQueue,
          workflowId: caseId,
          args: [input],
          // A replayed start finds the running case; a closed one is never started again.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw temporalError(err);
      }
      if (key) await markIdempotencyKeyStarted(db, principal.user.id, key);
      return {
        status: 201,
        headers: { Location: `/api/v1/cases/${caseId}` },
        body: {
          caseId,
          process: def.name,
          temporalUiUrl: temporalUiUrl(config, caseId),
          replayed,
          ...advice,
        },
      };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/cases',
      operationId: 'listCases',
      tag: 'cases',
      summary: 'List cases from the read model, filtered and sorted, a page at a time',
      permission: 'case:read',
      query: s.caseListQuery,
      responses: {
        200: { description: 'a page of cases', schema: s.caseListSchema },
        400: problem('invalid filter or cursor'),
      },
    },
    async ({ query, principal }) => {
      const q = query as Record<string, string | number | boolean | undefined>;
      const sortParam = String(q.sort);
      const sort = sortParam.replace(/^-/, '') as CaseSortKey;
      const direction = sortParam.startsWith('-') ? 'desc' : 'asc';
      const filter: CaseListFilter = {
        process: q.process as string | undefined,
        state: q.state as string | undefined,
        stage: q.stage as string | undefined,
        system: q.system as string | undefined,
        priority: q.priority as string | undefined,
        overdue: q.overdue as boolean | undefined,
        createdFrom: q.createdFrom as string | undefined,
        createdTo: q.createdTo as string | undefined,
        text: q.q as string | undefined,
        assigneesAny: q.assignee === 'me' ? assigneeKeys(principal) : undefined,
      };
      const after = typeof q.cursor === 'string' ? decodeCursor(q.cursor, sortParam) : undefined;
      const page = await listCases(db, {
        reader: principal.user,
        filter,
        sort,
        direction,
        limit: Number(q.limit),
        after,
      });
      return {
        status: 200,
        body: {
          items: page.items.map(summary),
          nextCursor: page.next
            ? encodeCursor({ sort: sortParam, value: page.next.value, caseId: page.next.caseId })
            : null,
        },
      };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/cases/{id}',
      operationId: 'getCase',
      tag: 'cases',
      summary: "A case's current state: the workflow's own view joined with the read model",
      permission: 'case:read',
      params: { id: s.caseIdParam },
      responses: {
        200: { description: 'the case', schema: s.caseDetailSchema },
        404: problem('no such case'),
      },
    },
    async ({ params, principal }) => {
      const access = await caseAccess(db, principal.user, params.id);
      const [live, row] = await Promise.all([
        liveView(client, params.id, access !== 'absent'),
        getCase(db, params.id),
      ]);
      const readable =
        access === 'visible' ||
        (live !== null &&
          ((access === 'absent' && (await mayReadUnprojected(db, principal.user, live.requester))) ||
            mayReadAsAssignee(
              principal.user,
              live.pendingSteps.flatMap((p) => p.assignees),
            )));
      if (!readable) throw notFound(params.id);
      const base = live ?? {
        caseId: row!.caseId,
        process: row!.process,
        title: row!.title,
        status: row!.state === 'open' ? 'open' : 'closed',
        stage: row!.stage,
        priority: row!.priority,
        system: row!.system,
        requester: row!.requester,
        outcome: (row!.fields.outcome as string | undefined) ?? null,
        fields: row!.fields,
        pendingSteps: [],
        lastSeq: row!.version,
      };
      return {
        status: 200,
        body: {
          ...base,
          live: live !== null,
          readModel: row ? summary(row) : null,
          temporalUiUrl: temporalUiUrl(config, params.id),
        },
      };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/cases/{id}/events',
      operationId: 'listCaseEvents',
      tag: 'cases',
      summary: "The case's audit trail, oldest first",
      permission: 'case:read',
      params: { id: s.caseIdParam },
      responses: {
        200: { description: 'the audit trail', schema: s.caseEventsSchema },
        404: problem('no such case'),
      },
    },
    async ({ params, principal }) => {
      if ((await caseAccess(db, principal.user, params.id)) !== 'visible') throw notFound(params.id);
      return { status: 200, body: { items: await listCaseEvents(db, params.id) } };
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/cases/{id}/decisions',
      operationId: 'decide',
      tag: 'commands',
      summary: 'Approve, reject or request changes on a pending approval step',
      description:
        'An offline decision (taken on paper or by phone) sets channel "offline" with occurredAt and evidenceRef.',
      permission: 'case:act',
      params: { id: s.caseIdParam },
      headers: commandHeaders,
      body: s.decisionBody,
      responses: commandResponses,
    },
    async ({ params, body, principal, req }) => {
      const b = body as {
        step: string;
        decision: 'approve' | 'reject' | 'request_changes';
        comment?: string;
      } & Partial<Provenance>;
      await assertReadable(deps, principal, params.id);
      return idempotentCommand(deps, principal, req, params.id, { operation: 'decide', body }, (options) =>
        submitDecision(
          client,
          params.id,
          {
            step: b.step,
            decision: b.decision,
            comment: b.comment,
            actor: actorOf(principal),
            ...provenanceOf(b),
          },
          options,
        ),
      );
    },
  );

  const taskOperation = (action: 'claim' | 'reassign' | 'complete', schema: s.Schema, summaryText: string) =>
    api.add(
      {
        method: 'post',
        path: `/api/v1/cases/{id}/tasks/{task}/${action}`,
        operationId: `${action}Task`,
        tag: 'commands',
        summary: summaryText,
        permission: 'case:act',
        params: { id: s.caseIdParam, task: s.stepParam },
        headers: commandHeaders,
        body: schema,
        publishedBody: action === 'complete' ? publishedCompleteBody() : undefined,
        bodyOptional: action === 'claim',
        responses: commandResponses,
      },
      async ({ params, body, principal, req }) => {
        const b = body as Record<string, unknown> & Partial<Provenance>;
        await assertReadable(deps, principal, params.id);
        const common = { step: params.task, actor: actorOf(principal), ...provenanceOf(b) };
        const input: TaskActionInput =
          action === 'claim'
            ? { ...common, action }
            : action === 'reassign'
              ? { ...common, action, to: b.to as string, reason: b.reason as string }
              : {
                  ...common,
                  action,
                  form: b.form as Record<string, unknown>,
                  comment: b.comment as string | undefined,
                };
        if (action === 'complete' && hasStepCheck(params.task) && b.form && typeof b.form === 'object') {
          // The rules in force when the form is sent (a freeze declared since the step opened), issue 9.1.
          const view = await queryCaseView(client, params.id);
          const occurred = b.channel === 'offline' && b.occurredAt ? Date.parse(b.occurredAt) : NaN;
          const asOf = Number.isNaN(occurred) ? Date.now() : occurred;
          if (view) await checkStepForm(db, view, params.task, b.form as Record<string, unknown>, asOf);
        }
        const request = { operation: `task:${action}`, step: params.task, body: body ?? null };
        return idempotentCommand(deps, principal, req, params.id, request, (options) =>
          submitTaskAction(client, params.id, input, options),
        );
      },
    );
  taskOperation('claim', s.claimBody, 'Claim a task from a role queue');
  taskOperation('reassign', s.reassignBody, 'Hand a task to another person or role, with a reason');
  taskOperation(
    'complete',
    s.completeBody,
    "Complete a task with its step's form (FORM_INVALID names the JSON paths)",
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/cases/{id}/offline-entries',
      operationId: 'recordOfflineEntry',
      tag: 'commands',
      summary: 'Record something that happened offline, with its real time and evidence',
      permission: 'case:record-offline',
      params: { id: s.caseIdParam },
      headers: commandHeaders,
      body: s.offlineEntryBody,
      responses: commandResponses,
    },
    async ({ params, body, principal, req }) => {
      const b = body as {
        kind: string;
        occurredAt: string;
        evidenceRef: string;
        content: Record<string, unknown>;
      };
      await assertReadable(deps, principal, params.id);
      return idempotentCommand(
        deps,
        principal,
        req,
        params.id,
        { operation: 'offline-entry', body },
        (options) => recordOfflineEntry(client, params.id, { actor: actorOf(principal), ...b }, options),
      );
    },
  );
}

// ----------------------------------------------------------------------------- pieces

/**
 * Runs a command once per Idempotency-Key. The key is bound to a hash of the request and maps to
 * a stable Temporal update id, so even when the API dies between the case applying the command
 * and the answer being stored, the retry re-sends the same update and gets the first outcome
 * (from the running workflow, or from the history of a case the command closed) instead of
 * acting twice or reading as someone else's decision. Without a key, a command is sent as is.
 */
async function idempotentCommand(
  deps: CaseRouteDeps,
  principal: Principal,
  req: Request,
  caseId: string,
  request: Record<string, unknown>,
  send: (options: CommandOptions) => Promise<CaseView>,
): Promise<{ status: number; headers?: Record<string, string>; body: unknown }> {
  const commandSecret = deps.config.auth.commandSecrets[0];
  const key = idempotencyKeyOf(req.get('idempotency-key'));
  if (key === null) return { status: 200, body: await send({ commandSecret }) };
  const userId = principal.user.id;
  const requestHash = sha256(canonicalJson({ caseId, ...request }));
  const record = await claimCommandKey(deps.db, userId, key, {
    caseId,
    requestHash,
    updateId: `cmd-${sha256(`${userId}\u0000${key}`)}`,
  });
  if (record.requestHash !== requestHash) {
    throw new ConflictError(
      'this Idempotency-Key was used with a different request',
      'IDEMPOTENCY_KEY_REUSED',
    );
  }
  if (record.response !== null) {
    return { status: 200, headers: { 'Idempotent-Replayed': 'true' }, body: record.response };
  }
  const view = await send({ commandSecret, updateId: record.updateId });
  await recordCommandAnswer(deps.db, userId, key, view);
  return { status: 200, body: view };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A case one may not read does not exist for them: the same answer as an unknown id. */
function notFound(caseId: string): NotFoundError {
  return new NotFoundError(`no case ${caseId}`, 'CASE_NOT_FOUND');
}

/** Commands act only on cases the principal may read (db/case-access.ts); others answer 404. */
export async function assertReadable(
  deps: Pick<CaseRouteDeps, 'client' | 'db'>,
  principal: Principal,
  caseId: string,
): Promise<void> {
  const access = await caseAccess(deps.db, principal.user, caseId);
  if (access === 'visible') return;
  // The read model is a moment behind the workflow: ask the case itself who it waits for.
  const live = await liveView(deps.client, caseId, access !== 'absent');
  if (live) {
    if (access === 'absent' && (await mayReadUnprojected(deps.db, principal.user, live.requester))) return;
    if (
      mayReadAsAssignee(
        principal.user,
        live.pendingSteps.flatMap((p) => p.assignees),
      )
    )
      return;
  }
  throw notFound(caseId);
}

export function assigneeKeys(principal: Principal): string[] {
  return [principal.user.id, ...principal.user.roles.map((r) => `role:${r}`)];
}

export function summary(
  row: import('../../workflows/contracts/case-records').CaseProjection,
): Record<string, unknown> {
  const { version: _version, ...rest } = row;
  void _version;
  return rest;
}

export function idempotencyKeyOf(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (!/^[\x21-\x7e]{1,200}$/.test(raw)) {
    throw new ValidationError(
      [{ path: '/headers/idempotency-key', message: 'must be 1-200 visible ASCII characters' }],
      'invalid Idempotency-Key',
      'INVALID_HEADER',
    );
  }
  return raw;
}

/**
 * The case number of this start. With an Idempotency-Key the number is allocated and bound to
 * the key in ONE transaction, before Temporal is asked: if the API dies after that, the client's
 * retry with the same key finds the number and starts (or finds) that very workflow — the start
 * is idempotent on the workflow id — so a number never ends up pointing at a second case, and
 * one that was never started is visible in api_idempotency_keys (started_at null). Starting
 * first and recording after could, on a crash in between, let the retry open a duplicate case.
 * Without a key a crash can only leave a gap in the numbering: the read model gains a row only
 * once the workflow runs, so no list ever shows a case that does not exist.
 */
const LOST_RACE = new Error('idempotency key taken concurrently');

/** Case numbers a start moves past, each already a workflow in Temporal, before it gives up. */
const TAKEN_NUMBERS_SKIPPED = 100;

/**
 * The next case number Temporal does not know. The database's counter can fall behind Temporal —
 * a database restored from an older backup — and a start under a number Temporal already holds
 * would start nothing while answering 201 with another case's number: such numbers are skipped.
 * One `describe` per start (a few milliseconds, inside the transaction that takes the number).
 */
async function freeCaseNumber(
  db: Knex,
  prefix: string,
  year: number,
  isTaken: (caseId: string) => Promise<boolean>,
): Promise<string> {
  for (let skipped = 0; ; skipped++) {
    const number = await allocateCaseNumber(db, prefix, year);
    if (!(await isTaken(number))) return number;
    if (skipped >= TAKEN_NUMBERS_SKIPPED)
      throw new UnavailableError(
        `case numbers up to ${number} already exist in Temporal: the database's case-number counter is behind (restored from an older backup?)`,
      );
  }
}

export async function reserveCaseNumber(
  db: Knex,
  principal: Principal,
  prefix: string,
  year: number,
  key: string | null,
  requestHash: string,
  isTaken: (caseId: string) => Promise<boolean>,
): Promise<{ caseId: string; replayed: boolean }> {
  const userId = principal.user.id;
  if (key === null) return { caseId: await freeCaseNumber(db, prefix, year, isTaken), replayed: false };
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await findIdempotencyKey(db, userId, key);
    if (existing) {
      if (existing.requestHash !== requestHash) {
        throw new ConflictError(
          'this Idempotency-Key was used with a different request',
          'IDEMPOTENCY_KEY_REUSED',
        );
      }
      return { caseId: existing.caseId, replayed: true };
    }
    const caseId = await db
      .transaction(async (trx) => {
        const number = await freeCaseNumber(trx, prefix, year, isTaken);
        if (await recordIdempotencyKey(trx, userId, key, requestHash, number)) return number;
        // Lost a race with the same key: roll back so the number is not consumed, then read the winner.
        await trx.rollback(LOST_RACE);
        return null;
      })
      .catch((err: unknown) => (err === LOST_RACE ? null : Promise.reject(err)));
    if (caseId) return { caseId, replayed: false };
  }
  throw new ConflictError(
    'a concurrent request with this Idempotency-Key is in progress; retry',
    'IDEMPOTENCY_KEY_BUSY',
  );
}

/**
 * How long a request waits for the workflow's own view. A case the read model shows is answered
 * from it if the workflow is slow; one it does not show yet was (nearly always) started a moment
 * ago, and its first workflow task may still wait for a busy worker — a query waits for that task,
 * and giving up early would answer "no such case" right after the 201. An unknown id costs
 * nothing either way: the server answers "not found" at once.
 */
const LIVE_VIEW_PATIENCE_MS = { projected: 5_000, unprojected: 30_000 };
let liveViewsRunning = 0;

/** Live views still asking a workflow: whoever closes the Temporal connection waits for them. */
export const liveViewsInFlight = (): number => liveViewsRunning;

/** The workflow's own view, or null when it does not exist or does not answer in time. */
async function liveView(client: Client, caseId: string, projected: boolean) {
  // Cancelled, not abandoned, when it takes too long: a query left running would keep retrying on
  // the connection after the request it served had been answered.
  const signal = AbortSignal.timeout(LIVE_VIEW_PATIENCE_MS[projected ? 'projected' : 'unprojected']);
  liveViewsRunning++;
  try {
    return await client.withAbortSignal(signal, () => queryCaseView(client, caseId));
  } catch {
    return null;
  } finally {
    liveViewsRunning--;
  }
}
