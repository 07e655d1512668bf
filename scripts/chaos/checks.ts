/**
 * What must hold after the run, read from PostgreSQL, the Temporal server and the SMTP sink:
 * no acknowledged decision lost, no audit event twice, one mail per outbox row (counted by
 * Message-ID at the sink), an intact hash chain, and a read model equal to each workflow's state.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Knex } from 'knex';
import { verifyAuditChain } from '../../db/audit';
import { getCase } from '../../db/cases';
import { messageIdFor } from '../../runtime/mail-dispatcher';
import { caseViewQuery } from '../../workflows/contracts/messages';
import type { LoadResult } from './load';
import type { CountingSink } from './mail-sink';

export interface Figures {
  cases: number;
  casesClosed: number;
  decisionsAcknowledged: number;
  decisionsAcknowledgedOnRetry: number;
  decisionsApplied: number;
  decisionsLost: number;
  duplicateAuditRows: number;
  auditSeqGaps: number;
  auditChain: string;
  outboxRows: number;
  mailsExactlyOnce: number;
  mailsMissing: number;
  mailsWithSecondMessageId: number;
  sameMessageIdRedeliveries: number;
  readModelMismatches: number;
  /** Cases whose workflow could not answer the view query (e.g. a replay that failed). */
  unreadableWorkflows: number;
}

export function problems(f: Figures, expectedCases: number): string[] {
  const out: string[] = [];
  if (f.cases !== expectedCases) out.push(`${expectedCases - f.cases} cases never started`);
  if (f.casesClosed !== f.cases) out.push(`${f.cases - f.casesClosed} cases not closed`);
  if (f.decisionsLost > 0) out.push(`${f.decisionsLost} acknowledged decisions lost`);
  if (f.duplicateAuditRows > 0) out.push(`${f.duplicateAuditRows} duplicate audit rows`);
  if (f.auditSeqGaps > 0) out.push(`${f.auditSeqGaps} cases with gaps in their audit seq`);
  if (f.auditChain !== 'intact') out.push(`audit chain: ${f.auditChain}`);
  if (f.mailsMissing > 0) out.push(`${f.mailsMissing} mails never arrived`);
  if (f.mailsWithSecondMessageId > 0)
    out.push(`${f.mailsWithSecondMessageId} mails sent under two Message-IDs`);
  if (f.mailsExactlyOnce !== f.outboxRows) out.push('not every outbox row was delivered exactly once');
  if (f.readModelMismatches > 0)
    out.push(`${f.readModelMismatches} read-model rows differ from their workflow`);
  if (f.unreadableWorkflows > 0)
    out.push(
      `${f.unreadableWorkflows} workflows could not answer a query (histories kept in the run's folder)`,
    );
  return out;
}

/** Waits until every outbox row of the run's cases is settled (sent or failed), or the time is up. */
export async function settleOutbox(db: Knex, cases: string[], timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const open = await db('notification_outbox')
      .whereIn('case_id', cases)
      .whereIn('status', ['pending', 'sending'])
      .count<{ n: string }[]>({ n: '*' });
    if (Number(open[0].n) === 0) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function check(
  db: Knex,
  temporalAddress: string,
  load: LoadResult,
  sink: CountingSink,
  /** Where the history of a workflow that cannot answer is written, to replay it later. */
  dir: string,
): Promise<Figures> {
  const cases = load.cases;
  const decided = await db('case_events')
    .whereIn('case_id', cases)
    .where('type', 'step.decided')
    .select('case_id', 'actor', db.raw(`data->>'step' AS step`));
  const applied = new Set(
    decided.map((e: { case_id: string; step: string; actor: string }) => `${e.case_id}|${e.step}|${e.actor}`),
  );
  const lost = load.decisions.filter((d) => !applied.has(`${d.caseId}|${d.step}|${d.actor}`));

  // The same fact recorded twice: a decision, a step opening, a case start or close.
  const duplicates = await db.raw<{ rows: Array<{ n: string }> }>(
    `SELECT coalesce(sum(c - 1), 0) AS n FROM (
       SELECT count(*) AS c FROM case_events
        WHERE case_id = ANY(?)
          AND type IN ('case.opened', 'stage.entered', 'step.opened', 'step.decided', 'case.closed')
        GROUP BY case_id, type, data->>'step', data->>'stage' HAVING count(*) > 1) d`,
    [cases],
  );
  const gaps = await db.raw<{ rows: Array<{ n: string }> }>(
    `SELECT count(*) AS n FROM (
       SELECT case_id FROM case_events WHERE case_id = ANY(?)
        GROUP BY case_id HAVING count(*) <> max(seq) OR min(seq) <> 1) g`,
    [cases],
  );
  const chain = await verifyAuditChain(db);

  const rows: Array<{ id: string; status: string }> = await db('notification_outbox')
    .whereIn('case_id', cases)
    .select('id', 'status');
  let once = 0;
  let missing = 0;
  let secondId = 0;
  let redeliveries = 0;
  for (const row of rows) {
    const ids = sink.deliveries.get(row.id) ?? [];
    const distinct = new Set(ids);
    if (ids.length === 0) missing += 1;
    else if (distinct.size > 1 || !distinct.has(messageIdFor(row.id))) secondId += 1;
    else once += 1;
    redeliveries += Math.max(0, ids.length - 1);
  }

  const connection = await Connection.connect({ address: temporalAddress });
  let closed = 0;
  let mismatches = 0;
  let unreadable = 0;
  try {
    const client = new Client({ connection });
    for (const caseId of cases) {
      const handle = client.workflow.getHandle(caseId);
      let view;
      try {
        view = await handle.query(caseViewQuery);
      } catch (err) {
        unreadable += 1;
        const history = await handle.fetchHistory();
        writeFileSync(
          path.join(dir, `unreadable-${caseId}.json`),
          JSON.stringify({ error: (err as Error).message, history }),
        );
        continue;
      }
      const row = await getCase(db, caseId);
      if (view.status === 'closed') closed += 1;
      const same =
        row !== null && row.state === view.status && row.stage === view.stage && row.version === view.lastSeq;
      if (!same) mismatches += 1;
    }
  } finally {
    await connection.close();
  }

  return {
    cases: cases.length,
    casesClosed: closed,
    decisionsAcknowledged: load.decisions.length,
    decisionsAcknowledgedOnRetry: load.decisions.filter((d) => d.acknowledged === 'after-lost-answer').length,
    decisionsApplied: load.decisions.length - lost.length,
    decisionsLost: lost.length,
    duplicateAuditRows: Number(duplicates.rows[0].n),
    auditSeqGaps: Number(gaps.rows[0].n),
    auditChain: chain.ok ? 'intact' : `broken at ${chain.caseId} #${chain.seq}: ${chain.reason}`,
    outboxRows: rows.length,
    mailsExactlyOnce: once,
    mailsMissing: missing,
    mailsWithSecondMessageId: secondId,
    sameMessageIdRedeliveries: redeliveries,
    readModelMismatches: mismatches,
    unreadableWorkflows: unreadable,
  };
}
