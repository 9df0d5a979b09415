// TEST FIXTURES ONLY. In the product an account, its administrators, its staff access and its vault
// secrets come only from approved requests (requests code) and the vault (vault code). Tests of the
// registry need them to exist, so these helpers insert rows directly, bypassing runCommand on
// purpose. Never import this file outside *.test.ts.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { AccountsTable, DB, SecretKind } from '../db/schema.js';
import type { CommandContext } from '../events/command.js';
import { loadOrg } from '../org/org.queries.js';

export type AccountFixture = Partial<Omit<Insertable<AccountsTable>, 'org_id'>>;

export async function insertTestAccount(db: Kysely<DB>, orgId: string, overrides: AccountFixture = {}): Promise<string> {
  const id = overrides.id ?? randomUUID();
  const at = new Date().toISOString();
  const row: Insertable<AccountsTable> = {
    platform: 'facebook', handle: `city-${id.slice(0, 8)}`, profile_url: null, department_id: null, board_name: null,
    minutes_reference: null, purpose: 'City news and notices', signup_email: null, status: 'active', twofa_enabled: 0,
    twofa_attested_at: null, website_link_present: 0, aup_link_present: 0, connector_status: 'not_connected',
    connector_expires_at: null, request_id: null, created_at: at, updated_at: at, ...overrides, id, org_id: orgId,
  };
  await db.insertInto('accounts').values(row).execute();
  return id;
}

export async function userIdByEmail(db: Kysely<DB>, orgId: string, email: string): Promise<string> {
  const row = await db.selectFrom('users').select('id').where('org_id', '=', orgId).where('email', '=', email).executeTakeFirstOrThrow();
  return row.id;
}

export async function addTestAdmin(db: Kysely<DB>, orgId: string, accountId: string, userId: string): Promise<void> {
  await db.insertInto('account_admins').values({ org_id: orgId, account_id: accountId, user_id: userId, added_at: new Date().toISOString() }).execute();
}

export async function addTestAccess(db: Kysely<DB>, orgId: string, accountId: string, userId: string): Promise<void> {
  await db.insertInto('account_access').values({ org_id: orgId, account_id: accountId, user_id: userId, request_id: null, granted_at: new Date().toISOString() }).execute();
}

/** A vault row with random bytes standing in for ciphertext: compliance reads only kind and expiry. */
export async function insertTestSecret(db: Kysely<DB>, orgId: string, accountId: string, kind: SecretKind, expiresAt: string | null = null): Promise<void> {
  const at = new Date().toISOString();
  await db.insertInto('vault_secrets').values({
    id: randomUUID(), org_id: orgId, account_id: accountId, kind, label: null, key_id: 'test-key',
    nonce: randomBytes(12), ciphertext: randomBytes(32), fingerprint: null, expires_at: expiresAt, created_at: at, updated_at: at,
  }).execute();
}

/** A command context acting as one of the test city's staff members (by e-mail), as a session would. */
export async function staffContext(db: Kysely<DB>, orgId: string, email: string): Promise<CommandContext> {
  const city = await loadOrg(db, orgId);
  if (!city) throw new Error(`no city ${orgId}`);
  const user = await db.selectFrom('users').selectAll().where('org_id', '=', orgId).where('email', '=', email).executeTakeFirstOrThrow();
  const roles = await db.selectFrom('user_roles').select('role_id').where('user_id', '=', user.id).execute();
  return {
    db,
    actor: {
      kind: 'user', userId: user.id, orgId, label: `${user.display_name} <${user.email}>`, roles: roles.map((r) => r.role_id),
      departmentId: user.department_id, pack: city.pack,
    },
    packVersion: city.packDigest,
  };
}
