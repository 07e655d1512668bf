/**
 * What the handover reads and writes outside its case: the deliverables checklist (master data,
 * migration 0090) and the system's O&M owner, changed to the receiving unit on completion with the
 * date, and kept as a history of owners.
 */
import type { Knex } from 'knex';

export interface ChecklistItem {
  code: string;
  nameEn: string;
  nameZh: string;
  clause: string;
}

/** The active checklist items, in their order. */
export async function handoverChecklist(db: Knex): Promise<ChecklistItem[]> {
  const rows = await db('handover_deliverable_types').where({ active: true }).orderBy(['sort', 'code']);
  return rows.map((r) => ({ code: r.code, nameEn: r.name_en, nameZh: r.name_zh, clause: r.clause }));
}

export interface OpsOwnerChange {
  systemId: string;
  departmentId: string;
  previousDepartmentId: string | null;
  /** The local date (YYYY-MM-DD) the receiving unit took over. */
  since: string;
  caseId: string;
}

/** The calendar date of an instant in a time zone. */
function localDate(at: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(at));
}

/**
 * Makes the receiving unit the system's O&M owner from the date of `at`, once per handover case:
 * a retried call finds its history row and answers what it recorded the first time.
 */
export async function transferSystemOpsOwner(
  db: Knex,
  input: { systemId: string; departmentId: string; caseId: string; at: string; timeZone: string },
): Promise<OpsOwnerChange> {
  return db.transaction(async (trx) => {
    const existing = await trx('system_ops_owners')
      .where({ system_id: input.systemId, case_id: input.caseId })
      .first();
    if (existing) return ownerChange(existing);
    const system = await trx('systems').where({ id: input.systemId }).forUpdate().first();
    const since = localDate(input.at, input.timeZone);
    const row = {
      system_id: input.systemId,
      department_id: input.departmentId,
      previous_department_id: system?.ops_owner_department_id ?? null,
      since,
      case_id: input.caseId,
    };
    await trx('system_ops_owners').insert(row);
    await trx('systems').where({ id: input.systemId }).update({
      ops_owner_department_id: input.departmentId,
      ops_owner_since: since,
      updated_at: trx.fn.now(),
    });
    return ownerChange(row);
  });
}

function ownerChange(r: Record<string, unknown>): OpsOwnerChange {
  return {
    systemId: String(r.system_id),
    departmentId: String(r.department_id),
    previousDepartmentId: (r.previous_department_id as string | null) ?? null,
    since: typeof r.since === 'string' ? r.since : dateOnly(r.since as Date),
    caseId: String(r.case_id),
  };
}

/** node-postgres reads a `date` as local midnight; its own calendar fields are the date. */
function dateOnly(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A system's O&M owners, newest first: who took over, from when, through which handover. */
export async function listSystemOpsOwners(db: Knex, systemId: string): Promise<OpsOwnerChange[]> {
  const rows = await db('system_ops_owners')
    .where({ system_id: systemId })
    .orderBy([
      { column: 'since', order: 'desc' },
      { column: 'recorded_at', order: 'desc' },
    ]);
  return rows.map(ownerChange);
}

export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * Why a handover request cannot start: the system, the units and the people it names must exist,
 * the contact must belong to the receiving unit and hold the receiving_unit role, the lead must work
 * for the delivering party, and one person cannot both deliver and accept.
 */
export async function handoverAdmissionProblems(
  db: Knex,
  request: {
    systemId: string;
    deliveringParty: { kind: string; departmentId?: string; vendorId?: string; lead: string };
    receivingUnit: { departmentId: string; contact: string };
  },
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const { systemId, deliveringParty: d, receivingUnit: r } = request;
  const system = await db('systems').where({ id: systemId }).first();
  if (!system || !system.active)
    problems.push({ path: '/systemId', message: `there is no active system ${systemId}` });
  if (!(await db('departments').where({ id: r.departmentId }).first()))
    problems.push({
      path: '/receivingUnit/departmentId',
      message: `there is no department ${r.departmentId}`,
    });
  const contact = await db('users').where({ id: r.contact, active: true }).first();
  const contactRoles: string[] = contact
    ? (await db('user_roles').where({ user_id: r.contact }).select('role')).map(
        (x: { role: string }) => x.role,
      )
    : [];
  if (!contact)
    problems.push({ path: '/receivingUnit/contact', message: `there is no active user ${r.contact}` });
  else if (contact.department_id !== r.departmentId || !contactRoles.includes('receiving_unit'))
    problems.push({
      path: '/receivingUnit/contact',
      message: `${r.contact} must work in ${r.departmentId} and hold the receiving_unit role`,
    });
  const lead = await db('users').where({ id: d.lead, active: true }).first();
  if (!lead) problems.push({ path: '/deliveringParty/lead', message: `there is no active user ${d.lead}` });
  if (d.kind === 'vendor') {
    if (!(await db('vendors').where({ id: d.vendorId }).first()))
      problems.push({ path: '/deliveringParty/vendorId', message: `there is no vendor ${d.vendorId}` });
    else if (lead && lead.vendor_id !== d.vendorId)
      problems.push({
        path: '/deliveringParty/lead',
        message: `${d.lead} does not work for vendor ${d.vendorId}`,
      });
  } else {
    if (!(await db('departments').where({ id: d.departmentId }).first()))
      problems.push({
        path: '/deliveringParty/departmentId',
        message: `there is no department ${d.departmentId}`,
      });
    else if (lead && lead.department_id !== d.departmentId)
      problems.push({
        path: '/deliveringParty/lead',
        message: `${d.lead} does not work in ${d.departmentId}`,
      });
  }
  if (d.lead === r.contact)
    problems.push({
      path: '/receivingUnit/contact',
      message: 'the delivering lead cannot also accept for the receiving unit',
    });
  return problems;
}

/**
 * Why this person may not start this handover, which only the API knows (the form does not name
 * who starts): the receiving unit's contact accepts the plan, and a requester never approves their
 * own case (processes.md, separation of duties) — so the contact who started it could not accept
 * it and the case would stand still at the plan. Refused at the door instead, naming the field.
 */
export function handoverStarterProblems(
  request: { receivingUnit: { departmentId: string; contact: string } },
  requester: string,
): FieldProblem[] {
  const r = request.receivingUnit;
  if (r.contact !== requester) return [];
  return [
    {
      path: '/receivingUnit/contact',
      message:
        `${requester} starts this handover and so may not accept its plan for the receiving unit ` +
        `(a requester never approves their own case): name another contact of ${r.departmentId}, ` +
        'or let the contact start it',
    },
  ];
}
