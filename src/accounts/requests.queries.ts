// Reading approval requests: lists, a person's approval queue, and one request with its chain and
// every step's decision (who, when, why). The chain shown is the snapshot taken at submission, so a
// later pack change never rewrites how a past request was decided.
import type { Kysely } from 'kysely';
import type { ApprovalRequestsTable, DB, RequestStatus, RequestType } from '../db/schema.js';
import type { Actor } from '../policy/can.js';

export interface ChainStepSnapshot {
  role: string;
  roleTitle: string;
  label: string;
  /** Other roles that may decide this step (the platform chain, when several roles approve tools). */
  alsoRoles?: string[];
}

export interface ChainSnapshot {
  /** The pack's chain this was copied from (approvalChains.<key>), or `platform.approve`. */
  key: string;
  steps: ChainStepSnapshot[];
  sources: string[];
  notes?: string;
}

export function stepRoles(step: ChainStepSnapshot): string[] {
  return [step.role, ...(step.alsoRoles ?? [])];
}

export type StepState = 'approved' | 'rejected' | 'awaiting' | 'waiting' | 'not_reached';

export interface RequestView {
  id: string;
  type: RequestType;
  status: RequestStatus;
  summary: string;
  subject: Record<string, unknown>;
  requestedBy: { id: string; name: string; email: string };
  currentStep: number;
  /** The step waiting for a decision, while the request is pending. */
  awaiting: { index: number; role: string; roleTitle: string; label: string; roles: string[] } | null;
  chain: ChainSnapshot;
  accountId: string | null;
  /** The department the request concerns (the new site's, or the existing account's). */
  departmentId: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface RequestDetail extends RequestView {
  steps: Array<ChainStepSnapshot & {
    index: number;
    state: StepState;
    decision: { decision: 'approved' | 'rejected'; by: string; byName: string; at: string; comment: string | null } | null;
  }>;
}

interface Labels {
  users: Map<string, { name: string; email: string; departmentId: string | null }>;
  accounts: Map<string, { label: string; departmentId: string | null }>;
  departments: Map<string, string>;
}

async function loadLabels(db: Kysely<DB>, orgId: string): Promise<Labels> {
  const [users, accounts, departments] = await Promise.all([
    db.selectFrom('users').select(['id', 'display_name', 'email', 'department_id']).where('org_id', '=', orgId).execute(),
    db.selectFrom('accounts').select(['id', 'platform', 'handle', 'department_id']).where('org_id', '=', orgId).execute(),
    db.selectFrom('departments').select(['id', 'name']).where('org_id', '=', orgId).execute(),
  ]);
  return {
    users: new Map(users.map((u) => [u.id, { name: u.display_name, email: u.email, departmentId: u.department_id }])),
    accounts: new Map(accounts.map((a) => [a.id, { label: `${a.platform} ${a.handle}`, departmentId: a.department_id }])),
    departments: new Map(departments.map((d) => [d.id, d.name])),
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** One line a clerk can read in a list or a notification. */
function describe(type: RequestType, s: Record<string, unknown>, l: Labels): string {
  const who = (id: unknown) => l.users.get(str(id))?.name ?? str(id);
  const account = (id: unknown) => l.accounts.get(str(id))?.label ?? `account ${str(id)}`;
  switch (type) {
    case 'newAccount': {
      const owner = s.boardName ? str(s.boardName) : l.departments.get(str(s.departmentId)) ?? 'a department';
      return `New ${str(s.platform)} account ${str(s.handle)} for ${owner}`;
    }
    case 'adminChange':
      return s.change === 'remove'
        ? `Remove ${who(s.userId)} as administrator of ${account(s.accountId)}`
        : `Add ${who(s.userId)} as administrator of ${account(s.accountId)}`;
    case 'staffAccess':
      return `Let ${who(s.userId)} post on ${account(s.accountId)}`;
    case 'accountDeletion':
      return `Retire ${account(s.accountId)}`;
    case 'platform':
      return `Approve the platform ${str(s.name)} (${str(s.platform)})`;
  }
}

export async function describeRequest(db: Kysely<DB>, orgId: string, type: RequestType, subject: Record<string, unknown>): Promise<string> {
  return describe(type, subject, await loadLabels(db, orgId));
}

function toView(row: ApprovalRequestsTable, l: Labels): RequestView {
  const subject = JSON.parse(row.subject) as Record<string, unknown>;
  const chain = JSON.parse(row.chain) as ChainSnapshot;
  const requester = l.users.get(row.requested_by);
  const step = row.status === 'pending' ? chain.steps[row.current_step] : undefined;
  const accountDept = row.account_id ? l.accounts.get(row.account_id)?.departmentId ?? null : null;
  const subjectDept = typeof subject.departmentId === 'string' ? subject.departmentId : null;
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    summary: describe(row.type, subject, l),
    subject,
    requestedBy: { id: row.requested_by, name: requester?.name ?? row.requested_by, email: requester?.email ?? '' },
    currentStep: row.current_step,
    awaiting: step
      ? { index: row.current_step, role: step.role, roleTitle: step.roleTitle, label: step.label, roles: stepRoles(step) }
      : null,
    chain,
    accountId: row.account_id,
    departmentId: accountDept ?? subjectDept ?? (row.type === 'platform' ? requester?.departmentId ?? null : null),
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  };
}

export async function listRequests(
  db: Kysely<DB>, orgId: string, filter: { status?: RequestStatus; type?: RequestType } = {},
): Promise<RequestView[]> {
  let q = db.selectFrom('approval_requests').selectAll().where('org_id', '=', orgId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.type) q = q.where('type', '=', filter.type);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').execute();
  const labels = await loadLabels(db, orgId);
  return rows.map((r) => toView(r, labels));
}

/**
 * The requests waiting for this person: pending, at a step whose role they hold, not their own (no
 * self-approval) and not one whose earlier step they already decided (each step a different person).
 */
export async function requestQueue(db: Kysely<DB>, actor: Actor): Promise<RequestView[]> {
  if (!actor.userId) return [];
  const pending = await listRequests(db, actor.orgId, { status: 'pending' });
  const mine = pending.filter((r) => r.requestedBy.id !== actor.userId
    && r.awaiting !== null && r.awaiting.roles.some((role) => actor.roles.includes(role)));
  if (mine.length === 0) return [];
  const decided = await db.selectFrom('approval_decisions').select('request_id')
    .where('org_id', '=', actor.orgId).where('decided_by', '=', actor.userId)
    .where('request_id', 'in', mine.map((r) => r.id)).execute();
  const already = new Set(decided.map((d) => d.request_id));
  return mine.filter((r) => !already.has(r.id)).reverse();
}

export async function getRequest(db: Kysely<DB>, orgId: string, id: string): Promise<RequestDetail | undefined> {
  const row = await db.selectFrom('approval_requests').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const labels = await loadLabels(db, orgId);
  const view = toView(row, labels);
  const decisions = await db.selectFrom('approval_decisions').selectAll()
    .where('org_id', '=', orgId).where('request_id', '=', id).orderBy('step').execute();
  const steps = view.chain.steps.map((step, index) => {
    const d = decisions.find((x) => x.step === index);
    const state: StepState = d ? d.decision
      : row.status === 'pending' && index === row.current_step ? 'awaiting'
        : row.status === 'pending' ? 'waiting' : 'not_reached';
    return {
      ...step,
      index,
      state,
      decision: d ? {
        decision: d.decision, by: d.decided_by, byName: labels.users.get(d.decided_by)?.name ?? d.decided_by,
        at: d.decided_at, comment: d.comment,
      } : null,
    };
  });
  return { ...view, steps };
}
