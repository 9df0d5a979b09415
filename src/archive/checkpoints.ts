// Checkpoints: bring the stored complete-subtree nodes up to the log's size, compute the root from
// them, and sign a C2SP checkpoint with the city's key. Run hourly by a job and on demand.
// Proofs read only the O(log n) nodes they need from `archive_nodes`.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { completeNodesAfter, consistencyProof, inclusionProof, rootFromNodes, type NodeReader } from './merkle.js';
import { signCheckpoint, vkeyFor } from './checkpoint.js';
import { archiveEvents } from './events-archiver.js';
import { ensureLog } from './capture.js';
import type { ArchiveDeps } from './archive.service.js';

const CHUNK = 500;
const LEAF_PAGE = 20_000;

/**
 * Runs `compute` twice: first against a reader that only records which nodes it asks for, then,
 * after fetching exactly those from the database, against the real ones. Merkle algorithms visit
 * the same nodes whatever the hashes are, so the second run is exact.
 */
export async function withStoredNodes<T>(db: Kysely<DB>, orgId: string, compute: (nodes: NodeReader) => T): Promise<T> {
  const wanted = new Map<string, [number, number]>();
  compute({ node: (level, index) => { wanted.set(`${level}:${index}`, [level, index]); return Buffer.alloc(32); } });
  const found = new Map<string, Buffer>();
  const leafIdx = [...wanted.values()].filter(([l]) => l === 0).map(([, i]) => i);
  for (let i = 0; i < leafIdx.length; i += CHUNK) {
    const rows = await db.selectFrom('archive_records').select(['leaf_index', 'leaf_hash'])
      .where('org_id', '=', orgId).where('leaf_index', 'in', leafIdx.slice(i, i + CHUNK)).execute();
    for (const r of rows) found.set(`0:${r.leaf_index}`, Buffer.from(r.leaf_hash, 'hex'));
  }
  const inner = [...wanted.values()].filter(([l]) => l > 0);
  for (let i = 0; i < inner.length; i += CHUNK) {
    const part = inner.slice(i, i + CHUNK);
    const rows = await db.selectFrom('archive_nodes').select(['level', 'idx', 'hash']).where('org_id', '=', orgId)
      .where((eb) => eb.or(part.map(([level, idx]) => eb.and([eb('level', '=', level), eb('idx', '=', idx)])))).execute();
    for (const r of rows) found.set(`${r.level}:${r.idx}`, Buffer.from(r.hash, 'hex'));
  }
  return compute({ node: (level, index) => found.get(`${level}:${index}`) });
}

/** Stores the complete nodes for every leaf appended since the last run. */
async function extendNodes(deps: ArchiveDeps, orgId: string, size: number): Promise<void> {
  const log = await deps.db.selectFrom('archive_logs').select('nodes_size').where('org_id', '=', orgId).executeTakeFirstOrThrow();
  for (let from = log.nodes_size; from < size;) {
    const to = Math.min(size, from + LEAF_PAGE);
    const leaves = await deps.db.selectFrom('archive_records').select('leaf_hash').where('org_id', '=', orgId)
      .where('leaf_index', '>=', from).where('leaf_index', '<', to).orderBy('leaf_index').execute();
    if (leaves.length !== to - from) throw new Error(`archive leaves ${from}..${to - 1} are not all present: run \`civicdesk archive verify\``);
    const hashes = leaves.map((l) => Buffer.from(l.leaf_hash, 'hex'));
    const start = from;
    const created = await withStoredNodes(deps.db, orgId, (nodes) => completeNodesAfter(nodes, start, hashes));
    await deps.db.transaction().execute(async (trx) => {
      for (let i = 0; i < created.length; i += CHUNK) {
        await trx.insertInto('archive_nodes').values(created.slice(i, i + CHUNK).map((n) => ({
          org_id: orgId, level: n.level, idx: n.index, hash: n.hash.toString('hex'),
        }))).onConflict((oc) => oc.columns(['org_id', 'level', 'idx']).doNothing()).execute();
      }
      await trx.updateTable('archive_logs').set({ nodes_size: to }).where('org_id', '=', orgId).execute();
    });
    from = to;
  }
}

export interface CheckpointView {
  size: number;
  root: string;
  note: string;
  createdAt: string;
  vkey: string;
}

/** Archives pending staff events, then signs a checkpoint over the whole log (or returns the latest if nothing changed). */
export async function createCheckpoint(deps: ArchiveDeps, orgId: string): Promise<CheckpointView> {
  const key = await ensureLog(deps, orgId);
  await archiveEvents(deps, orgId);
  const log = await deps.db.selectFrom('archive_logs').selectAll().where('org_id', '=', orgId).executeTakeFirstOrThrow();
  const vkey = vkeyFor(log.key_name, key.publicKeyRaw);
  const latest = await deps.db.selectFrom('archive_checkpoints').selectAll().where('org_id', '=', orgId).orderBy('size', 'desc').executeTakeFirst();
  if (latest && latest.size === log.size) return { size: latest.size, root: latest.root, note: latest.note, createdAt: latest.created_at, vkey };
  await extendNodes(deps, orgId, log.size);
  const size = log.size;
  const root = await withStoredNodes(deps.db, orgId, (nodes) => rootFromNodes(size, nodes));
  const note = signCheckpoint({ origin: log.origin, size, root }, log.key_name, key.privateKey);
  const createdAt = (deps.now?.() ?? new Date()).toISOString();
  await deps.db.insertInto('archive_checkpoints').values({ org_id: orgId, size, root: root.toString('hex'), note, created_at: createdAt })
    .onConflict((oc) => oc.columns(['org_id', 'size']).doNothing()).execute();
  return { size, root: root.toString('hex'), note, createdAt, vkey };
}

export async function latestCheckpoint(db: Kysely<DB>, orgId: string) {
  return db.selectFrom('archive_checkpoints').selectAll().where('org_id', '=', orgId).orderBy('size', 'desc').executeTakeFirst();
}

/** Inclusion proof for a leaf against a signed checkpoint (the latest covering it by default). */
export async function proveInclusion(db: Kysely<DB>, orgId: string, leafIndex: number, size?: number) {
  const cp = size === undefined
    ? await latestCheckpoint(db, orgId)
    : await db.selectFrom('archive_checkpoints').selectAll().where('org_id', '=', orgId).where('size', '=', size).executeTakeFirst();
  if (!cp || leafIndex >= cp.size) return null;
  const proof = await withStoredNodes(db, orgId, (nodes) => inclusionProof(leafIndex, cp.size, nodes));
  return { leafIndex, treeSize: cp.size, root: cp.root, checkpoint: cp.note, proof: proof.map((h) => h.toString('hex')) };
}

export async function proveConsistency(db: Kysely<DB>, orgId: string, oldSize: number, newSize: number) {
  const proof = await withStoredNodes(db, orgId, (nodes) => consistencyProof(oldSize, newSize, nodes));
  return { oldSize, newSize, proof: proof.map((h) => h.toString('hex')) };
}
