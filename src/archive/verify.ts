// `archive verify`: recompute everything from the stored bytes and name what does not add up.
//  - removed:  a leaf index is missing, or a record's content is gone without a disposition entry;
//  - altered:  content no longer hashes to its leaf, a payload or evidence no longer matches the
//              hash inside the canonical bytes, or metadata was changed in place (MAC fails while
//              the content still matches);
//  - inserted: a record (or content row) that CivicDesk did not write (no valid MAC);
//  - checkpoint: a signed checkpoint whose root the records no longer produce, or a bad signature.
//
// Speed: records and contents are read as two scans in log order (contents carry a copy of their
// leaf index, 0004) and paired by record id, instead of a join that costs a random index read per
// record; leaf hashes are kept packed (32 bytes each) for the checkpoint roots.
import { HASH_SIZE, rootsAtPacked } from './merkle.js';
import { recordMac } from './keys.js';
import { verifyCheckpoint, vkeyFor } from './checkpoint.js';
import { macInput } from './capture.js';
import { summarizeContent, type ContentSummary } from './verify-content.js';
import type { ArchiveDeps } from './archive.service.js';

export type ProblemKind = 'removed' | 'altered' | 'inserted' | 'checkpoint';

export interface VerifyProblem {
  kind: ProblemKind;
  leafIndex?: number;
  recordId?: string;
  message: string;
}

export interface VerifyReport {
  orgId: string;
  size: number;
  records: number;
  destroyed: number;
  checkpoints: number;
  problems: VerifyProblem[];
  ok: boolean;
  seconds: number;
}

const PAGE = 1000;

export async function verifyArchive(deps: ArchiveDeps, orgId: string): Promise<VerifyReport> {
  const started = process.hrtime.bigint();
  const problems: VerifyProblem[] = [];
  const { db } = deps;
  const log = await db.selectFrom('archive_logs').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  if (!log) return { orgId, size: 0, records: 0, destroyed: 0, checkpoints: 0, problems, ok: true, seconds: 0 };
  const key = deps.keys.load(orgId);
  if (!key) throw new Error(`the archive key for city ${orgId} is missing: verification needs it to check record MACs`);
  if (key.publicKeyRaw.toString('hex') !== log.public_key) {
    problems.push({ kind: 'checkpoint', message: 'the public key stored with the log is not this city\'s archive key' });
  }
  const disposed = new Set((await db.selectFrom('archive_dispositions').select('record_id').where('org_id', '=', orgId).execute()).map((d) => d.record_id));

  // Content rows read so far whose record has not come up yet (normally only the current page's).
  const pending = new Map<string, ContentSummary>();
  let contentCursor = -1;
  let contentsDone = false;
  const readContentsThrough = async (leafIndex: number) => {
    while (!contentsDone && contentCursor < leafIndex) {
      const rows = await db.selectFrom('archive_contents')
        .select(['record_id', 'canonical', 'payload', 'evidence', 'text', 'author_id', 'author_handle', 'author_name', 'account_id', 'kind', 'leaf_index'])
        .where('org_id', '=', orgId).where('leaf_index', '>', contentCursor).orderBy('leaf_index').limit(PAGE).execute();
      if (rows.length === 0) contentsDone = true;
      for (const row of rows) pending.set(row.record_id, summarizeContent(row));
      contentCursor = rows.at(-1)?.leaf_index ?? contentCursor;
    }
  };

  let leaves = Buffer.alloc(HASH_SIZE * Math.max(1, log.size));
  let count = 0;
  const pushLeaf = (hex: string | null) => {
    if (count * HASH_SIZE === leaves.length) leaves = Buffer.concat([leaves, Buffer.alloc(leaves.length)]);
    if (hex !== null) leaves.write(hex, count * HASH_SIZE, HASH_SIZE, 'hex'); // else zeros: later roots fail too
    count++;
  };
  // Records whose content row has not been seen (destroyed, deleted, or filed under another index).
  const unpaired = new Map<string, { leafIndex: number; leafHash: string; accountId: string | null; kind: string }>();
  let records = 0;
  let destroyed = 0;
  for (let cursor = -1; ;) {
    const rows = await db.selectFrom('archive_records')
      .select(['org_id', 'leaf_index', 'id', 'kind', 'series', 'platform', 'account_id', 'platform_id', 'platform_version', 'subject_id',
        'parent_id', 'thread_id', 'captured_at', 'platform_time', 'dedupe_key', 'leaf_hash', 'mac'])
      .where('org_id', '=', orgId).where('leaf_index', '>', cursor).orderBy('leaf_index').limit(PAGE).execute();
    if (rows.length === 0) break;
    await readContentsThrough(rows.at(-1)!.leaf_index);
    for (const row of rows) {
      records++;
      const where = { leafIndex: row.leaf_index, recordId: row.id };
      for (; count < row.leaf_index; ) {
        problems.push({ kind: 'removed', leafIndex: count, message: `leaf ${count} is missing: a record was deleted from the log` });
        pushLeaf(null);
      }
      // Verify is offline and batch: a plain comparison of the MAC is enough (no timing oracle).
      const macOk = recordMac(key.macKey, macInput(row)) === row.mac;
      if (!macOk && row.leaf_index >= log.size) {
        problems.push({ kind: 'inserted', ...where, message: `record ${row.id} (leaf ${row.leaf_index}) was not written by CivicDesk: inserted directly into the database` });
        pushLeaf(row.leaf_hash);
        continue; // a forgery has no content of its own to look for
      }
      if (!macOk) {
        problems.push({ kind: 'altered', ...where, message: `record ${row.id} (leaf ${row.leaf_index}): its leaf hash or metadata (kind, dates, ids, position) was changed after capture` });
      }
      const content = pending.get(row.id);
      if (content) {
        pending.delete(row.id);
        problems.push(...pairProblems(where, row, content));
      } else if (disposed.has(row.id)) {
        destroyed++;
      } else {
        unpaired.set(row.id, { leafIndex: row.leaf_index, leafHash: row.leaf_hash, accountId: row.account_id, kind: row.kind });
      }
      pushLeaf(row.leaf_hash);
    }
    cursor = rows.at(-1)!.leaf_index;
  }
  for (; count < log.size; ) {
    problems.push({ kind: 'removed', leafIndex: count, message: `leaf ${count} is missing: a record was deleted from the log` });
    pushLeaf(null);
  }

  // Whatever content is left: rows filed under a later index (or none) than their record's, and
  // rows with no record in this log at all.
  await readContentsThrough(Number.MAX_SAFE_INTEGER);
  const unindexed = await db.selectFrom('archive_contents')
    .select(['record_id', 'canonical', 'payload', 'evidence', 'text', 'author_id', 'author_handle', 'author_name', 'account_id', 'kind', 'leaf_index'])
    .where('org_id', '=', orgId).where('leaf_index', 'is', null).execute();
  for (const row of unindexed) pending.set(row.record_id, summarizeContent(row));
  for (const [recordId, content] of pending) {
    const record = unpaired.get(recordId);
    if (!record) {
      problems.push({ kind: 'inserted', recordId, message: `content ${recordId} has no record in the log: inserted directly into the database` });
      continue;
    }
    unpaired.delete(recordId);
    problems.push(...pairProblems({ leafIndex: record.leafIndex, recordId }, { leaf_index: record.leafIndex, leaf_hash: record.leafHash, account_id: record.accountId, kind: record.kind }, content));
  }
  for (const [recordId, record] of unpaired) {
    problems.push({ kind: 'removed', leafIndex: record.leafIndex, recordId, message: `record ${recordId} (leaf ${record.leafIndex}): its content was deleted without an approved disposition` });
  }
  problems.sort((a, b) => (a.leafIndex ?? Number.MAX_SAFE_INTEGER) - (b.leafIndex ?? Number.MAX_SAFE_INTEGER));

  const checkpoints = await db.selectFrom('archive_checkpoints').selectAll().where('org_id', '=', orgId).orderBy('size').execute();
  const vkey = vkeyFor(log.key_name, Buffer.from(log.public_key, 'hex'));
  const roots = rootsAtPacked(leaves, count, checkpoints.map((c) => c.size).filter((s) => s <= count));
  for (const c of checkpoints) {
    const signed = verifyCheckpoint(c.note, vkey);
    if (!signed || signed.size !== c.size || Buffer.from(signed.root).toString('hex') !== c.root) {
      problems.push({ kind: 'checkpoint', message: `checkpoint at size ${c.size}: its signature does not verify with the city's key` });
      continue;
    }
    const root = roots.get(c.size);
    if (!root) problems.push({ kind: 'checkpoint', message: `checkpoint at size ${c.size}: the log has only ${count} records` });
    else if (root.toString('hex') !== c.root) problems.push({ kind: 'checkpoint', message: `checkpoint at size ${c.size}: the records no longer produce the signed root` });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { orgId, size: log.size, records, destroyed, checkpoints: checkpoints.length, problems, ok: problems.length === 0, seconds };
}

/** A record and its content row, each already checked on its own: do they belong together? */
function pairProblems(
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
