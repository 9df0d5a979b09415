// People's actions on comments, under the pack's Acceptable Use Policy. Only a person acts (never
// the classifier, a job or the operator console); only the roles the pack names may keep, hide or
// restore; where the pack requires it (BZ-15) a removal waits for the City Attorney's approval.
// Every hide or delete cites a clause, records the pack version and a written reason, keeps the
// original (the archive has it, even when the platform's copy is deleted), and is itself archived
// as a moderation record. Deleting needs a platform that lets the city delete replies (delete_reply).
import { randomUUID } from 'node:crypto';
import type { DB, ModerationItemsTable, ModerationState } from '../db/schema.js';
import type { Transaction } from 'kysely';
import { runCommand, type CommandContext } from '../events/command.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { decide } from '../policy/can.js';
import type { Action } from '../policy/actions.js';
import { notifyRoles } from '../people/notifications.js';
import { capture } from '../archive/capture.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import type { Vault } from '../accounts/vault.js';
import type { Connector } from '../platforms/connector.js';
import type { ConnectorCredentials } from '../platforms/credentials.js';
import { credentialsOf, openConnector } from '../platforms/registry.js';
import { asConnectorError } from '../platforms/retry.js';
import { moderationSettings } from './queue.js';

export const MODERATION_ACTIONS = ['report', 'keep', 'escalate', 'approve_removal', 'hide', 'delete', 'restore'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];
/** How an approved removal is carried out: hidden (reversible) or deleted on the platform (final). */
export const REMOVALS = ['hide', 'delete'] as const;
export type Removal = (typeof REMOVALS)[number];

export interface ModerationInput {
  action: ModerationAction;
  clauseId?: string | null;
  reason?: string | null;
  /** The person saw the warnings (risky clause, viewpoint, an official named) and still acts. */
  acknowledgeWarnings?: boolean;
  /** approve_removal only: the approver may delete instead of hide (default 'hide'). */
  removal?: Removal;
}

export interface ModerationDeps {
  archive: ArchiveDeps;
  vault: Vault;
  open?: (accountId: string, credentials: ConnectorCredentials) => Promise<Connector>;
}

/** Clauses whose use against speech courts have found risky (Kimsey v. Sammamish; PETA v. Tabak). */
const RISKY_CATEGORIES = new Set(['off_topic', 'personal_attack']);

export function clauseOf(ctx: CommandContext, clauseId: string | null | undefined) {
  const clause = ctx.actor.pack.acceptableUse.clauses.find((c) => c.id === clauseId);
  if (!clause) throw badRequest('Choose the clause of the Acceptable Use Policy the comment breaks', [{ path: 'body.clauseId', message: `one of ${ctx.actor.pack.acceptableUse.clauses.map((c) => c.id).join(', ')}` }]);
  return clause;
}

export function requireReason(reason: string | null | undefined): string {
  const text = (reason ?? '').trim();
  if (text.length < 10) throw badRequest('Write the reason (it is kept with the action and shown in the public log)', [{ path: 'body.reason', message: 'at least 10 characters' }]);
  return text.slice(0, 2000);
}

/** The people told of a report decide on it from what the reporter wrote, so a report says why. */
export function requireReportReason(reason: string | null | undefined): string {
  const text = (reason ?? '').trim();
  if (text.length < 10) throw badRequest('Say why you are reporting the comment (the people who review comments read it)', [{ path: 'body.reason', message: 'at least 10 characters' }]);
  return text.slice(0, 2000);
}

/** What a moderator must see before removing: these are warnings, never reasons. */
export async function warningsFor(ctx: CommandContext, item: ModerationItemsTable, clauseCategory: string | null): Promise<string[]> {
  const warnings: string[] = [];
  if (clauseCategory && RISKY_CATEGORIES.has(clauseCategory)) {
    warnings.push(`The "${clauseCategory.replace('_', ' ')}" clause is the one courts most often find applied inconsistently or against a viewpoint: compare how similar comments were handled.`);
  }
  if (item.viewpoint === 1) warnings.push('This comment criticises the city, its officials or its policies. Criticism is protected speech and never a reason to remove a comment.');
  const { officials } = await moderationSettings(ctx.db, ctx.actor.orgId);
  const named = officials.filter((o) => o.trim() && item.text.toLowerCase().includes(o.trim().toLowerCase()));
  if (named.length) warnings.push(`It names ${named.join(', ')}: removing comments about officials needs particular care.`);
  return warnings;
}

export function assertRole(ctx: CommandContext, roles: readonly string[], what: string): void {
  if (!roles.some((r) => ctx.actor.roles.includes(r))) {
    const titles = roles.map((r) => ctx.actor.pack.roles.find((x) => x.id === r)?.title ?? r);
    throw forbidden(`Under this city's policy only ${titles.join(', ') || 'nobody'} may ${what}`, 'moderation.hideDelete', ctx.actor.pack.moderation.sources);
  }
}

export function assertAllowed(ctx: CommandContext, action: Action, departmentId: string | null): void {
  const d = decide(ctx.actor, action, { orgId: ctx.actor.orgId, departmentId });
  if (!d.allowed) throw forbidden(`Not allowed: ${d.reason}`, action, d.sources);
}

// 'held' exists only on a platform that holds replies for approval (capability hold_replies): keeping
// a held comment approves it on the platform; hiding it keeps it from ever appearing.
const NEXT: Record<ModerationAction, { from: readonly ModerationState[]; to: ModerationState }> = {
  report: { from: ['new', 'held', 'flagged', 'in_review', 'kept', 'restored'], to: 'flagged' },
  keep: { from: ['new', 'held', 'flagged', 'in_review', 'escalated', 'restored'], to: 'kept' },
  escalate: { from: ['new', 'held', 'flagged', 'in_review', 'kept', 'restored'], to: 'escalated' },
  approve_removal: { from: ['escalated'], to: 'hidden' },
  hide: { from: ['new', 'held', 'flagged', 'in_review', 'kept', 'restored'], to: 'hidden' },
  delete: { from: ['new', 'held', 'flagged', 'in_review', 'kept', 'restored', 'hidden'], to: 'deleted' },
  restore: { from: ['hidden'], to: 'restored' },
};

export async function moderate(ctx: CommandContext, deps: ModerationDeps, itemId: string, input: ModerationInput): Promise<{ state: ModerationState; warnings: string[] }> {
  // Machines flag, people decide: no job, classifier or console can act on speech.
  if (ctx.actor.kind !== 'user' || !ctx.actor.userId) throw forbidden('Only a person signed in as themselves acts on a comment', 'moderation.person');
  const item = await ctx.db.selectFrom('moderation_items').selectAll().where('org_id', '=', ctx.actor.orgId).where('id', '=', itemId).executeTakeFirst();
  if (!item) throw notFound('Comment');
  const account = await ctx.db.selectFrom('accounts').select('department_id').where('id', '=', item.account_id).executeTakeFirst();
  const dept = account?.department_id ?? null;
  const rules = ctx.actor.pack.moderation;
  const step = NEXT[input.action];
  // A platform keeps no copy of a deleted reply, so there is nothing to show again.
  if (input.action === 'restore' && item.state === 'deleted') throw conflict('This comment was deleted on the platform and cannot be shown again there; the original stays in the archive');
  if (!step.from.includes(item.state)) throw conflict(`A comment that is ${item.state.replace('_', ' ')} cannot be ${input.action.replace('_', ' ')}ed here`);

  let clause: ReturnType<typeof clauseOf> | null = null;
  let reason: string | null = (input.reason ?? '').trim() || null;
  let warnings: string[] = [];
  switch (input.action) {
    case 'report':
      assertAllowed(ctx, 'comment.report', dept);
      // The clause is the reporter's pointer, not a finding: optional, but a real clause when given.
      if (input.clauseId) clause = clauseOf(ctx, input.clauseId);
      reason = requireReportReason(input.reason);
      break;
    case 'keep':
      assertAllowed(ctx, 'comment.hide', dept);
      assertRole(ctx, [...rules.hideDelete, ...(rules.attorneyRole ? [rules.attorneyRole] : [])], 'decide what happens to comments');
      break;
    case 'escalate':
    case 'hide':
    case 'delete': {
      assertAllowed(ctx, 'comment.hide', dept);
      assertRole(ctx, rules.hideDelete, { hide: 'hide comments', delete: 'delete comments', escalate: 'propose removing comments' }[input.action]);
      if (input.action !== 'escalate' && rules.removalRequiresAttorneyApproval) {
        const attorney = ctx.actor.pack.roles.find((r) => r.id === rules.attorneyRole)?.title ?? 'the attorney';
        throw forbidden(`Removing a comment needs the approval of the ${attorney} under this city's policy: escalate it with the clause and your reason`, 'moderation.removalRequiresAttorneyApproval', rules.sources);
      }
      clause = clauseOf(ctx, input.clauseId);
      reason = requireReason(input.reason);
      warnings = await warningsFor(ctx, item, clause.category);
      break;
    }
    case 'approve_removal': {
      assertAllowed(ctx, 'comment.removal.approve', dept);
      if (rules.attorneyRole) assertRole(ctx, [rules.attorneyRole], 'approve removing a comment');
      const proposal = item.proposal ? (JSON.parse(item.proposal) as { clauseId: string; reason: string; by: string }) : null;
      if (!proposal) throw conflict('There is no proposed removal to approve');
      if (proposal.by === ctx.actor.userId) throw forbidden('Nobody approves their own proposal', 'moderation.removalRequiresAttorneyApproval', rules.sources);
      clause = clauseOf(ctx, proposal.clauseId);
      reason = requireReason(input.reason ?? proposal.reason);
      warnings = await warningsFor(ctx, item, clause.category);
      break;
    }
    case 'restore':
      assertAllowed(ctx, 'comment.hide', dept);
      assertRole(ctx, [...rules.hideDelete, ...(rules.attorneyRole ? [rules.attorneyRole] : [])], 'restore comments');
      reason = requireReason(input.reason);
      break;
  }
  if (warnings.length && input.action !== 'escalate' && input.acknowledgeWarnings !== true) {
    throw new AppError(400, 'warnings', 'Read the warnings and confirm before removing this comment', { fields: warnings.map((w) => ({ path: 'body.acknowledgeWarnings', message: w })) });
  }

  const removal: Removal = input.action === 'delete' || (input.action === 'approve_removal' && input.removal === 'delete') ? 'delete' : 'hide';
  const to: ModerationState = input.action === 'approve_removal' && removal === 'delete' ? 'deleted' : step.to;
  // The platform first (outside any transaction): the state changes only once it really happened.
  if (input.action === 'hide' || input.action === 'delete' || input.action === 'approve_removal' || input.action === 'restore') {
    await changeOnPlatform(ctx, deps, item, input.action === 'restore' ? 'show' : removal, clause?.id ?? null, reason);
  } else if (input.action === 'keep' && item.state === 'held') {
    await changeOnPlatform(ctx, deps, item, 'release', null, reason);
  }
  const event = `moderation.${input.action}`;
  const authorize = { action: (input.action === 'report' ? 'comment.report' : input.action === 'approve_removal' ? 'comment.removal.approve' : 'comment.hide') as Action, resource: { orgId: ctx.actor.orgId, departmentId: dept } };
  return runCommand(ctx, { event, authorize }, async (trx, now) => {
    await recordAction(trx, ctx, item.id, input.action, clause?.id ?? null, reason, warnings, now);
    const proposal = input.action === 'escalate' ? JSON.stringify({ clauseId: clause?.id, reason, by: ctx.actor.userId, at: now.toISOString() }) : input.action === 'approve_removal' ? item.proposal : null;
    await trx.updateTable('moderation_items').set({ state: to, proposal, updated_at: now.toISOString() }).where('id', '=', item.id).where('state', '=', item.state).execute();
    if (input.action === 'escalate' && rules.attorneyRole) {
      await notifyRoles(trx, { orgId: ctx.actor.orgId, roleIds: [rules.attorneyRole], exclude: [ctx.actor.userId as string], at: now, link: `/moderation/${item.id}`,
        text: `A comment removal awaits your approval (clause ${clause?.id}): "${item.text.slice(0, 100)}"` });
    }
    if (input.action === 'report') {
      await notifyRoles(trx, { orgId: ctx.actor.orgId, roleIds: rules.reportTo, exclude: [ctx.actor.userId as string], at: now, link: `/moderation/${item.id}`,
        text: `${ctx.actor.label} reported a comment${clause ? ` (clause ${clause.id})` : ''}: "${item.text.slice(0, 100)}"${reason ? ` (${reason})` : ''}` });
    }
    return {
      result: { state: to, warnings }, targetType: 'comment', targetId: item.platform_id,
      before: { state: item.state }, after: { state: to, clause: clause ? { id: clause.id, text: clause.text } : null, reason, packVersion: ctx.packVersion, warnings },
      sources: [...rules.sources, ...(clause?.sources ?? [])],
    };
  });
}

async function recordAction(trx: Transaction<DB>, ctx: CommandContext, itemId: string, action: ModerationAction, clauseId: string | null, reason: string | null, warnings: string[], now: Date): Promise<void> {
  await trx.insertInto('moderation_actions').values({
    id: randomUUID(), org_id: ctx.actor.orgId, item_id: itemId, action, user_id: ctx.actor.userId as string, clause_id: clauseId, reason,
    pack_version: ctx.packVersion, warnings: JSON.stringify(warnings), created_at: now.toISOString(),
  }).execute();
}

type Change = 'hide' | 'delete' | 'show' | 'release';

/** Hides, deletes, shows or releases (a held reply) on its platform and archives what the platform returned and why. */
async function changeOnPlatform(ctx: CommandContext, deps: ModerationDeps, item: ModerationItemsTable, change: Change, clauseId: string | null, reason: string | null): Promise<void> {
  const credentials = await credentialsOf(ctx.db, deps.vault, ctx.actor.orgId, item.account_id);
  if (!credentials || !item.thread_id) throw new AppError(502, 'platform_unavailable', 'The account is not connected to its platform: nothing was changed');
  try {
    const connector = await (deps.open ?? openConnector)(item.account_id, credentials);
    const post = { id: item.thread_id };
    const reply = { id: item.platform_id };
    if (change === 'release' && (!connector.capabilities.has('hold_replies') || !connector.releaseHeldReply)) {
      throw new AppError(409, 'conflict', `The ${item.platform} connector cannot release a held comment: nothing was changed`);
    }
    if (change === 'delete' && (!connector.capabilities.has('delete_reply') || !connector.deleteReply)) {
      throw new AppError(409, 'conflict', `${item.platform} only lets the city hide replies, not delete them: hide the comment instead (nothing was changed)`);
    }
    const records = change === 'release' && connector.releaseHeldReply
      ? await connector.releaseHeldReply(post, reply)
      : change === 'delete' && connector.deleteReply
        ? await connector.deleteReply(post, reply)
        : await connector.setReplyHidden(post, reply, change === 'hide');
    const words = { hide: 'Hidden', delete: 'Deleted', show: 'Shown again', release: 'Approved (released)' }[change];
    const action = {
      kind: 'moderation_action' as const, platform: item.platform, accountId: item.account_id, subjectId: item.platform_id, threadId: item.thread_id,
      dedupeKey: `moderation:${item.id}:${randomUUID()}`,
      text: `${words} by ${ctx.actor.label}${clauseId ? ` under clause ${clauseId}` : ''}: ${reason ?? ''}`,
      payload: Buffer.from(JSON.stringify({ item: item.id, hidden: change === 'hide', change, clauseId, reason, by: ctx.actor.label, packVersion: ctx.packVersion })), payloadType: 'application/json',
      meta: { action: change === 'show' ? 'unhide' : change, clause: clauseId, packVersion: ctx.packVersion },
    };
    await capture(deps.archive, ctx.actor.orgId, [...records, action]);
    await connector.close?.();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(502, 'platform_error', `The platform did not accept the change; nothing was recorded as done: ${asConnectorError(err).message}`);
  }
}
