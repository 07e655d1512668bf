/**
 * The clients of the fault suite: people opening access requests and deciding them over HTTP
 * while servers die under them. A client retries what it does not know the outcome of — a
 * connection error, a timeout, a 5xx or 429 — and tells the two kinds of answer apart:
 *
 * - acknowledged: the API answered 200/201; the decision must be in the audit trail.
 * - replayed: an earlier attempt's answer was lost and the retry, sent with the same
 *   Idempotency-Key, got the first outcome back (`Idempotent-Replayed`, or the same Temporal
 *   update id answered by the case); the checks hold it against the audit trail like any other.
 *
 * Starts and decisions carry an Idempotency-Key, so a client never has to guess from a 409 whether
 * its lost attempt went through: any 4xx is a failure of the case.
 */
import { randomUUID } from 'node:crypto';

export interface Identity {
  id: string;
  bearer: string;
}

export interface Decision {
  caseId: string;
  step: string;
  actor: string;
  acknowledged: 'ok' | 'after-lost-answer';
  attempts: number;
}

export interface LoadResult {
  cases: string[];
  decisions: Decision[];
  /** Requests whose outcome the client did not learn (and so retried). */
  unknownOutcomes: number;
  /** Cases a client could not finish: an unexpected answer, or stuck past the case timeout. */
  failures: string[];
}

export interface LoadOptions {
  apiUrl: string;
  cases: number;
  concurrency: number;
  requester: Identity;
  approvers: Record<string, Identity>;
  /** Gives up on a case after this long (a bug, not an outage, would keep it stuck). */
  caseTimeoutMs: number;
  /** Stops taking new cases and gives up on open ones (time limit, Ctrl-C). */
  stop: AbortSignal;
  onProgress?: (done: number) => void;
}

const STEPS = ['departmentHeadApproval', 'opsHeadApproval'] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

class Client {
  unknownOutcomes = 0;
  constructor(private readonly base: string) {}

  /** One HTTP request; null when its outcome is unknown (no answer, or a 5xx / 429). */
  async once(
    method: string,
    path: string,
    who: Identity,
    body?: unknown,
    headers = {},
  ): Promise<Answer | null> {
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: who.bearer, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      if (res.status >= 500 || res.status === 429) {
        this.unknownOutcomes += 1;
        return null;
      }
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    } catch {
      this.unknownOutcomes += 1;
      return null;
    }
  }
}

async function until<T>(
  deadline: number,
  stop: AbortSignal,
  what: string,
  attempt: () => Promise<T | null>,
): Promise<T> {
  let pause = 300;
  for (;;) {
    const value = await attempt();
    if (value !== null) return value;
    if (Date.now() > deadline || stop.aborted) throw new Error(`gave up: ${what}`);
    await sleep(pause);
    pause = Math.min(2_000, pause * 1.5);
  }
}

async function driveCase(client: Client, n: number, options: LoadOptions, out: LoadResult): Promise<void> {
  const deadline = Date.now() + options.caseTimeoutMs;
  const key = `chaos-${n}-${randomUUID()}`;
  const form = { title: `Chaos access ${n}`, system: 'si-core', justification: 'fault suite' };
  const caseId = await until(deadline, options.stop, `start of case ${n}`, async () => {
    const a = await client.once('POST', '/api/v1/cases/access', options.requester, form, {
      'idempotency-key': key,
    });
    if (!a) return null;
    if (a.status === 201) return a.body.caseId as string;
    if (a.status === 409 && a.body.code === 'IDEMPOTENCY_KEY_BUSY') return null;
    throw new Error(`start of case ${n}: ${a.status} ${JSON.stringify(a.body)}`);
  });
  out.cases.push(caseId);

  for (const step of STEPS) {
    const approver = options.approvers[step];
    // Wait until the workflow itself shows the step open (the read model may lag, Temporal may be down).
    await until(deadline, options.stop, `${caseId} ${step} open`, async () => {
      const a = await client.once('GET', `/api/v1/cases/${caseId}`, approver);
      if (!a || a.status !== 200 || a.body.live !== true) return null;
      const pending = a.body.pendingSteps as Array<{ step: string }>;
      return pending.some((p) => p.step === step) ? true : null;
    });
    let attempts = 0;
    let lostAnswer = false;
    const decision = { step, decision: 'approve', comment: `${step} by ${approver.id}` };
    const acknowledged = await until(deadline, options.stop, `${caseId} ${step} decision`, async () => {
      attempts += 1;
      const a = await client.once('POST', `/api/v1/cases/${caseId}/decisions`, approver, decision, {
        'idempotency-key': `${caseId}-${step}`,
      });
      if (!a) {
        lostAnswer = true;
        return null;
      }
      if (a.status === 200) return lostAnswer ? ('after-lost-answer' as const) : ('ok' as const);
      throw new Error(`${caseId} ${step}: ${a.status} ${JSON.stringify(a.body)}`);
    });
    out.decisions.push({ caseId, step, actor: approver.id, acknowledged, attempts });
  }
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const client = new Client(options.apiUrl);
  const out: LoadResult = { cases: [], decisions: [], unknownOutcomes: 0, failures: [] };
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < options.cases && !options.stop.aborted) {
      const n = ++next;
      try {
        await driveCase(client, n, options, out);
      } catch (err) {
        out.failures.push((err as Error).message);
      }
      options.onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
  out.unknownOutcomes = client.unknownOutcomes;
  return out;
}
