import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inclusionProof, nodeStoreOf } from '../../archive/merkle.js';
import { inclusionProofs, proofNodes } from './proof.js';

const leaves = Array.from({ length: 1500 }, (_, i) => createHash('sha256').update(`leaf ${i}`).digest());

describe('batched inclusion proofs', () => {
  it('are exactly the archive\'s proofs, for runs of consecutive leaves and scattered ones, in trees of any size', () => {
    for (const size of [1, 2, 3, 7, 8, 9, 255, 256, 257, 1000, 1500]) {
      const nodes = nodeStoreOf(leaves.slice(0, size));
      const indexes = [...new Set([0, size - 1, Math.floor(size / 2), ...Array.from({ length: Math.min(size, 300) }, (_, i) => i), ...Array.from({ length: 40 }, (_, i) => (i * 37) % size)])];
      const batched = inclusionProofs(indexes, size, nodes);
      indexes.forEach((index, i) => {
        expect(batched[i], `leaf ${index} of ${size}`).toEqual(inclusionProof(index, size, nodes).map((h) => h.toString('hex')));
      });
      // The nodes fetched from the database beforehand are exactly those the proofs read.
      const read = new Map<number, Set<number>>();
      inclusionProofs(indexes, size, { node: (level, index) => { (read.get(level) ?? read.set(level, new Set()).get(level)!).add(index); return nodes.node(level, index); } });
      expect(proofNodes(indexes, size)).toEqual(read);
    }
  });
});
