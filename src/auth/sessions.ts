// Sessions: the cookie holds a random token; the database keeps only its SHA-256, so a copy of the
// database cannot be used to sign in.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB, UsersTable } from '../db/schema.js';
import type { Actor } from '../policy/can.js';
import { loadOrg, type OrgWithPack } from '../org/org.queries.js';
import { rolesOf } from '../people/people.queries.js';

export const SESSION_COOKIE = 'civicdesk_session';
/** Idle sessions end after 8 hours; KA-15/BZ-12 forbid "remember me", so there is no longer option. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  trx: Transaction<DB>, user: Pick<UsersTable, 'id' | 'org_id'>, mfaPassed: boolean, now: Date,
): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await trx.insertInto('sessions').values({
    id: hashToken(token), org_id: user.org_id, user_id: user.id, csrf_token: csrfToken, mfa_passed: mfaPassed ? 1 : 0,
    created_at: now.toISOString(), expires_at: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    last_seen_at: now.toISOString(),
  }).execute();
  return { token, csrfToken };
}

export interface ResolvedSession {
  sessionId: string;
  csrfToken: string;
  mfaPassed: boolean;
  user: UsersTable;
  actor: Actor;
  city: OrgWithPack;
}

export async function resolveSession(db: Kysely<DB>, token: string, now = new Date()): Promise<ResolvedSession | null> {
  const session = await db.selectFrom('sessions').selectAll().where('id', '=', hashToken(token)).executeTakeFirst();
  if (!session || session.expires_at <= now.toISOString()) return null;
  const user = await db.selectFrom('users').selectAll().where('id', '=', session.user_id).executeTakeFirst();
  if (!user || user.status !== 'active') return null;
  const city = await loadOrg(db, user.org_id);
  if (!city) return null;
  // Sliding expiry, written at most once a minute so reads stay cheap.
  if (now.getTime() - Date.parse(session.last_seen_at) > 60_000) {
    await db.updateTable('sessions').set({
      last_seen_at: now.toISOString(), expires_at: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    }).where('id', '=', session.id).execute();
  }
  const roles = await rolesOf(db, user.id);
  return {
    sessionId: session.id,
    csrfToken: session.csrf_token,
    mfaPassed: session.mfa_passed === 1,
    user,
    actor: actorFor(user, roles, city),
    city,
  };
}

export function actorFor(user: UsersTable, roles: string[], city: OrgWithPack): Actor {
  return {
    kind: 'user', userId: user.id, orgId: user.org_id, label: `${user.display_name} <${user.email}>`,
    roles, departmentId: user.department_id, pack: city.pack,
  };
}
