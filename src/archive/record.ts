// What a record is, and its canonical bytes: the exact bytes that become a Merkle leaf. Canonical
// JSON (sorted keys, no whitespace) of the record's fields, with the raw payload, evidence and
// media referenced by SHA-256, so the leaf commits to every byte without repeating them.
import { hash as oneShotHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../policy/canonical-json.js';

export const RECORD_KINDS = [
  'post', 'post_version', 'comment', 'comment_version', 'deletion', 'visibility_change',
  'moderation_action', 'follower_snapshot', 'account_change', 'staff_event',
  // A copy of a record with spans redacted for a records request (src/records/): the original is never changed.
  'redacted_copy',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Which retention series a kind belongs to when the capturer does not say. */
export const DEFAULT_SERIES: Record<RecordKind, string> = {
  post: 'posts', post_version: 'posts', comment: 'comments', comment_version: 'comments',
  deletion: 'moderation', visibility_change: 'moderation', moderation_action: 'moderation',
  follower_snapshot: 'follower_lists', account_change: 'account_changes', staff_event: 'staff_events',
  redacted_copy: 'records_requests',
};

const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'expected an ISO 8601 date-time');
const id = z.string().min(1).max(512);

export const RecordInputSchema = z.object({
  kind: z.enum(RECORD_KINDS),
  series: z.string().regex(/^[a-z][a-z0-9_]*$/).optional(),
  platform: z.string().min(1).max(64).optional(),
  accountId: id.optional(),
  /** The platform's id of this object (post URI, comment id). */
  platformId: id.optional(),
  /** Distinguishes versions of one object (a CID, an edit time); same id + version = same record. */
  platformVersion: z.string().max(512).optional(),
  /** For deletions, visibility changes and moderation actions: the platform id they act on. */
  subjectId: id.optional(),
  parentId: id.optional(),
  threadId: id.optional(),
  /** For records with no platform identity (staff events): what makes a capture the same one. */
  dedupeKey: z.string().min(1).max(512).optional(),
  capturedAt: isoTime.optional(),
  platformTimes: z.record(z.string(), isoTime).optional(),
  author: z.object({ id: z.string().max(512).optional(), handle: z.string().max(512).optional(), name: z.string().max(1024).optional() }).optional(),
  text: z.string().max(1_000_000).optional(),
  /** The platform's raw payload, verbatim. */
  payload: z.instanceof(Uint8Array),
  payloadType: z.string().min(1).max(200),
  evidence: z.instanceof(Uint8Array).optional(),
  evidenceType: z.string().min(1).max(200).optional(),
  media: z.array(z.object({
    bytes: z.instanceof(Uint8Array),
    mime: z.string().min(1).max(200),
    alt: z.string().max(5000).optional(),
  })).max(50).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
}).refine((r) => r.platformId !== undefined || r.dedupeKey !== undefined, {
  message: 'a record needs a platformId or a dedupeKey', path: ['platformId'],
}).refine((r) => (r.evidence === undefined) === (r.evidenceType === undefined), {
  message: 'evidence and evidenceType go together', path: ['evidenceType'],
});

export type RecordInput = z.input<typeof RecordInputSchema>;
export type ValidRecord = z.output<typeof RecordInputSchema>;

export function sha256Hex(bytes: Uint8Array | string): string {
  // One-shot: no Hash object per call (three calls per captured record).
  return oneShotHash('sha256', bytes, 'hex');
}

/** Unicode NFC, unified line endings, trimmed: the text that search and people read. */
export function normalizeText(text: string | undefined): string | null {
  if (text === undefined) return null;
  return text.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

export interface PreparedRecord {
  record: ValidRecord;
  series: string;
  capturedAt: string;
  dedupeKey: string;
  text: string | null;
  canonical: string;
  media: Array<{ sha256: string; mime: string; size: number; bytes: Uint8Array }>;
}

/** The same platform object version, captured twice, is one record; capture time is not part of it. */
export function dedupeKeyOf(record: ValidRecord): string {
  return record.dedupeKey ?? sha256Hex([record.kind, record.platform ?? '', record.accountId ?? '', record.platformId ?? '', record.platformVersion ?? ''].join('\u0000'));
}

export function prepareRecord(record: ValidRecord, now: Date, dedupeKey = dedupeKeyOf(record)): PreparedRecord {
  const series = record.series ?? DEFAULT_SERIES[record.kind];
  const capturedAt = record.capturedAt ? new Date(record.capturedAt).toISOString() : now.toISOString();
  const media = (record.media ?? []).map((m) => ({ sha256: sha256Hex(m.bytes), mime: m.mime, size: m.bytes.byteLength, alt: m.alt, bytes: m.bytes }));
  const text = normalizeText(record.text);
  const canonical = canonicalJson({
    v: 1,
    kind: record.kind,
    series,
    platform: record.platform ?? null,
    accountId: record.accountId ?? null,
    platformId: record.platformId ?? null,
    platformVersion: record.platformVersion ?? null,
    subjectId: record.subjectId ?? null,
    parentId: record.parentId ?? null,
    threadId: record.threadId ?? null,
    dedupeKey,
    capturedAt,
    platformTimes: record.platformTimes ?? {},
    author: record.author ?? null,
    text,
    payload: { sha256: sha256Hex(record.payload), size: record.payload.byteLength, type: record.payloadType },
    evidence: record.evidence ? { sha256: sha256Hex(record.evidence), size: record.evidence.byteLength, type: record.evidenceType } : null,
    media: media.map(({ sha256, mime, size, alt }) => ({ sha256, mime, size, alt: alt ?? null })),
    meta: record.meta ?? {},
  });
  return { record, series, capturedAt, dedupeKey, text, canonical, media: media.map(({ sha256, mime, size, bytes }) => ({ sha256, mime, size, bytes })) };
}

/**
 * Reads the payload hash out of canonical bytes without parsing them (verify's hot path). Keys are
 * sorted and quotes inside strings are escaped, so the marker can only be the top-level key, or a
 * key inside `meta`, which sorts before `payload`: the last occurrence is the top-level one.
 */
export function payloadHashOf(canonical: string): string | null {
  const marker = '"payload":{"sha256":"';
  const at = canonical.lastIndexOf(marker);
  return at === -1 ? null : canonical.slice(at + marker.length, at + marker.length + 64);
}

/** `evidence` sorts after only accountId, author, capturedAt and dedupeKey: the first occurrence. */
export function evidenceHashOf(canonical: string): string | null {
  const marker = '"evidence":{"sha256":"';
  const at = canonical.indexOf(marker);
  return at === -1 ? null : canonical.slice(at + marker.length, at + marker.length + 64);
}
