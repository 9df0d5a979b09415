// `archive verify`: recompute everything from the stored bytes and name what does not add up.
//  - removed:  a leaf index is missing, or a record's content is gone without a disposition entry;
//  - altered:  content no longer hashes to its leaf, a payload or evidence no longer matches the
//              hash inside the canonical bytes, or metadata was changed in place;
//  - inserted: a record (or content row) that CivicDesk did not write;
//  - checkpoint: a signed checkpoint whose root the records no longer produce, or a bad signature.
//
// Two passes, so that a million records verify in seconds:
//  1. The screen (verify-screen.ts; on PostgreSQL verify-screen-pg.ts) re-hashes every record's
//     canonical bytes, payload and evidence and compares every plain copy, over ranges of leaf
//     indexes in parallel (worker threads on SQLite, concurrent queries on PostgreSQL). It keeps the
//     stored leaf hashes for the checkpoint roots and each record's MAC-input digest for the seals.
//  2. Batch seals (seals.ts) vouch for the metadata of whole capture batches with one MAC each.
//     Every record the screen flagged, or that no valid seal vouches for (captured before seals
//     existed, or in a batch whose seal fails), is read again and checked on its own, with its own
//     MAC (verify-detail.ts): that is where each problem gets its name.
import { sql } from 'kysely';
import { HASH_SIZE, rootsAtPacked } from './merkle.js';
import { verifyCheckpoint, vkeyFor } from './checkpoint.js';
import { digestOfDigests, sealMac } from './seals.js';
import { detailRecords, orphanContents } from './verify-detail.js';
import { openScreenConnection, screenSqliteRange, type ScreenRange, type ScreenResult } from './verify-screen.js';
import { screenPostgresRange, sealDigestsPostgres, type SealDigest } from './verify-screen-pg.js';
import { defaultWorkerCount, screenInWorkers } from './verify-pool.js';
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
  /** Records checked one by one in the second pass (flagged, or not vouched for by a seal). */
  detailed: number;
  problems: VerifyProblem[];
  ok: boolean;
  seconds: number;
}

export interface VerifyOptions {
  /** Screening threads on SQLite, or concurrent queries on PostgreSQL. Default: the machine's cores (at most 8). */
  workers?: number;
  /** Leaves per screened range. Default 20,000. */
  rangeSize?: number;
  /** SQLite: below this many leaves the screen runs in this thread (starting threads costs more). Default 50,000. */
  minParallel?: number;
}

export async function verifyArchive(deps: ArchiveDeps, orgId: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = process.hrtime.bigint();
  const problems: VerifyProblem[] = [];
  const { db } = deps;
  const log = await db.selectFrom('archive_logs').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  if (!log) return { orgId, size: 0, records: 0, destroyed: 0, checkpoints: 0, detailed: 0, problems, ok: true, seconds: 0 };
  const key = deps.keys.load(orgId);
  if (!key) throw new Error(`the archive key for city ${orgId} is missing: verification needs it to check record MACs`);
  if (key.publicKeyRaw.toString('hex') !== log.public_key) {
    problems.push({ kind: 'checkpoint', message: 'the public key stored with the log is not this city\'s archive key' });
  }
  const last = await db.selectFrom('archive_records').select((eb) => eb.fn.max('leaf_index').as('last')).where('org_id', '=', orgId).executeTakeFirst();
  const total = Math.max(log.size, Number(last?.last ?? -1) + 1);
  const rangeSize = Math.max(1, options.rangeSize ?? 20_000);
  const ranges: ScreenRange[] = [];
  for (let from = 0; from < total; from += rangeSize) ranges.push({ from, to: Math.min(total, from + rangeSize) });

  // Pass 1: the screen.
  const workers = Math.max(1, options.workers ?? defaultWorkerCount());
  const screens = deps.dialect === 'postgres'
    ? await mapConcurrently(ranges, workers, (r) => screenPostgresRange(db, orgId, r))
    : await screenSqlite(deps, orgId, ranges, total < (options.minParallel ?? 50_000) ? 0 : workers);
  const leaves = Buffer.alloc(HASH_SIZE * Math.max(1, total));
  const present = new Uint8Array(total);
  const digests = deps.dialect === 'postgres' ? null : Buffer.alloc(HASH_SIZE * Math.max(1, total));
  const flagged: number[] = [];
  const strays: string[] = [];
  let records = 0;
  for (const s of screens) {
    leaves.set(s.leaves, s.from * HASH_SIZE);
    present.set(s.present, s.from);
    if (digests && s.digests) digests.set(s.digests, s.from * HASH_SIZE);
    flagged.push(...s.suspects, ...s.unpaired);
    strays.push(...s.strays);
    records += s.records;
  }
  for (let i = 0; i < total; i++) {
    if (!present[i]) problems.push({ kind: 'removed', leafIndex: i, message: `leaf ${i} is missing: a record was deleted from the log` });
  }

  // Pass 2a: seals. A seal vouches for its range only if every record in it is present and the
  // MAC over their digests verifies with this city's key.
  const sealDigests: SealDigest[] = deps.dialect === 'postgres'
    ? (await mapConcurrently(ranges, workers, (r) => sealDigestsPostgres(db, orgId, r))).flat()
    : (await db.selectFrom('archive_seals').select(['first_leaf', 'count', 'mac']).where('org_id', '=', orgId).orderBy('first_leaf').execute())
      .map((s) => ({ firstLeaf: s.first_leaf, count: s.count, mac: s.mac, digest: sqliteSealDigest(digests!, present, s.first_leaf, s.count) }));
  const vouched = new Uint8Array(total);
  for (const seal of sealDigests) {
    if (!seal.digest || seal.firstLeaf < 0 || seal.count <= 0 || seal.firstLeaf + seal.count > total) continue;
    if (sealMac(key.macKey, orgId, { firstLeaf: seal.firstLeaf, count: seal.count }, seal.digest) === seal.mac) {
      vouched.fill(1, seal.firstLeaf, seal.firstLeaf + seal.count);
    }
  }

  // Pass 2b: every flagged or unvouched record, checked and named one by one.
  const detail = new Set(flagged);
  for (let i = 0; i < total; i++) if (present[i] && !vouched[i]) detail.add(i);
  const disposed = new Set((await db.selectFrom('archive_dispositions').select('record_id').where('org_id', '=', orgId).execute()).map((d) => d.record_id));
  const detailed = [...detail].sort((a, b) => a - b);
  const outcome = await detailRecords(deps, orgId, key.macKey, log.size, detailed, disposed);
  problems.push(...outcome.problems);
  // Content rows filed under no screened index, and strays: inserted unless their record exists.
  const outside = await db.selectFrom('archive_contents').select('record_id').where('org_id', '=', orgId)
    .where((eb) => eb.or([eb('leaf_index', 'is', null), eb('leaf_index', '<', 0), eb('leaf_index', '>=', total)])).execute();
  problems.push(...await orphanContents(deps, orgId, [...strays, ...outside.map((o) => o.record_id)]));
  problems.sort((a, b) => (a.leafIndex ?? Number.MAX_SAFE_INTEGER) - (b.leafIndex ?? Number.MAX_SAFE_INTEGER));

  const checkpoints = await db.selectFrom('archive_checkpoints').selectAll().where('org_id', '=', orgId).orderBy('size').execute();
  const vkey = vkeyFor(log.key_name, Buffer.from(log.public_key, 'hex'));
  const roots = rootsAtPacked(leaves, total, checkpoints.map((c) => c.size).filter((s) => s <= total));
  for (const c of checkpoints) {
    const signed = verifyCheckpoint(c.note, vkey);
    if (!signed || signed.size !== c.size || Buffer.from(signed.root).toString('hex') !== c.root) {
      problems.push({ kind: 'checkpoint', message: `checkpoint at size ${c.size}: its signature does not verify with the city's key` });
      continue;
    }
    const root = roots.get(c.size);
    if (!root) problems.push({ kind: 'checkpoint', message: `checkpoint at size ${c.size}: the log has only ${total} records` });
    else if (root.toString('hex') !== c.root) problems.push({ kind: 'checkpoint', message: `checkpoint at size ${c.size}: the records no longer produce the signed root` });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    orgId, size: log.size, records, destroyed: outcome.destroyed, checkpoints: checkpoints.length, detailed: detailed.length,
    problems, ok: problems.length === 0, seconds,
  };
}

/** SHA-256 over the digests of a seal's records, or null if any of them is missing. */
function sqliteSealDigest(digests: Buffer, present: Uint8Array, firstLeaf: number, count: number): Buffer | null {
  if (firstLeaf < 0 || count <= 0 || firstLeaf + count > present.length) return null;
  for (let i = firstLeaf; i < firstLeaf + count; i++) if (!present[i]) return null;
  return digestOfDigests(digests.subarray(firstLeaf * HASH_SIZE, (firstLeaf + count) * HASH_SIZE));
}

/** SQLite: the screen reads the database file through its own read-only connections. */
async function screenSqlite(deps: ArchiveDeps, orgId: string, ranges: ScreenRange[], workers: number): Promise<ScreenResult[]> {
  const file = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(deps.db);
  const path = file.rows[0]?.file;
  if (!path) throw new Error('archive verify needs the SQLite database in a file (an in-memory database cannot be screened)');
  if (workers > 1 && ranges.length > 1) return screenInWorkers(path, orgId, ranges, workers);
  const connection = openScreenConnection(path);
  try {
    return ranges.map((r) => screenSqliteRange(connection, orgId, r));
  } finally {
    connection.close();
  }
}

async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}
