// Exports outside a records request (issue 8, item 5): e.g. an account's whole history for a
// department that is closing the account, or a court's preservation order. The selection is by
// archive fields (account, kind, dates, thread), not full-text search, so it is never capped; the
// package is the same one a request produces. Who exported what, and the package's SHA-256, is
// itself an event (and so an archive record): a copy of public records leaving the system is a
// fact the Clerk must be able to show later.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { runCommand, type CommandContext } from '../events/command.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { buildProductionPackage, type ProductionSummary } from './package/package.js';
import { badRequest, forbidden } from '../http/errors.js';
import { decide } from '../policy/can.js';

export interface ExportSelection {
  accountId?: string;
  kinds?: readonly string[];
  /** Captured on or after (ISO date or date-time). */
  from?: string;
  /** Captured before the end of this day (ISO date) or this instant (date-time). */
  to?: string;
  threadId?: string;
}

const PAGE = 5000;

/** Record ids matching the selection, in log order. Destroyed records are left to the package to skip. */
export async function selectRecordIds(db: Kysely<DB>, orgId: string, sel: ExportSelection): Promise<string[]> {
  const to = sel.to && /^\d{4}-\d{2}-\d{2}$/.test(sel.to) ? `${sel.to}T23:59:59.999Z` : sel.to;
  const ids: string[] = [];
  for (let cursor = -1; ;) {
    let q = db.selectFrom('archive_records').select(['id', 'leaf_index']).where('org_id', '=', orgId).where('leaf_index', '>', cursor);
    if (sel.accountId) q = q.where('account_id', '=', sel.accountId);
    if (sel.kinds?.length) q = q.where('kind', 'in', [...sel.kinds]);
    if (sel.from) q = q.where('captured_at', '>=', new Date(sel.from).toISOString());
    if (to) q = q.where('captured_at', '<=', new Date(to).toISOString());
    if (sel.threadId) {
      const thread = sel.threadId;
      q = q.where((eb) => eb.or([eb('thread_id', '=', thread), eb('platform_id', '=', thread), eb('subject_id', '=', thread)]));
    }
    const rows = await q.orderBy('leaf_index').limit(PAGE).execute();
    if (rows.length === 0) return ids;
    for (const r of rows) ids.push(r.id);
    cursor = rows[rows.length - 1]!.leaf_index;
  }
}

export interface ExportInput {
  selection: ExportSelection;
  title: string;
  /** Why the export is made; recorded with the event. */
  purpose: string;
  outFile: string;
  onProgress?: (done: number, total: number, phase: string) => void;
}

export async function exportRecords(ctx: CommandContext, archive: ArchiveDeps, input: ExportInput): Promise<ProductionSummary> {
  const orgId = ctx.actor.orgId;
  // Asked before the (possibly long) build; runCommand asks again when it records the export.
  const decision = decide(ctx.actor, 'archive.export', { orgId });
  if (!decision.allowed) throw forbidden(`Not allowed: ${decision.reason}`, 'archive.export', decision.sources);
  if (!input.purpose.trim()) throw badRequest('Say why these records are exported', [{ path: 'purpose', message: 'required' }]);
  const recordIds = await selectRecordIds(ctx.db, orgId, input.selection);
  if (recordIds.length === 0) throw badRequest('No archived records match this selection', [{ path: 'selection', message: 'matches no records' }]);
  const coverLetter = [
    input.title,
    '',
    `Exported on ${new Date().toISOString().slice(0, 10)} by ${ctx.actor.label}.`,
    `Purpose: ${input.purpose.trim()}`,
    `Selection: ${describeSelection(input.selection)}.`,
    `${recordIds.length} archived record(s). Every record's integrity can be checked offline with proof/verify-bundle.mjs.`,
  ].join('\n');
  // Built before the event: the event records the package's hash, and a failed build logs nothing.
  const summary = await buildProductionPackage(archive, {
    orgId, title: input.title, recordIds, redacted: [], coverLetter, outFile: input.outFile, onProgress: input.onProgress,
  });
  return runCommand(ctx, { event: 'archive.exported', authorize: { action: 'archive.export', resource: { orgId } } }, async () => ({
    result: summary,
    targetType: 'archive_export',
    targetId: summary.sha256,
    after: { title: input.title, purpose: input.purpose.trim(), selection: input.selection, records: summary.records, sha256: summary.sha256, bytes: summary.bytes, checkpoint: summary.checkpoint },
    sources: ['BZ-13', 'KA-13'],
  }));
}

function describeSelection(sel: ExportSelection): string {
  const parts = [
    sel.accountId ? `account ${sel.accountId}` : 'all accounts',
    sel.kinds?.length ? `kinds ${sel.kinds.join(', ')}` : 'every kind',
    sel.threadId ? `thread ${sel.threadId}` : '',
    sel.from ? `captured from ${sel.from}` : '',
    sel.to ? `through ${sel.to}` : '',
  ];
  return parts.filter(Boolean).join(', ');
}
