// Verify's first pass, the screen: every record and content row in a range of leaf indexes is
// re-hashed and compared, and only what disagrees is handed on by leaf index, for the second pass
// (verify-detail.ts) to read again and explain. A screen of a range yields:
//  - the stored leaf hashes, packed 32 bytes per leaf (the checkpoint roots are recomputed from them);
//  - which leaves are present;
//  - each record's digest d_i = SHA-256(macInput), packed, for the batch seals (seals.ts);
//  - suspects: records whose content row does not hash to the leaf, whose payload or evidence does
//    not match the hash the leaf commits to, or whose plain copies (text, author, account, kind,
//    position) no longer match;
//  - unpaired records (no content row at their index) and stray content rows (a content row whose
//    record is not at its index): usually destroyed records, otherwise something moved or forged.
// Nothing here decides what a problem is; it only says where to look.
//
// This file runs inside worker threads (verify-worker.ts) on SQLite, so it opens its own read-only
// connection and imports nothing that touches the app's database handle.
import SQLite from 'better-sqlite3';
import { HASH_SIZE } from './merkle.js';
import { summarizeContent, type ContentRow } from './verify-content.js';
import { recordDigest } from './seals.js';
import { MAC_COLUMNS } from './mac-input.js';

export interface ScreenRange {
  from: number;
  /** Exclusive. */
  to: number;
}

export interface ScreenResult extends ScreenRange {
  /** 32 bytes per leaf in [from, to): the record's stored leaf hash, zeros where absent. */
  leaves: Uint8Array;
  /** 1 per leaf in [from, to) where a record is present. */
  present: Uint8Array;
  /** 32 bytes per leaf: d_i for each present record (seals.ts). Null when the database computed the seal digests itself. */
  digests: Uint8Array | null;
  /** Leaf indexes whose record and content disagree. */
  suspects: number[];
  /** Leaf indexes of records with no content row filed at their index. */
  unpaired: number[];
  /** Record ids of content rows filed in this range whose record is not at that index. */
  strays: string[];
  records: number;
}

export function emptyScreen(range: ScreenRange, withDigests: boolean): ScreenResult {
  const n = range.to - range.from;
  return {
    ...range, leaves: new Uint8Array(n * HASH_SIZE), present: new Uint8Array(n),
    digests: withDigests ? new Uint8Array(n * HASH_SIZE) : null, suspects: [], unpaired: [], strays: [], records: 0,
  };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Writes a stored leaf hash into the packed array; a malformed one stays zeros and is a suspect. */
export function packLeaf(result: ScreenResult, leafIndex: number, hex: string): boolean {
  if (!HEX64.test(hex)) return false;
  Buffer.from(result.leaves.buffer, result.leaves.byteOffset, result.leaves.byteLength).write(hex, (leafIndex - result.from) * HASH_SIZE, HASH_SIZE, 'hex');
  return true;
}

// The MAC input is assembled by SQLite (the same fields, in the same order, joined by newlines,
// NULL as empty: mac-input.ts), so each record crosses into JavaScript as one blob.
const MAC_INPUT_SQL = MAC_COLUMNS.map((c) => `ifnull(${c}, '')`).join(` || char(10) || `);
const RECORDS_SQL = `select leaf_index, id, leaf_hash, account_id, kind, cast(${MAC_INPUT_SQL} as blob)
  from archive_records where org_id = ? and leaf_index >= ? and leaf_index < ? order by leaf_index`;
const CONTENTS_SQL = `select record_id, canonical, payload, evidence, text, author_id, author_handle, author_name, account_id, kind, leaf_index
  from archive_contents where org_id = ? and leaf_index >= ? and leaf_index < ? order by leaf_index`;

export type RecordTuple = [number, string, string, string | null, string, Buffer];
export type ContentTuple = [string, string, Buffer | null, Buffer | null, string | null, string | null, string | null, string | null, string | null, string | null, number];

/** A read-only connection for screening; memory-mapped, since the screen reads every page once. */
export function openScreenConnection(path: string): SQLite.Database {
  const db = new SQLite(path, { readonly: true, fileMustExist: true });
  db.pragma('mmap_size = 17179869184');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Screens one range on a SQLite connection. Both scans walk the (org_id, leaf_index) indexes. */
export function screenSqliteRange(db: SQLite.Database, orgId: string, range: ScreenRange): ScreenResult {
  const records = db.prepare(RECORDS_SQL).raw(true).iterate(orgId, range.from, range.to) as IterableIterator<RecordTuple>;
  const contents = db.prepare(CONTENTS_SQL).raw(true).iterate(orgId, range.from, range.to) as IterableIterator<ContentTuple>;
  return screenRows(range, records, contents);
}

/**
 * Screens a range from its records and its content rows, both in leaf order. The two are walked
 * side by side; a content row pairs with the record at its index when it names that record.
 */
export function screenRows(range: ScreenRange, records: Iterable<RecordTuple>, contents: Iterator<ContentTuple>): ScreenResult {
  const result = emptyScreen(range, true);
  const digests = result.digests!;
  let content = contents.next();
  for (const [leafIndex, id, leafHash, accountId, kind, macInput] of records) {
    // Content rows filed before this record's index belong to no record here.
    while (!content.done && content.value[10] < leafIndex) {
      result.strays.push(content.value[0]);
      content = contents.next();
    }
    const at = leafIndex - range.from;
    result.present[at] = 1;
    result.records++;
    digests.set(recordDigest(macInput), at * HASH_SIZE);
    let suspect = !packLeaf(result, leafIndex, leafHash);
    let paired = false;
    // Normally exactly one content row per index; extra rows at the same index are strays.
    while (!content.done && content.value[10] === leafIndex) {
      const c = content.value;
      if (c[0] === id && !paired) {
        paired = true;
        const summary = summarizeContent(contentRow(c));
        if (summary.leafHash !== leafHash || summary.faults.length > 0 || summary.accountId !== accountId || summary.kind !== kind) suspect = true;
      } else {
        result.strays.push(c[0]);
      }
      content = contents.next();
    }
    if (!paired) result.unpaired.push(leafIndex);
    else if (suspect) result.suspects.push(leafIndex);
  }
  for (; !content.done; content = contents.next()) result.strays.push(content.value[0]);
  return result;
}

function contentRow(c: ContentTuple): ContentRow {
  return {
    record_id: c[0], canonical: c[1], payload: c[2], evidence: c[3], text: c[4], author_id: c[5], author_handle: c[6],
    author_name: c[7], account_id: c[8], kind: c[9], leaf_index: c[10],
  };
}
