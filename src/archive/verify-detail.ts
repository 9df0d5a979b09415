// Verify's second pass: the records the screen pointed at (and those no valid seal vouches for)
// are read again, one by one, and each disagreement is named:
//  - altered:  content no longer hashes to its leaf, a payload or evidence no longer matches the
//              hash inside the canonical bytes, a plain copy (text, author, account, kind,
//              position) no longer matches, or metadata was changed in place (its MAC fails);
//  - removed:  content deleted without an approved disposition;
//  - inserted: a record past the signed log head without a valid MAC, or a content row with no
//              record at all.
import type { ArchiveDeps } from './archive.service.js';
import { recordMac } from './keys.js';
import { macInput } from './mac-input.js';
import { summarizeContent, type ContentSummary } from './verify-content.js';
import type { VerifyProblem } from './verify.js';

const CHUNK = 500;

export interface DetailOutcome {
  problems: VerifyProblem[];
  /** Records whose content was destroyed under an approved disposition. */
  destroyed: number;
}

export async function detailRecords(
  deps: ArchiveDeps, orgId: string, macKey: Uint8Array, logSize: number, leafIndexes: readonly number[], disposed: ReadonlySet<string>,
): Promise<DetailOutcome> {
  const problems: VerifyProblem[] = [];
  let destroyed = 0;
  const { db } = deps;
  for (let i = 0; i < leafIndexes.length; i += CHUNK) {
    const slice = leafIndexes.slice(i, i + CHUNK);
    const records = await db.selectFrom('archive_records').selectAll().where('org_id', '=', orgId).where('leaf_index', 'in', slice).orderBy('leaf_index').execute();
    const contents = new Map<string, ContentSummary>();
    const ids = records.map((r) => r.id);
    if (ids.length > 0) {
      const rows = await db.selectFrom('archive_contents')
        .select(['record_id', 'canonical', 'payload', 'evidence', 'text', 'author_id', 'author_handle', 'author_name', 'account_id', 'kind', 'leaf_index'])
        .where('org_id', '=', orgId).where('record_id', 'in', ids).execute();
      for (const row of rows) contents.set(row.record_id, summarizeContent(row));
    }
    for (const row of records) {
      const where = { leafIndex: row.leaf_index, recordId: row.id };
      // Verify is offline and batch: a plain comparison of the MAC is enough (no timing oracle).
      const macOk = recordMac(macKey, macInput(row)) === row.mac;
      if (!macOk && row.leaf_index >= logSize) {
        problems.push({ kind: 'inserted', ...where, message: `record ${row.id} (leaf ${row.leaf_index}) was not written by CivicDesk: inserted directly into the database` });
        continue; // a forgery has no content of its own to look for
      }
      if (!macOk) {
        problems.push({ kind: 'altered', ...where, message: `record ${row.id} (leaf ${row.leaf_index}): its leaf hash or metadata (kind, dates, ids, position) was changed after capture` });
      }
      const content = contents.get(row.id);
      if (content) problems.push(...pairProblems(where, row, content));
      else if (disposed.has(row.id)) destroyed++;
      else problems.push({ kind: 'removed', ...where, message: `record ${row.id} (leaf ${row.leaf_index}): its content was deleted without an approved disposition` });
    }
  }
  return { problems, destroyed };
}

/** Content rows (by record id) with no record in this city's log at all: inserted. */
export async function orphanContents(deps: ArchiveDeps, orgId: string, recordIds: readonly string[]): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  for (let i = 0; i < recordIds.length; i += CHUNK) {
    const slice = recordIds.slice(i, i + CHUNK);
    const known = new Set((await deps.db.selectFrom('archive_records').select('id').where('org_id', '=', orgId).where('id', 'in', slice).execute()).map((r) => r.id));
    // A content row whose record exists elsewhere in the log is explained at that record (moved).
    for (const recordId of slice) {
      if (!known.has(recordId)) problems.push({ kind: 'inserted', recordId, message: `content ${recordId} has no record in the log: inserted directly into the database` });
    }
  }
  return problems;
}

/** A record and its content row, each already checked on its own: do they belong together? */
export function pairProblems(
  where: { leafIndex: number; recordId: string },
  record: { leaf_index: number; leaf_hash: string; account_id: string | null; kind: string },
  content: ContentSummary,
): VerifyProblem[] {
  const what = `record ${where.recordId} (leaf ${where.leafIndex})`;
  const out: VerifyProblem[] = [];
  if (content.leafHash !== record.leaf_hash) out.push({ kind: 'altered', ...where, message: `${what}: its content does not match its leaf hash` });
  for (const fault of content.faults) out.push({ kind: 'altered', ...where, message: `${what}: ${fault}` });
  if (content.accountId !== record.account_id || content.kind !== record.kind || content.leafIndex !== record.leaf_index) {
    out.push({ kind: 'altered', ...where, message: `${what}: the copy of its account, kind or position that search and verification read no longer matches the record` });
  }
  return out;
}
