import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext, sessionOf } from '../http/context.js';
import { listNotifications, markNotificationRead } from './notifications.js';

export async function notificationsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/notifications', {
    config: { permission: 'self' },
    schema: {
      tags: ['notifications'],
      summary: 'My notifications, newest first',
      querystring: z.object({ unread: z.enum(['true', 'false']).optional() }),
    },
  }, async (request) => {
    const { actor } = sessionOf(request);
    if (!actor.userId) return [];
    return listNotifications(app.db, actor.orgId, actor.userId, { unreadOnly: request.query.unread === 'true' });
  });

  r.post('/api/notifications/:id/read', {
    config: { permission: 'self' },
    schema: { tags: ['notifications'], summary: 'Mark one of my notifications read', params: z.object({ id: z.string().min(1) }) },
  }, async (request) => {
    await markNotificationRead(commandContext(request), request.params.id);
    return { status: 'ok' };
  });
}
