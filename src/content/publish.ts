// Publishing an approved draft to each of its accounts through the connectors. Each (draft
// version, account) is one publication with an idempotency key chosen before the first attempt,
// so a retry — automatic, by the retry button, or after a crash — never makes a second post. The
// city's "pause all publishing" switch and a suspended account stop it; both say why.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, DraftsTable } from '../db/schema.js';
import { runCommand, type CommandContext } from '../events/command.js';
import { conflict, notFound } from '../http/errors.js';
import { decide, operatorActor } from '../policy/can.js';
import type { Vault } from '../accounts/vault.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { capture } from '../archive/capture.js';
import { isPublishingAllowed } from '../accounts/accounts.commands.js';
import { notify, roleHolders } from '../people/notifications.js';
import type { Connector } from '../platforms/connector.js';
import type { ConnectorCredentials } from '../platforms/credentials.js';
import { credentialsOf, openConnector } from '../platforms/registry.js';
import { asConnectorError } from '../platforms/retry.js';
import { recordKeyFor } from '../platforms/bluesky/bluesky.connector.js';
import { platformNotices, type PlatformNotice } from '../moderation/notices.js';

export interface PublishDeps {
  archive: ArchiveDeps;
  vault: Vault;
  open?: (accountId: string, credentials: ConnectorCredentials) => Promise<Connector>;
}

export interface PublishOutcome {
  accountId: string;
  status: 'published' | 'failed' | 'skipped';
  url?: string | null;
  error?: string;
  /** What the policy asks that this platform could not do for the post (LX-8: comments stay open). */
  notices?: PlatformNotice[];
}

export async function publishingPaused(db: Kysely<DB>, orgId: string): Promise<{ paused: boolean; reason: string | null }> {
  const row = await db.selectFrom('publishing_controls').select(['paused', 'reason']).where('org_id', '=', orgId).executeTakeFirst();
  return { paused: row?.paused === 1, reason: row?.reason ?? null };
}

export async function setPublishingPaused(ctx: CommandContext, paused: boolean, reason: string | null): Promise<void> {
  await runCommand(ctx, { event: paused ? 'content.publishing_paused' : 'content.publishing_resumed', authorize: { action: 'content.publish', resource: { orgId: ctx.actor.orgId } } }, async (trx, now) => {
    const values = { paused: paused ? 1 : 0, reason, changed_by: ctx.actor.label, changed_at: now.toISOString() };
    await trx.insertInto('publishing_controls').values({ org_id: ctx.actor.orgId, ...values }).onConflict((oc) => oc.column('org_id').doUpdateSet(values)).execute();
    return { result: undefined, targetType: 'organization', targetId: ctx.actor.orgId, after: { paused, reason } };
  });
}

function textFor(draft: DraftsTable, platform: string): string {
  const variants = JSON.parse(draft.variants) as Array<{ platform: string; text: string }>;
  return variants.find((v) => v.platform === platform)?.text ?? draft.text;
}

/**
 * Publishes a draft that is approved (or scheduled and due, or failed and retried). `ctx` is the
 * person who approved or pressed retry, or the operator for the scheduler.
 */
export async function publishDraft(ctx: CommandContext, deps: PublishDeps, draftId: string): Promise<PublishOutcome[]> {
  const db = ctx.db;
  const orgId = ctx.actor.orgId;
  const draft = await db.selectFrom('drafts').selectAll().where('org_id', '=', orgId).where('id', '=', draftId).executeTakeFirst();
  if (!draft) throw notFound('Draft');
  if (!['approved', 'scheduled', 'failed', 'publishing'].includes(draft.status)) throw conflict(`A ${draft.status.replace('_', ' ')} draft is not ready to publish`);
  const pause = await publishingPaused(db, orgId);
  if (pause.paused) throw conflict(`Publishing is paused for the whole city${pause.reason ? `: ${pause.reason}` : ''}`);
  await runCommand(ctx, { event: 'content.publishing', authorize: { action: 'content.publish', resource: { orgId, departmentId: draft.department_id } } }, async (trx, now) => {
    await trx.updateTable('drafts').set({ status: 'publishing', updated_at: now.toISOString() }).where('id', '=', draftId).execute();
    return { result: undefined, targetType: 'draft', targetId: draftId, after: { version: draft.version } };
  });
  const outcomes: PublishOutcome[] = [];
  for (const accountId of JSON.parse(draft.account_ids) as string[]) outcomes.push(await publishToAccount(ctx, deps, draft, accountId));
  const failed = outcomes.filter((o) => o.status !== 'published');
  const status = failed.length ? 'failed' : 'published';
  await runCommand(ctx, { event: failed.length ? 'content.publish_failed' : 'content.published', authorize: { action: 'content.publish', resource: { orgId, departmentId: draft.department_id } } }, async (trx, now) => {
    await trx.updateTable('drafts').set({ status, updated_at: now.toISOString() }).where('id', '=', draftId).execute();
    let notified: string[] = [];
    if (failed.length) {
      const publishers = await roleHolders(trx, orgId, ctx.actor.pack.roles.filter((r) => r.grants.some((g) => g.startsWith('content.publish'))).map((r) => r.id));
      notified = await notify(trx, { orgId, userIds: [...new Set([draft.author_id, ...publishers])], at: now, link: `/content/${draftId}`,
        text: `Publishing "${draft.text.slice(0, 60)}" failed for ${failed.length} account(s): ${failed.map((f) => f.error).join('; ')}. Retry from the post's page.` });
    }
    return { result: undefined, targetType: 'draft', targetId: draftId, after: { version: draft.version, outcomes, notified } };
  });
  return outcomes;
}

async function publishToAccount(ctx: CommandContext, deps: PublishDeps, draft: DraftsTable, accountId: string): Promise<PublishOutcome> {
  const db = ctx.db;
  const orgId = ctx.actor.orgId;
  const allowed = await isPublishingAllowed(db, orgId, accountId);
  if (!allowed.allowed) return { accountId, status: 'skipped', error: allowed.reason };
  const key = `${draft.id}:v${draft.version}:${accountId}`;
  let pub = await db.selectFrom('publications').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  if (pub?.status === 'published') return { accountId, status: 'published', url: pub.url };
  const credentials = await credentialsOf(db, deps.vault, orgId, accountId);
  if (!credentials) return { accountId, status: 'failed', error: 'the account is not connected to its platform' };
  const now = new Date().toISOString();
  if (!pub) {
    const account = await db.selectFrom('accounts').select('platform').where('id', '=', accountId).executeTakeFirstOrThrow();
    pub = { id: randomUUID(), org_id: orgId, draft_id: draft.id, version: draft.version, account_id: accountId, platform: account.platform, idempotency_key: key,
      first_attempt_at: now, expected_id: null, platform_id: null, url: null, status: 'pending', attempts: 0, last_error: null, published_at: null, updated_at: now };
    await db.insertInto('publications').values(pub).execute();
  }
  try {
    const connector = await (deps.open ?? openConnector)(accountId, credentials);
    // Known before publishing, so the vandalism check recognises this post on the live stream.
    if (connector.platform === 'bluesky') {
      await db.updateTable('publications').set({ expected_id: `at://${connector.accountRef}/app.bsky.feed.post/${recordKeyFor(key, pub.first_attempt_at)}` }).where('id', '=', pub.id).execute();
    }
    const media = JSON.parse(draft.media) as Array<{ sha256: string; mime: string; alt?: string | null }>;
    const files = await Promise.all(media.map(async (m) => ({ bytes: await deps.archive.blobs.get(m.sha256), mime: m.mime, alt: m.alt ?? '' })));
    const replyTo = draft.incident_id ? await threadOf(db, orgId, draft.incident_id, accountId, draft.id) : undefined;
    // LX-8: where the public may not post, a new post goes out with replies turned off if the
    // platform lets the account do that to its own post; otherwise the outcome says so.
    const closeReplies = ctx.actor.pack.moderation.publicPostingDisabled && !replyTo;
    const canClose = connector.capabilities.has('disable_comments');
    const result = await connector.publish({
      idempotencyKey: key, firstAttemptAt: pub.first_attempt_at, text: textFor(draft, connector.platform), link: draft.link ?? undefined, replyTo,
      media: files.filter((f): f is { bytes: Uint8Array; mime: string; alt: string } => f.bytes !== null),
      ...(closeReplies && canClose ? { disableReplies: true } : {}),
    });
    await capture(deps.archive, orgId, result.records);
    await db.updateTable('publications').set({ status: 'published', platform_id: result.ref.id, url: result.ref.url ?? null, attempts: pub.attempts + 1, published_at: new Date().toISOString(), updated_at: new Date().toISOString(), last_error: null })
      .where('id', '=', pub.id).execute();
    await connector.close?.();
    const notices = closeReplies && !canClose ? platformNotices(ctx.actor.pack, connector.platform, connector.capabilities).filter((n) => n.id === 'comments_stay_open') : [];
    return { accountId, status: 'published', url: result.ref.url ?? null, ...(notices.length ? { notices } : {}) };
  } catch (err) {
    const e = asConnectorError(err);
    await db.updateTable('publications').set({ status: 'failed', attempts: pub.attempts + 1, last_error: `${e.kind}: ${e.message}`, updated_at: new Date().toISOString() }).where('id', '=', pub.id).execute();
    return { accountId, status: 'failed', error: e.message };
  }
}

/**
 * Publishing that follows the chain's last approval. The chain authorizes it (BZ-9: the content
 * editor "posts it"), so when the last approver holds no publish grant of their own, the system
 * publishes on their approval and the events say so.
 */
export async function publishAfterApproval(ctx: CommandContext, deps: PublishDeps, draftId: string): Promise<PublishOutcome[]> {
  const draft = await ctx.db.selectFrom('drafts').select('department_id').where('id', '=', draftId).executeTakeFirst();
  if (!draft) throw notFound('Draft');
  if (decide(ctx.actor, 'content.publish', { orgId: ctx.actor.orgId, departmentId: draft.department_id }).allowed) return publishDraft(ctx, deps, draftId);
  const system = { ...ctx, actor: operatorActor(ctx.actor.orgId, ctx.actor.pack, `publishing on the approval of ${ctx.actor.label}`) };
  return publishDraft(system, deps, draftId);
}

/** Updates of one emergency form one thread per account: each replies to the latest before it. */
async function threadOf(db: Kysely<DB>, orgId: string, incidentId: string, accountId: string, draftId: string) {
  const earlier = await db.selectFrom('publications as p').innerJoin('drafts as d', 'd.id', 'p.draft_id')
    .select(['p.platform_id', 'p.published_at']).where('p.org_id', '=', orgId).where('d.incident_id', '=', incidentId)
    .where('p.account_id', '=', accountId).where('p.status', '=', 'published').where('p.draft_id', '!=', draftId)
    .orderBy('p.published_at').execute();
  const ids = earlier.map((e) => e.platform_id).filter((x): x is string => x !== null);
  if (ids.length === 0) return undefined;
  const refOf = async (id: string) => {
    const rec = await db.selectFrom('archive_records').select('platform_version').where('org_id', '=', orgId).where('platform_id', '=', id).executeTakeFirst();
    return { id, version: rec?.platform_version ?? undefined };
  };
  return { root: await refOf(ids[0]!), parent: await refOf(ids[ids.length - 1]!) };
}
