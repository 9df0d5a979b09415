// Reading drafts: the queue each person sees, one draft with its steps, decisions, discussion and
// publications, and open incidents.
import type { Kysely } from 'kysely';
import type { DB, DraftsTable } from '../db/schema.js';
import type { Actor } from '../policy/can.js';
import { decide, permissionsOf, scopeOf } from '../policy/can.js';
import type { Action } from '../policy/actions.js';
import { forbidden } from '../http/errors.js';
import { accountIdsOfUser, listAccounts, type AccountView } from '../accounts/accounts.queries.js';
import type { ChainSnapshot } from '../accounts/requests.queries.js';
import type { Finding } from './checks/index.js';

export interface DraftView {
  id: string;
  authorId: string;
  authorName: string;
  departmentId: string | null;
  text: string;
  variants: Array<{ platform: string; text: string }>;
  media: Array<{ sha256: string; mime: string; size: number; alt?: string | null }>;
  link: string | null;
  websiteUrl: string | null;
  category: string | null;
  emergency: boolean;
  accountIds: string[];
  status: string;
  version: number;
  currentStep: number;
  chain: ChainSnapshot | null;
  findings: Finding[];
  scheduledAt: string | null;
  submittedAt: string | null;
  updatedAt: string;
  /** Whether the person asking decides the current step. */
  awaitsMe: boolean;
}

export interface DraftDetail extends DraftView {
  decisions: Array<{ step: number; role: string; by: string; decision: string; comment: string | null; at: string; version: number }>;
  comments: Array<{ by: string; text: string; at: string }>;
  publications: Array<{ accountId: string; platform: string; status: string; url: string | null; error: string | null; attempts: number; publishedAt: string | null }>;
}

function awaits(actor: Actor, d: DraftsTable): boolean {
  if (d.status !== 'in_review' || !d.chain || d.author_id === actor.userId) return false;
  const step = (JSON.parse(d.chain) as ChainSnapshot).steps[d.current_step];
  return Boolean(step && actor.roles.includes(step.role) && decide(actor, 'content.approve', { orgId: actor.orgId, departmentId: d.department_id }).allowed);
}

function toView(actor: Actor, d: DraftsTable, names: Map<string, string>): DraftView {
  return {
    id: d.id, authorId: d.author_id, authorName: names.get(d.author_id) ?? d.author_id, departmentId: d.department_id, text: d.text,
    variants: JSON.parse(d.variants) as DraftView['variants'], media: JSON.parse(d.media) as DraftView['media'], link: d.link, websiteUrl: d.website_url,
    category: d.category, emergency: d.emergency === 1, accountIds: JSON.parse(d.account_ids) as string[], status: d.status, version: d.version,
    currentStep: d.current_step, chain: d.chain ? (JSON.parse(d.chain) as ChainSnapshot) : null, findings: JSON.parse(d.findings) as Finding[],
    scheduledAt: d.scheduled_at, submittedAt: d.submitted_at, updatedAt: d.updated_at, awaitsMe: awaits(actor, d),
  };
}

async function userNames(db: Kysely<DB>, orgId: string): Promise<Map<string, string>> {
  const users = await db.selectFrom('users').select(['id', 'display_name']).where('org_id', '=', orgId).execute();
  return new Map(users.map((u) => [u.id, u.display_name]));
}

/** The author, or whoever may approve or publish for the draft's department. */
function visibleTo(actor: Actor, d: DraftsTable): boolean {
  return d.author_id === actor.userId
    || decide(actor, 'content.approve', { orgId: actor.orgId, departmentId: d.department_id }).allowed
    || decide(actor, 'content.publish', { orgId: actor.orgId, departmentId: d.department_id }).allowed;
}

/** Drafts the person may see: their own, their department's (approvers), or all (city-wide grants). */
export async function listDrafts(db: Kysely<DB>, actor: Actor): Promise<DraftView[]> {
  const rows = await db.selectFrom('drafts').selectAll().where('org_id', '=', actor.orgId).orderBy('updated_at', 'desc').limit(500).execute();
  const names = await userNames(db, actor.orgId);
  return rows.filter((d) => visibleTo(actor, d)).map((d) => toView(actor, d, names));
}

export async function getDraft(db: Kysely<DB>, actor: Actor, id: string): Promise<DraftDetail | undefined> {
  const row = await db.selectFrom('drafts').selectAll().where('org_id', '=', actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!row || !visibleTo(actor, row)) return undefined;
  const names = await userNames(db, actor.orgId);
  const visible = toView(actor, row, names);
  const decisions = await db.selectFrom('draft_decisions').selectAll().where('draft_id', '=', id).orderBy('created_at').execute();
  const comments = await db.selectFrom('draft_comments').selectAll().where('draft_id', '=', id).orderBy('created_at').execute();
  const pubs = await db.selectFrom('publications').selectAll().where('draft_id', '=', id).orderBy('updated_at').execute();
  return {
    ...visible,
    decisions: decisions.map((d) => ({ step: d.step, role: d.role, by: names.get(d.user_id) ?? d.user_id, decision: d.decision, comment: d.comment, at: d.created_at, version: d.version })),
    comments: comments.map((c) => ({ by: names.get(c.user_id) ?? c.user_id, text: c.text, at: c.created_at })),
    publications: pubs.map((p) => ({ accountId: p.account_id, platform: p.platform, status: p.status, url: p.url, error: p.last_error, attempts: p.attempts, publishedAt: p.published_at })),
  };
}

/**
 * Incidents, newest first: vandalism alerts for whoever may see the accounts; emergencies also for
 * whoever writes, approves or leads their updates, each with its lead and its updates so far.
 */
export async function listIncidents(db: Kysely<DB>, actor: Actor) {
  const held = permissionsOf(actor);
  const all = held.includes('account.view');
  if (!all && !['content.submit', 'content.approve', 'incident.lead'].some((a) => held.includes(a as Action))) {
    const decision = decide(actor, 'account.view', { orgId: actor.orgId });
    throw forbidden(`Not allowed: ${decision.reason}`, 'account.view', decision.sources);
  }
  let q = db.selectFrom('incidents').selectAll().where('org_id', '=', actor.orgId);
  if (!all) q = q.where('kind', '=', 'emergency');
  const rows = await q.orderBy('opened_at', 'desc').limit(200).execute();
  const ids = rows.filter((i) => i.kind === 'emergency').map((i) => i.id);
  const drafts = ids.length ? await db.selectFrom('drafts').selectAll().where('org_id', '=', actor.orgId).where('incident_id', 'in', ids).orderBy('created_at').execute() : [];
  const updates = drafts.filter((d) => visibleTo(actor, d));
  const names = await userNames(db, actor.orgId);
  return rows.map((i) => ({
    id: i.id, kind: i.kind, accountId: i.account_id, status: i.status, summary: i.summary, platformId: i.platform_id, openedAt: i.opened_at, resolvedAt: i.resolved_at,
    leadName: i.lead_id ? names.get(i.lead_id) ?? null : null,
    updates: updates.filter((u) => u.incident_id === i.id).map((u) => ({ id: u.id, text: u.text, status: u.status, updatedAt: u.updated_at })),
  }));
}

/**
 * The active accounts a person may write for: every one with a city-wide grant (or approval or
 * publishing rights), else their department's and those they were given access to.
 */
export async function postableAccounts(db: Kysely<DB>, actor: Actor): Promise<AccountView[]> {
  const active = (await listAccounts(db, actor.orgId)).filter((a) => a.status === 'active');
  const wide = (['content.submit', 'content.approve', 'content.publish'] as const).some((a) => scopeOf(actor, a) === 'city');
  if (wide) return active;
  const granted = actor.userId ? await accountIdsOfUser(db, actor.orgId, actor.userId) : new Set<string>();
  return active.filter((a) => (actor.departmentId !== null && a.departmentId === actor.departmentId) || granted.has(a.id));
}
