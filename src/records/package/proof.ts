// proof/: the same offline-verifiable bundle as exportBundle() in src/archive/export.ts —
// checkpoint.txt, vkey.txt, records.jsonl (leaf index, canonical bytes, inclusion proof),
// blobs/<sha256>, verify-bundle.mjs, README.txt — written page by page while the WACZ is written.
// exportBundle itself is not used: it reads every row with its payload into memory at once, builds
// all proofs through withStoredNodes (~25 s at 100k on SQLite, see storedProofs) and writes each
// payload as its own blobs/ file — 100k files, and 100k ZIP entries, whose cost in yazl is quadratic.
// Payloads are in the WACZ instead, where each WARC record's WARC-Payload-Digest is the canonical
// record's payload.sha256; blobs/ keeps media and evidence (media is what verify-bundle.mjs
// cross-checks against records).
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

/** The subtrees D[start:end] whose hashes are PATH(index, D[size]) of RFC 9162 §2.1.3.1, leaf side first. */
function pathRanges(index: number, size: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    let k = 1;
    while (k * 2 < end - start) k *= 2;
    if (index - start < k) {
      ranges.push([start + k, end]);
      end = start + k;
    } else {
      ranges.push([start, start + k]);
      start += k;
    }
  }
  return ranges.reverse();
}

interface Plan {
  /** Each index's path: the subtrees whose hashes are its proof, leaf side first. */
  paths: Array<Array<[number, number]>>;
  /** The distinct subtrees of all paths (consecutive leaves share most). */
  distinct: Array<[number, number]>;
}

function planProofs(indexes: readonly number[], size: number): Plan {
  const seen = new Map<number, Set<number>>();
  const distinct: Array<[number, number]> = [];
  const paths = indexes.map((index) => {
    const path = pathRanges(index, size);
    for (const range of path) {
      const ends = seen.get(range[0]);
      if (ends?.has(range[1])) continue;
      if (ends) ends.add(range[1]);
      else seen.set(range[0], new Set([range[1]]));
      distinct.push(range);
    }
    return path;
  });
  return { paths, distinct };
}

/**
 * The stored nodes a plan reads, by level: each subtree splits into aligned complete subtrees
 * following the bits of its width, largest first (as rangeHash in merkle.ts reads them; a node
 * missing here would make rootFromNodes throw, not return a wrong proof).
 */
function nodesOf(plan: Plan): Map<number, Set<number>> {
  const wanted = new Map<number, Set<number>>();
  for (const [start, end] of plan.distinct) {
    const width = end - start;
    let top = 0;
    while (2 ** (top + 1) <= width) top++;
    let pos = start;
    for (let level = top; level >= 0; level--) {
      const span = 2 ** level;
      if (Math.floor(width / span) % 2 !== 1) continue;
      const set = wanted.get(level);
      if (set) set.add(pos / span);
      else wanted.set(level, new Set([pos / span]));
      pos += span;
    }
  }
  return wanted;
}

/**
 * A subtree D[start:end] is rootFromNodes over a reader shifted to `start`: every range the RFC
 * recursion visits starts on a multiple of each complete subtree inside it, so shifted indexes are whole.
 */
function proofsOf(plan: Plan, nodes: NodeReader): string[][] {
  const hashes = new Map<number, Map<number, string>>(); // start → end → hex hash
  for (const [start, end] of plan.distinct) {
    const hash = rootFromNodes(end - start, { node: (level, index) => nodes.node(level, index + start / 2 ** level) }).toString('hex');
    const ends = hashes.get(start);
    if (ends) ends.set(end, hash);
    else hashes.set(start, new Map([[end, hash]]));
  }
  return plan.paths.map((path) => path.map(([start, end]) => hashes.get(start)?.get(end) as string));
}

/** PATH(index, D[size]) for each index, like merkle.ts inclusionProof, each subtree hashed once, as hex. */
export function inclusionProofs(indexes: readonly number[], size: number, nodes: NodeReader): string[][] {
  return proofsOf(planProofs(indexes, size), nodes);
}

/** The stored nodes that inclusionProofs reads for these indexes. */
export function proofNodes(indexes: readonly number[], size: number): Map<number, Set<number>> {
  return nodesOf(planProofs(indexes, size));
}

/**
 * Proofs against stored nodes, read level by level with IN lists on the primary key: withStoredNodes
 * (checkpoints.ts) finds nodes with an OR of (level, idx) pairs, which SQLite takes ~85 ms per 500
 * nodes to plan and run (~25 s at 100k proofs), and runs its computation twice to learn which to read.
 */
async function storedProofs(db: Kysely<DB>, orgId: string, indexes: readonly number[], size: number): Promise<string[][]> {
  const plan = planProofs(indexes, size);
  const found = new Map<number, Map<number, Buffer>>();
  for (const [level, wanted] of nodesOf(plan)) {
    const atLevel = new Map<number, Buffer>();
    found.set(level, atLevel);
    for (const part of chunks([...wanted], 500)) {
      if (level === 0) {
        const rows = await db.selectFrom('archive_records').select(['leaf_index', 'leaf_hash']).where('org_id', '=', orgId).where('leaf_index', 'in', part).execute();
        for (const r of rows) atLevel.set(r.leaf_index, Buffer.from(r.leaf_hash, 'hex'));
      } else {
        const rows = await db.selectFrom('archive_nodes').select(['idx', 'hash']).where('org_id', '=', orgId).where('level', '=', level).where('idx', 'in', part).execute();
        for (const r of rows) atLevel.set(r.idx, Buffer.from(r.hash, 'hex'));
      }
    }
  }
  return proofsOf(plan, { node: (level, index) => found.get(level)?.get(index) });
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
    const proofs = await storedProofs(this.deps.db, this.orgId, rows.map((r) => r.leafIndex), size);
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
