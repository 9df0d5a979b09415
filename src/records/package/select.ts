// What a production contains: the requested records and the redacted copies that stand in for
// their originals, checked and described from the archive's index columns only (no payloads), so
// a 100k-record production keeps ~100 bytes per record in memory. Content is read later, a page
// at a time. For a redacted copy only the original's *position* (thread, parent, platform object)
// is read, never its content: that is what places the copy where the original sat in its thread.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

const CHUNK = 1000;
// Lookups by id filter the city in code, not SQL: given `org_id = ? AND id IN (…)`, SQLite without
// table statistics walks the city's org_id index (all its records) instead of the id index; at
// 100k records that made each page ~300 ms instead of ~5 ms. Ids are UUIDs: another city's row
// with the same id cannot exist, and one that did would be dropped here.
/** Kinds whose records are a post or comment (or a version of one). */
const CONTENT_KINDS = new Set(['post', 'post_version', 'comment', 'comment_version']);
/** Kinds whose records act on another platform object (subject_id). */
export const ACTING_KINDS = ['deletion', 'visibility_change', 'moderation_action'] as const;
/** A redacted copy is captured as 'redacted_copy'; before that kind existed, as a 'staff_event' with the same meta. */
const REDACTED_KINDS = new Set(['redacted_copy', 'staff_event']);

export interface Redaction {
  originalId: string;
  originalLeafIndex: number | null;
  codes: string[];
}

export interface Produced {
  id: string;
  leafIndex: number;
  kind: string;
  platform: string | null;
  accountId: string | null;
  platformId: string | null;
  subjectId: string | null;
  capturedAt: string;
  platformTime: string | null;
  redaction: Redaction | null;
  /** post, comment, … for a redacted copy the original's kind, without `_version`; the kind otherwise. */
  baseKind: string;
  /** The platform object this record is (a version of), or acts on; the original's for a redacted copy. */
  objectKey: string | null;
  parentKey: string | null;
  threadKey: string | null;
}

export interface Selection {
  /** Produced records in leaf order. */
  produced: Produced[];
  /** Requested records whose content was destroyed under the retention schedule: listed, not produced. */
  destroyed: string[];
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function redactionOf(canonical: string, expectedOriginal: string, derivedId: string): Redaction {
  const parsed = JSON.parse(canonical) as { kind?: string; meta?: { derivedFrom?: unknown; originalLeafIndex?: unknown; redactions?: unknown } };
  if (!REDACTED_KINDS.has(parsed.kind ?? '')) throw new Error(`record ${derivedId} is a ${parsed.kind ?? 'record'}, not a redacted copy`);
  if (parsed.meta?.derivedFrom !== expectedOriginal) {
    throw new Error(`record ${derivedId} is not a redacted copy of ${expectedOriginal} (its meta.derivedFrom is ${String(parsed.meta?.derivedFrom)})`);
  }
  const list = Array.isArray(parsed.meta.redactions) ? (parsed.meta.redactions as Array<{ code?: unknown }>) : [];
  const codes = [...new Set(list.map((r) => (typeof r?.code === 'string' ? r.code : 'unspecified')))];
  const leaf = parsed.meta.originalLeafIndex;
  return { originalId: expectedOriginal, originalLeafIndex: typeof leaf === 'number' ? leaf : null, codes };
}

/** Reads, checks and describes the records of a production. Throws on anything that would make it wrong. */
export async function loadSelection(
  db: Kysely<DB>, orgId: string, recordIds: readonly string[], redacted: ReadonlyArray<{ derivedRecordId: string; originalRecordId: string }>,
): Promise<Selection> {
  const originals = new Map<string, string>(); // derived → original
  const replaced = new Set<string>();
  for (const { derivedRecordId, originalRecordId } of redacted) {
    if (replaced.has(originalRecordId) || originals.has(derivedRecordId)) throw new Error(`record ${originalRecordId} has more than one redacted copy in this production`);
    originals.set(derivedRecordId, originalRecordId);
    replaced.add(originalRecordId);
  }
  // The whole point of a redacted copy: its original must not be produced alongside it.
  const clash = recordIds.filter((id) => replaced.has(id));
  if (clash.length) throw new Error(`record(s) ${clash.join(', ')} are produced in full and also replaced by a redacted copy`);
  const ids = [...new Set([...recordIds, ...originals.keys()])];

  const rows: Array<{ id: string; leaf_index: number; kind: string; platform: string | null; account_id: string | null; platform_id: string | null; subject_id: string | null; parent_id: string | null; thread_id: string | null; captured_at: string; platform_time: string | null; has_content: string | null }> = [];
  for (const part of chunks(ids)) {
    const found = await db.selectFrom('archive_records as r').leftJoin('archive_contents as c', 'c.record_id', 'r.id')
      .select(['r.org_id', 'r.id', 'r.leaf_index', 'r.kind', 'r.platform', 'r.account_id', 'r.platform_id', 'r.subject_id', 'r.parent_id', 'r.thread_id',
        'r.captured_at', 'r.platform_time', 'c.record_id as has_content'])
      .where('r.id', 'in', part).execute();
    rows.push(...found.filter((r) => r.org_id === orgId));
  }
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new Error(`record(s) not in this city's archive: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ` and ${missing.length - 20} more` : ''}`);

  const redactions = new Map<string, Redaction>();
  for (const part of chunks([...originals.keys()])) {
    const contents = await db.selectFrom('archive_contents').select(['org_id', 'record_id', 'canonical']).where('record_id', 'in', part).execute();
    for (const c of contents) if (c.org_id === orgId) redactions.set(c.record_id, redactionOf(c.canonical, originals.get(c.record_id) as string, c.record_id));
  }
  const gone = [...originals.keys()].filter((id) => !redactions.has(id));
  if (gone.length) throw new Error(`redacted cop(ies) ${gone.join(', ')} have no content (destroyed?)`);

  // Position only: platform object, parent and thread of each original.
  const position = new Map<string, { kind: string; platform_id: string | null; parent_id: string | null; thread_id: string | null }>();
  for (const part of chunks([...replaced])) {
    const found = await db.selectFrom('archive_records').select(['org_id', 'id', 'kind', 'platform_id', 'parent_id', 'thread_id'])
      .where('id', 'in', part).execute();
    for (const o of found) if (o.org_id === orgId) position.set(o.id, o);
  }
  const lost = [...replaced].filter((id) => !position.has(id));
  if (lost.length) throw new Error(`original record(s) ${lost.join(', ')} are not in this city's archive`);

  const produced: Produced[] = [];
  const destroyed: string[] = [];
  for (const r of rows.sort((a, b) => a.leaf_index - b.leaf_index)) {
    if (r.has_content === null) {
      destroyed.push(r.id);
      continue;
    }
    const redaction = redactions.get(r.id) ?? null;
    const at = redaction ? position.get(redaction.originalId) : undefined;
    const kind = at?.kind ?? r.kind;
    const baseKind = kind.replace(/_version$/, '');
    const isActing = (ACTING_KINDS as readonly string[]).includes(kind);
    produced.push({
      id: r.id, leafIndex: r.leaf_index, kind: r.kind, platform: r.platform, accountId: r.account_id, platformId: r.platform_id,
      subjectId: r.subject_id, capturedAt: r.captured_at, platformTime: r.platform_time, redaction, baseKind,
      objectKey: isActing ? (at ? null : r.subject_id) : (at ? at.platform_id : r.platform_id),
      parentKey: at ? at.parent_id : r.parent_id,
      threadKey: (at ? at.thread_id : r.thread_id) ?? (baseKind === 'post' ? (at ? at.platform_id : r.platform_id) : null),
    });
  }
  return { produced, destroyed };
}

export function isContent(p: Produced): boolean {
  return CONTENT_KINDS.has(p.baseKind) || CONTENT_KINDS.has(p.kind);
}

export interface ContentRow {
  id: string;
  canonical: string;
  payload: Uint8Array | null;
  evidence: Uint8Array | null;
  text: string | null;
  author_id: string | null;
  author_handle: string | null;
  author_name: string | null;
}

/** One page of full content (payloads included), in the order of `ids`. */
export async function readContents(db: Kysely<DB>, orgId: string, ids: readonly string[]): Promise<ContentRow[]> {
  const rows = await db.selectFrom('archive_contents')
    .select(['org_id', 'record_id as id', 'canonical', 'payload', 'evidence', 'text', 'author_id', 'author_handle', 'author_name'])
    .where('record_id', 'in', ids).execute();
  const byId = new Map(rows.filter((r) => r.org_id === orgId).map((r) => [r.id, r]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) throw new Error(`record ${id} lost its content while the package was being built`);
    return row;
  });
}

export interface TextRow {
  id: string;
  text: string | null;
  author_handle: string | null;
  author_name: string | null;
}

/** One page of what a reader sees (text and author), without payloads, in the order of `ids`. */
export async function readTexts(db: Kysely<DB>, orgId: string, ids: readonly string[]): Promise<TextRow[]> {
  const rows = await db.selectFrom('archive_contents').select(['org_id', 'record_id as id', 'text', 'author_handle', 'author_name'])
    .where('record_id', 'in', ids).execute();
  const byId = new Map(rows.filter((r) => r.org_id === orgId).map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? { id, text: null, author_handle: null, author_name: null });
}

export { chunks };
