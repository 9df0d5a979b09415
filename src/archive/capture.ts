// Capture: append records to a city's log. One transaction per batch; the log head row is locked
// so leaf indexes are dense and ordered; a record already captured (same platform object version,
// or same dedupe key) is returned, not written again. Nothing is half-written: validation happens
// before the transaction, and the transaction commits all or nothing.
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { badRequest } from '../http/errors.js';
import { leafHash } from './merkle.js';
import { recordMac } from './keys.js';
import { digestOfDigests, recordDigest, sealMac } from './seals.js';
import { prepareRecord, RecordInputSchema, type PreparedRecord, type RecordInput } from './record.js';
import { originFor, type ArchiveDeps } from './archive.service.js';
import type { CityKey } from './stores.js';

export interface Captured {
  id: string;
  leafIndex: number;
  /** True when this exact record was already in the archive. */
  duplicate: boolean;
}

const CHUNK = 400;

type RecordRow = DB['archive_records'];

/**
 * What a record's MAC covers: its position, its leaf hash and every metadata column used to find
 * it. A valid record copied to another index, or a kind or date changed in place, is caught.
 */
export function macInput(row: Omit<RecordRow, 'mac'>): Buffer {
  return Buffer.from([
    row.org_id, row.leaf_index, row.leaf_hash, row.id, row.kind, row.series, row.platform, row.account_id,
    row.platform_id, row.platform_version, row.subject_id, row.parent_id, row.thread_id, row.captured_at,
    row.platform_time, row.dedupe_key,
  ].map((v) => v ?? '').join('\n'), 'utf8');
}

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
  const records = validateRecords(inputs);
  const now = deps.now?.() ?? new Date();
  const prepared = records.map((r) => prepareRecord(r, now));
  const key = await ensureLog(deps, orgId);
  // Media first: content-addressed files, harmless if the transaction then fails.
  for (const p of prepared) for (const m of p.media) await deps.blobs.put(m.bytes);
  return deps.db.transaction().execute((trx) => appendPrepared(trx, deps, orgId, key, prepared, now));
}

async function appendPrepared(
  trx: Transaction<DB>, deps: ArchiveDeps, orgId: string, key: CityKey, prepared: PreparedRecord[], now: Date,
): Promise<Captured[]> {
  let head = trx.selectFrom('archive_logs').select('size').where('org_id', '=', orgId);
  if (deps.dialect === 'postgres') head = head.forUpdate();
  const { size } = await head.executeTakeFirstOrThrow();

  const keys = [...new Set(prepared.map((p) => p.dedupeKey))];
  const existing = new Map<string, { id: string; leaf_index: number }>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await trx.selectFrom('archive_records').select(['dedupe_key', 'id', 'leaf_index'])
      .where('org_id', '=', orgId).where('dedupe_key', 'in', keys.slice(i, i + CHUNK)).execute();
    for (const r of rows) existing.set(r.dedupe_key, { id: r.id, leaf_index: r.leaf_index });
  }

  const results: Captured[] = [];
  const recordRows: DB['archive_records'][] = [];
  const contentRows: DB['archive_contents'][] = [];
  const blobRows: DB['archive_blobs'][] = [];
  const digests: Buffer[] = [];
  let next = size;
  for (const p of prepared) {
    const seen = existing.get(p.dedupeKey);
    if (seen) {
      results.push({ id: seen.id, leafIndex: seen.leaf_index, duplicate: true });
      continue;
    }
    const id = randomUUID();
    const leafIndex = next++;
    const hash = leafHash(Buffer.from(p.canonical, 'utf8')).toString('hex');
    const r = p.record;
    const row = {
      org_id: orgId, leaf_index: leafIndex, id, kind: r.kind, series: p.series, platform: r.platform ?? null,
      account_id: r.accountId ?? null, platform_id: r.platformId ?? null, platform_version: r.platformVersion ?? null,
      subject_id: r.subjectId ?? null, parent_id: r.parentId ?? null, thread_id: r.threadId ?? null,
      captured_at: p.capturedAt, platform_time: r.platformTimes?.created ?? Object.values(r.platformTimes ?? {})[0] ?? null,
      dedupe_key: p.dedupeKey, leaf_hash: hash,
    };
    const input = macInput(row);
    recordRows.push({ ...row, mac: recordMac(key.macKey, input) });
    digests.push(recordDigest(input));
    contentRows.push({
      record_id: id, org_id: orgId, canonical: p.canonical, payload: Buffer.from(r.payload),
      evidence: r.evidence ? Buffer.from(r.evidence) : null, text: p.text,
      author_id: r.author?.id ?? null, author_handle: r.author?.handle ?? null, author_name: r.author?.name ?? null,
      account_id: row.account_id, kind: row.kind, leaf_index: row.leaf_index,
    });
    for (const m of p.media) blobRows.push({ org_id: orgId, sha256: m.sha256, size: m.size, mime: m.mime, created_at: now.toISOString() });
    existing.set(p.dedupeKey, { id, leaf_index: leafIndex });
    results.push({ id, leafIndex, duplicate: false });
  }
  for (let i = 0; i < recordRows.length; i += CHUNK) {
    await trx.insertInto('archive_records').values(recordRows.slice(i, i + CHUNK)).execute();
    await trx.insertInto('archive_contents').values(contentRows.slice(i, i + CHUNK)).execute();
  }
  if (recordRows.length > 0) {
    // One seal per transaction over what it appended (seals.ts): verify checks it instead of a MAC per record.
    const range = { firstLeaf: size, count: recordRows.length };
    const digest = digestOfDigests(digests);
    await trx.insertInto('archive_seals').values({ org_id: orgId, first_leaf: size, count: recordRows.length, mac: sealMac(key.macKey, orgId, range, digest) }).execute();
  }
  for (let i = 0; i < blobRows.length; i += CHUNK) {
    await trx.insertInto('archive_blobs').values(blobRows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['org_id', 'sha256']).doNothing()).execute();
  }
  if (next !== size) await trx.updateTable('archive_logs').set({ size: next }).where('org_id', '=', orgId).execute();
  return results;
}
