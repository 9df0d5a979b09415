import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export interface PersonView {
  id: string;
  email: string;
  displayName: string;
  departmentId: string | null;
  department: string | null;
  roles: string[];
  status: 'active' | 'disabled';
  totpEnabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export async function listPeople(db: Kysely<DB>, orgId: string): Promise<PersonView[]> {
  const users = await db.selectFrom('users')
    .leftJoin('departments', 'departments.id', 'users.department_id')
    .select(['users.id', 'users.email', 'users.display_name', 'users.department_id', 'departments.name as department',
      'users.status', 'users.totp_enabled', 'users.locked_until', 'users.created_at'])
    .where('users.org_id', '=', orgId).orderBy('users.display_name').execute();
  const roles = await db.selectFrom('user_roles').select(['user_id', 'role_id']).where('org_id', '=', orgId).execute();
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    departmentId: u.department_id,
    department: u.department,
    roles: roles.filter((r) => r.user_id === u.id).map((r) => r.role_id).sort(),
    status: u.status,
    totpEnabled: u.totp_enabled === 1,
    lockedUntil: u.locked_until,
    createdAt: u.created_at,
  }));
}

export async function getPerson(db: Kysely<DB>, orgId: string, userId: string): Promise<PersonView | undefined> {
  return (await listPeople(db, orgId)).find((p) => p.id === userId);
}

export async function findUserByEmail(db: Kysely<DB>, orgId: string, email: string) {
  return db.selectFrom('users').selectAll().where('org_id', '=', orgId)
    .where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function rolesOf(db: Kysely<DB>, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('user_roles').select('role_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.role_id).sort();
}

export async function listDepartments(db: Kysely<DB>, orgId: string) {
  const rows = await db.selectFrom('departments').select(['id', 'name']).where('org_id', '=', orgId).orderBy('name').execute();
  return rows;
}

export async function countPeople(db: Kysely<DB>, orgId: string): Promise<{ staff: number; departments: number }> {
  const staff = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId).where('status', '=', 'active').executeTakeFirstOrThrow();
  const departments = await db.selectFrom('departments').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId).executeTakeFirstOrThrow();
  return { staff: Number(staff.n), departments: Number(departments.n) };
}
