// Reading the archive: one record with everything kept about it, and a thread as a person reads
// it — the post, its comments, every version, deletions and hides with their times, and the
// moderation actions on each.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export interface RecordView {
  id: string;
  leafIndex: number;
  kind: string;
  series: string;
  platform: string | null;
  accountId: string | null;
  platformId: string | null;
  platformVersion: string | null;
  subjectId: string | null;
  parentId: string | null;
  threadId: string | null;
  capturedAt: string;
  platformTime: string | null;
  leafHash: string;
  author: { id: string | null; handle: string | null; name: string | null } | null;
  text: string | null;
  /** The canonical record (what the leaf hash commits to), parsed; null once destroyed. */
  canonical: Record<string, unknown> | null;
  payloadSize: number | null;
  hasEvidence: boolean;
  destroyed: { at: string; approvedBy: string; reason: string } | null;
}

function baseQuery(db: Kysely<DB>, orgId: string) {
  return db.selectFrom('archive_records as r')
    .leftJoin('archive_contents as c', 'c.record_id', 'r.id')
    .leftJoin('archive_dispositions as d', 'd.record_id', 'r.id')
    .select(['r.id', 'r.leaf_index', 'r.kind', 'r.series', 'r.platform', 'r.account_id', 'r.platform_id', 'r.platform_version',
      'r.subject_id', 'r.parent_id', 'r.thread_id', 'r.captured_at', 'r.platform_time', 'r.leaf_hash',
      'c.canonical', 'c.text', 'c.author_id', 'c.author_handle', 'c.author_name', 'c.payload', 'c.evidence',
      'd.destroyed_at', 'd.approved_by', 'd.reason'])
    .where('r.org_id', '=', orgId);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

function view(r: Row): RecordView {
  return {
    id: r.id, leafIndex: r.leaf_index, kind: r.kind, series: r.series, platform: r.platform, accountId: r.account_id,
    platformId: r.platform_id, platformVersion: r.platform_version, subjectId: r.subject_id, parentId: r.parent_id,
    threadId: r.thread_id, capturedAt: r.captured_at, platformTime: r.platform_time, leafHash: r.leaf_hash,
    author: r.author_id || r.author_handle || r.author_name ? { id: r.author_id, handle: r.author_handle, name: r.author_name } : null,
    text: r.text,
    canonical: r.canonical ? (JSON.parse(r.canonical) as Record<string, unknown>) : null,
    payloadSize: r.payload ? r.payload.byteLength : null,
    hasEvidence: r.evidence !== null && r.evidence !== undefined,
    destroyed: r.destroyed_at ? { at: r.destroyed_at, approvedBy: r.approved_by ?? '', reason: r.reason ?? '' } : null,
  };
}

export async function getRecord(db: Kysely<DB>, orgId: string, id: string): Promise<RecordView | undefined> {
  const row = await baseQuery(db, orgId).where('r.id', '=', id).executeTakeFirst();
  return row ? view(row) : undefined;
}

export async function getRecordPayload(db: Kysely<DB>, orgId: string, id: string, what: 'payload' | 'evidence') {
  const row = await db.selectFrom('archive_contents').select(['payload', 'evidence', 'canonical']).where('org_id', '=', orgId)
    .where('record_id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const canonical = JSON.parse(row.canonical) as { payload?: { type?: string }; evidence?: { type?: string } | null };
  const bytes = what === 'payload' ? row.payload : row.evidence;
  const type = (what === 'payload' ? canonical.payload?.type : canonical.evidence?.type) ?? 'application/octet-stream';
  return bytes ? { bytes: Buffer.from(bytes), type } : undefined;
}

export interface ThreadItem {
  platformId: string;
  kind: string;
  parentId: string | null;
  /** Every captured version, oldest first. */
  versions: RecordView[];
  deletions: RecordView[];
  visibilityChanges: RecordView[];
  moderationActions: RecordView[];
  deleted: boolean;
  hidden: boolean;
}

export interface ThreadView {
  threadId: string;
  post: ThreadItem | null;
  comments: ThreadItem[];
}

/** Everything captured in a thread, grouped per platform object. */
export async function getThread(db: Kysely<DB>, orgId: string, threadId: string): Promise<ThreadView> {
  const members = await baseQuery(db, orgId)
    .where((eb) => eb.or([eb('r.thread_id', '=', threadId), eb('r.platform_id', '=', threadId)]))
    .orderBy('r.leaf_index').execute();
  const ids = [...new Set(members.map((m) => m.platform_id).filter((x): x is string => x !== null))];
  const acting = ids.length === 0 ? [] : await baseQuery(db, orgId).where('r.subject_id', 'in', ids).orderBy('r.leaf_index').execute();
  const items = new Map<string, ThreadItem>();
  const itemFor = (platformId: string, kind: string, parentId: string | null) => {
    let item = items.get(platformId);
    if (!item) {
      item = { platformId, kind, parentId, versions: [], deletions: [], visibilityChanges: [], moderationActions: [], deleted: false, hidden: false };
      items.set(platformId, item);
    }
    return item;
  };
  for (const row of members) {
    if (!row.platform_id || row.subject_id) continue;
    const base = row.kind.replace(/_version$/, '');
    itemFor(row.platform_id, base, row.parent_id).versions.push(view(row));
  }
  for (const row of [...acting, ...members.filter((m) => m.subject_id)]) {
    const item = items.get(row.subject_id as string);
    if (!item) continue;
    const v = view(row);
    if (row.kind === 'deletion') item.deletions.push(v);
    else if (row.kind === 'visibility_change') item.visibilityChanges.push(v);
    else if (row.kind === 'moderation_action') item.moderationActions.push(v);
  }
  for (const item of items.values()) {
    const dedupe = (list: RecordView[]) => [...new Map(list.map((r) => [r.id, r])).values()].sort((a, b) => a.leafIndex - b.leafIndex);
    item.deletions = dedupe(item.deletions);
    item.visibilityChanges = dedupe(item.visibilityChanges);
    item.moderationActions = dedupe(item.moderationActions);
    item.deleted = item.deletions.length > 0;
    const lastVisibility = item.visibilityChanges.at(-1)?.canonical as { meta?: { visibility?: string } } | undefined;
    item.hidden = lastVisibility?.meta?.visibility === 'hidden';
  }
  const post = items.get(threadId) ?? null;
  const comments = [...items.values()].filter((i) => i.platformId !== threadId)
    .sort((a, b) => (a.versions[0]?.leafIndex ?? 0) - (b.versions[0]?.leafIndex ?? 0));
  return { threadId, post, comments };
}
