// Capture: append records to a city's log. One transaction per batch; the log head row is locked
// so leaf indexes are dense and ordered; a record already captured (same platform object version,
// or same dedupe key) is returned, not written again. Nothing is half-written: validation happens
// before the transaction, and the transaction commits all or nothing.
//
// Speed: PostgreSQL runs on its own core, so Node prepares records (canonical JSON, hashes, MACs)
// while the database executes the previous statement (`whileWaiting`), instead of taking turns.
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { badRequest } from '../http/errors.js';
import { leafHashOfText } from './merkle.js';
import { recordMac } from './keys.js';
import { macInput } from './mac-input.js';
import { digestOfDigests, recordDigest, sealMac } from './seals.js';
import { dedupeKeyOf, prepareRecord, RecordInputSchema, type PreparedRecord, type RecordInput, type ValidRecord } from './record.js';
import { originFor, type ArchiveDeps } from './archive.service.js';
import type { CityKey } from './stores.js';

export interface Captured {
  id: string;
  leafIndex: number;
  /** True when this exact record was already in the archive. */
  duplicate: boolean;
}

/** Rows per INSERT (and keys per dedupe query on SQLite); bench/archive.ts's raw baseline uses the same. */
export const CHUNK = 400;
/** How long Node works between event-loop turns while a statement is in flight. */
const SLICE_MS = 1;

type RecordRow = DB['archive_records'];

/** The city's log head, created with its key on first use. */
export async function ensureLog(deps: ArchiveDeps, orgId: string): Promise<CityKey> {
  const existing = await deps.db.selectFrom('archive_logs').select('org_id').where('org_id', '=', orgId).executeTakeFirst();
  const key = existing ? deps.keys.load(orgId) : deps.keys.create(orgId);
  if (!key) throw new Error(`the archive key for city ${orgId} is missing from the key folder: restore it from backup`);
  if (!existing) {
    const org = await deps.db.selectFrom('organizations').select('slug').where('id', '=', orgId).executeTakeFirstOrThrow();
    await deps.db.insertInto('archive_logs').values({
      org_id: orgId, origin: originFor(deps.host, org.slug), key_name: originFor(deps.host, org.slug),
      public_key: key.publicKeyRaw.toString('hex'), size: 0, nodes_size: 0, events_archived: 0,
      created_at: (deps.now?.() ?? new Date()).toISOString(),
    }).onConflict((oc) => oc.column('org_id').doNothing()).execute();
  }
  return key;
}

export function validateRecords(inputs: readonly RecordInput[]) {
  const valid = [];
  for (const [i, input] of inputs.entries()) {
    const parsed = RecordInputSchema.safeParse(input);
    if (!parsed.success) {
      throw badRequest(`Record ${i} is not valid; nothing was captured`, parsed.error.issues.map((issue) => ({
        path: `records[${i}]${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`,
        message: issue.message,
      })));
    }
    valid.push(parsed.data);
  }
  return valid;
}

export async function capture(deps: ArchiveDeps, orgId: string, inputs: readonly RecordInput[]): Promise<Captured[]> {
  // Every record is validated before anything is written, media and log head included.
  const batch = new Batch(validateRecords(inputs), deps.now?.() ?? new Date());
  const key = await ensureLog(deps, orgId);
  // Media first: content-addressed files, harmless if the transaction then fails.
  for (const r of batch.records) for (const m of r.media ?? []) await deps.blobs.put(m.bytes);
  return deps.db.transaction().execute((trx) => appendBatch(trx, deps, orgId, key, batch));
}

/**
 * A validated batch whose records are prepared (canonical bytes and their hashes) on demand, in
 * order: whatever was not prepared while waiting for the database is prepared when needed. So a
 * record that passes validation but has no canonical JSON (a BigInt in `meta`) fails inside the
 * transaction, which then rolls back: still nothing written.
 */
class Batch {
  readonly dedupeKeys: string[];
  private readonly prepared: Array<PreparedRecord | undefined>;
  private nextToPrepare = 0;

  constructor(readonly records: ValidRecord[], readonly now: Date) {
    this.dedupeKeys = records.map(dedupeKeyOf);
    this.prepared = new Array<PreparedRecord | undefined>(records.length);
  }

  get(at: number): PreparedRecord {
    const done = this.prepared[at];
    if (done) return done;
    const p = prepareRecord(this.records[at], this.now, this.dedupeKeys[at]);
    this.prepared[at] = p;
    return p;
  }

  /** Prepares the next record in order; false when all are. */
  prepareNext(): boolean {
    if (this.nextToPrepare >= this.records.length) return false;
    this.get(this.nextToPrepare++);
    return true;
  }
}

/** A record this transaction appends: where it is in the batch, and its place in the log. */
interface Appended {
  at: number;
  id: string;
  leafIndex: number;
}

/** The rows of the appended records, built in log order, one record per `buildNext()`. */
class Rows {
  readonly records: RecordRow[] = [];
  readonly contents: Array<DB['archive_contents']> = [];
  readonly blobs: Array<DB['archive_blobs']> = [];
  readonly digests: Buffer[] = [];
  private readonly createdAt: string;

  constructor(private readonly orgId: string, private readonly key: CityKey, private readonly batch: Batch, private readonly appended: readonly Appended[]) {
    this.createdAt = batch.now.toISOString();
  }

  get built(): number {
    return this.records.length;
  }

  buildNext(): boolean {
    if (this.built >= this.appended.length) return false;
    const { at, id, leafIndex } = this.appended[this.built];
    const p = this.batch.get(at);
    const r = p.record;
    const row = {
      org_id: this.orgId, leaf_index: leafIndex, id, kind: r.kind, series: p.series, platform: r.platform ?? null,
      account_id: r.accountId ?? null, platform_id: r.platformId ?? null, platform_version: r.platformVersion ?? null,
      subject_id: r.subjectId ?? null, parent_id: r.parentId ?? null, thread_id: r.threadId ?? null,
      captured_at: p.capturedAt, platform_time: r.platformTimes?.created ?? Object.values(r.platformTimes ?? {})[0] ?? null,
      dedupe_key: p.dedupeKey, leaf_hash: leafHashOfText(p.canonical),
    };
    const input = macInput(row);
    this.records.push({ ...row, mac: recordMac(this.key.macKey, input) });
    this.digests.push(recordDigest(input));
    this.contents.push({
      // The caller's bytes, not a copy: the INSERT has finished with them before capture returns.
      record_id: id, org_id: this.orgId, canonical: p.canonical, payload: asBuffer(r.payload),
      evidence: r.evidence ? asBuffer(r.evidence) : null, text: p.text,
      author_id: r.author?.id ?? null, author_handle: r.author?.handle ?? null, author_name: r.author?.name ?? null,
      account_id: row.account_id, kind: row.kind, leaf_index: row.leaf_index,
    });
    for (const m of p.media) this.blobs.push({ org_id: this.orgId, sha256: m.sha256, size: m.size, mime: m.mime, created_at: this.createdAt });
    return true;
  }

  buildUpTo(count: number): void {
    while (this.built < count && this.buildNext());
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function appendBatch(trx: Transaction<DB>, deps: ArchiveDeps, orgId: string, key: CityKey, batch: Batch): Promise<Captured[]> {
  let head = trx.selectFrom('archive_logs').select('size').where('org_id', '=', orgId);
  if (deps.dialect === 'postgres') head = head.forUpdate();
  // Canonical bytes do not depend on the log: prepare them while the lock and lookup are in flight.
  const prepare = () => batch.prepareNext();
  const { size } = await whileWaiting(head.executeTakeFirstOrThrow(), prepare);
  const existing = await whileWaiting(findExisting(trx, deps.dialect, orgId, [...new Set(batch.dedupeKeys)]), prepare);

  const results: Captured[] = [];
  const appended: Appended[] = [];
  let next = size;
  for (const [at, dedupeKey] of batch.dedupeKeys.entries()) {
    const seen = existing.get(dedupeKey);
    if (seen) {
      results.push({ id: seen.id, leafIndex: seen.leaf_index, duplicate: true });
      continue;
    }
    const entry = { at, id: randomUUID(), leafIndex: next++ };
    appended.push(entry);
    existing.set(dedupeKey, { id: entry.id, leaf_index: entry.leafIndex });
    results.push({ id: entry.id, leafIndex: entry.leafIndex, duplicate: false });
  }

  // Chunk k's rows go out while chunk k+1's are built; its two INSERTs queue on the connection.
  const rows = new Rows(orgId, key, batch, appended);
  const build = () => rows.buildNext();
  for (let i = 0; i < appended.length; i += CHUNK) {
    const end = Math.min(i + CHUNK, appended.length);
    rows.buildUpTo(end);
    await whileWaiting(Promise.all([
      trx.insertInto('archive_records').values(rows.records.slice(i, end)).execute(),
      trx.insertInto('archive_contents').values(rows.contents.slice(i, end)).execute(),
    ]), build);
  }
  if (appended.length > 0) {
    // One seal per transaction over what it appended (seals.ts): verify checks it instead of a MAC per record.
    const range = { firstLeaf: size, count: appended.length };
    const digest = digestOfDigests(rows.digests);
    await trx.insertInto('archive_seals').values({ org_id: orgId, first_leaf: size, count: appended.length, mac: sealMac(key.macKey, orgId, range, digest) }).execute();
  }
  for (let i = 0; i < rows.blobs.length; i += CHUNK) {
    await trx.insertInto('archive_blobs').values(rows.blobs.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['org_id', 'sha256']).doNothing()).execute();
  }
  if (next !== size) await trx.updateTable('archive_logs').set({ size: next }).where('org_id', '=', orgId).execute();
  return results;
}

/**
 * Waits for `query`, doing `step()` (one record's worth of CPU work; false when none is left)
 * while the database runs it. The work runs in slices between event-loop turns: a Kysely query
 * reaches the socket only after a few microtask hops, a large INSERT is written as the socket
 * drains, and a statement queued behind it is sent when the first one's reply is read, all of
 * which needs the loop to turn. If the work throws, the query is still awaited before rethrowing,
 * so the transaction rolls back on a quiet connection and no rejection goes unhandled.
 */
async function whileWaiting<T>(query: Promise<T>, step: () => boolean): Promise<T> {
  let settled = false;
  const done = query.then(() => { settled = true; }, () => { settled = true; });
  try {
    let more = true;
    while (more) {
      await nextTurn();
      if (settled) break;
      const until = performance.now() + SLICE_MS;
      do more = step(); while (more && performance.now() < until);
    }
  } catch (err) {
    await done;
    throw err;
  }
  return query;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Existing {
  id: string;
  leaf_index: number;
}

/**
 * The records of this city already captured under these dedupe keys.
 *
 * PostgreSQL: one query that probes the (org_id, dedupe_key) unique index once per key. The plain
 * `dedupe_key in (...)` is planned from table statistics, and without fresh ones (a new or
 * fast-growing archive, autovacuum behind or off) the planner reads every record of the city
 * through another (org_id, ...) index and filters: 0.5 s per batch at 200k records, growing with
 * the archive. A LATERAL subquery with LIMIT is not flattened into a join, so each key is an
 * equality on both columns of the unique index, which the planner takes whatever the statistics.
 */
async function findExisting(trx: Transaction<DB>, dialect: ArchiveDeps['dialect'], orgId: string, keys: string[]): Promise<Map<string, Existing>> {
  const existing = new Map<string, Existing>();
  if (keys.length === 0) return existing;
  if (dialect === 'postgres') {
    const { rows } = await sql<{ dedupe_key: string } & Existing>`
      select k.dedupe_key, r.id, r.leaf_index from unnest(cast(${keys} as text[])) as k(dedupe_key)
      cross join lateral (
        select id, leaf_index from archive_records where org_id = ${orgId} and dedupe_key = k.dedupe_key limit 1
      ) as r`.execute(trx);
    for (const r of rows) existing.set(r.dedupe_key, { id: r.id, leaf_index: r.leaf_index });
    return existing;
  }
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await trx.selectFrom('archive_records').select(['dedupe_key', 'id', 'leaf_index'])
      .where('org_id', '=', orgId).where('dedupe_key', 'in', keys.slice(i, i + CHUNK)).execute();
    for (const r of rows) existing.set(r.dedupe_key, { id: r.id, leaf_index: r.leaf_index });
  }
  return existing;
}
