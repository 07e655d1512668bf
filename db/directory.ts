/** The directory: people, their locale and e-mail, and the roles they hold. */
import type { Knex } from 'knex';

import { ROLES, type Role } from '../workflows/contracts/roles';

export { ROLES, type Role };

export type Locale = 'zh-CN' | 'en';

export interface User {
  id: string;
  displayName: string;
  email: string;
  locale: Locale;
  departmentId: string | null;
  vendorId: string | null;
  active: boolean;
  roles: Role[];
}

export interface UserInput {
  id: string;
  displayName: string;
  email: string;
  locale: Locale;
  departmentId?: string | null;
  vendorId?: string | null;
  /** Defaults to true; a person who left keeps their id (the audit trail names them) but is told nothing. */
  active?: boolean;
  roles: Role[];
}

interface UserRow {
  id: string;
  display_name: string;
  email: string;
  locale: Locale;
  department_id: string | null;
  vendor_id: string | null;
  active: boolean;
  roles: Role[] | null;
}

export async function upsertDepartment(db: Knex, department: { id: string; name: string }): Promise<void> {
  await db('departments').insert(department).onConflict('id').merge();
}

/** Names the head (and a deputy) of a department; both must be in the directory. */
export async function setDepartmentHead(
  db: Knex,
  departmentId: string,
  heads: { head: string | null; deputy?: string | null },
): Promise<void> {
  await db('departments')
    .where({ id: departmentId })
    .update({ head_user_id: heads.head, deputy_user_id: heads.deputy ?? null });
}

/** Who heads a person's department, as the directory says: the department-head steps of their cases go there. */
export interface DepartmentHeads {
  departmentId: string;
  head: string | null;
  deputy: string | null;
}

/**
 * The head and deputy of the department the directory puts the person in (not the department a
 * form names: a requester could type any department and pick their approver). Null when the person
 * has no department; an inactive head or deputy counts as none.
 */
export async function headsOfDepartmentOf(db: Knex, userId: string): Promise<DepartmentHeads | null> {
  const row = await db('users as u')
    .join('departments as d', 'd.id', 'u.department_id')
    .leftJoin('users as h', (j) => j.on('h.id', 'd.head_user_id').andOn('h.active', db.raw('true')))
    .leftJoin('users as v', (j) => j.on('v.id', 'd.deputy_user_id').andOn('v.active', db.raw('true')))
    .where('u.id', userId)
    .first<{ department_id: string; head: string | null; deputy: string | null } | undefined>(
      'd.id as department_id',
      'h.id as head',
      'v.id as deputy',
    );
  return row ? { departmentId: row.department_id, head: row.head, deputy: row.deputy } : null;
}

export async function upsertVendor(db: Knex, vendor: { id: string; name: string }): Promise<void> {
  await db('vendors').insert(vendor).onConflict('id').merge();
}

/** Creates or updates the user and makes `roles` exactly the roles they hold, in one transaction. */
export async function upsertUser(db: Knex, user: UserInput): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('users')
      .insert({
        id: user.id,
        display_name: user.displayName,
        email: user.email,
        locale: user.locale,
        department_id: user.departmentId ?? null,
        vendor_id: user.vendorId ?? null,
        active: user.active ?? true,
      })
      .onConflict('id')
      .merge();
    await trx('user_roles').where({ user_id: user.id }).delete();
    const roles = [...new Set(user.roles)];
    if (roles.length > 0) await trx('user_roles').insert(roles.map((role) => ({ user_id: user.id, role })));
  });
}

export async function getUser(db: Knex, id: string): Promise<User | null> {
  const row = await usersQuery(db).where('u.id', id).first();
  return row ? toUser(row) : null;
}

/** Every active user holding the role, by id. */
export async function usersWithRole(db: Knex, role: string): Promise<User[]> {
  const rows = await usersQuery(db)
    .where('u.active', true)
    .whereExists(db('user_roles as r').whereRaw('r.user_id = u.id').where('r.role', role))
    .orderBy('u.id');
  return rows.map(toUser);
}

function usersQuery(db: Knex) {
  return db('users as u').select<UserRow[]>(
    'u.*',
    db.raw('ARRAY(SELECT role FROM user_roles r WHERE r.user_id = u.id ORDER BY role) AS roles'),
  );
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    locale: row.locale,
    departmentId: row.department_id,
    vendorId: row.vendor_id,
    active: row.active,
    roles: row.roles ?? [],
  };
}
