// Search, legal holds, the retention schedule and disposition: thin routes over the archive's
// queries and commands.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext, sessionOf } from '../http/context.js';
import type { ArchiveDeps } from './archive.service.js';
import { RECORD_KINDS } from './record.js';
import { searchArchive } from './search.js';
import { listHolds } from './holds.js';
import { placeHold, releaseHold } from './holds.commands.js';
import { dueForDisposition, listDispositions, retentionSchedule } from './retention.js';
import { approveDisposition, setRetentionPeriod } from './retention.commands.js';

const optionalText = z.string().trim().max(1000).optional().transform((v) => (v ? v : undefined));

export async function recordsRoutes(app: FastifyInstance, opts: { archive: ArchiveDeps }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { archive } = opts;

  r.get('/api/archive/search', {
    config: { permission: 'archive.search' },
    schema: {
      tags: ['archive'],
      summary: 'Full-text search of the archive with filters',
      querystring: z.object({
        text: optionalText,
        accountId: optionalText,
        kind: z.union([z.enum(RECORD_KINDS), z.array(z.enum(RECORD_KINDS))]).optional(),
        author: optionalText,
        from: optionalText,
        to: optionalText,
        status: z.enum(['deleted', 'hidden']).optional(),
        onHold: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
        limit: z.coerce.number().int().min(1).max(500).optional(),
        offset: z.coerce.number().int().min(0).max(100_000).optional(),
      }),
    },
  }, async (request) => searchArchive(archive, sessionOf(request).actor.orgId, request.query));

  r.get('/api/archive/holds', {
    config: { permission: 'archive.search' },
    schema: { tags: ['archive'], summary: 'Legal holds, active and released' },
  }, async (request) => listHolds(app.db, sessionOf(request).actor.orgId));

  r.post('/api/archive/holds', {
    config: { permission: 'archive.hold' },
    schema: {
      tags: ['archive'],
      summary: 'Place a legal hold: the records it covers cannot be disposed of',
      body: z.object({
        name: z.string(),
        reason: z.string(),
        criteria: z.object({ accountId: z.string().optional(), from: z.string().optional(), to: z.string().optional(), author: z.string().optional(), query: z.string().optional() }),
      }),
    },
  }, async (request, reply) => reply.status(201).send({ id: await placeHold(commandContext(request), request.body) }));

  r.post('/api/archive/holds/:id/release', {
    config: { permission: 'archive.hold' },
    schema: { tags: ['archive'], summary: 'Release a legal hold', params: z.object({ id: z.string().min(1) }), body: z.object({ reason: z.string() }) },
  }, async (request) => {
    await releaseHold(commandContext(request), request.params.id, request.body.reason);
    return { status: 'released' };
  });

  r.get('/api/archive/retention', {
    config: { permission: 'archive.search' },
    schema: { tags: ['archive'], summary: 'The retention schedule per record series (the City Clerk\'s entries over the pack\'s)' },
  }, async (request) => {
    const s = sessionOf(request);
    return retentionSchedule(archive, s.actor.orgId, s.city.pack);
  });

  r.put('/api/archive/retention/:series', {
    config: { permission: 'archive.disposition.approve' },
    schema: {
      tags: ['archive'],
      summary: 'Record the retention period of a series from the records schedule',
      params: z.object({ series: z.string().min(1).max(64) }),
      body: z.object({ retainYears: z.number().int().min(1).max(200).nullable(), scheduleItem: z.string() }),
    },
  }, async (request) => {
    await setRetentionPeriod(commandContext(request), { series: request.params.series, ...request.body });
    return { status: 'ok' };
  });

  r.get('/api/archive/disposition', {
    config: { permission: 'archive.search' },
    schema: { tags: ['archive'], summary: 'Records past their retention date, and those kept by legal holds', querystring: z.object({ limit: z.coerce.number().int().min(1).max(5000).optional() }) },
  }, async (request) => {
    const s = sessionOf(request);
    return dueForDisposition(archive, s.actor.orgId, s.city.pack, new Date(), { limit: request.query.limit });
  });

  r.post('/api/archive/disposition', {
    config: { permission: 'archive.disposition.approve' },
    schema: { tags: ['archive'], summary: 'Approve the destruction of due records (the log keeps what, when and on whose approval)', body: z.object({ recordIds: z.array(z.string()), reason: z.string() }) },
  }, async (request) => approveDisposition(commandContext(request), archive, request.body));

  r.get('/api/archive/dispositions', {
    config: { permission: 'archive.search' },
    schema: { tags: ['archive'], summary: 'The disposition log (never destroyed)', querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional(), offset: z.coerce.number().int().min(0).optional() }) },
  }, async (request) => listDispositions(app.db, sessionOf(request).actor.orgId, request.query));
}
