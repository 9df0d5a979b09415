// Producing the answer to a records request. Every candidate must have a decision first (a complete
// answer, BZ-13). Each included record with redactions becomes a new archive record of kind
// `redacted_copy` that points to its original (meta.derivedFrom, originalLeafIndex) and holds the
// text with each span replaced by [REDACTED: code] — never the removed text, in its text, payload
// or meta. The original record is never touched, so the log still verifies. Then the package is
// written under the data folder and the production recorded with its SHA-256.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { capture } from '../archive/capture.js';
import { sha256Hex, type RecordInput } from '../archive/record.js';
import type { RecordsRequestRedactionsTable } from '../db/schema.js';
import { runCommand, type CommandContext } from '../events/command.js';
import { AppError } from '../http/errors.js';
import { buildProductionPackage } from './package/package.js';
import { coverLetter } from './letters.js';
import { findLeaks } from './leaks.js';
import { reviewState, withholdings } from './requests.queries.js';
import { assertManage, assertStatus, invalid, loadRequest, manageSpec, moveStatus, recordsSources } from './requests.shared.js';

export interface RecordsDeps {
  archive: ArchiveDeps;
  /** Where production packages are written: `<data>/productions` in a deployment. */
  productionsDir: string;
}

/** The productions folder when the caller names none: beside the database in the data folder. */
export function defaultProductionsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.CIVICDESK_PRODUCTIONS ?? join(env.CIVICDESK_DATA ?? 'data', 'productions'));
}

const ProduceSchema = z.strictObject({ note: z.string().trim().max(5000).nullable().optional() });

export interface Span {
  start: number;
  end: number;
  code: string;
}

/** The text with each span replaced by its marker; spans do not overlap (redactSpan refuses that). */
export function applyRedactions(text: string, spans: readonly Span[]): string {
  let out = text;
  for (const s of [...spans].sort((a, b) => b.start - a.start)) out = `${out.slice(0, s.start)}[REDACTED: ${s.code}]${out.slice(s.end)}`;
  return out;
}

async function redactedCopy(ctx: CommandContext, requestId: string, number: string, recordId: string, rows: RecordsRequestRedactionsTable[]): Promise<RecordInput> {
  const original = await ctx.db.selectFrom('archive_records as r').innerJoin('archive_contents as c', 'c.record_id', 'r.id')
    .select(['r.leaf_index', 'r.kind', 'r.platform_time', 'c.text']).where('r.org_id', '=', ctx.actor.orgId).where('r.id', '=', recordId).executeTakeFirst();
  if (!original?.text) throw new AppError(409, 'conflict', `Record ${recordId} has no text any more (destroyed under a disposition): review it again`);
  const redactions = rows.map((r) => ({ start: r.start_offset, end: r.end_offset, code: r.reason_code })).sort((a, b) => a.start - b.start);
  const text = applyRedactions(original.text, redactions);
  const facts = { derivedFrom: recordId, originalLeafIndex: original.leaf_index, originalKind: original.kind, request: number, redactions };
  return {
    kind: 'redacted_copy',
    // The same redactions of the same record for the same request are one copy: producing again reuses it.
    dedupeKey: `redacted:${requestId}:${recordId}:${sha256Hex(JSON.stringify(redactions))}`,
    // The author is left out on purpose: who wrote it may be the very thing withheld.
    ...(original.platform_time ? { platformTimes: { created: original.platform_time } } : {}),
    text,
    payload: Buffer.from(JSON.stringify({ ...facts, text }), 'utf8'),
    payloadType: 'application/vnd.civicdesk.redacted-copy+json',
    meta: facts,
  };
}

export interface ProductionResult {
  productionId: string;
  status: 'produced' | 'partially_denied';
  sha256: string;
  bytes: number;
  records: number;
  redacted: Array<{ originalRecordId: string; derivedRecordId: string }>;
}

export async function produceRequest(ctx: CommandContext, deps: RecordsDeps, id: string, input: z.input<typeof ProduceSchema> = {}): Promise<ProductionResult> {
  const parsed = ProduceSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error, 'The production is not valid');
  const request = await loadRequest(ctx.db, ctx.actor.orgId, id);
  // Before anything is captured or written: only someone who may handle this request produces it.
  assertManage(ctx, request);
  assertStatus(request, ['in_review'], 'be produced');
  const state = await reviewState(ctx.db, id);
  const undecided = state.candidates.filter((c) => !state.decisions.has(c));
  if (undecided.length) throw new AppError(409, 'conflict', `${undecided.length} record(s) found by the searches have no decision yet: include or exclude each one first`);
  const included = state.candidates.filter((c) => state.decisions.get(c)?.decision === 'include');
  if (included.length === 0) throw new AppError(409, 'conflict', 'No record is included: deny the request citing the exemptions, or close it with a note (for example, no responsive records)');

  const spansOf = new Map<string, RecordsRequestRedactionsTable[]>();
  for (const r of state.redactions) if (included.includes(r.record_id)) spansOf.set(r.record_id, [...(spansOf.get(r.record_id) ?? []), r]);
  const originals = [...spansOf.keys()];
  const leaks = await findLeaks(ctx.db, ctx.actor.orgId, included, [...spansOf.values()].flat());
  if (leaks.length) {
    const listed = leaks.slice(0, 10).map((l) => `${l.recordId} (repeats what is redacted in ${l.redactedRecordId})`).join('; ');
    throw new AppError(409, 'redaction_leak', `The redacted words also appear in ${leaks.length} other included record(s): ${listed}${leaks.length > 10 ? '; …' : ''}. Redact or exclude them too; nothing was produced.`);
  }
  const copies = await Promise.all(originals.map((recordId) => redactedCopy(ctx, id, request.number, recordId, spansOf.get(recordId) ?? [])));
  const captured = copies.length ? await capture(deps.archive, ctx.actor.orgId, copies) : [];
  const redacted = originals.map((originalRecordId, i) => ({ originalRecordId, derivedRecordId: captured[i]!.id }));

  const withheld = withholdings(state);
  const pack = ctx.actor.pack;
  const now = ctx.now?.() ?? new Date();
  const letter = coverLetter(pack, request, { records: included.length, redactedCopies: redacted.length, withheld, note: parsed.data.note }, now);
  const productionId = randomUUID();
  const folder = join(deps.productionsDir, ctx.actor.orgId);
  mkdirSync(folder, { recursive: true });
  const outFile = join(folder, `${request.number}-${productionId}.zip`);
  let summary: Awaited<ReturnType<typeof buildProductionPackage>>;
  try {
    summary = await buildProductionPackage(deps.archive, {
      orgId: ctx.actor.orgId, title: `Records request ${request.number} — ${pack.city.name}`,
      recordIds: included.filter((r) => !spansOf.has(r)), redacted, coverLetter: letter, outFile,
    });
  } catch (err) {
    throw new AppError(500, 'package_failed', `The production package could not be built (${(err as Error).message}). Nothing was recorded as produced; the redacted copies already archived are reused when you try again.`);
  }

  const status = withheld.length ? 'partially_denied' as const : 'produced' as const;
  return runCommand(ctx, manageSpec('records.request_produced', request), async (trx, at) => {
    const items = included.map((recordId) => ({ recordId, derivedRecordId: redacted.find((r) => r.originalRecordId === recordId)?.derivedRecordId ?? null }));
    await trx.insertInto('records_request_productions').values({
      id: productionId, org_id: request.org_id, request_id: id, file_path: summary.file || outFile, sha256: summary.sha256, bytes: summary.bytes,
      summary: JSON.stringify({ ...summary, items, withheld, coverLetter: letter }), actor_id: ctx.actor.userId, actor_label: ctx.actor.label,
      created_at: at.toISOString(),
    }).execute();
    await moveStatus(trx, request, { status, answered_at: at.toISOString() }, at);
    return {
      result: { productionId, status, sha256: summary.sha256, bytes: summary.bytes, records: included.length, redacted },
      targetType: 'records_request', targetId: id, before: { status: request.status },
      after: { status, productionId, sha256: summary.sha256, bytes: summary.bytes, records: included.length, redacted, withheld },
      sources: recordsSources(pack),
    };
  });
}
