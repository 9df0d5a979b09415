// What staff who may only report a comment (comment.report without comment.view: Kalispell's
// employees, KA-2, KA-10) see of the captured comments: the public speech itself (text, author,
// account, when) and whether a report is already waiting — never the classifier's labels, evidence
// or viewpoint flag, the proposal or the history, which are the moderators' working material. A
// comment is also found by the link staff copy from the platform, when the archive has it.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB, ModerationState } from '../db/schema.js';
import { can, type Actor } from '../policy/can.js';
import type { PolicyPack } from '../policy/pack.schema.js';

/** One comment as report-only staff see it (GET /api/moderation/reportable). */
export interface ReportableComment {
  id: string;
  accountId: string;
  /** "bluesky kalispell.test": they may not list accounts (account.view), so the answer names it. */
  account: { platform: string; handle: string };
  platform: string;
  platformId: string;
  /** Where the comment can be read on the platform, when its address gives one. */
  url: string | null;
  author: string | null;
  text: string;
  createdAt: string;
  /** A report is waiting for the people the pack names (made after the last decision on it). */
  reported: boolean;
  /** That waiting report is this person's. */
  reportedByYou: boolean;
  /** Its state lets it be reported now (a comment whose removal is proposed cannot be). */
  canReport: boolean;
}

/** A comment's address as pasted: a Bluesky post (by DID or handle) or a Facebook comment id. */
export type CommentLink =
  | { platform: 'bluesky'; repo: string; rkey: string }
  | { platform: 'facebook'; commentId: string };

// Comments still public on the platform. Held replies have not appeared yet; hidden and deleted ones
// no longer show, and what happened to them is the moderators' business.
const PUBLIC_STATES: ModerationState[] = ['new', 'flagged', 'in_review', 'escalated', 'kept', 'restored'];
// As moderation.commands.ts NEXT.report.from, less the states not listed here.
const REPORTABLE_FROM = new Set<ModerationState>(['new', 'flagged', 'in_review', 'kept', 'restored']);
// Records about the commenter (a warning, an appeal, a block) settle no report on the comment.
const NOT_DECISIONS = new Set(['warn', 'appeal', 'block', 'approve_block', 'lift_block']);

const RKEY = /^[A-Za-z0-9._:~-]{1,512}$/;
const AUTHORITY = /^(did:[a-z]+:[A-Za-z0-9._:%-]{1,2000}|[A-Za-z0-9][A-Za-z0-9.-]{0,252}\.[A-Za-z0-9-]{1,63})$/;
const FB_ID = /^\d{1,40}(_\d{1,40})?$/;
export const RECENT_LIMIT = 100;

function bluesky(authority: string, rkey: string): CommentLink | null {
  let repo: string;
  try {
    repo = decodeURIComponent(authority);
  } catch {
    return null;
  }
  return AUTHORITY.test(repo) && RKEY.test(rkey) ? { platform: 'bluesky', repo: repo.toLowerCase().startsWith('did:') ? repo : repo.toLowerCase(), rkey } : null;
}

/** Reads an at:// URI, a bsky.app post link, a Facebook comment link or a Facebook comment id; null when it is none of them. */
export function parseCommentLink(input: string): CommentLink | null {
  const text = input.trim();
  if (FB_ID.test(text)) return { platform: 'facebook', commentId: text };
  const at = /^at:\/\/([^/?#]+)\/app\.bsky\.feed\.post\/([^/?#]+)$/.exec(text);
  if (at) return bluesky(at[1]!, at[2]!);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (/(^|\.)facebook\.com$/i.test(url.hostname)) {
    const id = url.searchParams.get('reply_comment_id') ?? url.searchParams.get('comment_id');
    return id && FB_ID.test(id) ? { platform: 'facebook', commentId: id } : null;
  }
  const post = /^\/profile\/([^/]+)\/post\/([^/]+)\/?$/.exec(url.pathname);
  return post ? bluesky(post[1]!, post[2]!) : null;
}

/** The public address of a Bluesky comment (its at:// URI read as a bsky.app link). */
function publicUrl(platform: string, platformId: string): string | null {
  const at = platform === 'bluesky' ? /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/]+)$/.exec(platformId) : null;
  return at ? `https://bsky.app/profile/${at[1]}/post/${at[2]}` : null;
}

export interface ReportableFilters {
  accountId?: string;
  link?: CommentLink;
}

/**
 * The comments this person may report (on the accounts where their comment.report grant covers
 * the account's department), newest first; with a link, only the comment at that address.
 */
export async function reportableComments(db: Kysely<DB>, actor: Actor, f: ReportableFilters): Promise<ReportableComment[]> {
  const accounts = (await db.selectFrom('accounts').select(['id', 'platform', 'handle', 'department_id']).where('org_id', '=', actor.orgId).execute())
    .filter((a) => can(actor, 'comment.report', { orgId: actor.orgId, departmentId: a.department_id }));
  const ids = accounts.map((a) => a.id).filter((id) => !f.accountId || id === f.accountId);
  if (ids.length === 0) return [];
  let q = db.selectFrom('moderation_items').select(['id', 'account_id', 'platform', 'platform_id', 'author_handle', 'text', 'state', 'created_at'])
    .where('org_id', '=', actor.orgId).where('account_id', 'in', ids).where('state', 'in', PUBLIC_STATES);
  const link = f.link;
  let matches: (platformId: string) => boolean = () => true;
  if (link?.platform === 'bluesky') {
    const suffix = `/app.bsky.feed.post/${link.rkey}`;
    q = q.where('platform', '=', 'bluesky');
    // An address by handle names the author; the stored address always has their DID.
    q = link.repo.startsWith('did:') ? q.where('platform_id', '=', `at://${link.repo}${suffix}`) : q.where(sql<string>`lower(author_handle)`, '=', link.repo);
    matches = (id) => id.endsWith(suffix);
  } else if (link?.platform === 'facebook') {
    // A link carries the comment's own number; the Graph API's id is "<post>_<comment>". Digits only, so the pattern is safe.
    q = q.where('platform', '=', 'facebook').where((eb) => eb.or([eb('platform_id', '=', link.commentId), eb('platform_id', 'like', `%_${link.commentId}`)]));
    matches = (id) => id === link.commentId || id.endsWith(`_${link.commentId}`);
  }
  const rows = (await q.orderBy('created_at', 'desc').orderBy('id').limit(RECENT_LIMIT).execute()).filter((r) => matches(r.platform_id));
  if (rows.length === 0) return [];
  const actions = await db.selectFrom('moderation_actions').select(['item_id', 'action', 'user_id', 'created_at'])
    .where('org_id', '=', actor.orgId).where('item_id', 'in', rows.map((r) => r.id)).orderBy('created_at').execute();
  const byId = new Map(accounts.map((a) => [a.id, a]));
  return rows.map((r) => {
    // The last action decides: a report after the last decision is still waiting.
    const last = actions.filter((a) => a.item_id === r.id && !NOT_DECISIONS.has(a.action)).at(-1);
    const waiting = last?.action === 'report' ? last : undefined;
    const account = byId.get(r.account_id);
    return {
      id: r.id, accountId: r.account_id, account: { platform: account?.platform ?? r.platform, handle: account?.handle ?? '' }, platform: r.platform, platformId: r.platform_id,
      url: publicUrl(r.platform, r.platform_id), author: r.author_handle, text: r.text, createdAt: r.created_at,
      reported: waiting !== undefined, reportedByYou: waiting !== undefined && waiting.user_id === actor.userId, canReport: REPORTABLE_FROM.has(r.state),
    };
  });
}

/** What the page says around the list: who a report goes to (KA-10), and the clauses a reporter may point to. */
export function reportingRules(pack: PolicyPack) {
  const rules = pack.moderation;
  return {
    reportTo: rules.reportTo.map((id) => ({ id, title: pack.roles.find((r) => r.id === id)?.title ?? id })),
    sources: rules.sources,
    clauses: pack.acceptableUse.clauses.map((c) => ({ id: c.id, category: c.category, text: c.text })),
  };
}
