/**
 * The archived service report (004 §7.1.1 b: reports kept and lent out): its figures frozen once
 * per draft, keyed by the report's case number and the draft's number (1, then 2, 3… when the O&M
 * head sends it back and it is redrafted over the period's corrected data). A retried freeze returns
 * what that draft froze first, and a reader gets the last draft — the one the O&M head decided on —
 * so the document opened later is the approved one. Who may read it is who may read every case it
 * counts — the case-access rule, applied to the list.
 */
import type { Knex } from 'knex';
import { caseAccessPredicate, type CaseReader } from './case-access';
import { getUser, type User } from './directory';
import { serviceReportFigures, type ServiceReportFigures } from './service-report';

export interface ServiceReportSnapshot {
  caseId: string;
  month: string;
  timeZone: string;
  system: string | null;
  vendor: string | null;
  figures: ServiceReportFigures;
  coveredCases: string[];
  frozenAt: string;
  /** 1 for the first draft; one more for each redraft. */
  draft: number;
}

export interface FreezeRequest {
  caseId: string;
  month: string;
  timeZone: string;
  system?: string | null;
  vendor?: string | null;
  /** Which draft this freeze is; 1 when not given (reports drafted before redrafts existed). */
  draft?: number;
}

/** Freezes the organisation-wide figures of a draft once; later calls return that draft's first freeze. */
export async function freezeServiceReport(db: Knex, request: FreezeRequest): Promise<ServiceReportSnapshot> {
  const draft = request.draft ?? 1;
  const existing = await getServiceReportSnapshot(db, request.caseId, draft);
  if (existing) return existing;
  const { figures, coveredCases } = await serviceReportFigures(db, request, 'organisation');
  await db('service_report_snapshots')
    .insert({
      case_id: request.caseId,
      month: request.month,
      time_zone: request.timeZone,
      system: request.system ?? null,
      vendor: request.vendor ?? null,
      figures: JSON.stringify(figures),
      covered_cases: coveredCases,
      draft,
    })
    .onConflict(['case_id', 'draft'])
    .ignore();
  return (await getServiceReportSnapshot(db, request.caseId, draft))!;
}

/** A report's archived figures: the given draft, else the last one. */
export async function getServiceReportSnapshot(
  db: Knex,
  caseId: string,
  draft?: number,
): Promise<ServiceReportSnapshot | null> {
  const row = await db('service_report_snapshots')
    .where({ case_id: caseId, ...(draft === undefined ? {} : { draft }) })
    .orderBy('draft', 'desc')
    .first();
  if (!row) return null;
  return {
    caseId: row.case_id,
    month: row.month,
    timeZone: row.time_zone,
    system: row.system,
    vendor: row.vendor,
    figures: row.figures as ServiceReportFigures,
    coveredCases: row.covered_cases as string[],
    frozenAt: (row.frozen_at as Date).toISOString(),
    draft: row.draft as number,
  };
}

/** Whether the reader may read every case the report counts (the same permission as those cases). */
export async function mayReadReport(db: Knex, reader: CaseReader, coveredCases: string[]): Promise<boolean> {
  const predicate = caseAccessPredicate(reader);
  if (!predicate || coveredCases.length === 0) return predicate === null || coveredCases.length === 0;
  const row = (await db('cases')
    .whereRaw('cases.case_id = ANY(?::text[])', [coveredCases])
    .whereRaw(`NOT ${predicate.sql}`, predicate.bindings)
    .count<{ count: string }[]>('* as count')
    .first()) as { count: string } | undefined;
  return Number(row?.count ?? 0) === 0;
}

/**
 * The distribution list's active members who may read the report; the others are named with the
 * reason they are not mailed (a list may hold a department head who may not read every case).
 */
export async function serviceReportRecipients(
  db: Knex,
  listId: string,
  caseId: string,
): Promise<{ recipients: string[]; skipped: Array<{ userId: string; reason: string }> }> {
  const snapshot = await getServiceReportSnapshot(db, caseId);
  const members = await db('service_report_distribution')
    .where({ list_id: listId, active: true })
    .orderBy('user_id')
    .pluck<string[]>('user_id');
  const recipients: string[] = [];
  const skipped: Array<{ userId: string; reason: string }> = [];
  for (const id of members) {
    const user: User | null = await getUser(db, id);
    if (!user || !user.active) skipped.push({ userId: id, reason: 'not an active user' });
    else if (!(await mayReadReport(db, user, snapshot?.coveredCases ?? [])))
      skipped.push({ userId: id, reason: 'may not read every case the report counts' });
    else recipients.push(id);
  }
  return { recipients, skipped };
}

/** Replaces a distribution list's members (admin master data; tests use lists of their own). */
export async function setDistributionList(db: Knex, listId: string, userIds: string[]): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('service_report_distribution').where({ list_id: listId }).delete();
    if (userIds.length)
      await trx('service_report_distribution').insert(
        userIds.map((user_id) => ({ list_id: listId, user_id })),
      );
  });
}

/** A distribution list's members, active or not. */
export async function distributionList(
  db: Knex,
  listId: string,
): Promise<Array<{ userId: string; active: boolean }>> {
  const rows = await db('service_report_distribution').where({ list_id: listId }).orderBy('user_id');
  return rows.map((r: { user_id: string; active: boolean }) => ({ userId: r.user_id, active: r.active }));
}
