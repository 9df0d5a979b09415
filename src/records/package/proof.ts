// proof/: the same offline-verifiable bundle as exportBundle() in src/archive/export.ts —
// checkpoint.txt, vkey.txt, records.jsonl (leaf index, canonical bytes, inclusion proof),
// blobs/<sha256>, verify-bundle.mjs, README.txt — written page by page while the WACZ is written.
// exportBundle itself is not used because it reads every row with its payload into memory at once
// and writes each payload as its own blobs/ file; at 100k records that is ~300 MB of heap and 100k
// ZIP entries (yazl's cost is quadratic in entries). Payloads are in the WACZ instead, where each
// WARC record's WARC-Payload-Digest is the canonical record's payload.sha256; blobs/ keeps media
// and evidence (media is what verify-bundle.mjs cross-checks against records).
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ArchiveDeps } from '../../archive/archive.service.js';
import { createCheckpoint, type CheckpointView } from '../../archive/checkpoints.js';
import { rootFromNodes, type NodeReader } from '../../archive/merkle.js';
import { sha256Hex } from '../../archive/record.js';
import { chunks } from './select.js';
import { FileSink, type SinkResult } from './sink.js';

const VERIFIER = fileURLToPath(new URL('../../../tools/verify-bundle.mjs', import.meta.url));
const ZERO = Buffer.alloc(32);

/**
 * withStoredNodes (checkpoints.ts) for many proofs at once: the same two runs of `compute` (first
 * recording which nodes it reads, then with those nodes), but nodes are fetched level by level with
 * IN lists on the primary key. withStoredNodes' OR of (level, idx) pairs takes SQLite ~85 ms per
 * 500 nodes to plan and run; at 100k proofs that was ~25 s, this is well under one.
 */
async function withNodes<T>(db: Kysely<DB>, orgId: string, compute: (nodes: NodeReader) => T): Promise<T> {
  const wanted = new Map<number, Set<number>>();
  compute({
    node: (level, index) => {
      const set = wanted.get(level);
      if (set) set.add(index);
      else wanted.set(level, new Set([index]));
      return ZERO;
    },
  });
  const found = new Map<number, Map<number, Buffer>>();
  for (const [level, indexes] of wanted) {
    const atLevel = new Map<number, Buffer>();
    found.set(level, atLevel);
    for (const part of chunks([...indexes], 500)) {
      if (level === 0) {
        const rows = await db.selectFrom('archive_records').select(['leaf_index', 'leaf_hash']).where('org_id', '=', orgId).where('leaf_index', 'in', part).execute();
        for (const r of rows) atLevel.set(r.leaf_index, Buffer.from(r.leaf_hash, 'hex'));
      } else {
        const rows = await db.selectFrom('archive_nodes').select(['idx', 'hash']).where('org_id', '=', orgId).where('level', '=', level).where('idx', 'in', part).execute();
        for (const r of rows) atLevel.set(r.idx, Buffer.from(r.hash, 'hex'));
      }
    }
  }
  return compute({ node: (level, index) => found.get(level)?.get(index) });
}

/**
 * RFC 9162 PATH(m, D[n]) for each index, like merkle.ts inclusionProof, computing each subtree hash
 * once for all of them: consecutive leaves share most of their proof. A subtree D[start:end] is
 * rootFromNodes over a reader shifted to `start` (every range the recursion visits starts on a
 * multiple of each complete subtree inside it, so the shifted indexes are whole).
 */
export function inclusionProofs(indexes: readonly number[], size: number, nodes: NodeReader): string[][] {
  const memo = new Map<number, Map<number, string>>(); // start → end → hex hash
  const range = (start: number, end: number): string => {
    let ends = memo.get(start);
    if (!ends) memo.set(start, (ends = new Map()));
    let hash = ends.get(end);
    if (hash === undefined) {
      hash = rootFromNodes(end - start, { node: (level, index) => nodes.node(level, index + start / 2 ** level) }).toString('hex');
      ends.set(end, hash);
    }
    return hash;
  };
  return indexes.map((index) => {
    const siblings: string[] = [];
    let start = 0;
    let end = size;
    while (end - start > 1) {
      let k = 1;
      while (k * 2 < end - start) k *= 2;
      if (index - start < k) {
        siblings.push(range(start + k, end));
        end = start + k;
      } else {
        siblings.push(range(start, start + k));
        start += k;
      }
    }
    return siblings.reverse();
  });
}

export class ProofWriter {
  private readonly records: FileSink;
  private readonly blobNames = new Set<string>();
  private count = 0;

  private constructor(private readonly deps: ArchiveDeps, private readonly orgId: string, readonly dir: string, readonly checkpoint: CheckpointView) {
    mkdirSync(join(dir, 'blobs'), { recursive: true });
    this.records = new FileSink(join(dir, 'records.jsonl'));
  }

  /** Signs a checkpoint over the whole log now: every record that exists is covered by it. */
  static async open(deps: ArchiveDeps, orgId: string, dir: string): Promise<ProofWriter> {
    if (!existsSync(VERIFIER)) throw new Error(`the offline verifier is missing from this installation (${VERIFIER})`);
    return new ProofWriter(deps, orgId, dir, await createCheckpoint(deps, orgId));
  }

  /** Appends a page of records with their inclusion proofs against the checkpoint. */
  async add(rows: ReadonlyArray<{ id: string; leafIndex: number; canonical: string }>): Promise<void> {
    const size = this.checkpoint.size;
    const late = rows.find((r) => r.leafIndex >= size);
    if (late) throw new Error(`record ${late.id} (leaf ${late.leafIndex}) is newer than the checkpoint (size ${size})`);
    const proofs = await withNodes(this.deps.db, this.orgId, (nodes) => inclusionProofs(rows.map((r) => r.leafIndex), size, nodes));
    // The JSON is spelled out: base64 and hex need no escaping, and this runs once per record.
    const lines = rows.map((r, i) => `{"leafIndex":${r.leafIndex},"recordId":${JSON.stringify(r.id)},"canonical":"${Buffer.from(r.canonical, 'utf8').toString('base64')}","proof":[${proofs[i].map((h) => `"${h}"`).join(',')}]}\n`);
    this.records.write(lines.join(''));
    this.count += rows.length;
  }

  blob(bytes: Uint8Array): void {
    const name = sha256Hex(bytes);
    if (this.blobNames.has(name)) return;
    this.blobNames.add(name);
    writeFileSync(join(this.dir, 'blobs', name), bytes);
  }

  /** Closes the bundle; returns its files relative to `dir`. */
  finish(): { files: string[]; records: SinkResult; blobs: string[] } {
    const records = this.records.close();
    writeFileSync(join(this.dir, 'checkpoint.txt'), this.checkpoint.note);
    writeFileSync(join(this.dir, 'vkey.txt'), `${this.checkpoint.vkey}\n`);
    copyFileSync(VERIFIER, join(this.dir, 'verify-bundle.mjs'));
    writeFileSync(join(this.dir, 'README.txt'), [
      `Records of this production with proofs that they are in the city's archive. ${this.count} record(s); tree size ${this.checkpoint.size}.`,
      'Check offline with Node (18 or later), from the folder above this one: node proof/verify-bundle.mjs proof',
      'records.jsonl holds each record\'s canonical bytes (base64) and its inclusion proof against checkpoint.txt, which is signed',
      'by the key in vkey.txt. The raw platform payload of each record is in the WACZ (archive/data.warc.gz); its SHA-256 is',
      'the canonical record\'s payload.sha256. blobs/ holds media and evidence files, each named by its SHA-256.',
    ].join('\n') + '\n');
    const blobs = [...this.blobNames].sort();
    return { files: ['checkpoint.txt', 'vkey.txt', 'records.jsonl', 'verify-bundle.mjs', 'README.txt'], records, blobs };
  }

  abandon(): void {
    this.records.abandon();
  }
}
