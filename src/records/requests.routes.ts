// The records-request API: thin routes over the commands and queries. Every route but forwarding
// needs records.request.manage (the custodian, or a department's own handler where the pack scopes
// the grant); forwarding (KA-14) is open to every staff role the pack gives records.request.forward.
import { createReadStream, existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { commandContext, sessionOf } from '../http/context.js';
import { AppError, notFound } from '../http/errors.js';
import { LETTER_KINDS } from './letters.js';
import { defaultProductionsDir, produceRequest } from './produce.js';
import {
  acknowledgeRequest, closeRequest, denyRequest, forwardRequest, intakeRequest, setRequestStatus, updateRequest,
} from './requests.commands.js';
import { deadlines, getRequestDetail, listRequests, requestLetter, summarize } from './requests.queries.js';
import { assertManage, loadRequest, STATUSES } from './requests.shared.js';
import { redactSpan, reviewRecord, searchCandidates } from './review.commands.js';

const id = z.string().min(1).max(200);
const idParams = z.object({ id });
const NewRequest = z.object({
  requesterName: z.string(), requesterContact: z.string(), scope: z.string(), receivedAt: z.string().optional(),
  departmentId: z.string().nullable().optional(), notes: z.string().nullable().optional(),
});
const money = z.number().nullable().optional();

export async function recordsRequestsRoutes(app: FastifyInstance, opts: { archive: ArchiveDeps; productionsDir?: string }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = { archive: opts.archive, productionsDir: opts.productionsDir ?? defaultProductionsDir() };
  const manage = { permission: 'records.request.manage' as const };
  const tags = ['records'];
  const timeZone = (request: Parameters<typeof sessionOf>[0]) => sessionOf(request).city.pack.city.timeZone;

  r.post('/api/records/requests', {
    config: manage, schema: { tags, summary: 'Take in a public records request (the custodian); the pack\'s clock sets the due date', body: NewRequest },
  }, async (request, reply) => reply.code(201).send(summarize(await intakeRequest(commandContext(request), request.body), timeZone(request), new Date())));

  r.post('/api/records/forward', {
    config: { permission: 'records.request.forward' },
    schema: { tags, summary: 'Forward a records request you received to the City Clerk or equivalent custodian (KA-14)', body: NewRequest },
  }, async (request, reply) => {
    const created = await forwardRequest(commandContext(request), request.body);
    return reply.code(201).send({ id: created.id, number: created.number, dueOn: created.due_on, status: created.status });
  });

  r.get('/api/records/requests', {
    config: manage,
    schema: {
      tags, summary: 'Records requests, newest first',
      querystring: z.object({ status: z.enum(STATUSES).optional(), open: z.enum(['true', 'false']).optional(), q: z.string().trim().max(200).optional() }),
    },
  }, async (request) => listRequests(app.db, sessionOf(request).actor, { ...request.query, open: request.query.open === 'true' }, new Date()));

  r.get('/api/records/deadlines', {
    config: manage, schema: { tags, summary: 'Unanswered requests by due date, with days left and overdue' },
  }, async (request) => deadlines(app.db, sessionOf(request).actor, new Date()));

  r.get('/api/records/requests/:id', {
    config: manage, schema: { tags, summary: 'One request: candidates, decisions, redactions, productions and history', params: idParams },
  }, async (request) => {
    const detail = await getRequestDetail(app.db, sessionOf(request).actor, request.params.id, new Date());
    if (!detail) throw notFound('Records request');
    return detail;
  });

  r.post('/api/records/requests/:id/acknowledge', {
    config: manage, schema: { tags, summary: 'Acknowledge receipt (with fee and time estimates); returns the letter', params: idParams, body: z.object({ feeEstimateCents: money, timeEstimateHours: money }) },
  }, async (request) => acknowledgeRequest(commandContext(request), request.params.id, request.body));

  r.post('/api/records/requests/:id/estimates', {
    config: manage,
    schema: {
      tags, summary: 'Update the fee and time estimates, notes, or who handles the request', params: idParams,
      body: z.object({ feeEstimateCents: money, timeEstimateHours: money, notes: z.string().nullable().optional(), assignedTo: z.string().nullable().optional() }),
    },
  }, async (request) => summarize(await updateRequest(commandContext(request), request.params.id, request.body), timeZone(request), new Date()));

  r.post('/api/records/requests/:id/status', {
    config: manage, schema: { tags, summary: 'Mark a request as being searched, or withdrawn by the requester', params: idParams, body: z.object({ status: z.enum(['searching', 'withdrawn']), reason: z.string() }) },
  }, async (request) => {
    await setRequestStatus(commandContext(request), request.params.id, request.body);
    return { status: request.body.status };
  });

  r.post('/api/records/requests/:id/search', {
    config: manage, schema: { tags, summary: 'Search the archive for the request and freeze the exact result list', params: idParams, body: z.object({ query: z.record(z.string(), z.unknown()) }) },
  }, async (request) => searchCandidates(commandContext(request), opts.archive, request.params.id, request.body.query));

  r.post('/api/records/requests/:id/review', {
    config: manage,
    schema: {
      tags, summary: 'Include or exclude a found record, with the reason (and the exemption when withheld)', params: idParams,
      body: z.object({ recordId: z.string(), decision: z.enum(['include', 'exclude']), reason: z.string(), exemption: z.string().nullable().optional() }),
    },
  }, async (request) => {
    await reviewRecord(commandContext(request), request.params.id, request.body);
    return { status: 'recorded' };
  });

  r.post('/api/records/requests/:id/redactions', {
    config: manage,
    schema: {
      tags, summary: 'Redact a span of a record\'s text under one of the pack\'s exemptions (the original is never changed)', params: idParams,
      body: z.object({ recordId: z.string(), start: z.number(), end: z.number(), code: z.string(), note: z.string().nullable().optional() }),
    },
  }, async (request, reply) => reply.code(201).send(await redactSpan(commandContext(request), request.params.id, request.body)));

  r.post('/api/records/requests/:id/produce', {
    config: manage, schema: { tags, summary: 'Make redacted copies, build the production package and record it', params: idParams, body: z.object({ note: z.string().nullable().optional() }) },
  }, async (request) => produceRequest(commandContext(request), deps, request.params.id, request.body));

  r.post('/api/records/requests/:id/deny', {
    config: manage, schema: { tags, summary: 'Deny the whole request, citing the pack\'s exemptions', params: idParams, body: z.object({ exemptions: z.array(z.string()), explanation: z.string() }) },
  }, async (request) => {
    await denyRequest(commandContext(request), request.params.id, request.body);
    return { status: 'denied' };
  });

  r.post('/api/records/requests/:id/close', {
    config: manage, schema: { tags, summary: 'Close a request (a note is required when it was never answered)', params: idParams, body: z.object({ note: z.string().nullable().optional() }) },
  }, async (request) => {
    await closeRequest(commandContext(request), request.params.id, request.body);
    return { status: 'closed' };
  });

  r.get('/api/records/requests/:id/productions/:pid/download', {
    config: manage, schema: { tags, summary: 'Download a production package (ZIP)', params: z.object({ id, pid: id }) },
  }, async (request, reply) => {
    const ctx = commandContext(request);
    const found = await loadRequest(app.db, ctx.actor.orgId, request.params.id);
    assertManage(ctx, found);
    const production = await app.db.selectFrom('records_request_productions').select(['file_path', 'sha256'])
      .where('request_id', '=', found.id).where('id', '=', request.params.pid).executeTakeFirst();
    if (!production) throw notFound('Production');
    if (!existsSync(production.file_path)) throw new AppError(410, 'gone', 'The package file is no longer in the data folder: restore it from backup, or produce the request again');
    // Records of a request, redacted or not: never kept in a shared cache.
    return reply.type('application/zip').header('x-content-sha256', production.sha256).header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="${found.number}-${request.params.pid.slice(0, 8)}.zip"`)
      .send(createReadStream(production.file_path));
  });

  r.get('/api/records/requests/:id/letters/:kind', {
    config: manage, schema: { tags, summary: 'The acknowledgement, denial or cover letter, as plain text', params: z.object({ id, kind: z.enum(LETTER_KINDS) }) },
  }, async (request) => {
    const ctx = commandContext(request);
    const found = await loadRequest(app.db, ctx.actor.orgId, request.params.id);
    assertManage(ctx, found);
    return { kind: request.params.kind, text: await requestLetter(app.db, ctx.actor, found, request.params.kind, new Date()) };
  });
}
