// Reading blocks, and what is on record about a comment's author on one account: the removals of
// their comments that still stand (the documented violations a block needs), the warnings they
// were given, and their blocks, each with its status computed from its end date (a block ends on
// its own; no job has to act).
import type { Kysely } from 'kysely';
import type { DB, ModerationBlocksTable } from '../db/schema.js';

export type BlockStatus = 'proposed' | 'active' | 'expired' | 'lifted';

export interface BlockView {
  id: string;
  accountId: string;
  platform: string;
  authorId: string;
  author: string | null;
  itemId: string;
  status: BlockStatus;
  days: number;
  violations: string[];
  warningId: string | null;
  clauseId: string;
  reason: string;
  proposedBy: string;
  approvedBy: string | null;
  packVersion: string;
  startsAt: string | null;
  expiresAt: string | null;
  liftedBy: string | null;
  liftReason: string | null;
  createdAt: string;
}

export function blockStatus(b: Pick<ModerationBlocksTable, 'state' | 'expires_at'>, now = new Date()): BlockStatus {
  if (b.state === 'active' && b.expires_at && Date.parse(b.expires_at) <= now.getTime()) return 'expired';
  return b.state;
}

async function userNames(db: Kysely<DB>, orgId: string): Promise<Map<string, string>> {
  return new Map((await db.selectFrom('users').select(['id', 'display_name']).where('org_id', '=', orgId).execute()).map((u) => [u.id, u.display_name]));
}

export async function listBlocks(db: Kysely<DB>, orgId: string, f: { accountId?: string; authorId?: string } = {}, now = new Date()): Promise<BlockView[]> {
  let q = db.selectFrom('moderation_blocks').selectAll().where('org_id', '=', orgId);
  if (f.accountId) q = q.where('account_id', '=', f.accountId);
  if (f.authorId) q = q.where('author_id', '=', f.authorId);
  const rows = await q.orderBy('created_at', 'desc').limit(500).execute();
  const names = await userNames(db, orgId);
  const name = (id: string | null) => (id ? names.get(id) ?? id : null);
  return rows.map((b) => ({
    id: b.id, accountId: b.account_id, platform: b.platform, authorId: b.author_id, author: b.author_handle, itemId: b.item_id,
    status: blockStatus(b, now), days: b.days, violations: JSON.parse(b.violations) as string[], warningId: b.warning_id,
    clauseId: b.clause_id, reason: b.reason, proposedBy: name(b.proposed_by) ?? b.proposed_by, approvedBy: name(b.approved_by),
    packVersion: b.pack_version, startsAt: b.starts_at, expiresAt: b.expires_at, liftedBy: name(b.lifted_by), liftReason: b.lift_reason, createdAt: b.created_at,
  }));
}

export interface AuthorRecord {
  /** Comments of the author on the account whose removal stands, with the latest removal. */
  removals: Array<{ itemId: string; text: string; action: string; clauseId: string | null; at: string }>;
  warnings: Array<{ id: string; itemId: string; clauseId: string | null; text: string | null; at: string }>;
  blocks: BlockView[];
}

export async function authorRecord(db: Kysely<DB>, orgId: string, accountId: string, authorId: string, now = new Date()): Promise<AuthorRecord> {
  const actions = await db.selectFrom('moderation_actions as a').innerJoin('moderation_items as i', 'i.id', 'a.item_id')
    .select(['a.id', 'a.item_id', 'a.action', 'a.clause_id', 'a.reason', 'a.created_at', 'i.state', 'i.text'])
    .where('i.org_id', '=', orgId).where('i.account_id', '=', accountId).where('i.author_id', '=', authorId)
    .where('a.action', 'in', ['hide', 'approve_removal', 'delete', 'warn']).orderBy('a.created_at').execute();
  const removals = new Map<string, AuthorRecord['removals'][number]>();
  const warnings: AuthorRecord['warnings'] = [];
  for (const a of actions) {
    if (a.action === 'warn') warnings.push({ id: a.id, itemId: a.item_id, clauseId: a.clause_id, text: a.reason, at: a.created_at });
    // A removal undone (restored) is no longer a violation on record.
    else if (a.state === 'hidden' || a.state === 'deleted') removals.set(a.item_id, { itemId: a.item_id, text: a.text.slice(0, 200), action: a.action, clauseId: a.clause_id, at: a.created_at });
  }
  return { removals: [...removals.values()], warnings, blocks: await listBlocks(db, orgId, { accountId, authorId }, now) };
}
