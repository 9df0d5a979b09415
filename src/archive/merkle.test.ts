// Known-answer vectors and exhaustive small-tree checks for the Merkle log.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  completeNodes,
  completeNodesAfter,
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  nodeStoreOf,
  rootFromNodes,
  rootOf,
  rootsAt,
  verifyConsistency,
  verifyInclusion,
  type CompleteNode,
  type NodeReader,
} from './merkle.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

// RFC 6962 test data of certificate-transparency-go, as kept in github.com/transparency-dev/merkle
// proof/verify_test.go: the eight leaf inputs, the roots at sizes 1..8, and the published proofs.
const VECTOR_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex);
const VECTOR_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(hex);
// { leaf (1-based, as in the source), size, proof }
const VECTOR_INCLUSION: Array<[number, number, string[]]> = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [3, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [2, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];
const VECTOR_CONSISTENCY: Array<[number, number, string[]]> = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [6, 7, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
];

// A literal, recursive transcription of RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1, independent of the
// iterative code under test.
const sha = (...parts: Uint8Array[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
const k = (n: number): number => 2 ** Math.ceil(Math.log2(n) - 1);
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return d[0];
  return sha(Buffer.of(1), mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
}
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length === 1) return [];
  const s = k(d.length);
  return m < s ? [...path(m, d.slice(0, s)), mth(d.slice(s))] : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))] : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}

const flipped = (b: Uint8Array, at = 0): Buffer => {
  const copy = Buffer.from(b);
  copy[at % copy.length] ^= 0x10;
  return copy;
};

describe('RFC 6962 known answers', () => {
  const leaves = VECTOR_LEAVES.map(leafHash);
  const store = nodeStoreOf(leaves);

  it('hashes leaves and nodes with the 0x00 / 0x01 prefixes', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(leaves[0].toString('hex')).toBe(VECTOR_ROOTS[0].toString('hex'));
    expect(nodeHash(leaves[0], leaves[1]).toString('hex')).toBe(VECTOR_ROOTS[1].toString('hex'));
    expect(() => nodeHash(leaves[0], Buffer.alloc(31))).toThrow(RangeError);
    // Large leaves take the streaming path; the answer must not change.
    const big = randomBytes(200_000);
    expect(leafHash(big)).toEqual(sha(Buffer.of(0), big));
  });

  it('gives the published roots at sizes 0..8', () => {
    expect(rootOf(leaves, 0)).toEqual(EMPTY_ROOT);
    VECTOR_ROOTS.forEach((root, i) => expect(rootOf(leaves, i + 1).toString('hex')).toBe(root.toString('hex')));
  });

  it('generates and verifies the published inclusion proofs', () => {
    for (const [leaf, size, proofHex] of VECTOR_INCLUSION) {
      const proof = proofHex.map(hex);
      expect(inclusionProof(leaf - 1, size, store).map((p) => p.toString('hex'))).toEqual(proofHex);
      expect(verifyInclusion(leaves[leaf - 1], leaf - 1, size, proof, VECTOR_ROOTS[size - 1])).toBe(true);
      expect(verifyInclusion(leaves[leaf - 1], leaf, size, proof, VECTOR_ROOTS[size - 1])).toBe(false);
      expect(verifyInclusion(leaves[leaf - 1], leaf - 1, size * 2, proof, VECTOR_ROOTS[size - 1])).toBe(false);
      expect(verifyInclusion(leaves[leaf - 1], leaf - 1, size, [...proof, VECTOR_ROOTS[0]], VECTOR_ROOTS[size - 1])).toBe(false);
    }
  });

  it('generates and verifies the published consistency proofs', () => {
    for (const [m, n, proofHex] of VECTOR_CONSISTENCY) {
      const proof = proofHex.map(hex);
      expect(consistencyProof(m, n, store).map((p) => p.toString('hex'))).toEqual(proofHex);
      expect(verifyConsistency(m, n, VECTOR_ROOTS[m - 1], VECTOR_ROOTS[n - 1], proof)).toBe(true);
      if (m === n) continue;
      expect(verifyConsistency(m, n, VECTOR_ROOTS[n - 1], VECTOR_ROOTS[m - 1], proof)).toBe(false);
      expect(verifyConsistency(m, n, VECTOR_ROOTS[m - 1], VECTOR_ROOTS[n - 1], [])).toBe(false);
      expect(verifyConsistency(m, n, VECTOR_ROOTS[m - 1], VECTOR_ROOTS[n - 1], proof.slice(0, -1))).toBe(false);
      expect(verifyConsistency(m, n, VECTOR_ROOTS[m - 1], VECTOR_ROOTS[n - 1], [proof[0], ...proof])).toBe(false);
    }
  });

  it('treats the empty and equal-size cases as the RFC does', () => {
    expect(verifyConsistency(0, 5, EMPTY_ROOT, VECTOR_ROOTS[4], [])).toBe(true);
    expect(verifyConsistency(0, 5, VECTOR_ROOTS[0], VECTOR_ROOTS[4], [])).toBe(false);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(true);
    expect(verifyConsistency(3, 3, VECTOR_ROOTS[2], VECTOR_ROOTS[3], [])).toBe(false);
    expect(verifyConsistency(3, 3, VECTOR_ROOTS[2], VECTOR_ROOTS[2], [EMPTY_ROOT])).toBe(false);
    expect(verifyConsistency(5, 3, VECTOR_ROOTS[4], VECTOR_ROOTS[2], [])).toBe(false);
    expect(verifyInclusion(leaves[0], 0, 0, [], EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(leaves[0], 0, 1, [], leaves[0])).toBe(true);
    expect(consistencyProof(0, 8, store)).toEqual([]);
    expect(() => inclusionProof(8, 8, store)).toThrow(RangeError);
    expect(() => consistencyProof(9, 8, store)).toThrow(RangeError);
  });
});

describe('every tree up to 70 leaves', () => {
  const N = 70;
  const data = Array.from({ length: N }, (_, i) => Buffer.from(`record ${i}`));
  const leaves = data.map(leafHash);
  const store = nodeStoreOf(leaves);
  const roots = Array.from({ length: N + 1 }, (_, n) => rootOf(leaves, n));

  it('rootOf and rootsAt agree with the recursive MTH', () => {
    const all = rootsAt(leaves, Array.from({ length: N + 1 }, (_, n) => N - n)); // unsorted on purpose
    for (let n = 0; n <= N; n++) {
      expect(roots[n]).toEqual(mth(leaves.slice(0, n)));
      expect(rootFromNodes(n, store)).toEqual(roots[n]);
      expect(all.get(n)).toEqual(roots[n]);
    }
    expect(rootsAt(leaves, [5, 5, 9]).size).toBe(2);
    expect(() => rootOf(leaves, N + 1)).toThrow(RangeError);
    expect(() => rootsAt(leaves, [1.5])).toThrow(RangeError);
  });

  it('inclusion proofs match PATH, verify, and fail when anything is changed', () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(m, n, store);
        expect(proof).toEqual(path(m, leaves.slice(0, n)));
        expect(verifyInclusion(leaves[m], m, n, proof, roots[n])).toBe(true);
        expect(verifyInclusion(flipped(leaves[m], m), m, n, proof, roots[n])).toBe(false);
        expect(verifyInclusion(leaves[m], m, n, proof, flipped(roots[n], n))).toBe(false);
        if (n > 1) expect(verifyInclusion(leaves[m], (m + 1) % n, n, proof, roots[n])).toBe(false);
        proof.forEach((_, i) => {
          const bad = proof.map((p, j) => (i === j ? flipped(p, i + m) : p));
          expect(verifyInclusion(leaves[m], m, n, bad, roots[n])).toBe(false);
        });
      }
    }
  });

  it('consistency proofs match SUBPROOF, verify, and fail when anything is changed', () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(m, n, store);
        expect(proof).toEqual(m === n ? [] : subproof(m, leaves.slice(0, n), true));
        expect(verifyConsistency(m, n, roots[m], roots[n], proof)).toBe(true);
        if (m === n) continue;
        expect(verifyConsistency(m, n, flipped(roots[m], m), roots[n], proof)).toBe(false);
        expect(verifyConsistency(m, n, roots[m], flipped(roots[n], n), proof)).toBe(false);
        expect(verifyConsistency(m - 1, n, roots[m], roots[n], proof)).toBe(false);
        proof.forEach((_, i) => {
          const bad = proof.map((p, j) => (i === j ? flipped(p, i + m) : p));
          expect(verifyConsistency(m, n, roots[m], roots[n], bad)).toBe(false);
        });
      }
    }
  });

  it('completeNodes built batch by batch equals a from-scratch build', () => {
    const key = (c: CompleteNode): string => `${c.level}/${c.index}/${c.hash.toString('hex')}`;
    const scratch = completeNodes(leaves, 0, N).map(key).sort();
    // Every complete node of level >= 1, exactly once: n minus the number of set bits of n.
    expect(scratch.length).toBe(N - N.toString(2).replace(/0/g, '').length);

    const levels = new Map<string, Buffer>(leaves.map((h, i) => [`0/${i}`, h]));
    const persisted: NodeReader = { node: (level, index) => levels.get(`${level}/${index}`) };
    const fromArray: string[] = [];
    const fromStore: string[] = [];
    for (const [from, to] of [[0, 1], [1, 2], [2, 7], [7, 8], [8, 8], [8, 33], [33, 64], [64, N]]) {
      fromArray.push(...completeNodes(leaves, from, to).map(key));
      const added = completeNodesAfter(persisted, from, leaves.slice(from, to));
      added.forEach((c) => levels.set(`${c.level}/${c.index}`, c.hash));
      fromStore.push(...added.map(key));
    }
    expect(fromArray.sort()).toEqual(scratch);
    expect(fromStore.sort()).toEqual(scratch);
    // Proofs come out the same from the incrementally persisted nodes.
    expect(inclusionProof(40, N, persisted)).toEqual(inclusionProof(40, N, store));
    expect(consistencyProof(37, N, persisted)).toEqual(subproof(37, leaves, true));
  });

  it('names a node the store is missing', () => {
    const holey: NodeReader = { node: (level, index) => (level === 2 && index === 1 ? undefined : store.node(level, index)) };
    expect(() => inclusionProof(0, 8, holey)).toThrow(/level 2, index 1/);
    // The frontier of 12 leaves is (3, 0) and (2, 2).
    const noFrontier: NodeReader = { node: (level, index) => (level === 2 && index === 2 ? undefined : store.node(level, index)) };
    expect(() => completeNodesAfter(noFrontier, 12, [leaves[12]])).toThrow(/level 2, index 2/);
  });
});
