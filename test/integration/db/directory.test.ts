import { randomUUID } from 'node:crypto';
import { createDb } from '../../../db/connection';
import { getUser, upsertDepartment, upsertUser, usersWithRole } from '../../../db/directory';

const db = createDb(process.env.DATABASE_URL as string);
const run = randomUUID().slice(0, 8);

afterAll(async () => {
  await db.destroy();
});

describe('directory', () => {
  it('upserting a user makes the given roles exactly the roles they hold', async () => {
    await upsertDepartment(db, { id: `ops-${run}`, name: '运维中心' });
    const wang = {
      id: `wang-${run}`,
      displayName: '王工',
      email: `wang-${run}@example.gov.cn`,
      locale: 'zh-CN' as const,
      departmentId: `ops-${run}`,
      roles: ['ops_engineer' as const, 'tester' as const],
    };
    await upsertUser(db, wang);

    await upsertUser(db, { ...wang, email: `wang.gong-${run}@example.gov.cn`, roles: ['ops_head'] });

    expect(await getUser(db, wang.id)).toEqual({
      id: wang.id,
      displayName: '王工',
      email: `wang.gong-${run}@example.gov.cn`,
      locale: 'zh-CN',
      departmentId: `ops-${run}`,
      vendorId: null,
      active: true,
      roles: ['ops_head'],
    });
  });

  it('a role lists its active holders only', async () => {
    const person = (id: string, active: boolean) => ({
      id,
      displayName: id,
      email: `${id}@example.gov.cn`,
      locale: 'en' as const,
      active,
      roles: ['security_officer' as const],
    });
    await upsertUser(db, person(`li-${run}`, true));
    await upsertUser(db, person(`zhao-${run}`, false));

    const holders = (await usersWithRole(db, 'security_officer')).map((u) => u.id);

    expect(holders).toContain(`li-${run}`);
    expect(holders).not.toContain(`zhao-${run}`);
  });

  it('a role the specification does not know is refused by the database', async () => {
    const bad = {
      id: `x-${run}`,
      displayName: 'x',
      email: 'x@example.gov.cn',
      locale: 'en' as const,
      roles: ['superuser' as never],
    };

    await expect(upsertUser(db, bad)).rejects.toThrow('user_roles_role_check');
    expect(await getUser(db, bad.id)).toBeNull();
  });
});
