// Finding and reviewing the records a request asks for. A search of the archive is frozen as run:
// the exact list, in order, with the query, so the city can later show what it searched and what it
// found. Each record is then included or excluded with a written reason, and spans of its text are
// redacted under one of the pack's exemptions. Nothing here touches the archived original.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { RECORD_KINDS, type RecordKind } from '../archive/record.js';
import { SEARCH_CAP, searchArchive, type ArchiveQuery } from '../archive/search.js';
import { runCommand, type CommandContext } from '../events/command.js';
import { AppError, badRequest, type FieldError } from '../http/errors.js';
import { assertManage, assertStatus, invalid, loadRequest, manageSpec, moveStatus, recordsRules, recordsSources } from './requests.shared.js';

const kind = z.enum(RECORD_KINDS);
export const SavedQuerySchema = z.strictObject({
  text: z.string().trim().max(1000).optional(),
  accountId: z.string().min(1).max(512).optional(),
  kind: z.union([kind, z.array(kind).min(1)]).optional(),
  author: z.string().trim().min(1).max(512).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  status: z.enum(['deleted', 'hidden']).optional(),
}).refine((q) => Object.values(q).some((v) => v !== undefined && v !== ''), { message: 'a search needs at least one criterion (words, account, kind, author or dates)' });
export type SavedQuery = z.input<typeof SavedQuerySchema>;

const ReviewSchema = z.strictObject({
  recordId: z.string().min(1).max(200),
  decision: z.enum(['include', 'exclude']),
  reason: z.string().trim().min(3, 'say why').max(2000),
  /** Withheld under this exemption (exclude only); without it an exclusion means "not responsive". */
  exemption: z.string().min(1).max(100).nullable().optional(),
});
export type ReviewInput = z.input<typeof ReviewSchema>;

const RedactionSchema = z.strictObject({
  recordId: z.string().min(1).max(200),
  start: z.int().min(0),
  end: z.int().min(1),
  code: z.string().min(1).max(100),
  note: z.string().trim().max(2000).nullable().optional(),
});
export type RedactionInput = z.input<typeof RedactionSchema>;

/** Redacted copies are made for requests; a search for a request never finds them as candidates. */
const SEARCHABLE_KINDS: RecordKind[] = RECORD_KINDS.filter((k) => k !== 'redacted_copy');
const PAGE = 500;

async function isCandidate(ctx: CommandContext, requestId: string, recordId: string): Promise<boolean> {
  return !!(await ctx.db.selectFrom('records_request_candidates').select('record_id')
    .where('request_id', '=', requestId).where('record_id', '=', recordId).executeTakeFirst());
}

/** Runs the saved query over the archive and freezes the exact result list; the request is then in review. */
export async function searchCandidates(ctx: CommandContext, archive: ArchiveDeps, id: string, input: SavedQuery): Promise<{ searchId: string; total: number; recordIds: string[] }> {
  const parsed = SavedQuerySchema.safeParse(input);
  if (!parsed.success) throw badRequest('The search is not valid', parsed.error.issues.map((i) => ({ path: ['body', 'query', ...i.path.map(String)].join('.'), message: i.message })));
  const request = await loadRequest(ctx.db, ctx.actor.orgId, id);
  // Before searching: a person who may not handle the request learns nothing from the archive.
  assertManage(ctx, request);
  assertStatus(request, ['received', 'acknowledged', 'searching', 'in_review'], 'be searched');
  const query: ArchiveQuery = { ...parsed.data, text: parsed.data.text || undefined, kind: parsed.data.kind ?? SEARCHABLE_KINDS };
  const ids: string[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await searchArchive(archive, ctx.actor.orgId, { ...query, limit: PAGE, offset });
    // An answer must be complete (BZ-13): a list cut at the search cap is not what the archive holds.
    if (page.totalCapped) throw badRequest(`More than ${SEARCH_CAP} records match: narrow the search (dates, account, words) and run it in parts`, [{ path: 'body.query', message: 'too many matches' }]);
    for (const hit of page.results) if (!ids.includes(hit.id)) ids.push(hit.id);
    if (page.results.length < PAGE || ids.length >= page.total) break;
  }
  return runCommand(ctx, manageSpec('records.request_searched', request), async (trx, now) => {
    const searchId = randomUUID();
    await trx.insertInto('records_request_searches').values({
      id: searchId, org_id: request.org_id, request_id: id, query: JSON.stringify(parsed.data), total: ids.length,
      actor_id: ctx.actor.userId, actor_label: ctx.actor.label, created_at: now.toISOString(),
    }).execute();
    for (let i = 0; i < ids.length; i += PAGE) {
      await trx.insertInto('records_request_candidates').values(ids.slice(i, i + PAGE).map((recordId, j) => ({
        org_id: request.org_id, request_id: id, search_id: searchId, position: i + j, record_id: recordId,
      }))).execute();
    }
    const updated = request.status === 'in_review' ? request : await moveStatus(trx, request, { status: 'in_review' }, now);
    return {
      result: { searchId, total: ids.length, recordIds: ids }, targetType: 'records_request', targetId: id,
      before: { status: request.status }, after: { status: updated.status, searchId, query: parsed.data, found: ids.length },
      sources: recordsSources(ctx.actor.pack),
    };
  });
}

/** Includes or excludes one candidate, with the reason; the latest decision on a record is in force. */
export async function reviewRecord(ctx: CommandContext, id: string, input: ReviewInput): Promise<void> {
  const parsed = ReviewSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error, 'The review decision is not complete');
  const v = parsed.data;
  const rules = recordsRules(ctx.actor.pack);
  const errors: FieldError[] = [];
  if (v.exemption && v.decision === 'include') errors.push({ path: 'body.exemption', message: 'an included record is not withheld: redact spans instead' });
  if (v.exemption && !rules.exemptions.some((e) => e.code === v.exemption)) errors.push({ path: 'body.exemption', message: `one of ${rules.exemptions.map((e) => e.code).join(', ')}` });
  const request = await loadRequest(ctx.db, ctx.actor.orgId, id);
  assertManage(ctx, request);
  if (!(await isCandidate(ctx, id, v.recordId))) errors.push({ path: 'body.recordId', message: 'not among the records this request\'s searches found' });
  if (errors.length) throw badRequest('The review decision is not valid', errors);
  assertStatus(request, ['in_review'], 'be reviewed');
  if (v.decision === 'include') {
    const content = await ctx.db.selectFrom('archive_contents').select('record_id').where('record_id', '=', v.recordId).executeTakeFirst();
    if (!content) throw new AppError(409, 'conflict', 'That record\'s content was destroyed under an approved disposition: it cannot be produced (the disposition log says when and why)');
  }
  await runCommand(ctx, manageSpec('records.request_reviewed', request), async (trx, now) => {
    // The latest decision on a record is the one that counts, read by time: a second decision in
    // the same millisecond (two quick clicks, a script) is stamped a millisecond later, so "latest"
    // never falls to the order of random ids.
    const previous = await trx.selectFrom('records_request_reviews').select('created_at').where('request_id', '=', id)
      .where('record_id', '=', v.recordId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    const at = previous && Date.parse(previous.created_at) >= now.getTime() ? new Date(Date.parse(previous.created_at) + 1) : now;
    await trx.insertInto('records_request_reviews').values({
      id: randomUUID(), org_id: request.org_id, request_id: id, record_id: v.recordId, decision: v.decision, reason: v.reason,
      exemption_code: v.exemption ?? null, actor_id: ctx.actor.userId, actor_label: ctx.actor.label, created_at: at.toISOString(),
    }).execute();
    return {
      result: undefined, targetType: 'records_request', targetId: id,
      after: { recordId: v.recordId, decision: v.decision, reason: v.reason, exemption: v.exemption ?? null }, sources: recordsSources(ctx.actor.pack),
    };
  });
}

/**
 * Marks a span of the record's normalized text (UTF-16 offsets, as the web page's string indexes)
 * to be withheld under an exemption. The event names the offsets and the code, never the text.
 */
export async function redactSpan(ctx: CommandContext, id: string, input: RedactionInput): Promise<{ id: string }> {
  const parsed = RedactionSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error, 'The redaction is not complete');
  const v = parsed.data;
  const rules = recordsRules(ctx.actor.pack);
  const request = await loadRequest(ctx.db, ctx.actor.orgId, id);
  assertManage(ctx, request);
  const errors: FieldError[] = [];
  if (!rules.exemptions.some((e) => e.code === v.code)) errors.push({ path: 'body.code', message: `one of this city's exemptions: ${rules.exemptions.map((e) => e.code).join(', ')}` });
  const content = await ctx.db.selectFrom('archive_contents').select('text').where('org_id', '=', request.org_id).where('record_id', '=', v.recordId).executeTakeFirst();
  if (!(await isCandidate(ctx, id, v.recordId))) errors.push({ path: 'body.recordId', message: 'not among the records this request\'s searches found' });
  else if (!content?.text) errors.push({ path: 'body.recordId', message: 'the record has no text to redact' });
  else {
    if (v.end <= v.start) errors.push({ path: 'body.end', message: 'must be after start' });
    if (v.end > content.text.length) errors.push({ path: 'body.end', message: `at most ${content.text.length} (the length of the record's text)` });
    const existing = await ctx.db.selectFrom('records_request_redactions').select(['start_offset', 'end_offset'])
      .where('request_id', '=', id).where('record_id', '=', v.recordId).execute();
    if (existing.some((r) => v.start < r.end_offset && r.start_offset < v.end)) errors.push({ path: 'body.start', message: 'overlaps a span already redacted' });
  }
  if (errors.length) throw badRequest('The redaction is not valid', errors);
  assertStatus(request, ['in_review'], 'be redacted');
  return runCommand(ctx, manageSpec('records.request_redacted', request), async (trx, now) => {
    const redactionId = randomUUID();
    await trx.insertInto('records_request_redactions').values({
      id: redactionId, org_id: request.org_id, request_id: id, record_id: v.recordId, start_offset: v.start, end_offset: v.end,
      reason_code: v.code, note: v.note ?? null, actor_id: ctx.actor.userId, actor_label: ctx.actor.label, created_at: now.toISOString(),
    }).execute();
    return {
      result: { id: redactionId }, targetType: 'records_request', targetId: id,
      after: { redactionId, recordId: v.recordId, start: v.start, end: v.end, code: v.code }, sources: recordsSources(ctx.actor.pack),
    };
  });
}
