// Reading the moderation queue, one comment with its history and the consistency panel, and the
// public transparency log of removals.
import type { Kysely } from 'kysely';
import type { DB, ModerationItemsTable } from '../db/schema.js';

export interface QueueItem {
  id: string;
  accountId: string;
  platform: string;
  platformId: string;
  threadId: string | null;
  author: string | null;
  /** The author's platform identity (Bluesky DID, Facebook user id), when capture knew it. */
  authorId: string | null;
  text: string;
  state: string;
  labels: string[];
  viewpoint: boolean;
  evidence: unknown;
  proposal: { clauseId: string; reason: string } | null;
  createdAt: string;
}

function view(i: ModerationItemsTable): QueueItem {
  return {
    id: i.id, accountId: i.account_id, platform: i.platform, platformId: i.platform_id, threadId: i.thread_id, author: i.author_handle, authorId: i.author_id, text: i.text,
    state: i.state, labels: JSON.parse(i.labels) as string[], viewpoint: i.viewpoint === 1, evidence: JSON.parse(i.evidence) as unknown,
    proposal: i.proposal ? (JSON.parse(i.proposal) as { clauseId: string; reason: string }) : null, createdAt: i.created_at,
  };
}

export interface QueueFilters {
  state?: string;
  accountId?: string;
  category?: string;
  /**
   * The pack asks for pre-moderation (MN-7) that the platforms cannot do: every comment not yet
   * reviewed is listed first, newest first, whatever the classifier said, so each is looked at as
   * soon as possible after it appears.
   */
  unreviewedFirst?: boolean;
}

const FLAGGED_FIRST: Record<string, number> = { held: 0, escalated: 0, flagged: 1, in_review: 2, new: 3 };
const UNREVIEWED_FIRST: Record<string, number> = { held: 0, new: 0, flagged: 0, in_review: 0, escalated: 1 };

/** Held, escalated and flagged first, then new (or, with unreviewedFirst, everything unreviewed); newest first within each. */
export async function listQueue(db: Kysely<DB>, orgId: string, f: QueueFilters): Promise<QueueItem[]> {
  let q = db.selectFrom('moderation_items').selectAll().where('org_id', '=', orgId);
  if (f.state) q = q.where('state', '=', f.state as ModerationItemsTable['state']);
  if (f.accountId) q = q.where('account_id', '=', f.accountId);
  const rows = (await q.orderBy('created_at', 'desc').orderBy('id').limit(1000).execute()).map(view);
  const rank = f.unreviewedFirst ? UNREVIEWED_FIRST : FLAGGED_FIRST;
  return rows.filter((r) => !f.category || r.labels.includes(f.category)).sort((a, b) => (rank[a.state] ?? 9) - (rank[b.state] ?? 9));
}

export async function getItemRow(db: Kysely<DB>, orgId: string, id: string): Promise<ModerationItemsTable | undefined> {
  return db.selectFrom('moderation_items').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

/** One comment (its row read once by the caller) with its history and the consistency panel. */
export async function itemDetail(db: Kysely<DB>, orgId: string, row: ModerationItemsTable) {
  const id = row.id;
  const item = view(row);
  const names = new Map((await db.selectFrom('users').select(['id', 'display_name']).where('org_id', '=', orgId).execute()).map((u) => [u.id, u.display_name]));
  const actions = (await db.selectFrom('moderation_actions').selectAll().where('item_id', '=', id).orderBy('created_at').execute())
    .map((a) => ({ action: a.action, by: names.get(a.user_id) ?? a.user_id, clauseId: a.clause_id, reason: a.reason, packVersion: a.pack_version, at: a.created_at }));
  // The consistency panel: comments with the same labels, and how each was handled.
  const similar = item.labels.length === 0 ? [] : (await listQueue(db, orgId, {})).filter((o) => o.id !== id && o.labels.some((l) => item.labels.includes(l))).slice(0, 10)
    .map((o) => ({ id: o.id, text: o.text.slice(0, 200), state: o.state, labels: o.labels }));
  return { ...item, actions, similar };
}

/** Removals for the public log (MN-8, BZ-15): date, clause, reason; poster shown only if the pack says so. */
export async function transparencyLog(db: Kysely<DB>, orgId: string) {
  return db.selectFrom('moderation_actions as a').innerJoin('moderation_items as i', 'i.id', 'a.item_id')
    .select(['a.created_at', 'a.action', 'a.clause_id', 'a.reason', 'i.platform', 'i.author_handle', 'i.state'])
    .where('a.org_id', '=', orgId).where('a.action', 'in', ['hide', 'delete', 'approve_removal', 'restore']).orderBy('a.created_at', 'desc').limit(500).execute();
}
