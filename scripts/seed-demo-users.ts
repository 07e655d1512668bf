/**
 * Seeds one demo person per role (demo-requester, demo-ops-head…) plus a demo department and
 * vendor, idempotently, and prints for each the curl command that gets a token from the API's
 * dev-token endpoint (served only when NODE_ENV is development or test). `npm start` runs it.
 */
import type { Knex } from 'knex';
import { createDb } from '../db/connection';
import { commandDatabaseUrl } from '../db/database-url';
import { ROLES, upsertDepartment, upsertUser, upsertVendor, type Role } from '../db/directory';
import { loadConfig, runMain } from '../runtime/config';

export const DEMO_DEPARTMENT = { id: 'demo-business', name: 'Demo business department' };
export const DEMO_VENDOR = { id: 'demo-vendor', name: 'Demo service provider' };

export const demoUserId = (role: Role): string => `demo-${role.replace(/_/g, '-')}`;

export async function seedDemoUsers(db: Knex): Promise<{ id: string; role: Role }[]> {
  await upsertDepartment(db, DEMO_DEPARTMENT);
  await upsertVendor(db, DEMO_VENDOR);
  const seeded: { id: string; role: Role }[] = [];
  for (const role of ROLES) {
    const id = demoUserId(role);
    const vendorStaff = role === 'vendor_engineer' || role === 'vendor_pm';
    await upsertUser(db, {
      id,
      displayName: `Demo ${role.replace(/_/g, ' ')}`,
      email: `${id}@example.invalid`,
      locale: 'en',
      departmentId: vendorStaff ? null : DEMO_DEPARTMENT.id,
      vendorId: vendorStaff ? DEMO_VENDOR.id : null,
      roles: [role],
    });
    seeded.push({ id, role });
  }
  return seeded;
}

/** What `npm start` prints: how to get a token for each demo role. */
export function demoTokenHelp(seeded: { id: string; role: Role }[], publicUrl: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  const lines = ['Demo users (one per role). Get a token with:'];
  for (const { id, role } of seeded) {
    lines.push(
      `  ${role.padEnd(17)} curl -s -X POST ${base}/api/v1/auth/dev-token -H 'Content-Type: application/json' -d '{"userId":"${id}"}'`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDb(commandDatabaseUrl(config));
  try {
    process.stdout.write(demoTokenHelp(await seedDemoUsers(db), config.api.publicUrl));
  } finally {
    await db.destroy();
  }
}

if (require.main === module) runMain(main);
