import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionOf } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { findOrgBySlug } from '../org/org.queries.js';
import type { ArchiveDeps } from './archive.service.js';
import { getRecord, getRecordPayload, getThread } from './archive.queries.js';
import { createCheckpoint, latestCheckpoint, proveConsistency, proveInclusion } from './checkpoints.js';
import { verifyArchive } from './verify.js';
import { vkeyFor } from './checkpoint.js';
import { holdsCovering } from './holds.js';
import { archiveSources, retentionDate, retentionSchedule } from './retention.js';


export async function archiveRoutes(app: FastifyInstance, opts: { archive: ArchiveDeps }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { archive } = opts;
  const orgOf = (request: Parameters<typeof sessionOf>[0]) => sessionOf(request).actor.orgId;

  r.get('/api/archive/records/:id', {
    config: { permission: 'archive.search' },
    schema: { tags: ['archive'], summary: 'One archived record with its inclusion proof', params: z.object({ id: z.string().min(1) }) },
  }, async (request) => {
    const record = await getRecord(app.db, orgOf(request), request.params.id);
    if (!record) throw notFound('Record');
    const orgId = orgOf(request);
    const proof = await proveInclusion(app.db, orgId, record.leafIndex);
    const holds = (await holdsCovering(archive, orgId, [record.id])).get(record.id) ?? [];
    const series = (await retentionSchedule(archive, orgId, sessionOf(request).city.pack)).find((s) => s.series === record.series);
    const retention = { series: record.series, retainUntil: retentionDate(record.capturedAt, series?.retainYears ?? null), source: series?.source ?? 'none' };
    return { record, proof, holds, retention: { ...retention, scheduleItem: series?.scheduleItem ?? null }, sources: archiveSources(sessionOf(request).city.pack, [record.series]) };
  });

  r.get('/api/archive/records/:id/:part', {
    config: { permission: 'archive.search' },
    schema: { tags: ['archive'], summary: 'The raw platform payload or signed evidence of a record, byte for byte', params: z.object({ id: z.string().min(1), part: z.enum(['payload', 'evidence']) }) },
  }, async (request, reply) => {
    const found = await getRecordPayload(app.db, orgOf(request), request.params.id, request.params.part);
    if (!found) throw notFound(`The ${request.params.part} of that record`);
    return reply.type(found.type).header('content-disposition', `attachment; filename="${request.params.id}.${request.params.part}"`).send(found.bytes);
  });

  r.get('/api/archive/thread', {
    config: { permission: 'archive.search' },
    schema: { tags: ['archive'], summary: 'A post with its comments, every version, deletions, hides and moderation actions', querystring: z.object({ id: z.string().min(1) }) },
  }, async (request) => getThread(app.db, orgOf(request), request.query.id));

  r.get('/api/archive/checkpoint', {
    config: { permission: 'archive.search' },
    schema: { tags: ['archive'], summary: 'The latest signed checkpoint (tree size and root) and the city\'s verifier key' },
  }, async (request) => {
    const cp = await latestCheckpoint(app.db, orgOf(request));
    const log = await app.db.selectFrom('archive_logs').selectAll().where('org_id', '=', orgOf(request)).executeTakeFirst();
    return { checkpoint: cp ?? null, size: log?.size ?? 0, vkey: log ? vkeyFor(log.key_name, Buffer.from(log.public_key, 'hex')) : null };
  });

  r.post('/api/archive/checkpoint', {
    config: { permission: 'archive.export' },
    schema: { tags: ['archive'], summary: 'Sign a checkpoint now (also done hourly)' },
  }, async (request) => createCheckpoint(archive, orgOf(request)));

  r.get('/api/archive/consistency', {
    config: { permission: 'archive.search' },
    schema: { tags: ['archive'], summary: 'Consistency proof between two signed tree sizes', querystring: z.object({ from: z.coerce.number().int().min(0), to: z.coerce.number().int().min(1) }) },
  }, async (request) => proveConsistency(app.db, orgOf(request), request.query.from, request.query.to));

  r.post('/api/archive/verify', {
    config: { permission: 'archive.export' },
    schema: { tags: ['archive'], summary: 'Recompute every record, leaf and checkpoint; names anything altered, removed or inserted' },
  }, async (request) => verifyArchive(archive, orgOf(request)));

  // Public: anyone may fetch the signed tree head and key to check a bundle or watch the log.
  app.get<{ Params: { city: string } }>('/p/:city/archive/checkpoint', async (request, reply) => {
    const org = await findOrgBySlug(app.db, request.params.city);
    const cp = org ? await latestCheckpoint(app.db, org.id) : undefined;
    if (!cp) return reply.status(404).type('text/plain').send('no checkpoint yet\n');
    return reply.type('text/plain; charset=utf-8').send(cp.note);
  });
}
