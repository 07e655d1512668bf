/** Master data the admin API lists and edits that has no repository of its own: systems, departments, users. */
import type { Knex } from 'knex';
import { getUser, type User } from './directory';

export interface SystemRecord {
  id: string;
  name: string;
  ownerDepartmentId: string | null;
  vendorId: string | null;
  active: boolean;
}

export async function upsertSystem(db: Knex, system: SystemRecord): Promise<void> {
  await db('systems')
    .insert({
      id: system.id,
      name: system.name,
      owner_department_id: system.ownerDepartmentId,
      vendor_id: system.vendorId,
      active: system.active,
      updated_at: db.fn.now(),
    })
    .onConflict('id')
    .merge();
}

export async function listSystems(db: Knex): Promise<SystemRecord[]> {
  const rows = await db('systems').orderBy('id');
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    ownerDepartmentId: r.owner_department_id,
    vendorId: r.vendor_id,
    active: r.active,
  }));
}

export async function listDepartments(db: Knex): Promise<{ id: string; name: string }[]> {
  return db('departments').orderBy('id').select('id', 'name');
}

export async function departmentExists(db: Knex, id: string): Promise<boolean> {
  return (await db('departments').where({ id }).first('id')) !== undefined;
}

export async function vendorExists(db: Knex, id: string): Promise<boolean> {
  return (await db('vendors').where({ id }).first('id')) !== undefined;
}

export async function listUsers(db: Knex): Promise<User[]> {
  const ids: { id: string }[] = await db('users').orderBy('id').select('id');
  const users = await Promise.all(ids.map((r) => getUser(db, r.id)));
  return users.filter((u): u is User => u !== null);
}

export async function listSlaPolicies(db: Knex): Promise<Record<string, unknown>[]> {
  const rows = await db('sla_policies').orderBy('id');
  return rows.map((r) => ({
    id: r.id,
    process: r.process,
    stage: r.stage,
    priority: r.priority,
    basis: r.basis,
    duration: r.duration,
    warnRatio: r.warn_ratio === null ? null : Number(r.warn_ratio),
    calendarId: r.calendar_id,
    escalation: r.escalation,
    active: r.active,
  }));
}
