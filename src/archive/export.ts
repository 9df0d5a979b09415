// A records bundle for a public records request (KA-14, BZ-13): the chosen records' canonical
// bytes with inclusion proofs against a freshly signed checkpoint, the city's verifier key, and
// the raw payloads, evidence and media by SHA-256. `tools/verify-bundle.mjs` checks it offline
// with nothing but Node, so the requester need not trust the city's software.
import { mkdirSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inclusionProof } from './merkle.js';
import { createCheckpoint, withStoredNodes } from './checkpoints.js';
import { sha256Hex } from './record.js';
import type { ArchiveDeps } from './archive.service.js';

const CHUNK = 500;
const VERIFIER = fileURLToPath(new URL('../../tools/verify-bundle.mjs', import.meta.url));

export interface ExportSummary {
  dir: string;
  records: number;
  destroyed: string[];
  treeSize: number;
  blobs: number;
}

export async function exportBundle(deps: ArchiveDeps, orgId: string, recordIds: readonly string[], dir: string): Promise<ExportSummary> {
  const checkpoint = await createCheckpoint(deps, orgId);
  mkdirSync(join(dir, 'blobs'), { recursive: true });
  const rows: Array<{ id: string; leaf_index: number; canonical: string | null; payload: Uint8Array | null; evidence: Uint8Array | null }> = [];
  for (let i = 0; i < recordIds.length; i += CHUNK) {
    rows.push(...await deps.db.selectFrom('archive_records as r').leftJoin('archive_contents as c', 'c.record_id', 'r.id')
      .select(['r.id', 'r.leaf_index', 'c.canonical', 'c.payload', 'c.evidence'])
      .where('r.org_id', '=', orgId).where('r.id', 'in', recordIds.slice(i, i + CHUNK)).execute());
  }
  rows.sort((a, b) => a.leaf_index - b.leaf_index);
  const kept = rows.filter((r) => r.canonical !== null && r.leaf_index < checkpoint.size);
  const proofs = await withStoredNodes(deps.db, orgId, (nodes) => kept.map((r) => inclusionProof(r.leaf_index, checkpoint.size, nodes)));
  const lines: string[] = [];
  let blobs = 0;
  const writeBlob = (bytes: Uint8Array) => {
    const path = join(dir, 'blobs', sha256Hex(bytes));
    if (!existsSync(path)) { writeFileSync(path, bytes); blobs++; }
  };
  for (const [i, r] of kept.entries()) {
    lines.push(JSON.stringify({
      leafIndex: r.leaf_index,
      recordId: r.id,
      canonical: Buffer.from(r.canonical as string, 'utf8').toString('base64'),
      proof: (proofs[i] ?? []).map((h) => h.toString('hex')),
    }));
    if (r.payload) writeBlob(r.payload);
    if (r.evidence) writeBlob(r.evidence);
    const media = (JSON.parse(r.canonical as string) as { media?: Array<{ sha256: string }> }).media ?? [];
    for (const m of media) {
      const bytes = await deps.blobs.get(m.sha256);
      if (bytes) writeBlob(bytes);
    }
  }
  writeFileSync(join(dir, 'records.jsonl'), lines.length ? `${lines.join('\n')}\n` : '');
  writeFileSync(join(dir, 'checkpoint.txt'), checkpoint.note);
  writeFileSync(join(dir, 'vkey.txt'), `${checkpoint.vkey}\n`);
  if (existsSync(VERIFIER)) copyFileSync(VERIFIER, join(dir, 'verify-bundle.mjs'));
  const destroyed = rows.filter((r) => r.canonical === null).map((r) => r.id);
  writeFileSync(join(dir, 'README.txt'), [
    `Records exported from the archive. ${kept.length} record(s); tree size ${checkpoint.size}.`,
    destroyed.length ? `Destroyed under the retention schedule (see the disposition log): ${destroyed.join(', ')}` : '',
    'Check it offline with Node: node verify-bundle.mjs .',
  ].filter(Boolean).join('\n') + '\n');
  return { dir, records: kept.length, destroyed, treeSize: checkpoint.size, blobs };
}
