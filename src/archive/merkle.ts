// The per-city Merkle log: RFC 6962 hashing, tree heads, and RFC 9162 (§2.1.3, §2.1.4) inclusion and
// consistency proofs. Pure functions over 32-byte SHA-256 hashes.
//
// Speed matters here (every stored record is re-hashed when a city's archive is verified). On Node
// 20 the per-call overhead dwarfs SHA-256 itself for 65-byte inputs: a createHash() object costs
// ~3.4 µs, one-shot crypto.hash() returning a Buffer ~1.6 µs, and crypto.hash() returning a
// latin1 string (copied back with Buffer.from or into an existing buffer) ~0.7 µs, because Buffers
// made on the C++ side are slow to create. So hot paths copy their input into a reused scratch
// buffer and use the string form. Sharing the scratch buffers is safe: this code is synchronous.
import { createHash, hash as oneShotHash } from 'node:crypto';

export const HASH_SIZE = 32;
/** MTH({}) = SHA-256 of the empty string: the root of a log with no records. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** Complete subtrees already stored: level 0 = leaf hashes; (level, index) covers leaves
 *  [index·2^level, (index+1)·2^level). Returns undefined when the node is not stored. */
export interface NodeReader {
  node(level: number, index: number): Buffer | undefined;
}

export interface CompleteNode {
  level: number;
  index: number;
  hash: Buffer;
}

const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01);
// Leaves larger than this are streamed instead, so one huge record does not pin a huge buffer.
const LEAF_SCRATCH_MAX = 64 * 1024;
let leafScratch = Buffer.alloc(4096);

export function leafHash(canonical: Uint8Array): Buffer {
  const length = canonical.length + 1;
  if (length > LEAF_SCRATCH_MAX) return createHash('sha256').update(Buffer.of(0x00)).update(canonical).digest();
  if (length > leafScratch.length) leafScratch = Buffer.alloc(Math.min(LEAF_SCRATCH_MAX, length * 2));
  leafScratch[0] = 0x00;
  leafScratch.set(canonical, 1);
  return Buffer.from(oneShotHash('sha256', leafScratch.subarray(0, length), 'binary'), 'latin1');
}

/**
 * leafHash of canonical text, as lower-case hex: the string is encoded straight into the scratch
 * buffer (verify's hot path; no intermediate Buffer).
 */
export function leafHashOfText(canonical: string): string {
  const length = Buffer.byteLength(canonical, 'utf8') + 1;
  if (length > LEAF_SCRATCH_MAX) return leafHash(Buffer.from(canonical, 'utf8')).toString('hex');
  if (length > leafScratch.length) leafScratch = Buffer.alloc(Math.min(LEAF_SCRATCH_MAX, length * 2));
  leafScratch[0] = 0x00;
  leafScratch.write(canonical, 1, 'utf8');
  return oneShotHash('sha256', leafScratch.subarray(0, length), 'hex');
}

/** Unchecked: callers guarantee both inputs are 32 bytes (a shorter one would leave stale bytes). */
function pairHash(left: Uint8Array, right: Uint8Array): Buffer {
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_SIZE);
  return Buffer.from(oneShotHash('sha256', nodeScratch, 'binary'), 'latin1');
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) throw new RangeError('node hashes must be 32 bytes');
  return pairHash(left, right);
}

function checkSize(name: string, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in [0, ${max}], got ${value}`);
  }
}

function checkLeaf(leaves: readonly Uint8Array[], i: number): Buffer {
  const leaf = leaves[i];
  if (leaf === undefined || leaf.length !== HASH_SIZE) throw new RangeError(`leaf hash ${i} is not 32 bytes`);
  return leaf as Buffer;
}

/** Folds a stack of subtree hashes (largest first) right to left into the tree head. */
function fold(stack: readonly Buffer[], top: number): Buffer {
  if (top === 0) return EMPTY_ROOT;
  let root = stack[top - 1];
  for (let i = top - 2; i >= 0; i--) root = pairHash(stack[i], root);
  return root;
}

/**
 * MTH over the first `size` leaf hashes. A binary counter: after leaf i the stack holds the roots of
 * the complete subtrees that make up [0, i+1), one per set bit of i+1, largest first; each carry
 * merges two equal subtrees. n-1 hashes in all, no recursion, no per-leaf allocation.
 */
export function rootOf(leafHashes: readonly Buffer[], size: number = leafHashes.length): Buffer {
  return rootsAt(leafHashes, [size]).get(size) as Buffer;
}

/** The tree heads at several sizes in one pass over the leaves (to check every stored checkpoint). */
export function rootsAt(leafHashes: readonly Buffer[], sizes: readonly number[]): Map<number, Buffer> {
  return rootsOver(leafHashes.length, (i) => checkLeaf(leafHashes, i), sizes);
}

/** rootsAt over leaf hashes packed 32 bytes apart in one buffer (verify keeps a million this way). */
export function rootsAtPacked(packed: Buffer, count: number, sizes: readonly number[]): Map<number, Buffer> {
  if (packed.length < count * HASH_SIZE) throw new RangeError(`packed leaves hold fewer than ${count} hashes`);
  return rootsOver(count, (i) => packed.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE), sizes);
}

function rootsOver(count: number, leafAt: (i: number) => Uint8Array, sizes: readonly number[]): Map<number, Buffer> {
  for (const size of sizes) checkSize('size', size, count);
  const wanted = [...new Set(sizes)].sort((a, b) => a - b);
  const roots = new Map<number, Buffer>();
  // The counter's stack lives in one slab: slot t at bytes [32t, 32t+32). The top two slots are
  // adjacent, so a carry copies 64 bytes after the 0x01 prefix and writes the parent in place.
  const slab = Buffer.alloc(64 * HASH_SIZE);
  let top = 0;
  let next = 0;
  if (wanted[0] === 0) {
    roots.set(0, EMPTY_ROOT);
    next++;
  }
  const last = wanted.length > 0 ? wanted[wanted.length - 1] : 0;
  for (let i = 0; i < last; i++) {
    slab.set(leafAt(i), top++ * HASH_SIZE);
    for (let count = i + 1; count % 2 === 0; count /= 2) {
      slab.copy(nodeScratch, 1, (top - 2) * HASH_SIZE, top * HASH_SIZE);
      top--;
      slab.write(oneShotHash('sha256', nodeScratch, 'binary'), (top - 1) * HASH_SIZE, HASH_SIZE, 'latin1');
    }
    if (i + 1 === wanted[next]) {
      const slots = Array.from({ length: top }, (_, t) => slab.subarray(t * HASH_SIZE, (t + 1) * HASH_SIZE));
      roots.set(wanted[next++], Buffer.from(fold(slots, top)));
    }
  }
  return roots;
}

/**
 * Runs the counter from a frontier (the stack for `fromSize`) over further leaves and reports every
 * complete node of level >= 1 that a carry creates, with its position.
 */
function grow(stack: Buffer[], fromSize: number, toSize: number, leafAt: (i: number) => Buffer): CompleteNode[] {
  const created: CompleteNode[] = [];
  for (let i = fromSize; i < toSize; i++) {
    let hash = leafAt(i);
    let level = 0;
    for (let count = i + 1; count % 2 === 0; count /= 2) {
      hash = pairHash(stack.pop() as Buffer, hash);
      level++;
      created.push({ level, index: (i + 1) / 2 ** level - 1, hash });
    }
    stack.push(hash);
  }
  return created;
}

/** The complete nodes (level >= 1) that appending leaves [fromSize, toSize) creates, so a caller can
 *  persist them as it goes. `leafHashes[i]` is leaf i; the whole prefix is re-read to rebuild the
 *  frontier: use completeNodesAfter when the older nodes are already stored. */
export function completeNodes(leafHashes: readonly Buffer[], fromSize: number, toSize: number): CompleteNode[] {
  checkSize('toSize', toSize, leafHashes.length);
  checkSize('fromSize', fromSize, toSize);
  const stack: Buffer[] = [];
  grow(stack, 0, fromSize, (i) => checkLeaf(leafHashes, i));
  return grow(stack, fromSize, toSize, (i) => checkLeaf(leafHashes, i));
}

/** As completeNodes, but reads only the O(log n) frontier nodes of the existing tree from `stored`;
 *  `newLeafHashes[j]` is leaf fromSize + j. */
export function completeNodesAfter(stored: NodeReader, fromSize: number, newLeafHashes: readonly Buffer[]): CompleteNode[] {
  checkSize('fromSize', fromSize, Number.MAX_SAFE_INTEGER - newLeafHashes.length);
  const stack: Buffer[] = [];
  let start = 0;
  for (let level = 52; level >= 0; level--) {
    const span = 2 ** level;
    if (Math.floor(fromSize / span) % 2 === 1) {
      stack.push(need(stored, level, start / span));
      start += span;
    }
  }
  return grow(stack, fromSize, fromSize + newLeafHashes.length, (i) => checkLeaf(newLeafHashes, i - fromSize));
}

/** An in-memory NodeReader holding every complete node over the given leaves (tests, small logs). */
export function nodeStoreOf(leafHashes: readonly Buffer[]): NodeReader {
  const levels: Buffer[][] = [leafHashes.map((_, i) => checkLeaf(leafHashes, i))];
  for (const { level, index, hash } of completeNodes(leafHashes, 0, leafHashes.length)) {
    (levels[level] ??= [])[index] = hash;
  }
  return { node: (level, index) => levels[level]?.[index] };
}

function need(nodes: NodeReader, level: number, index: number): Buffer {
  const hash = nodes.node(level, index);
  if (hash === undefined) throw new Error(`Merkle node (level ${level}, index ${index}) is not stored`);
  if (hash.length !== HASH_SIZE) throw new Error(`Merkle node (level ${level}, index ${index}) is not 32 bytes`);
  return hash;
}

/**
 * MTH(D[start:end]) from stored complete nodes. Every range the RFC recursion visits starts on a
 * multiple of the power of two at or above its width, so it splits into aligned complete subtrees
 * following the bits of its width, largest first; folded right to left like rootOf.
 */
function rangeHash(nodes: NodeReader, start: number, end: number): Buffer {
  const parts: Buffer[] = [];
  let pos = start;
  for (let level = 52; level >= 0; level--) {
    const span = 2 ** level;
    if (Math.floor((end - start) / span) % 2 === 1) {
      parts.push(need(nodes, level, pos / span));
      pos += span;
    }
  }
  return fold(parts, parts.length);
}

/** MTH(D[size]) from stored complete nodes alone: O(log n) reads, no leaves needed. */
export function rootFromNodes(size: number, nodes: NodeReader): Buffer {
  checkSize('size', size, Number.MAX_SAFE_INTEGER);
  return size === 0 ? EMPTY_ROOT : Buffer.from(rangeHash(nodes, 0, size));
}

/** The largest power of two strictly less than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** PATH(index, D[size]) of RFC 9162 §2.1.3.1, leaf-side first. */
export function inclusionProof(index: number, size: number, nodes: NodeReader): Buffer[] {
  checkSize('size', size, Number.MAX_SAFE_INTEGER);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`index ${index} is not in a tree of ${size}`);
  const siblings: Buffer[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index - start < k) {
      siblings.push(rangeHash(nodes, start + k, end));
      end = start + k;
    } else {
      siblings.push(rangeHash(nodes, start, start + k));
      start += k;
    }
  }
  return siblings.reverse();
}

/** PROOF(oldSize, D[newSize]) = SUBPROOF(oldSize, D[newSize], true) of RFC 9162 §2.1.4.1.
 *  Empty when oldSize is 0 or equals newSize (nothing to prove). */
export function consistencyProof(oldSize: number, newSize: number, nodes: NodeReader): Buffer[] {
  checkSize('newSize', newSize, Number.MAX_SAFE_INTEGER);
  checkSize('oldSize', oldSize, newSize);
  if (oldSize === 0 || oldSize === newSize) return [];
  const siblings: Buffer[] = [];
  let start = 0;
  let end = newSize;
  let m = oldSize;
  let whole = true; // SUBPROOF's b: still on the left edge, where the old root is the verifier's own
  while (m < end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      siblings.push(rangeHash(nodes, start + k, end));
      end = start + k;
    } else {
      siblings.push(rangeHash(nodes, start, start + k));
      start += k;
      m -= k;
      whole = false;
    }
  }
  const proof = whole ? [] : [rangeHash(nodes, start, end)];
  return proof.concat(siblings.reverse());
}

function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === HASH_SIZE && b.length === HASH_SIZE && Buffer.compare(a, b) === 0;
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** RFC 9162 §2.1.3.2. Sizes up to 2^53 are handled with division, not 32-bit shifts. */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isSize(index) || !isSize(size) || index >= size || leaf.length !== HASH_SIZE) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0 || p.length !== HASH_SIZE) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = pairHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = pairHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameHash(r, root);
}

/** RFC 9162 §2.1.4.2; equal sizes need equal roots and an empty proof, and an empty old tree has
 *  only one possible root (EMPTY_ROOT) and needs no proof. */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isSize(oldSize) || !isSize(newSize) || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && sameHash(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0 && sameHash(oldRoot, EMPTY_ROOT) && newRoot.length === HASH_SIZE;
  if (proof.length === 0 || proof.some((p) => p.length !== HASH_SIZE)) return false;
  // A power-of-two old tree is a complete left subtree of the new one: its root starts the path.
  const path = isPow2(oldSize) ? [oldRoot, ...proof] : proof;
  if (path[0].length !== HASH_SIZE) return false;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]);
  let sr: Buffer = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = pairHash(c, fr);
      sr = pairHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = pairHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameHash(fr, oldRoot) && sameHash(sr, newRoot);
}

function isPow2(n: number): boolean {
  while (n > 1 && n % 2 === 0) n /= 2;
  return n === 1;
}
