// The content API: compose with live checks, the approval queue, decisions, publishing, the pause
// switch, media uploads, incidents and (templates.routes.ts) emergency templates. Thin: parse,
// call a command or query, present.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandContext, sessionOf } from '../http/context.js';
import { badRequest, notFound } from '../http/errors.js';
import type { Vault } from '../accounts/vault.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { commentOnDraft, createDraft, decideDraft, DraftInput, findingsFor, submitDraft, updateDraft } from './drafts.commands.js';
import { getDraft, listDrafts, listIncidents, postableAccounts } from './content.queries.js';
import { publishAfterApproval, publishDraft, publishingPaused, setPublishingPaused } from './publish.js';
import { publishCorrection } from './corrections.js';
import { closeEmergency, openEmergency } from './incidents.commands.js';
import { templateRoutes } from './templates.routes.js';

export interface ContentRoutesOptions {
  archive: ArchiveDeps;
  vault: Vault;
}

/**
 * A draft is worked on by its author (content.submit), its approvers (content.approve: a Mayor or a
 * Supervisor who writes nothing) and its publisher; which draft each may see and which step each
 * may decide is checked per draft in the queries and commands.
 */
const DRAFT_PEOPLE = { anyOf: ['content.submit', 'content.approve', 'content.publish'] } as const;
const idParams = z.object({ id: z.string().min(1).max(200) });
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const MAX_IMAGE = 5 * 1024 * 1024;

export async function contentRoutes(app: FastifyInstance, opts: ContentRoutesOptions): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = { archive: opts.archive, vault: opts.vault };

  r.get('/api/content/drafts', { config: { permission: DRAFT_PEOPLE }, schema: { tags: ['content'], summary: 'Drafts you wrote or may approve or publish' } },
    async (request) => listDrafts(app.db, sessionOf(request).actor));

  r.get('/api/content/accounts', { config: { permission: 'content.submit' }, schema: { tags: ['content'], summary: 'The active accounts you may write posts for' } },
    async (request) => postableAccounts(app.db, sessionOf(request).actor));

  r.post('/api/content/check', {
    config: { permission: 'content.submit' },
    schema: { tags: ['content'], summary: 'Check a draft against the city\'s policy without saving it (live results while composing)', body: z.record(z.string(), z.unknown()) },
  }, async (request) => {
    const parsed = DraftInput.safeParse({ accountIds: ['-'], ...request.body });
    if (!parsed.success) return { findings: [] };
    return { findings: findingsFor(commandContext(request), parsed.data) };
  });

  r.post('/api/content/drafts', { config: { permission: 'content.submit' }, schema: { tags: ['content'], summary: 'Save a new draft (checked on save)', body: z.record(z.string(), z.unknown()) } },
    async (request, reply) => reply.code(201).send(await createDraft(commandContext(request), request.body)));

  r.get('/api/content/drafts/:id', { config: { permission: DRAFT_PEOPLE }, schema: { tags: ['content'], summary: 'One draft with its steps, decisions, discussion and publications', params: idParams } },
    async (request) => {
      const draft = await getDraft(app.db, sessionOf(request).actor, request.params.id);
      if (!draft) throw notFound('Draft');
      return draft;
    });

  r.put('/api/content/drafts/:id', { config: { permission: 'content.submit' }, schema: { tags: ['content'], summary: 'Edit a draft; an edit after submission sends it back to its author', params: idParams, body: z.record(z.string(), z.unknown()) } },
    async (request) => updateDraft(commandContext(request), request.params.id, request.body));

  r.post('/api/content/drafts/:id/submit', { config: { permission: 'content.submit' }, schema: { tags: ['content'], summary: 'Submit for approval (refused while a blocking finding remains)', params: idParams } },
    async (request) => submitDraft(commandContext(request), request.params.id));

  r.post('/api/content/drafts/:id/decision', {
    config: { permission: DRAFT_PEOPLE },
    schema: {
      tags: ['content'], summary: 'Approve or return the current step (the step\'s role decides; checked in the command); the last approval publishes (or schedules)', params: idParams,
      body: z.strictObject({ decision: z.enum(['approved', 'rejected']), comment: z.string().trim().max(2000).nullable().optional(), acknowledged: z.array(z.string().max(200)).max(100).optional() }),
    },
  }, async (request) => {
    const ctx = commandContext(request);
    const outcome = await decideDraft(ctx, request.params.id, request.body);
    const published = outcome.publishNow ? await publishAfterApproval(ctx, deps, request.params.id) : [];
    return { ...outcome, published };
  });

  r.post('/api/content/drafts/:id/comments', { config: { permission: DRAFT_PEOPLE }, schema: { tags: ['content'], summary: 'Discuss a draft', params: idParams, body: z.strictObject({ text: z.string().max(4000) }) } },
    async (request, reply) => reply.code(201).send({ id: await commentOnDraft(commandContext(request), request.params.id, request.body.text) }));

  r.post('/api/content/drafts/:id/publish', { config: { permission: 'content.publish' }, schema: { tags: ['content'], summary: 'Publish an approved draft now, or retry a failed one (never posts twice)', params: idParams } },
    async (request) => ({ published: await publishDraft(commandContext(request), deps, request.params.id) }));

  r.post('/api/content/drafts/:id/correction', {
    config: { permission: 'content.publish' },
    schema: { tags: ['content'], summary: 'Publish a public correction linked to the post (a reply in its thread); the original stays as it was', params: idParams, body: z.strictObject({ text: z.string().max(2000) }) },
  }, async (request) => ({ published: await publishCorrection(commandContext(request), deps, request.params.id, request.body.text) }));

  r.get('/api/content/publishing', { config: { permission: 'content.submit' }, schema: { tags: ['content'], summary: 'Whether publishing is paused for the city' } },
    async (request) => publishingPaused(app.db, sessionOf(request).actor.orgId));

  r.put('/api/content/publishing', {
    config: { permission: 'content.publish' },
    schema: { tags: ['content'], summary: 'Pause or resume all publishing', body: z.strictObject({ paused: z.boolean(), reason: z.string().trim().max(500).nullable().optional() }) },
  }, async (request) => {
    if (request.body.paused && !request.body.reason) throw badRequest('Say why publishing is paused', [{ path: 'body.reason', message: 'required when pausing' }]);
    await setPublishingPaused(commandContext(request), request.body.paused, request.body.reason ?? null);
    return publishingPaused(app.db, sessionOf(request).actor.orgId);
  });

  r.post('/api/content/media', {
    config: { permission: 'content.submit' }, bodyLimit: Math.ceil(MAX_IMAGE * 1.4) + 1024,
    schema: { tags: ['content'], summary: 'Upload an image (base64); returns its SHA-256 for the draft\'s media list', body: z.strictObject({ mime: z.enum(IMAGE_TYPES), dataBase64: z.string().min(4) }) },
  }, async (request, reply) => {
    const bytes = Buffer.from(request.body.dataBase64, 'base64');
    if (bytes.length === 0 || bytes.length > MAX_IMAGE) throw badRequest('The image must be between 1 byte and 5 MB', [{ path: 'body.dataBase64', message: `${bytes.length} bytes` }]);
    const sha256 = await opts.archive.blobs.put(bytes);
    return reply.code(201).send({ sha256, mime: request.body.mime, size: bytes.length });
  });

  r.post('/api/incidents', {
    config: { permission: 'incident.lead' },
    schema: { tags: ['content'], summary: 'Open an emergency (LX-5, BZ-8): you lead it, and its updates are pre-approved', body: z.strictObject({ summary: z.string().max(2000) }) },
  }, async (request, reply) => reply.code(201).send({ id: await openEmergency(commandContext(request), request.body.summary) }));

  r.post('/api/incidents/:id/close', {
    config: { permission: 'incident.lead' },
    schema: { tags: ['content'], summary: 'Close an emergency with the after-incident review', params: idParams, body: z.strictObject({ review: z.string().max(8000), websiteUpdated: z.boolean().optional() }) },
  }, async (request) => {
    await closeEmergency(commandContext(request), request.params.id, request.body);
    return { closed: true };
  });

  // 'self': vandalism alerts need account.view; emergencies also show to who writes, approves or leads their updates (checked in the query).
  r.get('/api/incidents', { config: { permission: 'self' }, schema: { tags: ['content'], summary: 'Incidents: vandalism alerts and emergencies' } },
    async (request) => listIncidents(app.db, sessionOf(request).actor));

  templateRoutes(app, deps);
}
