// The moderation API: the queue (filters by state, account, category), one comment with its
// actions and similar comments (the consistency panel), people's actions, and the city's
// allowlist and officials. The public transparency log is in public routes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext, sessionOf } from '../http/context.js';
import { notFound } from '../http/errors.js';
import type { Vault } from '../accounts/vault.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { MODERATION_ACTIONS, moderate, warningsFor } from './moderation.commands.js';
import { getItem, listQueue } from './moderation.queries.js';
import { moderationSettings } from './queue.js';
import { runCommand } from '../events/command.js';
import { recordAppeal, removalNotice, respondToComment } from './responses.js';

const STATES = ['new', 'flagged', 'in_review', 'escalated', 'kept', 'hidden', 'deleted', 'restored'] as const;

export async function moderationRoutes(app: FastifyInstance, opts: { archive: ArchiveDeps; vault: Vault }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const idParams = z.object({ id: z.string().min(1).max(200) });

  r.get('/api/moderation/queue', {
    config: { permission: 'comment.view' },
    schema: {
      tags: ['moderation'], summary: 'Comments to review, flagged first (the classifier orders and annotates; it never acts)',
      querystring: z.object({ state: z.enum(STATES).optional(), accountId: z.string().max(200).optional(), category: z.string().max(60).optional() }),
    },
  }, async (request) => listQueue(app.db, sessionOf(request).actor.orgId, request.query));

  r.get('/api/moderation/items/:id', { config: { permission: 'comment.view' }, schema: { tags: ['moderation'], summary: 'One comment, its actions, warnings and similar comments', params: idParams } },
    async (request) => {
      const ctx = commandContext(request);
      const item = await getItem(app.db, ctx.actor.orgId, request.params.id);
      if (!item) throw notFound('Comment');
      const row = await app.db.selectFrom('moderation_items').selectAll().where('id', '=', request.params.id).executeTakeFirstOrThrow();
      return { ...item, warnings: await warningsFor(ctx, row, null) };
    });

  // Staff who may only report (Kalispell's employees) do so here; everything else needs to see the queue.
  r.post('/api/moderation/items/:id/report', {
    config: { permission: 'comment.report' },
    schema: { tags: ['moderation'], summary: 'Report a comment to the people the pack names (KA-2)', params: idParams, body: z.strictObject({ reason: z.string().max(2000).nullable().optional() }) },
  }, async (request) => moderate(commandContext(request), opts, request.params.id, { action: 'report', reason: request.body.reason }));

  r.post('/api/moderation/items/:id/actions', {
    config: { permission: 'comment.view' },
    schema: {
      tags: ['moderation'], summary: 'Report, keep, escalate, approve a removal, hide or restore (who may do which comes from the pack)', params: idParams,
      body: z.strictObject({ action: z.enum(MODERATION_ACTIONS), clauseId: z.string().max(100).nullable().optional(), reason: z.string().max(2000).nullable().optional(), acknowledgeWarnings: z.boolean().optional() }),
    },
  }, async (request) => moderate(commandContext(request), opts, request.params.id, request.body));

  r.post('/api/moderation/items/:id/response', {
    config: { permission: 'comment.respond' },
    schema: { tags: ['moderation'], summary: 'Respond for the city in the comment\'s thread (only the roles the pack names; KA-2, KA-10)', params: idParams,
      body: z.strictObject({ text: z.string().max(3000), primaryUnavailable: z.boolean().optional() }) },
  }, async (request) => respondToComment(commandContext(request), opts, request.params.id, request.body.text, request.body));

  r.get('/api/moderation/items/:id/notice', {
    config: { permission: 'comment.view' },
    schema: { tags: ['moderation'], summary: 'The notice for the commenter: which clause, and how to appeal', params: idParams, querystring: z.object({ clauseId: z.string().max(100) }) },
  }, async (request) => ({ text: removalNotice(commandContext(request), request.query.clauseId, sessionOf(request).city.org.slug) }));

  r.post('/api/moderation/items/:id/appeals', {
    config: { permission: 'comment.view' },
    schema: { tags: ['moderation'], summary: 'Record a commenter\'s appeal (decided by restoring the comment or keeping it hidden with a reason)', params: idParams, body: z.strictObject({ text: z.string().max(4000) }) },
  }, async (request, reply) => reply.code(201).send({ id: await recordAppeal(commandContext(request), request.params.id, request.body.text) }));

  r.get('/api/moderation/settings', { config: { permission: 'comment.view' }, schema: { tags: ['moderation'], summary: 'Local names never treated as profanity; officials whose naming warns moderators' } },
    async (request) => moderationSettings(app.db, sessionOf(request).actor.orgId));

  r.put('/api/moderation/settings', {
    config: { permission: 'org.manage' },
    schema: { tags: ['moderation'], summary: 'Set the allowlist and officials', body: z.strictObject({ allowlist: z.array(z.string().trim().min(1).max(200)).max(500), officials: z.array(z.string().trim().min(1).max(200)).max(200) }) },
  }, async (request) => {
    const ctx = commandContext(request);
    await runCommand(ctx, { event: 'moderation.settings_changed', authorize: { action: 'org.manage', resource: { orgId: ctx.actor.orgId } } }, async (trx, now) => {
      const values = { allowlist: JSON.stringify(request.body.allowlist), officials: JSON.stringify(request.body.officials), updated_at: now.toISOString() };
      await trx.insertInto('moderation_settings').values({ org_id: ctx.actor.orgId, ...values }).onConflict((oc) => oc.column('org_id').doUpdateSet(values)).execute();
      return { result: undefined, targetType: 'organization', targetId: ctx.actor.orgId, after: request.body };
    });
    return moderationSettings(app.db, ctx.actor.orgId);
  });
}
