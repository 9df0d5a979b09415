// Blocking a person from one of the city's accounts, only where the pack allows it
// (moderation.blocking; none of the bundled policies does). A block stops someone's future speech
// in a public forum, so it is a person's decision and every floor the pack sets is checked here:
// documented repeat violations (removals of their comments on this account, still standing, listed
// by id), a warning on record, a time limit (a block always ends: there is no permanent block),
// a viewpoint-neutral clause and a written reason, and the attorney's approval where the pack
// requires it (proposed → approved, the two steps of a removal under BZ-15). Each step is a
// moderation action, an event and an archive record. No connector blocks on a platform yet, so the
// answer tells the moderator to apply the block on the platform and to lift it when it ends.
import { randomUUID } from 'node:crypto';
import type { DB, ModerationBlocksTable } from '../db/schema.js';
import type { Transaction } from 'kysely';
import { runCommand, type CommandContext } from '../events/command.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { notifyRoles } from '../people/notifications.js';
import { capture } from '../archive/capture.js';
import type { RecordInput } from '../archive/record.js';
import { assertAllowed, assertRole, clauseOf, requireReason, type ModerationDeps } from './moderation.commands.js';
import { authorRecord, blockStatus } from './blocks.queries.js';
import { platformName } from './notices.js';

export interface BlockInput {
  /** The comment the block is proposed from; its author is the person blocked. */
  itemId: string;
  /** Moderation items (this author's comments on the account) whose removal is the repeat violation. */
  violations: string[];
  days: number;
  clauseId: string;
  reason: string;
  acknowledgeWarnings?: boolean;
}

export interface BlockOutcome {
  id: string;
  status: 'proposed' | 'active' | 'lifted';
  expiresAt: string | null;
  warnings: string[];
  /** What the moderator must still do on the platform. */
  platform: { applied: boolean; instructions: string };
}

const BLOCK_WARNING = 'Blocking stops this person from replying to the account at all, not just one comment. Courts have held that officials who block people from a public forum for their views violate the First Amendment (Knight First Amendment Institute v. Trump; Lindke v. Freed). Block only for the conduct listed, never for criticism.';

const DAY_MS = 86_400_000;

function rulesOf(ctx: CommandContext) {
  const blocking = ctx.actor.pack.moderation.blocking;
  if (!blocking?.enabled) {
    throw forbidden('This city\'s policy does not allow blocking people: hide the comments that break the Acceptable Use Policy instead', 'moderation.blocking', blocking?.sources ?? ctx.actor.pack.moderation.sources);
  }
  return blocking;
}

function person(ctx: CommandContext): string {
  if (ctx.actor.kind !== 'user' || !ctx.actor.userId) throw forbidden('Only a person signed in as themselves blocks someone', 'moderation.person');
  return ctx.actor.userId;
}

async function departmentOf(ctx: CommandContext, accountId: string): Promise<string | null> {
  return (await ctx.db.selectFrom('accounts').select('department_id').where('id', '=', accountId).executeTakeFirst())?.department_id ?? null;
}

function instructions(b: Pick<ModerationBlocksTable, 'platform' | 'author_handle' | 'author_id' | 'expires_at'>, status: BlockOutcome['status']): BlockOutcome['platform'] {
  const name = platformName(b.platform);
  const who = b.author_handle ?? b.author_id;
  // No connector can block on a platform yet: say plainly what a person must do there.
  const text = status === 'proposed'
    ? `Nothing is blocked yet: the block waits for approval. Once approved, block ${who} on ${name} from the city's account.`
    : status === 'lifted'
      ? `If ${who} is blocked on ${name}, unblock them there from the city's account now.`
      : `CivicDesk has recorded the block but cannot apply it on ${name}: block ${who} on ${name} from the city's account now, and unblock them on ${b.expires_at?.slice(0, 10)}.`;
  return { applied: false, instructions: text };
}

function archiveRecord(ctx: CommandContext, b: ModerationBlocksTable, step: 'proposed' | 'blocked' | 'lifted', text: string): RecordInput {
  return {
    kind: 'moderation_action', platform: b.platform, accountId: b.account_id, subjectId: b.author_id, dedupeKey: `block:${b.id}:${step}`, text,
    payload: Buffer.from(JSON.stringify({ block: b.id, step, author: { id: b.author_id, handle: b.author_handle }, violations: JSON.parse(b.violations) as string[], warningId: b.warning_id,
      clauseId: b.clause_id, reason: b.reason, days: b.days, startsAt: b.starts_at, expiresAt: b.expires_at, liftReason: b.lift_reason, by: ctx.actor.label, packVersion: ctx.packVersion })),
    payloadType: 'application/json', meta: { action: `block_${step}`, clause: b.clause_id, packVersion: ctx.packVersion },
  };
}

async function recordAction(trx: Transaction<DB>, ctx: CommandContext, itemId: string, action: 'block' | 'approve_block' | 'lift_block', clauseId: string | null, reason: string, warnings: string[], now: Date): Promise<void> {
  await trx.insertInto('moderation_actions').values({
    id: randomUUID(), org_id: ctx.actor.orgId, item_id: itemId, action, user_id: ctx.actor.userId as string, clause_id: clauseId, reason,
    pack_version: ctx.packVersion, warnings: JSON.stringify(warnings), created_at: now.toISOString(),
  }).execute();
}

export async function blockUser(ctx: CommandContext, deps: ModerationDeps, input: BlockInput): Promise<BlockOutcome> {
  const userId = person(ctx);
  const rules = rulesOf(ctx);
  const moderation = ctx.actor.pack.moderation;
  const item = await ctx.db.selectFrom('moderation_items').selectAll().where('org_id', '=', ctx.actor.orgId).where('id', '=', input.itemId).executeTakeFirst();
  if (!item) throw notFound('Comment');
  const dept = await departmentOf(ctx, item.account_id);
  assertAllowed(ctx, 'comment.hide', dept);
  assertRole(ctx, moderation.hideDelete, 'block people');
  if (!item.author_id) throw conflict('The comment\'s author is not known, so nobody can be blocked for it');
  const now = ctx.now?.() ?? new Date();
  const record = await authorRecord(ctx.db, ctx.actor.orgId, item.account_id, item.author_id, now);
  if (record.blocks.some((b) => b.status === 'proposed' || b.status === 'active')) throw conflict('This person already has a block proposed or in force on this account');

  // A block always ends: no permanent block of a person from a public forum.
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > rules.maxDays) {
    throw badRequest(`A block must end: choose from 1 to ${rules.maxDays} days`, [{ path: 'body.days', message: `a whole number of days from 1 to ${rules.maxDays}` }]);
  }
  const clause = clauseOf(ctx, input.clauseId);
  const reason = requireReason(input.reason);
  const listed = [...new Set(input.violations)];
  const standing = new Set(record.removals.map((r) => r.itemId));
  const invalid = listed.filter((id) => !standing.has(id));
  if (invalid.length) {
    throw badRequest('Only removals of this person\'s comments on this account that still stand count as violations', invalid.map((id) => ({ path: 'body.violations', message: `${id} is not a standing removal of this person's comment` })));
  }
  if (listed.length < rules.minViolations) {
    throw badRequest(`Blocking needs at least ${rules.minViolations} removals of this person's comments on record; ${listed.length} listed`, [{ path: 'body.violations', message: `at least ${rules.minViolations} (${record.removals.length} on record)` }]);
  }
  const warning = record.warnings.at(-1) ?? null;
  if (rules.requiresPriorWarning && !warning) {
    throw badRequest('No warning to this person is on record: record the warning (or the removal notice) they were given first', [{ path: 'body.warning', message: 'a warning on record is required' }]);
  }
  const proposed = rules.requiresAttorneyApproval;
  if (proposed && !moderation.attorneyRole) throw conflict('The policy requires an attorney to approve a block but names no attorney role');

  const critical = await ctx.db.selectFrom('moderation_items').select('id').where('org_id', '=', ctx.actor.orgId).where('id', 'in', listed).where('viewpoint', '=', 1).execute();
  const warnings = [BLOCK_WARNING, ...(critical.length ? [`${critical.length} of the listed comments criticise the city, its officials or its policies: that criticism is protected and can never count towards a block.`] : [])];
  if (input.acknowledgeWarnings !== true) {
    throw new AppError(400, 'warnings', 'Read the warnings and confirm before blocking this person', { fields: warnings.map((w) => ({ path: 'body.acknowledgeWarnings', message: w })) });
  }

  const at = now.toISOString();
  const block: ModerationBlocksTable = {
    id: randomUUID(), org_id: ctx.actor.orgId, account_id: item.account_id, platform: item.platform, author_id: item.author_id, author_handle: item.author_handle,
    item_id: item.id, state: proposed ? 'proposed' : 'active', days: input.days, violations: JSON.stringify(listed), warning_id: warning?.id ?? null,
    clause_id: clause.id, reason, proposed_by: userId, approved_by: null, pack_version: ctx.packVersion,
    starts_at: proposed ? null : at, expires_at: proposed ? null : new Date(now.getTime() + input.days * DAY_MS).toISOString(),
    lifted_by: null, lift_reason: null, created_at: at, updated_at: at,
  };
  const who = block.author_handle ?? block.author_id;
  await capture(deps.archive, ctx.actor.orgId, [archiveRecord(ctx, block, proposed ? 'proposed' : 'blocked',
    `${proposed ? 'Block proposed' : 'Blocked'} by ${ctx.actor.label} under clause ${clause.id} for ${input.days} days: ${reason}`)]);
  return runCommand(ctx, { event: proposed ? 'moderation.block_proposed' : 'moderation.user_blocked', authorize: { action: 'comment.hide', resource: { orgId: ctx.actor.orgId, departmentId: dept } } }, async (trx) => {
    await trx.insertInto('moderation_blocks').values(block).execute();
    await recordAction(trx, ctx, item.id, 'block', clause.id, reason, warnings, now);
    if (proposed && moderation.attorneyRole) {
      await notifyRoles(trx, { orgId: ctx.actor.orgId, roleIds: [moderation.attorneyRole], exclude: [userId], at: now, link: `/moderation/${item.id}`,
        text: `A ${input.days}-day block of ${who} awaits your approval (clause ${clause.id}, ${listed.length} removals on record)` });
    }
    return {
      result: { id: block.id, status: block.state, expiresAt: block.expires_at, warnings, platform: instructions(block, block.state) },
      targetType: 'person', targetId: block.author_id, before: null,
      after: { block: block.id, state: block.state, account: block.account_id, violations: listed, warningId: block.warning_id, clause: { id: clause.id, text: clause.text }, reason, days: input.days, expiresAt: block.expires_at, packVersion: ctx.packVersion },
      sources: [...rules.sources, ...clause.sources],
    };
  });
}

/** The attorney approves a proposed block (never the person who proposed it); it runs from now. */
export async function approveBlock(ctx: CommandContext, deps: ModerationDeps, blockId: string, input: { acknowledgeWarnings?: boolean }): Promise<BlockOutcome> {
  const userId = person(ctx);
  const block = await ctx.db.selectFrom('moderation_blocks').selectAll().where('org_id', '=', ctx.actor.orgId).where('id', '=', blockId).executeTakeFirst();
  if (!block) throw notFound('Block');
  const rules = rulesOf(ctx);
  const moderation = ctx.actor.pack.moderation;
  const dept = await departmentOf(ctx, block.account_id);
  assertAllowed(ctx, 'comment.removal.approve', dept);
  if (moderation.attorneyRole) assertRole(ctx, [moderation.attorneyRole], 'approve a block');
  if (block.state !== 'proposed') throw conflict(`A block that is ${blockStatus(block)} cannot be approved`);
  if (block.proposed_by === userId) throw forbidden('Nobody approves their own proposal', 'moderation.blocking', rules.sources);
  // The violations must still stand: a comment restored since the proposal no longer counts.
  const now = ctx.now?.() ?? new Date();
  const record = await authorRecord(ctx.db, ctx.actor.orgId, block.account_id, block.author_id, now);
  const standing = (JSON.parse(block.violations) as string[]).filter((id) => record.removals.some((r) => r.itemId === id));
  if (standing.length < rules.minViolations) throw conflict(`Only ${standing.length} of the listed removals still stand; a block needs ${rules.minViolations}`);
  if (input.acknowledgeWarnings !== true) {
    throw new AppError(400, 'warnings', 'Read the warnings and confirm before approving the block', { fields: [{ path: 'body.acknowledgeWarnings', message: BLOCK_WARNING }] });
  }
  const at = now.toISOString();
  const active: ModerationBlocksTable = { ...block, state: 'active', approved_by: userId, starts_at: at, expires_at: new Date(now.getTime() + block.days * DAY_MS).toISOString(), updated_at: at };
  await capture(deps.archive, ctx.actor.orgId, [archiveRecord(ctx, active, 'blocked', `Block approved by ${ctx.actor.label} for ${block.days} days under clause ${block.clause_id}: ${block.reason}`)]);
  return runCommand(ctx, { event: 'moderation.user_blocked', authorize: { action: 'comment.removal.approve', resource: { orgId: ctx.actor.orgId, departmentId: dept } } }, async (trx) => {
    await trx.updateTable('moderation_blocks').set({ state: 'active', approved_by: userId, starts_at: active.starts_at, expires_at: active.expires_at, updated_at: at })
      .where('id', '=', block.id).where('state', '=', 'proposed').execute();
    await recordAction(trx, ctx, block.item_id, 'approve_block', block.clause_id, block.reason, [BLOCK_WARNING], now);
    return {
      result: { id: block.id, status: 'active' as const, expiresAt: active.expires_at, warnings: [BLOCK_WARNING], platform: instructions(active, 'active') },
      targetType: 'person', targetId: block.author_id, before: { state: 'proposed' }, after: { block: block.id, state: 'active', expiresAt: active.expires_at, packVersion: ctx.packVersion },
      sources: rules.sources,
    };
  });
}

/** Ends a block early, or withdraws a proposal, with a written reason. */
export async function liftBlock(ctx: CommandContext, deps: ModerationDeps, blockId: string, reasonText: string): Promise<BlockOutcome> {
  const userId = person(ctx);
  const block = await ctx.db.selectFrom('moderation_blocks').selectAll().where('org_id', '=', ctx.actor.orgId).where('id', '=', blockId).executeTakeFirst();
  if (!block) throw notFound('Block');
  const moderation = ctx.actor.pack.moderation;
  const dept = await departmentOf(ctx, block.account_id);
  assertAllowed(ctx, 'comment.hide', dept);
  assertRole(ctx, [...moderation.hideDelete, ...(moderation.attorneyRole ? [moderation.attorneyRole] : [])], 'lift a block');
  const status = blockStatus(block, ctx.now?.() ?? new Date());
  if (status !== 'proposed' && status !== 'active') throw conflict(`A block that is ${status} cannot be lifted`);
  const reason = requireReason(reasonText);
  const now = ctx.now?.() ?? new Date();
  const at = now.toISOString();
  const lifted: ModerationBlocksTable = { ...block, state: 'lifted', lifted_by: userId, lift_reason: reason, updated_at: at };
  await capture(deps.archive, ctx.actor.orgId, [archiveRecord(ctx, lifted, 'lifted', `Block lifted by ${ctx.actor.label}: ${reason}`)]);
  return runCommand(ctx, { event: 'moderation.block_lifted', authorize: { action: 'comment.hide', resource: { orgId: ctx.actor.orgId, departmentId: dept } } }, async (trx) => {
    await trx.updateTable('moderation_blocks').set({ state: 'lifted', lifted_by: userId, lift_reason: reason, updated_at: at }).where('id', '=', block.id).where('state', '=', block.state).execute();
    await recordAction(trx, ctx, block.item_id, 'lift_block', null, reason, [], now);
    return {
      result: { id: block.id, status: 'lifted' as const, expiresAt: block.expires_at, warnings: [], platform: instructions(lifted, 'lifted') },
      targetType: 'person', targetId: block.author_id, before: { state: block.state }, after: { block: block.id, state: 'lifted', reason, packVersion: ctx.packVersion },
      sources: moderation.blocking?.sources ?? moderation.sources,
    };
  });
}
