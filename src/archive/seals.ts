// Batch seals: one MAC per capture transaction over every record it appended.
//
// Why: a record's own MAC (keys.ts) lets verify name a row that was edited in place or inserted
// without the archive key, but checking a million of them costs a million HMACs, and on
// PostgreSQL it would mean pulling every row's metadata into the process. A seal is
//   HMAC-SHA256(macKey, "civicdesk-seal-v1\n" orgId "\n" firstLeaf "\n" count "\n" || SHA-256(d_1 || ... || d_n))
// where d_i = SHA-256(macInput(record i)), the same bytes the record's own MAC covers. The
// digests can be computed next to the data (PostgreSQL's built-in sha256), and only the seal's
// HMAC needs the key, which never leaves CivicDesk. A seal that verifies vouches for the metadata
// of every record in its range; where a seal is missing or fails, verify checks those records'
// own MACs to say which one is wrong.
import { createHash, createHmac, hash as oneShotHash } from 'node:crypto';

export const SEAL_DOMAIN = 'civicdesk-seal-v1';

export interface SealRange {
  firstLeaf: number;
  count: number;
}

/** d_i: the SHA-256 of a record's MAC input. */
export function recordDigest(macInput: Uint8Array): Buffer {
  return oneShotHash('sha256', macInput, 'buffer') as unknown as Buffer;
}

/** SHA-256 over the concatenated record digests, in leaf order. */
export function digestOfDigests(digests: readonly Uint8Array[] | Uint8Array): Buffer {
  const h = createHash('sha256');
  if (digests instanceof Uint8Array) h.update(digests);
  else for (const d of digests) h.update(d);
  return h.digest();
}

/** The seal's MAC (lower-case hex) from the digest of its records' digests. */
export function sealMac(macKey: Uint8Array, orgId: string, range: SealRange, digest: Uint8Array): string {
  return createHmac('sha256', macKey)
    .update(`${SEAL_DOMAIN}\n${orgId}\n${range.firstLeaf}\n${range.count}\n`, 'utf8')
    .update(digest)
    .digest('hex');
}
