// Verify's content side: each content row checked against its own canonical bytes, reduced to a
// small summary that the record side then pairs by record id. Hot path: nothing here parses JSON.
import { hash as oneShotHash } from 'node:crypto';
import type { DB } from '../db/schema.js';
import { leafHashOfText } from './merkle.js';
import { evidenceHashOf, payloadHashOf } from './record.js';

export type ContentRow = Pick<DB['archive_contents'],
  'record_id' | 'canonical' | 'payload' | 'evidence' | 'text' | 'author_id' | 'author_handle' | 'author_name' | 'account_id' | 'kind' | 'leaf_index'>;

/** What the record side needs from a content row, and what was already found wrong with it. */
export interface ContentSummary {
  leafHash: string;
  accountId: string | null;
  kind: string | null;
  leafIndex: number | null;
  /** Sentences such as "its raw payload does not match the hash it was archived with". */
  faults: string[];
}

export function summarizeContent(row: ContentRow): ContentSummary {
  const faults: string[] = [];
  const canonical = row.canonical;
  if (!blobMatches(row.payload, payloadHashOf(canonical))) faults.push('its raw payload does not match the hash it was archived with');
  if (!blobMatches(row.evidence, evidenceHashOf(canonical))) faults.push('its raw evidence does not match the hash it was archived with');
  if (!textCopiesMatch(canonical, row)) {
    faults.push('the copy of its text or author that search and display read no longer matches the archived record');
  }
  return { leafHash: leafHashOfText(canonical), accountId: row.account_id, kind: row.kind, leafIndex: row.leaf_index, faults };
}

function blobMatches(bytes: Uint8Array | null, expected: string | null): boolean {
  if (bytes === null || expected === null) return bytes === null && expected === null;
  return oneShotHash('sha256', bytes, 'hex') === expected;
}

/**
 * The content row's plain text and author columns (read by search, display and exports) against
 * what the leaf commits to, without parsing the canonical JSON. Canonical keys are sorted: it opens
 * with accountId then author (the account copy is checked against the record separately), and
 * ends with text, threadId, v. A `,"threadId":` with bare quotes cannot occur inside a JSON string
 * and only `v` sorts after it, so its last occurrence is the top-level key.
 */
export function textCopiesMatch(canonical: string, row: Pick<ContentRow, 'text' | 'author_id' | 'author_handle' | 'author_name' | 'account_id'>): boolean {
  const threadAt = canonical.lastIndexOf(',"threadId":');
  const text = `,"text":${JSON.stringify(row.text)}`;
  if (threadAt < text.length || !canonical.startsWith(text, threadAt - text.length)) return false;
  const head = `{"accountId":${JSON.stringify(row.account_id)},"author":`;
  if (!canonical.startsWith(head)) return false;
  // No author columns: the record said `author: null` or gave an empty object.
  if (row.author_handle === null && row.author_id === null && row.author_name === null) {
    return canonical.startsWith('null,"capturedAt":', head.length) || canonical.startsWith('{},"capturedAt":', head.length);
  }
  return canonical.startsWith(`${authorJson(row.author_handle, row.author_id, row.author_name)},"capturedAt":`, head.length);
}

/**
 * canonicalJson({ handle, id, name }) with absent members left out, built directly: verify does this
 * for every record, and the generic sort-and-recurse costs more than the rest of the check.
 */
export function authorJson(handle: string | null, id: string | null, name: string | null): string {
  const members: string[] = [];
  if (handle !== null) members.push(`"handle":${JSON.stringify(handle)}`);
  if (id !== null) members.push(`"id":${JSON.stringify(id)}`);
  if (name !== null) members.push(`"name":${JSON.stringify(name)}`);
  return `{${members.join(',')}}`;
}
