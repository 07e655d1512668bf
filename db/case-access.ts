/**
 * Who may read a case — the one rule, applied in SQL to every read of the read model (lists,
 * search, inbox, single reads, the audit trail, commands, mail recipients):
 *
 * - organisation-wide readers (O&M center, IT head, security, PMO, auditors, admins) read every case;
 * - the requester, and the head(s) of the requester's department;
 * - anyone who acted on the case or is or was assigned to it, personally or through a role queue
 *   they hold (case_participants). The department-head queue counts only for the requester's own
 *   department, the vendor queues only for the vendor contracted for the case's system;
 * - the staff of a unit a process names as a party of the case (`department:<id>`, `vendor:<id>`
 *   participants: a handover's receiving unit and delivering party);
 * - vendor staff (a directory entry with a vendor) read only cases on systems their vendor is
 *   contracted for (systems.vendor_id), cases they raised, and cases they personally acted on or
 *   were assigned to — never through an organisation-wide role or a role queue.
 *
 * A case one may not read does not exist for them: the API answers 404.
 */
import type { Knex } from 'knex';

/** The directory entry the rule is evaluated for. */
export interface CaseReader {
  id: string;
  roles: readonly string[];
  departmentId: string | null;
  vendorId: string | null;
}

/** Roles that read every case (spec, roles table: O&M center, IT head, security, PMO, auditor / admin). */
export const ORGANISATION_WIDE_READERS: readonly string[] = [
  'ops_engineer',
  'ops_head',
  'it_head',
  'security_officer',
  'pmo',
  'auditor',
  'admin',
];

/** Role queues that stand for one department or one vendor, not for everyone holding the role. */
const SCOPED_QUEUES: readonly string[] = ['department_head', 'vendor_engineer', 'vendor_pm'];

export function isVendorStaff(reader: CaseReader): boolean {
  return reader.vendorId !== null;
}

export function readsEveryCase(reader: CaseReader): boolean {
  return !isVendorStaff(reader) && reader.roles.some((r) => ORGANISATION_WIDE_READERS.includes(r));
}

/** The participant keys that open a case to the reader: their id, and the role queues that count. */
function participantKeys(reader: CaseReader): string[] {
  if (isVendorStaff(reader)) return [reader.id, `vendor:${reader.vendorId}`];
  return [
    reader.id,
    ...reader.roles.filter((r) => !SCOPED_QUEUES.includes(r)).map((r) => `role:${r}`),
    ...(reader.departmentId !== null ? [`department:${reader.departmentId}`] : []),
  ];
}

/** The rule as a condition on a query over `cases` (unaliased); null when the reader reads every case. */
export function caseAccessPredicate(reader: CaseReader): { sql: string; bindings: Knex.RawBinding[] } | null {
  if (readsEveryCase(reader)) return null;
  const parts = [
    'cases.requester = ?',
    `EXISTS (SELECT 1 FROM case_participants p
              WHERE p.case_id = cases.case_id AND p.participant = ANY(?::text[]))`,
  ];
  const bindings: Knex.RawBinding[] = [reader.id, participantKeys(reader)];
  if (!isVendorStaff(reader) && reader.roles.includes('department_head') && reader.departmentId !== null) {
    parts.push(`EXISTS (SELECT 1 FROM users r WHERE r.id = cases.requester AND r.department_id = ?)`);
    bindings.push(reader.departmentId);
  }
  if (isVendorStaff(reader)) {
    parts.push(`EXISTS (SELECT 1 FROM systems s WHERE s.id = cases."system" AND s.vendor_id = ?)`);
    bindings.push(reader.vendorId);
  }
  return { sql: `(${parts.join(' OR ')})`, bindings };
}

/** `query.modify(visibleTo(reader))` on a query over `cases`: only the rows the reader may read. */
export function visibleTo(reader: CaseReader): (query: Knex.QueryBuilder) => void {
  const predicate = caseAccessPredicate(reader);
  return (query) => {
    if (predicate) void query.whereRaw(predicate.sql, predicate.bindings);
  };
}

export type CaseAccess = 'visible' | 'hidden' | 'absent';

/** Whether the reader may read the case; `absent` when the read model has no row for it (yet). */
export async function caseAccess(db: Knex, reader: CaseReader, caseId: string): Promise<CaseAccess> {
  const predicate = caseAccessPredicate(reader) ?? { sql: 'true', bindings: [] };
  const row = (await db('cases')
    .where('cases.case_id', caseId)
    .first(db.raw(`${predicate.sql} AS visible`, predicate.bindings))) as { visible: boolean } | undefined;
  if (!row) return 'absent';
  return row.visible ? 'visible' : 'hidden';
}

/**
 * A case the workflow knows but the read model does not show yet (its first write is a moment
 * behind the start): its requester, the head of the requester's department, and the
 * organisation-wide readers may see it meanwhile — the rule of `caseAccessPredicate` for the
 * requester, applied without the row.
 */
export async function mayReadUnprojected(db: Knex, reader: CaseReader, requester: string): Promise<boolean> {
  if (readsEveryCase(reader) || reader.id === requester) return true;
  if (isVendorStaff(reader) || !reader.roles.includes('department_head') || reader.departmentId === null)
    return false;
  const row = (await db('users').where({ id: requester }).first('department_id')) as
    { department_id: string | null } | undefined;
  return row?.department_id === reader.departmentId;
}

/**
 * Someone a step the workflow has just opened waits for — by name, or through a role queue they
 * hold (vendor staff only by name, as in the SQL rule) — may read the case before the step's
 * participants reach the read model: the case response already shows them the step, and acting on
 * it must not answer "no such case".
 */
export function mayReadAsAssignee(reader: CaseReader, assignees: readonly string[]): boolean {
  if (assignees.includes(reader.id)) return true;
  if (isVendorStaff(reader)) return false;
  // A department head's queue counts only for the requester's department, which only the SQL
  // rule knows: here such a head must be named.
  return reader.roles.some((r) => r !== 'department_head' && assignees.includes(`role:${r}`));
}
