// Reading records requests: the list (filtered, and limited to a department for staff whose grant
// is department-scoped), the deadlines dashboard, and one request with its searches, candidates,
// decisions, redactions, productions and history (its events: every change is one).
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { DB, RecordsRequestReviewsTable, RecordsRequestRedactionsTable, RecordsRequestStatus, RecordsRequestsTable } from '../db/schema.js';
import { scopeOf, type Actor } from '../policy/can.js';
import { deadlineState, type DeadlineState } from './clock.js';
import { AppError } from '../http/errors.js';
import { acknowledgementLetter, denialLetter, type LetterKind, type Withholding } from './letters.js';
import { isOpen } from './requests.shared.js';

export interface RequestSummary {
  id: string;
  number: string;
  requesterName: string;
  requesterContact: string;
  receivedAt: string;
  scope: string;
  status: RecordsRequestStatus;
  clock: { days: number; business: boolean; statute: string };
  dueOn: string;
  /** Days left and overdue, while the request is unanswered; null once answered. */
  deadline: DeadlineState | null;
  feeEstimateCents: number | null;
  timeEstimateHours: number | null;
  notes: string | null;
  departmentId: string | null;
  assignedTo: string | null;
  forwardedBy: string | null;
  acknowledgedAt: string | null;
  answeredAt: string | null;
  closedAt: string | null;
  denial: { codes: string[]; explanation: string } | null;
  createdAt: string;
  updatedAt: string;
}

export function summarize(r: RecordsRequestsTable, timeZone: string, now: Date): RequestSummary {
  return {
    id: r.id, number: r.number, requesterName: r.requester_name, requesterContact: r.requester_contact, receivedAt: r.received_at,
    scope: r.scope, status: r.status, clock: { days: r.clock_days, business: r.clock_business === 1, statute: r.clock_statute },
    dueOn: r.due_on, deadline: isOpen(r.status) ? deadlineState(r.due_on, now, timeZone) : null,
    feeEstimateCents: r.fee_estimate_cents, timeEstimateHours: r.time_estimate_hours, notes: r.notes, departmentId: r.department_id,
    assignedTo: r.assigned_to, forwardedBy: r.forwarded_by, acknowledgedAt: r.acknowledged_at, answeredAt: r.answered_at, closedAt: r.closed_at,
    denial: r.denial ? (JSON.parse(r.denial) as { codes: string[]; explanation: string }) : null, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** Requests the actor may see: the whole city, their department's, or none. */
function visible(db: Kysely<DB>, actor: Actor) {
  let q = db.selectFrom('records_requests').selectAll().where('org_id', '=', actor.orgId);
  const scope = scopeOf(actor, 'records.request.manage');
  if (scope === 'city') return q;
  // A department-scoped handler sees their department's requests; anyone else sees none.
  return scope === 'department' && actor.departmentId ? q.where('department_id', '=', actor.departmentId) : q.where(sql<SqlBool>`1 = 0`);
}

export interface ListFilters {
  status?: RecordsRequestStatus;
  /** Only unanswered requests. */
  open?: boolean;
  /** Words in the number, the requester or the scope. */
  q?: string;
  limit?: number;
}

const OPEN: RecordsRequestStatus[] = ['received', 'acknowledged', 'searching', 'in_review'];

export async function listRequests(db: Kysely<DB>, actor: Actor, filters: ListFilters, now: Date): Promise<RequestSummary[]> {
  let q = visible(db, actor);
  if (filters.status) q = q.where('status', '=', filters.status);
  if (filters.open) q = q.where('status', 'in', OPEN);
  if (filters.q) {
    // lower() on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's is not; both answer alike.
    const like = `%${filters.q.replace(/[%_\\]/g, '').toLowerCase()}%`;
    q = q.where((eb) => eb.or((['number', 'requester_name', 'scope'] as const).map((c) => eb(eb.fn<string>('lower', [eb.ref(c)]), 'like', like))));
  }
  const rows = await q.orderBy('received_at', 'desc').orderBy('number', 'desc').limit(Math.min(filters.limit ?? 200, 1000)).execute();
  return rows.map((r) => summarize(r, actor.pack.city.timeZone, now));
}

/** Unanswered requests, soonest due first (overdue at the top), with days left. */
export async function deadlines(db: Kysely<DB>, actor: Actor, now: Date): Promise<Array<RequestSummary & { deadline: DeadlineState }>> {
  const rows = await visible(db, actor).where('status', 'in', OPEN).orderBy('due_on').orderBy('received_at').limit(1000).execute();
  return rows.map((r) => {
    const s = summarize(r, actor.pack.city.timeZone, now);
    return { ...s, deadline: s.deadline ?? deadlineState(r.due_on, now, actor.pack.city.timeZone) };
  });
}

export interface ReviewState {
  /** Distinct record ids the request's searches found, in the order first found. */
  candidates: string[];
  /** The decision in force per record (the latest). */
  decisions: Map<string, RecordsRequestReviewsTable>;
  reviews: RecordsRequestReviewsTable[];
  redactions: RecordsRequestRedactionsTable[];
}

export async function reviewState(db: Kysely<DB>, requestId: string): Promise<ReviewState> {
  const found = await db.selectFrom('records_request_candidates as c').innerJoin('records_request_searches as s', 's.id', 'c.search_id')
    .select('c.record_id').where('c.request_id', '=', requestId).orderBy('s.created_at').orderBy('c.search_id').orderBy('c.position').execute();
  const reviews = await db.selectFrom('records_request_reviews').selectAll().where('request_id', '=', requestId).orderBy('created_at').orderBy('id').execute();
  const redactions = await db.selectFrom('records_request_redactions').selectAll().where('request_id', '=', requestId)
    .orderBy('record_id').orderBy('start_offset').execute();
  // Reviews are append-only and read oldest first, so the last one written wins.
  const decisions = new Map(reviews.map((r) => [r.record_id, r]));
  return { candidates: [...new Set(found.map((f) => f.record_id))], decisions, reviews, redactions };
}

/** Per exemption code: records withheld in full, and spans redacted in records that are produced. */
export function withholdings(state: ReviewState): Withholding[] {
  const out = new Map<string, Withholding>();
  const entry = (code: string) => out.get(code) ?? out.set(code, { code, records: 0, redactions: 0 }).get(code)!;
  for (const d of state.decisions.values()) if (d.decision === 'exclude' && d.exemption_code) entry(d.exemption_code).records++;
  for (const r of state.redactions) if (state.decisions.get(r.record_id)?.decision === 'include') entry(r.reason_code).redactions++;
  return [...out.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export async function getRequestDetail(db: Kysely<DB>, actor: Actor, id: string, now: Date) {
  const row = await visible(db, actor).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const state = await reviewState(db, id);
  const records = state.candidates.length === 0 ? [] : await db.selectFrom('archive_records as r').leftJoin('archive_contents as c', 'c.record_id', 'r.id')
    .select(['r.id', 'r.leaf_index', 'r.kind', 'r.platform', 'r.account_id', 'r.captured_at', 'r.platform_time', 'c.author_handle', 'c.author_name', 'c.text'])
    .where('r.org_id', '=', actor.orgId).where('r.id', 'in', state.candidates).execute();
  const byId = new Map(records.map((r) => [r.id, r]));
  const searches = await db.selectFrom('records_request_searches').selectAll().where('request_id', '=', id).orderBy('created_at').execute();
  const productions = await db.selectFrom('records_request_productions').selectAll().where('request_id', '=', id).orderBy('created_at').execute();
  const history = await db.selectFrom('events').select(['action', 'actor_label', 'before', 'after', 'created_at']).where('org_id', '=', actor.orgId)
    .where('target_type', '=', 'records_request').where('target_id', '=', id).orderBy('seq').execute();
  return {
    request: summarize(row, actor.pack.city.timeZone, now),
    searches: searches.map((s) => ({ id: s.id, query: JSON.parse(s.query) as unknown, total: s.total, by: s.actor_label, at: s.created_at })),
    candidates: state.candidates.map((recordId) => {
      const r = byId.get(recordId);
      const d = state.decisions.get(recordId);
      return {
        recordId, leafIndex: r?.leaf_index ?? null, kind: r?.kind ?? null, platform: r?.platform ?? null, accountId: r?.account_id ?? null,
        capturedAt: r?.captured_at ?? null, platformTime: r?.platform_time ?? null, author: r?.author_handle ?? r?.author_name ?? null,
        // Null once destroyed under a disposition; offsets of redactions refer to this text.
        text: r?.text ?? null,
        decision: d ? { decision: d.decision, reason: d.reason, exemption: d.exemption_code, by: d.actor_label, at: d.created_at } : null,
        redactions: state.redactions.filter((x) => x.record_id === recordId).map((x) => ({ id: x.id, start: x.start_offset, end: x.end_offset, code: x.reason_code, note: x.note, by: x.actor_label, at: x.created_at })),
      };
    }),
    reviews: state.reviews.map((r) => ({ recordId: r.record_id, decision: r.decision, reason: r.reason, exemption: r.exemption_code, by: r.actor_label, at: r.created_at })),
    withheld: withholdings(state),
    // The server's file path stays on the server: staff download through the route, by id.
    productions: productions.map((p) => ({ id: p.id, sha256: p.sha256, bytes: p.bytes, summary: withoutPath(JSON.parse(p.summary) as Record<string, unknown>), by: p.actor_label, at: p.created_at })),
    history: history.map((h) => ({ action: h.action, by: h.actor_label, at: h.created_at, before: h.before ? (JSON.parse(h.before) as unknown) : null, after: h.after ? (JSON.parse(h.after) as unknown) : null })),
  };
}

/**
 * A letter as the requester gets it. The cover letter is the one written into the latest package,
 * word for word; the others are composed from the request as it stands.
 */
export async function requestLetter(db: Kysely<DB>, actor: Actor, request: RecordsRequestsTable, kind: LetterKind, now: Date): Promise<string> {
  if (kind === 'acknowledgement') return acknowledgementLetter(actor.pack, request, now);
  if (kind === 'cover') {
    const latest = await db.selectFrom('records_request_productions').select('summary').where('request_id', '=', request.id)
      .orderBy('created_at', 'desc').executeTakeFirst();
    if (!latest) throw new AppError(409, 'conflict', `Request ${request.number} has no production yet: the cover letter is written when the package is produced`);
    return (JSON.parse(latest.summary) as { coverLetter: string }).coverLetter;
  }
  if (request.denial) {
    const denial = JSON.parse(request.denial) as { codes: string[]; explanation: string };
    return denialLetter(actor.pack, request, denial.codes.map((code) => ({ code, records: 0, redactions: 0 })), denial.explanation, true, now);
  }
  const withheld = withholdings(await reviewState(db, request.id));
  if (!request.answered_at || withheld.length === 0) {
    throw new AppError(409, 'conflict', `Nothing of request ${request.number} has been withheld under an exemption: there is no denial to explain`);
  }
  return denialLetter(actor.pack, request, withheld, null, false, now);
}

function withoutPath(summary: Record<string, unknown>): Record<string, unknown> {
  const { file: _file, ...rest } = summary;
  return rest;
}
