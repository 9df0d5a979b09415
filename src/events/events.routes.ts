import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionOf } from '../http/context.js';
import { listEvents } from './events.queries.js';

export async function eventsRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/api/events', {
    config: { permission: 'events.view' },
    schema: {
      tags: ['events'],
      summary: 'The append-only event log of this city, newest first (or oldest first after a sequence number)',
      querystring: z.object({
        after: z.coerce.number().int().min(0).optional(),
        before: z.coerce.number().int().min(1).optional(),
        limit: z.coerce.number().int().min(1).max(500).optional(),
        action: z.string().max(100).optional(),
      }),
    },
  }, async (request) => listEvents(app.db, sessionOf(request).actor.orgId, {
    afterSeq: request.query.after, beforeSeq: request.query.before, limit: request.query.limit, action: request.query.action,
  }));
}
