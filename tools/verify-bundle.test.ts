// Runs the standalone verifier as a requester would, on a bundle built with the archive modules,
// then on copies of it altered in each way the verifier must catch.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCheckpoint, vkeyFor } from '../src/archive/checkpoint.js';
import { generateArchiveKey } from '../src/archive/keys.js';
import { inclusionProof, leafHash, nodeStoreOf, rootOf } from '../src/archive/merkle.js';

const SCRIPT = fileURLToPath(new URL('./verify-bundle.mjs', import.meta.url));
const ORIGIN = 'civicdesk.example/springfield';
const SIZE = 13;
const EXPORTED = [0, 3, 6, 9, 12];
const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

interface Run {
  status: number;
  stdout: string;
}

function verifier(...args: string[]): Run {
  try {
    const stdout = execFileSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, stdout };
  } catch (error) {
    const failed = error as { status?: number | null; stdout?: string };
    return { status: failed.status ?? -1, stdout: failed.stdout ?? '' };
  }
}

interface Line {
  leafIndex: number;
  canonical: string;
  proof: string[];
}

describe('tools/verify-bundle.mjs', () => {
  let root: string;
  let bundle: string;
  let copies = 0;
  const payloads = new Map<number, Buffer>();

  /** A fresh copy of the good bundle to alter. */
  const copy = (): string => {
    const dir = join(root, `copy-${copies++}`);
    cpSync(bundle, dir, { recursive: true });
    return dir;
  };
  const readLines = (dir: string): Line[] =>
    readFileSync(join(dir, 'records.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Line);
  const writeLines = (dir: string, lines: Line[]): void =>
    writeFileSync(join(dir, 'records.jsonl'), lines.map((line) => JSON.stringify(line)).join('\n') + '\n');

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'verify-bundle-'));
    bundle = join(root, 'bundle');
    mkdirSync(join(bundle, 'blobs'), { recursive: true });
    const key = generateArchiveKey();
    const canonicals = Array.from({ length: SIZE }, (_, i) => {
      const payload = Buffer.from(`post ${i}: the library opens at nine`);
      payloads.set(i, payload);
      const record: Record<string, unknown> = { kind: i % 2 ? 'comment' : 'post', seq: i, payloadSha256: sha256(payload) };
      if (i === 6) record.media = [{ type: 'image/png', sha256: sha256(`image ${i}`) }];
      if (i === 12) record.evidence = { evidenceSha256: sha256('not exported') }; // referenced, not shipped
      return Buffer.from(JSON.stringify(record));
    });
    const leaves = canonicals.map(leafHash);
    const store = nodeStoreOf(leaves);
    const checkpoint = signCheckpoint({ origin: ORIGIN, size: SIZE, root: rootOf(leaves) }, ORIGIN, key.privateKeyPem);
    writeFileSync(join(bundle, 'checkpoint.txt'), checkpoint);
    writeFileSync(join(bundle, 'vkey.txt'), `${vkeyFor(ORIGIN, key.publicKeyRaw)}\n`);
    writeLines(
      bundle,
      EXPORTED.map((i) => ({
        leafIndex: i,
        canonical: canonicals[i].toString('base64'),
        proof: inclusionProof(i, SIZE, store).map((p) => p.toString('hex')),
      })),
    );
    for (const i of EXPORTED) writeFileSync(join(bundle, 'blobs', sha256(payloads.get(i) as Buffer)), payloads.get(i) as Buffer);
    writeFileSync(join(bundle, 'blobs', sha256('image 6')), 'image 6');
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('accepts the bundle as exported, warning about a referenced blob it lacks', () => {
    const run = verifier(bundle);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`OK: 5 of 5 records verified against ${ORIGIN} at tree size ${SIZE}`);
    expect(run.stdout).toMatch(/^WARN leaf 12: blob [0-9a-f]{64} \(evidence\.evidenceSha256\) is not in the bundle$/m);
    expect(run.stdout).not.toContain('FAIL');
  });

  it("names the leaf whose canonical bytes were changed", () => {
    const dir = copy();
    const lines = readLines(dir);
    const changed = Buffer.from(lines[1].canonical, 'base64').toString().replace('"comment"', '"hidden"');
    lines[1].canonical = Buffer.from(changed).toString('base64');
    writeLines(dir, lines);
    const run = verifier(dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAIL leaf 3: not in the checkpoint's tree/m);
    expect(run.stdout).toMatch(/^FAILED: 1 problem; 4 of 5 records/m);
  });

  it('names the leaf whose proof was changed, or whose index was moved', () => {
    const dir = copy();
    const lines = readLines(dir);
    const hash = lines[2].proof[1];
    lines[2].proof[1] = (hash[0] === 'a' ? 'b' : 'a') + hash.slice(1);
    lines[3].leafIndex = 10;
    writeLines(dir, lines);
    const run = verifier(dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAIL leaf 6: not in the checkpoint's tree/m);
    expect(run.stdout).toMatch(/^FAIL leaf 10: not in the checkpoint's tree/m);
  });

  it("fails when the checkpoint's signature, size or key is wrong", () => {
    const signature = copy();
    const text = readFileSync(join(signature, 'checkpoint.txt'), 'utf8');
    const sigAt = text.lastIndexOf(' ') + 10;
    writeFileSync(join(signature, 'checkpoint.txt'), text.slice(0, sigAt) + (text[sigAt] === 'A' ? 'B' : 'A') + text.slice(sigAt + 1));
    let run = verifier(signature);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAIL checkpoint\.txt: the signature by civicdesk\.example\/springfield\+[0-9a-f]{8} does not verify/m);

    const size = copy();
    writeFileSync(join(size, 'checkpoint.txt'), text.replace(`\n${SIZE}\n`, `\n${SIZE + 1}\n`));
    run = verifier(size);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('FAIL checkpoint.txt: the signature');

    const otherKey = copy();
    writeFileSync(join(otherKey, 'vkey.txt'), vkeyFor(ORIGIN, generateArchiveKey().publicKeyRaw));
    run = verifier(otherKey);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAIL checkpoint\.txt: no signature by /m);

    const unsigned = copy();
    writeFileSync(join(unsigned, 'checkpoint.txt'), text.slice(0, text.indexOf('\n\n') + 1));
    expect(verifier(unsigned).status).toBe(1);
  });

  it('names the leaf whose blob was altered', () => {
    const dir = copy();
    writeFileSync(join(dir, 'blobs', sha256(payloads.get(9) as Buffer)), 'post 9: the library opens at ten');
    writeFileSync(join(dir, 'blobs', sha256('image 6')), 'another image');
    const run = verifier(dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAIL leaf 9: blob [0-9a-f]{64} \(payloadSha256\) does not hash to its name/m);
    expect(run.stdout).toMatch(/^FAIL leaf 6: blob [0-9a-f]{64} \(media\[0\]\.sha256\) does not hash to its name/m);
  });

  it('reports malformed lines and missing files, and exits 2 on usage errors', () => {
    const dir = copy();
    writeFileSync(join(dir, 'records.jsonl'), readFileSync(join(dir, 'records.jsonl'), 'utf8') + 'not json\n{"leafIndex":1,"canonical":"%%","proof":[]}\n');
    const run = verifier(dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('FAIL records.jsonl line 6: not a JSON object');
    expect(run.stdout).toContain('FAIL leaf 1: canonical is not base64');

    const missing = copy();
    rmSync(join(missing, 'vkey.txt'));
    expect(verifier(missing)).toMatchObject({ status: 1, stdout: expect.stringContaining('FAIL vkey.txt: missing') });

    expect(verifier().status).toBe(2);
    expect(verifier(bundle, bundle).status).toBe(2);
    expect(verifier(join(root, 'no-such-dir')).status).toBe(2);
  });
});
