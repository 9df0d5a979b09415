// Corrections (RL-8, KA-9, BZ-7): "correct this post" publishes a public correction linked to the
// original — a reply in its thread on every platform — and never edits or deletes the original,
// which stays on the platform and in the archive as it was.
import { runCommand, type CommandContext } from '../events/command.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { decide as can } from '../policy/can.js';
import { capture } from '../archive/capture.js';
import { credentialsOf, openConnector } from '../platforms/registry.js';
import { asConnectorError } from '../platforms/retry.js';
import type { PublishDeps, PublishOutcome } from './publish.js';

export async function publishCorrection(ctx: CommandContext, deps: PublishDeps, draftId: string, text: string): Promise<PublishOutcome[]> {
  const body = text.trim();
  if (body.length < 10) throw badRequest('Say what was wrong and what is right', [{ path: 'body.text', message: 'at least 10 characters' }]);
  const orgId = ctx.actor.orgId;
  const draft = await ctx.db.selectFrom('drafts').select(['id', 'department_id', 'status']).where('org_id', '=', orgId).where('id', '=', draftId).executeTakeFirst();
  if (!draft) throw notFound('Draft');
  const pubs = await ctx.db.selectFrom('publications').selectAll().where('draft_id', '=', draftId).where('status', '=', 'published').execute();
  if (pubs.length === 0) throw conflict('Only a published post can be corrected');
  const wording = /^correction\b/i.test(body) ? body : `Correction: ${body}`;
  const sources = ctx.actor.pack.content.standards.filter((s) => /correct|accura/i.test(s.text)).flatMap((s) => s.sources);
  const authorize = { action: 'content.publish' as const, resource: { orgId, departmentId: draft.department_id } };
  const allowed = can(ctx.actor, authorize.action, authorize.resource);
  if (!allowed.allowed) throw forbidden(`Not allowed: ${allowed.reason}`, authorize.action, allowed.sources);
  // The platforms are called outside any transaction (a network wait must not hold the database);
  // the event records what happened, failures included.
  const now = new Date();
  const outcomes: PublishOutcome[] = [];
  for (const pub of pubs) {
    try {
      const credentials = await credentialsOf(ctx.db, deps.vault, orgId, pub.account_id);
      if (!credentials || !pub.platform_id) throw new Error('the account is not connected');
      const connector = await (deps.open ?? openConnector)(pub.account_id, credentials);
      const original = await ctx.db.selectFrom('archive_records').select('platform_version').where('org_id', '=', orgId).where('platform_id', '=', pub.platform_id).executeTakeFirst();
      const ref = { id: pub.platform_id, version: original?.platform_version ?? undefined };
      const result = await connector.publish({ idempotencyKey: `correction:${pub.id}:${now.getTime()}`, firstAttemptAt: now.toISOString(), text: wording, replyTo: { root: ref, parent: ref } });
      await capture(deps.archive, orgId, result.records.map((r) => ({ ...r, meta: { ...(r.meta ?? {}), correctionOf: pub.platform_id } })));
      outcomes.push({ accountId: pub.account_id, status: 'published', url: result.ref.url ?? null });
    } catch (err) {
      outcomes.push({ accountId: pub.account_id, status: 'failed', error: asConnectorError(err).message });
    }
  }
  return runCommand(ctx, { event: 'content.corrected', authorize }, async () => ({ result: outcomes, targetType: 'draft', targetId: draftId, after: { text: wording, outcomes }, sources }));
}
