// The emergency templates API: list, write, edit and approve templates, and post an update of an
// open emergency from one. Thin: parse, call a command or query, present. Registered by
// contentRoutes, which owns the publishing dependencies.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext, sessionOf } from '../http/context.js';
import { publishDraft, type PublishDeps } from './publish.js';
import { approveTemplate, createTemplate, updateTemplate } from './templates.commands.js';
import { listTemplates } from './templates.queries.js';
import { startTemplateUpdate } from './template-updates.js';

const idParams = z.object({ id: z.string().min(1).max(200) });

export function templateRoutes(app: FastifyInstance, deps: PublishDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // 'self': writers, approvers and emergency leads read them; the query refuses anyone else.
  r.get('/api/content/templates', { config: { permission: 'self' }, schema: { tags: ['content'], summary: 'Emergency templates, with where each one\'s approval stands (LX-5, BZ-8)' } },
    async (request) => {
      const ctx = commandContext(request);
      return listTemplates(app.db, sessionOf(request).actor, ctx.packVersion);
    });

  r.post('/api/content/templates', {
    config: { permission: 'content.submit' },
    schema: { tags: ['content'], summary: 'Write an emergency template: text with blanks such as {{location}}; the content chain\'s approvers are asked to approve it', body: z.record(z.string(), z.unknown()) },
  }, async (request, reply) => reply.code(201).send(await createTemplate(commandContext(request), request.body)));

  r.put('/api/content/templates/:id', {
    config: { permission: 'content.submit' },
    schema: { tags: ['content'], summary: 'Edit a template; a new text, category or accounts voids its approval', params: idParams, body: z.record(z.string(), z.unknown()) },
  }, async (request) => updateTemplate(commandContext(request), request.params.id, request.body));

  r.post('/api/content/templates/:id/approve', {
    config: { permission: 'content.approve' },
    schema: {
      tags: ['content'], summary: 'Approve the template\'s current text (the waiting step of the content chain; never its author)', params: idParams,
      body: z.strictObject({ acknowledged: z.array(z.string().max(200)).max(100).optional() }),
    },
  }, async (request) => approveTemplate(commandContext(request), request.params.id, request.body));

  r.post('/api/incidents/:id/updates', {
    config: { permission: 'content.submit' },
    schema: {
      tags: ['content'], summary: 'Post an update of an open emergency from an approved template: blanks filled, checked, and, when only the blanks were filled, approved and published at once',
      params: idParams, body: z.record(z.string(), z.unknown()),
    },
  }, async (request, reply) => {
    const ctx = commandContext(request);
    const outcome = await startTemplateUpdate(ctx, request.params.id, request.body);
    const published = outcome.status === 'approved' ? await publishDraft(ctx, deps, outcome.id) : [];
    return reply.code(201).send({ ...outcome, published });
  });
}
