// In-app notifications: the next approver learns a request awaits them, the requester learns the
// outcome. They are written inside the transaction of the change they announce, so nobody is told
// about a step that was then rolled back, and no step happens without its approvers being told.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { runCommand, type CommandContext } from '../events/command.js';
import { forbidden, notFound } from '../http/errors.js';
import { queueMailForUsers } from './mail.js';

export interface NotificationInput {
  orgId: string;
  userIds: string[];
  text: string;
  link?: string | null;
  at: Date;
}

export interface NotificationView {
  id: string;
  text: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export async function notify(trx: Transaction<DB>, n: NotificationInput): Promise<string[]> {
  const recipients = [...new Set(n.userIds)];
  for (const userId of recipients) {
    await trx.insertInto('notifications').values({
      id: randomUUID(), org_id: n.orgId, user_id: userId, text: n.text, link: n.link ?? null,
      created_at: n.at.toISOString(), read_at: null,
    }).execute();
  }
  // The same people get it by e-mail, queued in this transaction: sent only if the change commits.
  const subject = `CivicDesk: ${(n.text.split('\n')[0] ?? '').slice(0, 90)}`;
  await queueMailForUsers(trx, n.orgId, recipients, subject, n.text, n.link, { at: n.at });
  return recipients;
}

/** Active staff holding a role, e.g. everyone who may decide the next step of a chain. */
export async function roleHolders(db: Kysely<DB>, orgId: string, roleIds: string[]): Promise<string[]> {
  if (roleIds.length === 0) return [];
  const rows = await db.selectFrom('user_roles').innerJoin('users', 'users.id', 'user_roles.user_id')
    .select('users.id').where('user_roles.org_id', '=', orgId).where('user_roles.role_id', 'in', roleIds)
    .where('users.status', '=', 'active').execute();
  return [...new Set(rows.map((r) => r.id))].sort();
}

export async function notifyRoles(
  trx: Transaction<DB>, n: Omit<NotificationInput, 'userIds'> & { roleIds: string[]; exclude: string[] },
): Promise<string[]> {
  const holders = (await roleHolders(trx, n.orgId, n.roleIds)).filter((id) => !n.exclude.includes(id));
  return notify(trx, { orgId: n.orgId, userIds: holders, text: n.text, link: n.link, at: n.at });
}

export async function listNotifications(
  db: Kysely<DB>, orgId: string, userId: string, opts: { unreadOnly?: boolean; limit?: number } = {},
): Promise<NotificationView[]> {
  let q = db.selectFrom('notifications').select(['id', 'text', 'link', 'created_at', 'read_at'])
    .where('org_id', '=', orgId).where('user_id', '=', userId);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(opts.limit ?? 100).execute();
  return rows.map((r) => ({ id: r.id, text: r.text, link: r.link, createdAt: r.created_at, readAt: r.read_at }));
}

export async function markNotificationRead(ctx: CommandContext, id: string): Promise<void> {
  const userId = ctx.actor.userId;
  const row = await ctx.db.selectFrom('notifications').select(['id', 'user_id', 'read_at'])
    .where('org_id', '=', ctx.actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Notification');
  if (row.user_id !== userId) throw forbidden('This notification is addressed to someone else');
  if (row.read_at) return;
  // 'self': a person marking their own notification read needs no role, only to be its addressee.
  await runCommand(ctx, { event: 'notification.read', authorize: 'self' }, async (trx, now) => {
    await trx.updateTable('notifications').set({ read_at: now.toISOString() })
      .where('id', '=', id).where('read_at', 'is', null).execute();
    return { result: undefined, targetType: 'notification', targetId: id, after: { readAt: now.toISOString() } };
  });
}
