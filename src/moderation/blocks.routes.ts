// The blocks API (registered by moderationRoutes): list, propose or block, approve, lift. Who may
// do each, and whether blocking is allowed at all, comes from the pack (moderation.blocking).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext, sessionOf } from '../http/context.js';
import type { ModerationDeps } from './moderation.commands.js';
import { approveBlock, blockUser, liftBlock } from './blocks.js';
import { listBlocks } from './blocks.queries.js';

export async function blockRoutes(app: FastifyInstance, deps: ModerationDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const idParams = z.object({ id: z.string().min(1).max(200) });

  r.get('/api/moderation/blocks', {
    config: { permission: 'comment.view' },
    schema: { tags: ['moderation'], summary: 'Blocks of people from the city\'s accounts, newest first, each with its status (proposed, active, expired, lifted)', querystring: z.object({ accountId: z.string().max(200).optional() }) },
  }, async (request) => listBlocks(app.db, sessionOf(request).actor.orgId, { accountId: request.query.accountId }));

  r.post('/api/moderation/blocks', {
    config: { permission: 'comment.hide' },
    schema: {
      tags: ['moderation'], summary: 'Block a comment\'s author from its account for a limited time (only where the pack allows it, with repeat violations and a warning on record; proposed to the attorney where the pack requires it)',
      body: z.strictObject({
        itemId: z.string().min(1).max(200), violations: z.array(z.string().min(1).max(200)).max(200), days: z.number().int(),
        clauseId: z.string().max(100), reason: z.string().max(2000), acknowledgeWarnings: z.boolean().optional(),
      }),
    },
  }, async (request, reply) => reply.code(201).send(await blockUser(commandContext(request), deps, request.body)));

  r.post('/api/moderation/blocks/:id/approve', {
    config: { permission: 'comment.removal.approve' },
    schema: { tags: ['moderation'], summary: 'Approve a proposed block (the attorney, never the proposer); it runs from now', params: idParams, body: z.strictObject({ acknowledgeWarnings: z.boolean().optional() }) },
  }, async (request) => approveBlock(commandContext(request), deps, request.params.id, request.body));

  r.post('/api/moderation/blocks/:id/lift', {
    config: { permission: 'comment.hide' },
    schema: { tags: ['moderation'], summary: 'End a block early, or withdraw a proposal, with a reason', params: idParams, body: z.strictObject({ reason: z.string().max(2000) }) },
  }, async (request) => liftBlock(commandContext(request), deps, request.params.id, request.body.reason));
}
