// Reads of the account registry: the accounts, who administers them and who may post on them. No
// writes here; every change goes through accounts.commands.ts (or the requests code) and runCommand.
import type { Kysely, Selectable } from 'kysely';
import type { AccountStatus, AccountsTable, DB } from '../db/schema.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { scopeOf, type Actor } from '../policy/can.js';

export const ACCOUNT_STATUSES = ['requested', 'approved', 'active', 'suspended', 'retired'] as const satisfies readonly AccountStatus[];

export interface AccountView {
  id: string;
  platform: string;
  handle: string;
  profileUrl: string | null;
  departmentId: string | null;
  department: string | null;
  boardName: string | null;
  minutesReference: string | null;
  purpose: string;
  signupEmail: string | null;
  status: AccountStatus;
  twofaEnabled: boolean;
  twofaAttestedAt: string | null;
  websiteLinkPresent: boolean;
  aupLinkPresent: boolean;
  connectorStatus: string;
  connectorExpiresAt: string | null;
  requestId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AccountFilters {
  status?: AccountStatus;
  platform?: string;
  departmentId?: string;
}

export interface AccountPerson {
  userId: string;
  displayName: string;
  email: string;
  roles: string[];
  /** Disabled staff stay listed (the record shows who held the account) but no longer count as IT. */
  active: boolean;
  since: string;
}

export interface AccountAdmin extends AccountPerson {
  /** Holds the pack's IT role (KA-7, BZ-5). */
  isIt: boolean;
}

type AccountRow = Selectable<AccountsTable> & { department: string | null };

function toView(r: AccountRow): AccountView {
  return {
    id: r.id,
    platform: r.platform,
    handle: r.handle,
    profileUrl: r.profile_url,
    departmentId: r.department_id,
    department: r.department,
    boardName: r.board_name,
    minutesReference: r.minutes_reference,
    purpose: r.purpose,
    signupEmail: r.signup_email,
    status: r.status,
    twofaEnabled: r.twofa_enabled === 1,
    twofaAttestedAt: r.twofa_attested_at,
    websiteLinkPresent: r.website_link_present === 1,
    aupLinkPresent: r.aup_link_present === 1,
    connectorStatus: r.connector_status,
    connectorExpiresAt: r.connector_expires_at,
    requestId: r.request_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function accountsQuery(db: Kysely<DB>, orgId: string) {
  return db.selectFrom('accounts')
    .leftJoin('departments', 'departments.id', 'accounts.department_id')
    .selectAll('accounts')
    .select('departments.name as department')
    .where('accounts.org_id', '=', orgId);
}

export async function listAccounts(db: Kysely<DB>, orgId: string, filters: AccountFilters = {}): Promise<AccountView[]> {
  let q = accountsQuery(db, orgId);
  if (filters.status) q = q.where('accounts.status', '=', filters.status);
  if (filters.platform) q = q.where('accounts.platform', '=', filters.platform);
  if (filters.departmentId) q = q.where('accounts.department_id', '=', filters.departmentId);
  const rows = await q.orderBy('accounts.platform').orderBy('accounts.handle').execute();
  return rows.map(toView);
}

export async function getAccount(db: Kysely<DB>, orgId: string, accountId: string): Promise<AccountView | undefined> {
  const row = await accountsQuery(db, orgId).where('accounts.id', '=', accountId).executeTakeFirst();
  return row ? toView(row) : undefined;
}

async function rolesByUser(db: Kysely<DB>, orgId: string, userIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (userIds.length === 0) return out;
  const rows = await db.selectFrom('user_roles').select(['user_id', 'role_id'])
    .where('org_id', '=', orgId).where('user_id', 'in', userIds).execute();
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.role_id].sort());
  return out;
}

/** Administrators of the given accounts (all of the city's when `accountIds` is left out). */
export async function adminsByAccount(
  db: Kysely<DB>, orgId: string, pack: PolicyPack, accountIds?: string[],
): Promise<Map<string, AccountAdmin[]>> {
  const out = new Map<string, AccountAdmin[]>();
  if (accountIds && accountIds.length === 0) return out;
  let q = db.selectFrom('account_admins')
    .innerJoin('users', 'users.id', 'account_admins.user_id')
    .select(['account_admins.account_id', 'account_admins.added_at', 'users.id as user_id', 'users.display_name', 'users.email', 'users.status'])
    .where('account_admins.org_id', '=', orgId);
  if (accountIds) q = q.where('account_admins.account_id', 'in', accountIds);
  const rows = await q.orderBy('users.display_name').execute();
  const roles = await rolesByUser(db, orgId, [...new Set(rows.map((r) => r.user_id))]);
  const itRole = pack.security.itAdminRole;
  for (const r of rows) {
    const userRoles = roles.get(r.user_id) ?? [];
    const admin: AccountAdmin = {
      userId: r.user_id, displayName: r.display_name, email: r.email, roles: userRoles, active: r.status === 'active',
      since: r.added_at, isIt: itRole !== undefined && r.status === 'active' && userRoles.includes(itRole),
    };
    out.set(r.account_id, [...(out.get(r.account_id) ?? []), admin]);
  }
  return out;
}

/** Staff allowed to post on an account (granted by approved staff-access requests, RL-2, LX-1). */
export async function accessList(db: Kysely<DB>, orgId: string, accountId: string): Promise<Array<AccountPerson & { requestId: string | null }>> {
  const rows = await db.selectFrom('account_access')
    .innerJoin('users', 'users.id', 'account_access.user_id')
    .select(['account_access.granted_at', 'account_access.request_id', 'users.id as user_id', 'users.display_name', 'users.email', 'users.status'])
    .where('account_access.org_id', '=', orgId).where('account_access.account_id', '=', accountId)
    .orderBy('users.display_name').execute();
  const roles = await rolesByUser(db, orgId, rows.map((r) => r.user_id));
  return rows.map((r) => ({
    userId: r.user_id, displayName: r.display_name, email: r.email, roles: roles.get(r.user_id) ?? [],
    active: r.status === 'active', since: r.granted_at, requestId: r.request_id,
  }));
}

/** Accounts a person administers or may post on: what an `own`-scoped grant reaches. */
export async function accountIdsOfUser(db: Kysely<DB>, orgId: string, userId: string): Promise<Set<string>> {
  const admin = await db.selectFrom('account_admins').select('account_id')
    .where('org_id', '=', orgId).where('user_id', '=', userId).execute();
  const access = await db.selectFrom('account_access').select('account_id')
    .where('org_id', '=', orgId).where('user_id', '=', userId).execute();
  return new Set([...admin, ...access].map((r) => r.account_id));
}

/**
 * Which accounts the actor may see under `account.view`: all of them with a city-wide grant, their
 * department's with a department grant, the ones they administer or post on with an own grant.
 */
export async function visibleAccountFilter(db: Kysely<DB>, actor: Actor): Promise<(a: Pick<AccountView, 'id' | 'departmentId'>) => boolean> {
  const scope = scopeOf(actor, 'account.view');
  if (scope === 'city') return () => true;
  if (scope === 'department') return (a) => a.departmentId !== null && a.departmentId === actor.departmentId;
  if (scope === 'own' && actor.userId) {
    const mine = await accountIdsOfUser(db, actor.orgId, actor.userId);
    return (a) => mine.has(a.id);
  }
  return () => false;
}
