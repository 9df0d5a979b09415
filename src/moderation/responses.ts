// Speaking for the city in a comment thread (KA-2, KA-10: only the roles the pack names respond),
// the notice a commenter is given when their comment is hidden (which clause, how to appeal), the
// record that a commenter was warned (what a block's "prior warning" means), and appeals, recorded
// and decided by a person.
import { randomUUID } from 'node:crypto';
import { runCommand, type CommandContext } from '../events/command.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { decide } from '../policy/can.js';
import { capture } from '../archive/capture.js';
import { credentialsOf, openConnector } from '../platforms/registry.js';
import { asConnectorError } from '../platforms/retry.js';
import { assertAllowed, assertRole, clauseOf, type ModerationDeps } from './moderation.commands.js';

/** The text a commenter is shown (as a reply where the platform allows it, or sent by staff). */
export function removalNotice(ctx: CommandContext, clauseId: string, citySlug: string): string {
  const { pack } = ctx.actor;
  const clause = pack.acceptableUse.clauses.find((c) => c.id === clauseId);
  const contact = pack.city.contactRoutes[0];
  return [
    `Your comment was hidden because it does not meet this part of the ${pack.city.name} Acceptable Use Policy: "${clause?.text ?? clauseId}"`,
    `The policy: /p/${citySlug}/acceptable-use.`,
    contact ? `To appeal, contact ${contact.label}: ${contact.value}. A person will review it.` : 'To appeal, reply to this message. A person will review it.',
  ].join(' ');
}

export async function respondToComment(ctx: CommandContext, deps: ModerationDeps, itemId: string, text: string, input: { primaryUnavailable?: boolean } = {}): Promise<{ url: string | null }> {
  if (ctx.actor.kind !== 'user') throw forbidden('Only a person responds for the city', 'moderation.responders');
  const body = text.trim();
  if (body.length < 2) throw badRequest('Write the response', [{ path: 'body.text', message: 'required' }]);
  const item = await ctx.db.selectFrom('moderation_items').selectAll().where('org_id', '=', ctx.actor.orgId).where('id', '=', itemId).executeTakeFirst();
  if (!item) throw notFound('Comment');
  const rules = ctx.actor.pack.moderation;
  const primary = rules.responders.some((r) => ctx.actor.roles.includes(r));
  const fallback = rules.fallbackResponders.some((r) => ctx.actor.roles.includes(r));
  // KA-10: the fallback responders speak only when every primary responder is unavailable, and say so.
  if (!primary && !(fallback && input.primaryUnavailable)) {
    const names = (ids: string[]) => ids.map((r) => ctx.actor.pack.roles.find((x) => x.id === r)?.title ?? r).join(', ') || 'nobody';
    throw forbidden(`Under this city's policy only ${names(rules.responders)} respond${rules.fallbackResponders.length ? ` (or ${names(rules.fallbackResponders)} when they are unavailable)` : ''}`, 'moderation.responders', rules.sources);
  }
  const d = decide(ctx.actor, 'comment.respond', { orgId: ctx.actor.orgId });
  if (!d.allowed) throw forbidden(`Not allowed: ${d.reason}`, 'comment.respond', d.sources);
  const credentials = await credentialsOf(ctx.db, deps.vault, ctx.actor.orgId, item.account_id);
  if (!credentials || !item.thread_id) throw new AppError(502, 'platform_unavailable', 'The account is not connected to its platform');
  const version = async (id: string) => (await ctx.db.selectFrom('archive_records').select('platform_version').where('org_id', '=', ctx.actor.orgId).where('platform_id', '=', id).executeTakeFirst())?.platform_version ?? undefined;
  let url: string | null = null;
  try {
    const connector = await (deps.open ?? openConnector)(item.account_id, credentials);
    const now = new Date();
    const result = await connector.publish({
      idempotencyKey: `response:${item.id}:${now.getTime()}`, firstAttemptAt: now.toISOString(), text: body,
      replyTo: { root: { id: item.thread_id, version: await version(item.thread_id) }, parent: { id: item.platform_id, version: await version(item.platform_id) } },
    });
    await capture(deps.archive, ctx.actor.orgId, result.records);
    url = result.ref.url ?? null;
  } catch (err) {
    throw new AppError(502, 'platform_error', `The platform did not accept the response: ${asConnectorError(err).message}`);
  }
  return runCommand(ctx, { event: 'moderation.responded', authorize: { action: 'comment.respond', resource: { orgId: ctx.actor.orgId } } }, async () => ({
    result: { url }, targetType: 'comment', targetId: item.platform_id, after: { text: body, asFallback: !primary, url }, sources: rules.sources,
  }));
}

/** An appeal of a removal, as the commenter made it (through the contact route); a person decides it. */
export async function recordAppeal(ctx: CommandContext, itemId: string, text: string): Promise<string> {
  const item = await ctx.db.selectFrom('moderation_items').select(['id', 'state', 'platform_id']).where('org_id', '=', ctx.actor.orgId).where('id', '=', itemId).executeTakeFirst();
  if (!item) throw notFound('Comment');
  if (item.state !== 'hidden') throw conflict('Only a hidden comment can be appealed');
  const body = text.trim();
  if (body.length < 5) throw badRequest('Record what the commenter said', [{ path: 'body.text', message: 'required' }]);
  if (ctx.actor.kind !== 'user' || !ctx.actor.userId) throw forbidden('Appeals are recorded by a person', 'moderation.appeal');
  const id = randomUUID();
  return runCommand(ctx, { event: 'moderation.appeal_recorded', authorize: { action: 'comment.view', resource: { orgId: ctx.actor.orgId } } }, async (trx, now) => {
    await trx.insertInto('moderation_actions').values({
      id, org_id: ctx.actor.orgId, item_id: item.id, action: 'appeal', user_id: ctx.actor.userId as string, clause_id: null, reason: body.slice(0, 4000),
      pack_version: ctx.packVersion, warnings: '[]', created_at: now.toISOString(),
    }).execute();
    // The appeal is decided by restoring the comment, or by keeping it hidden with a reason (keep_hidden).
    return { result: id, targetType: 'comment', targetId: item.platform_id, after: { appeal: body } };
  });
}

export type WarningKind = 'warning' | 'removal_notice';

/**
 * Records that the commenter was warned, or sent the removal notice, about this comment: the
 * clause and the words they were given (through a reply or the city's contact route). Nothing is
 * posted here; this is the record a block's "prior warning" looks for.
 */
export async function recordWarning(ctx: CommandContext, itemId: string, input: { kind: WarningKind; clauseId: string; text?: string | null }, citySlug: string): Promise<{ id: string; text: string }> {
  if (ctx.actor.kind !== 'user' || !ctx.actor.userId) throw forbidden('Warnings are recorded by a person', 'moderation.person');
  const item = await ctx.db.selectFrom('moderation_items').select(['id', 'state', 'platform_id', 'account_id']).where('org_id', '=', ctx.actor.orgId).where('id', '=', itemId).executeTakeFirst();
  if (!item) throw notFound('Comment');
  const rules = ctx.actor.pack.moderation;
  const dept = (await ctx.db.selectFrom('accounts').select('department_id').where('id', '=', item.account_id).executeTakeFirst())?.department_id ?? null;
  assertAllowed(ctx, 'comment.hide', dept);
  assertRole(ctx, [...rules.hideDelete, ...(rules.attorneyRole ? [rules.attorneyRole] : [])], 'record warnings to commenters');
  const clause = clauseOf(ctx, input.clauseId);
  if (input.kind === 'removal_notice' && item.state !== 'hidden' && item.state !== 'deleted') throw conflict('A removal notice is for a comment that was hidden');
  const written = (input.text ?? '').trim();
  const text = (input.kind === 'removal_notice' && !written ? removalNotice(ctx, clause.id, citySlug) : written).slice(0, 4000);
  if (text.length < 10) throw badRequest('Write what the commenter was told', [{ path: 'body.text', message: 'at least 10 characters' }]);
  const id = randomUUID();
  return runCommand(ctx, { event: 'moderation.warned', authorize: { action: 'comment.hide', resource: { orgId: ctx.actor.orgId, departmentId: dept } } }, async (trx, now) => {
    await trx.insertInto('moderation_actions').values({
      id, org_id: ctx.actor.orgId, item_id: item.id, action: 'warn', user_id: ctx.actor.userId as string, clause_id: clause.id, reason: text,
      pack_version: ctx.packVersion, warnings: '[]', created_at: now.toISOString(),
    }).execute();
    return { result: { id, text }, targetType: 'comment', targetId: item.platform_id, after: { kind: input.kind, clause: { id: clause.id, text: clause.text }, text, packVersion: ctx.packVersion }, sources: [...rules.sources, ...clause.sources] };
  });
}
