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
