import { randomUUID } from 'node:crypto';
import { runCommand, type CommandContext } from '../events/command.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { hashPassword, passwordProblems } from '../auth/passwords.js';
import { getPerson } from './people.queries.js';

export interface AddPersonInput {
  email: string;
  displayName: string;
  password: string;
  roles: string[];
  departmentId?: string | null;
}

function checkRoles(ctx: CommandContext, roles: string[]): void {
  const known = new Set(ctx.actor.pack.roles.map((r) => r.id));
  const unknown = roles.filter((r) => !known.has(r));
  if (unknown.length) {
    throw badRequest('Unknown role', unknown.map((r) => ({
      path: 'body.roles',
      message: `"${r}" is not a role in this city's policy (roles: ${[...known].join(', ')})`,
    })));
  }
}

async function checkDepartment(ctx: CommandContext, departmentId: string | null | undefined): Promise<void> {
  if (!departmentId) return;
  const dept = await ctx.db.selectFrom('departments').select('id')
    .where('org_id', '=', ctx.actor.orgId).where('id', '=', departmentId).executeTakeFirst();
  if (!dept) throw badRequest('Unknown department', [{ path: 'body.departmentId', message: 'no such department in this city' }]);
}

export async function addPerson(ctx: CommandContext, input: AddPersonInput): Promise<string> {
  const email = input.email.trim().toLowerCase();
  checkRoles(ctx, input.roles);
  await checkDepartment(ctx, input.departmentId);
  const problems = passwordProblems(ctx.actor.pack, input.password);
  if (problems.length) {
    throw badRequest('The password does not meet the city\'s rules', [
      { path: 'body.password', message: `needs ${problems.join(', ')}` },
    ]);
  }
  const hash = await hashPassword(input.password);
  const id = randomUUID();
  return runCommand(ctx, {
    event: 'staff.added',
    authorize: { action: 'staff.manage', resource: { orgId: ctx.actor.orgId, departmentId: input.departmentId ?? null } },
  }, async (trx, now) => {
    const taken = await trx.selectFrom('users').select('id').where('org_id', '=', ctx.actor.orgId)
      .where('email', '=', email).executeTakeFirst();
    if (taken) throw conflict('That e-mail address already belongs to a staff member', [{ path: 'body.email', message: 'already in use' }]);
    const at = now.toISOString();
    await trx.insertInto('users').values({
      id, org_id: ctx.actor.orgId, email, display_name: input.displayName.trim(), department_id: input.departmentId ?? null,
      password_hash: hash, password_changed_at: at, totp_secret: null, totp_enabled: 0, recovery_codes: '[]',
      status: 'active', failed_logins: 0, locked_until: null, created_at: at,
    }).execute();
    for (const role of [...new Set(input.roles)]) {
      await trx.insertInto('user_roles').values({ org_id: ctx.actor.orgId, user_id: id, role_id: role }).execute();
    }
    return {
      result: id,
      targetType: 'staff',
      targetId: id,
      after: { email, displayName: input.displayName.trim(), roles: [...new Set(input.roles)].sort(), departmentId: input.departmentId ?? null },
    };
  });
}

export async function setRoles(ctx: CommandContext, userId: string, roles: string[]): Promise<void> {
  checkRoles(ctx, roles);
  const before = await getPerson(ctx.db, ctx.actor.orgId, userId);
  if (!before) throw notFound('Staff member');
  const next = [...new Set(roles)].sort();
  await runCommand(ctx, {
    event: 'staff.roles_changed',
    authorize: { action: 'staff.manage', resource: { orgId: ctx.actor.orgId, departmentId: before.departmentId } },
  }, async (trx) => {
    await trx.deleteFrom('user_roles').where('user_id', '=', userId).where('org_id', '=', ctx.actor.orgId).execute();
    for (const role of next) {
      await trx.insertInto('user_roles').values({ org_id: ctx.actor.orgId, user_id: userId, role_id: role }).execute();
    }
    return { result: undefined, targetType: 'staff', targetId: userId, before: { roles: before.roles }, after: { roles: next } };
  });
}

export async function disablePerson(ctx: CommandContext, userId: string): Promise<void> {
  const before = await getPerson(ctx.db, ctx.actor.orgId, userId);
  if (!before) throw notFound('Staff member');
  if (ctx.actor.userId === userId) throw badRequest('You cannot disable your own sign-in', [{ path: 'params.id', message: 'ask another administrator' }]);
  await runCommand(ctx, {
    event: 'staff.disabled',
    authorize: { action: 'staff.manage', resource: { orgId: ctx.actor.orgId, departmentId: before.departmentId } },
  }, async (trx) => {
    await trx.updateTable('users').set({ status: 'disabled' }).where('id', '=', userId).where('org_id', '=', ctx.actor.orgId).execute();
    // A disabled person is signed out everywhere at once.
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    return { result: undefined, targetType: 'staff', targetId: userId, before: { status: before.status }, after: { status: 'disabled' } };
  });
}

export async function addDepartment(ctx: CommandContext, name: string): Promise<string> {
  const id = randomUUID();
  const clean = name.trim();
  if (!clean) throw badRequest('A department needs a name', [{ path: 'body.name', message: 'required' }]);
  return runCommand(ctx, {
    event: 'department.added',
    authorize: { action: 'staff.manage', resource: { orgId: ctx.actor.orgId } },
  }, async (trx, now) => {
    const taken = await trx.selectFrom('departments').select('id').where('org_id', '=', ctx.actor.orgId).where('name', '=', clean).executeTakeFirst();
    if (taken) throw conflict('That department already exists', [{ path: 'body.name', message: 'already exists' }]);
    await trx.insertInto('departments').values({ id, org_id: ctx.actor.orgId, name: clean, created_at: now.toISOString() }).execute();
    return { result: id, targetType: 'department', targetId: id, after: { name: clean } };
  });
}
