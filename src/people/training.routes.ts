import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext, sessionOf } from '../http/context.js';
import { scopeOf } from '../policy/can.js';
import { recordCompletion } from './training.commands.js';
import { listCompletions, trainingMatrix, trainingStatus } from './training.queries.js';

export async function trainingRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/training', {
    config: { permission: 'staff.view' },
    schema: { tags: ['training'], summary: 'People × training modules of the city\'s policy, with who is missing what' },
  }, async (request) => {
    const { actor } = sessionOf(request);
    const rows = await trainingMatrix(app.db, actor.orgId, actor.pack, new Date());
    // The same reach as the staff list: a department-scoped viewer sees their own department.
    const scope = scopeOf(actor, 'staff.view');
    const people = scope === 'city' ? rows
      : scope === 'department' ? rows.filter((p) => p.departmentId !== null && p.departmentId === actor.departmentId)
        : rows.filter((p) => p.userId === actor.userId);
    return {
      modules: actor.pack.training.map((m) => ({
        id: m.id, title: m.title, topics: m.topics, requiredFor: m.requiredFor, renewEveryMonths: m.renewEveryMonths ?? null, sources: m.sources,
      })),
      people,
    };
  });

  r.get('/api/training/me', {
    config: { permission: 'self' },
    schema: { tags: ['training'], summary: 'My own training: what is current, expired or missing' },
  }, async (request) => {
    const { actor } = sessionOf(request);
    if (!actor.userId) return { userId: null, modules: [], missing: { account_access: [], site_creation: [], content_submission: [] } };
    return trainingStatus(app.db, actor.orgId, actor.pack, actor.userId, new Date());
  });

  r.get('/api/training/completions', {
    config: { permission: 'staff.view' },
    schema: {
      tags: ['training'],
      summary: 'Every recorded completion (renewals included), newest first',
      querystring: z.object({ userId: z.string().min(1).optional(), moduleId: z.string().min(1).optional() }),
    },
  }, async (request) => {
    const { actor } = sessionOf(request);
    const all = await listCompletions(app.db, actor.orgId, request.query);
    const scope = scopeOf(actor, 'staff.view');
    if (scope === 'city') return all;
    const people = await app.db.selectFrom('users').select(['id', 'department_id']).where('org_id', '=', actor.orgId).execute();
    const ids = new Set(people.filter((p) => (scope === 'department'
      ? p.department_id !== null && p.department_id === actor.departmentId
      : p.id === actor.userId)).map((p) => p.id));
    return all.filter((c) => ids.has(c.userId));
  });

  r.post('/api/training/completions', {
    config: { permission: 'training.manage' },
    schema: {
      tags: ['training'],
      summary: 'Record that a staff member completed a training module',
      body: z.object({
        userId: z.string().min(1),
        moduleId: z.string().min(1),
        completedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD'),
        evidence: z.string().trim().max(2000).nullable().optional(),
      }),
    },
  }, async (request, reply) => {
    const id = await recordCompletion(commandContext(request), request.body);
    return reply.status(201).send({ id });
  });
}
