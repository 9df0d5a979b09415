// The moderation API: the queue (filters by state, account, category), one comment with its
// actions, similar comments (the consistency panel) and its author's record, people's actions one
// at a time or in bulk (each item still its own action), warnings to commenters, notices about
// what the policy asks and the platforms cannot do, blocks (blocks.routes.ts), the city's
// allowlist and officials, and the report-only view (reportable.ts) for staff who may not see the queue. The public transparency log is in public routes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext, sessionOf } from '../http/context.js';
import { badRequest, notFound } from '../http/errors.js';
import { MODERATION_ACTIONS, REMOVALS, moderate, warningsFor, type ModerationDeps } from './moderation.commands.js';
import { platformCapabilities } from '../platforms/registry.js';
import { getItemRow, itemDetail, listQueue } from './moderation.queries.js';
import { moderationSettings } from './queue.js';
import { runCommand } from '../events/command.js';
import { recordAppeal, recordWarning, removalNotice, respondToComment } from './responses.js';
import { BULK_ACTIONS, BULK_MAX, moderateBulk } from './bulk.js';
import { accountNotices } from './notices.js';
import { authorRecord } from './blocks.queries.js';
import { blockRoutes } from './blocks.routes.js';
import { parseCommentLink, reportableComments, reportingRules } from './reportable.js';

const STATES = ['new', 'held', 'flagged', 'in_review', 'escalated', 'kept', 'hidden', 'deleted', 'restored'] as const;

export async function moderationRoutes(app: FastifyInstance, opts: ModerationDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const idParams = z.object({ id: z.string().min(1).max(200) });

  r.get('/api/moderation/queue', {
    config: { permission: 'comment.view' },
    schema: {
      tags: ['moderation'], summary: 'Comments to review, flagged first (the classifier orders and annotates; it never acts)',
      querystring: z.object({ state: z.enum(STATES).optional(), accountId: z.string().max(200).optional(), category: z.string().max(60).optional() }),
    },
  }, async (request) => {
    const { actor } = sessionOf(request);
    return listQueue(app.db, actor.orgId, { ...request.query, unreviewedFirst: actor.pack.moderation.preModeration });
  });

  r.get('/api/moderation/items/:id', { config: { permission: 'comment.view' }, schema: { tags: ['moderation'], summary: 'One comment, its actions, warnings, similar comments and what is on record about its author', params: idParams } },
    async (request) => {
      const ctx = commandContext(request);
      const row = await getItemRow(app.db, ctx.actor.orgId, request.params.id);
      if (!row) throw notFound('Comment');
      const authorOnRecord = row.author_id ? await authorRecord(app.db, ctx.actor.orgId, row.account_id, row.author_id) : null;
      // canDelete: whether the platform lets the city delete the reply (else it can only hide it).
      const canDelete = platformCapabilities(row.platform).has('delete_reply');
      return { ...(await itemDetail(app.db, ctx.actor.orgId, row)), warnings: await warningsFor(ctx, row, null), authorRecord: authorOnRecord, canDelete };
    });

  r.post('/api/moderation/bulk', {
    config: { permission: 'comment.view' },
    schema: {
      tags: ['moderation'], summary: 'Keep, escalate, hide or delete several comments, each with its own reason (and clause); each goes through the same checks as one action, and each outcome is reported',
      body: z.strictObject({
        items: z.array(z.strictObject({
          itemId: z.string().min(1).max(200), action: z.enum(BULK_ACTIONS), clauseId: z.string().max(100).nullable().optional(),
          reason: z.string().max(2000), acknowledgeWarnings: z.boolean().optional(),
        })).min(1).max(BULK_MAX),
      }),
    },
  }, async (request) => {
    const ids = request.body.items.map((i) => i.itemId);
    if (new Set(ids).size !== ids.length) throw badRequest('Each comment can appear only once in a bulk action', [{ path: 'body.items', message: 'duplicate itemId' }]);
    return moderateBulk(commandContext(request), opts, request.body.items, (itemId, err) => request.log.error({ err, itemId }, 'bulk moderation item failed'));
  });

  // Derived from the pack and what each platform's connector can do, so whoever may read the pack may read them.
  r.get('/api/moderation/notices', {
    config: { permission: 'pack.view' },
    schema: { tags: ['moderation'], summary: 'What the policy asks of comments that the city\'s platforms cannot do (MN-7 pre-moderation, LX-8 comments off), per platform', querystring: z.object({ accountId: z.string().max(200).optional() }) },
  }, async (request) => {
    const { actor } = sessionOf(request);
    return accountNotices(app.db, actor.orgId, actor.pack, request.query.accountId);
  });

  r.post('/api/moderation/items/:id/warnings', {
    config: { permission: 'comment.hide' },
    schema: { tags: ['moderation'], summary: 'Record the warning (or removal notice) the commenter was given, with its clause', params: idParams,
      body: z.strictObject({ kind: z.enum(['warning', 'removal_notice']), clauseId: z.string().max(100), text: z.string().max(4000).nullable().optional() }) },
  }, async (request, reply) => reply.code(201).send(await recordWarning(commandContext(request), request.params.id, request.body, sessionOf(request).city.org.slug)));

  await blockRoutes(app, opts);

  // Staff who may only report (Kalispell's employees) list and report here; everything else needs to see the queue.
  r.get('/api/moderation/reportable', {
    config: { permission: 'comment.report' },
    schema: {
      tags: ['moderation'], summary: 'Recent public comments one may report, or the one at a pasted link (text, author, account, whether reported; no labels, evidence or history), and who reports go to (KA-10)',
      querystring: z.object({ accountId: z.string().max(200).optional(), link: z.string().trim().max(2000).optional() }),
    },
  }, async (request) => {
    const { actor } = sessionOf(request);
    const link = request.query.link ? parseCommentLink(request.query.link) : undefined;
    if (link === null) throw badRequest('Paste the comment\'s link: a Bluesky post link (bsky.app/profile/…/post/…) or at:// address, or a Facebook comment link or id', [{ path: 'querystring.link', message: 'not a Bluesky or Facebook comment address' }]);
    return { ...reportingRules(actor.pack), items: await reportableComments(app.db, actor, { accountId: request.query.accountId, link }) };
  });

  r.post('/api/moderation/items/:id/report', {
    config: { permission: 'comment.report' },
    schema: {
      tags: ['moderation'], summary: 'Report a comment to the people the pack names, with a reason and optionally the clause it may break (KA-2, KA-10)', params: idParams,
      body: z.strictObject({ reason: z.string().max(2000).nullable().optional(), clauseId: z.string().max(100).nullable().optional() }),
    },
  }, async (request) => moderate(commandContext(request), opts, request.params.id, { action: 'report', reason: request.body.reason, clauseId: request.body.clauseId }));

  r.post('/api/moderation/items/:id/actions', {
    config: { permission: 'comment.view' },
    schema: {
      tags: ['moderation'], summary: 'Report, keep, escalate, approve a removal (hiding or deleting it), hide, delete or restore (who may do which comes from the pack; delete only where the platform allows it)', params: idParams,
      body: z.strictObject({
        action: z.enum(MODERATION_ACTIONS), clauseId: z.string().max(100).nullable().optional(), reason: z.string().max(2000).nullable().optional(), acknowledgeWarnings: z.boolean().optional(),
        removal: z.enum(REMOVALS).optional(),
      }),
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
