/** What the defect process reads of the master data: a system's vendor and that vendor's project managers. */
import type { Knex } from 'knex';

export interface DefectParties {
  /** The vendor contracted for the system (systems.vendor_id); null when none is. */
  vendorId: string | null;
  /** Active users with the role vendor_pm of that vendor, by id. */
  projectManagers: string[];
  /** The head of the business department that owns the system: the user's side when a vendor registers. */
  ownerDepartmentHead: string | null;
}

export async function defectParties(db: Knex, systemId: string): Promise<DefectParties> {
  const system = (await db('systems as s')
    .leftJoin('departments as d', 'd.id', 's.owner_department_id')
    .where('s.id', systemId)
    .first('s.vendor_id', 'd.head_user_id')) as
    { vendor_id: string | null; head_user_id: string | null } | undefined;
  const vendorId = system?.vendor_id ?? null;
  const ownerDepartmentHead = system?.head_user_id ?? null;
  if (vendorId === null) return { vendorId, projectManagers: [], ownerDepartmentHead };
  const rows: Array<{ id: string }> = await db('users as u')
    .where({ 'u.vendor_id': vendorId, 'u.active': true })
    .whereExists(db('user_roles as r').whereRaw('r.user_id = u.id').where('r.role', 'vendor_pm'))
    .orderBy('u.id')
    .select('u.id');
  return { vendorId, projectManagers: rows.map((r) => r.id), ownerDepartmentHead };
}

/** Field errors of a defect registration that the form alone cannot see: unknown system or people. */
export async function unknownDefectReferences(
  db: Knex,
  request: { system?: unknown; ownerId?: unknown; userConfirmerId?: unknown },
): Promise<Array<{ path: string; message: string }>> {
  const errors: Array<{ path: string; message: string }> = [];
  const system = await db('systems')
    .where({ id: String(request.system), active: true })
    .first('id');
  if (!system) errors.push({ path: '/system', message: `no active system ${String(request.system)}` });
  for (const field of ['ownerId', 'userConfirmerId'] as const) {
    const id = request[field];
    if (id === undefined) continue;
    const user = await db('users')
      .where({ id: String(id), active: true })
      .first('id');
    if (!user) errors.push({ path: `/${field}`, message: `no active user ${String(id)}` });
  }
  return errors;
}
