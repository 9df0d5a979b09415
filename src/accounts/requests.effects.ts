// What each approved request does, and what must be true for it to be allowed. The checks run at
// submission (so nobody waits on a request that cannot succeed) and again at the final approval, in
// the same transaction as the effect: training may have lapsed, a handle may have been taken, or an
// IT administrator may have left since the request was made.
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { missingForGate, type TrainingGate } from '../people/training.queries.js';
import { roleHolders } from '../people/notifications.js';
import { isPlatformApproved } from './platforms.js';
import type { Submission } from './requests.commands.js';

type Trx = Transaction<DB>;

const GATE_WORDS: Record<TrainingGate, string> = {
  site_creation: 'before a site is created',
  account_access: 'before being authorized on an account',
  content_submission: 'before submitting content',
};

async function activeUsers(trx: Trx, orgId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await trx.selectFrom('users').select(['id', 'display_name']).where('org_id', '=', orgId)
    .where('id', 'in', ids).where('status', '=', 'active').execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

async function liveAccount(trx: Trx, orgId: string, accountId: string) {
  const account = await trx.selectFrom('accounts').selectAll().where('org_id', '=', orgId).where('id', '=', accountId).executeTakeFirst();
  if (!account) throw notFound('Account');
  if (account.status === 'retired') throw conflict('That account is retired: nothing more can be requested for it', [{ path: 'body.subject.accountId', message: 'retired' }]);
  return account;
}

async function requireActiveStaff(trx: Trx, orgId: string, ids: string[], path: string): Promise<Map<string, string>> {
  const found = await activeUsers(trx, orgId, ids);
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length) throw badRequest('Unknown staff member', unknown.map((id) => ({ path, message: `"${id}" is not an active staff member of this city` })));
  return found;
}

async function holdsItRole(trx: Trx, pack: PolicyPack, orgId: string, userIds: string[]): Promise<boolean> {
  const role = pack.security.itAdminRole;
  if (!role) return true;
  const holders = await roleHolders(trx, orgId, [role]);
  return userIds.some((id) => holders.includes(id));
}

function itAdminRefusal(pack: PolicyPack, what: string) {
  const title = pack.roles.find((r) => r.id === pack.security.itAdminRole)?.title ?? pack.security.itAdminRole ?? 'IT';
  return forbidden(`Every site must have the ${title} (or another holder of that role) among its administrators: ${what}`,
    'security.itAdminOnEveryAccount', pack.security.sources);
}

/**
 * Is the subject still possible: the account exists and is live, the people are active staff, the
 * platform is approved, nothing is duplicated. Returns the account the request concerns, if any.
 */
export async function checkSubject(trx: Trx, pack: PolicyPack, orgId: string, s: Submission): Promise<string | null> {
  switch (s.type) {
    case 'newAccount': {
      const a = s.subject;
      if (!(await isPlatformApproved(trx, orgId, pack, a.platform))) {
        const listed = pack.platforms.map((p) => p.id);
        throw badRequest('That platform is not on the city\'s approved list: request it first (type "platform")', [{
          path: 'body.subject.platform',
          message: `"${a.platform}" is not approved${listed.length ? ` (the policy lists: ${listed.join(', ')})` : ''}`,
        }]);
      }
      if (a.departmentId) {
        const dept = await trx.selectFrom('departments').select('id').where('org_id', '=', orgId).where('id', '=', a.departmentId).executeTakeFirst();
        if (!dept) throw badRequest('Unknown department', [{ path: 'body.subject.departmentId', message: 'no such department in this city' }]);
      }
      const taken = await trx.selectFrom('accounts').select('id').where('org_id', '=', orgId)
        .where('platform', '=', a.platform).where('handle', '=', a.handle).executeTakeFirst();
      if (taken) throw conflict('That account is already in the city\'s registry', [{ path: 'body.subject.handle', message: 'already registered' }]);
      await requireActiveStaff(trx, orgId, a.administrators, 'body.subject.administrators');
      return null;
    }
    case 'adminChange': {
      const { accountId, userId, change } = s.subject;
      await liveAccount(trx, orgId, accountId);
      await requireActiveStaff(trx, orgId, change === 'add' ? [userId] : [], 'body.subject.userId');
      const admins = (await trx.selectFrom('account_admins').select('user_id').where('account_id', '=', accountId).execute()).map((r) => r.user_id);
      if (change === 'add' && admins.includes(userId)) throw conflict('That person is already an administrator of this account', [{ path: 'body.subject.userId', message: 'already an administrator' }]);
      if (change === 'remove') {
        if (!admins.includes(userId)) throw conflict('That person is not an administrator of this account', [{ path: 'body.subject.userId', message: 'not an administrator' }]);
        const rest = admins.filter((id) => id !== userId);
        if (rest.length === 0) throw badRequest('An account cannot be left without administrators: add another first', [{ path: 'body.subject.userId', message: 'the only administrator' }]);
        if (pack.security.itAdminOnEveryAccount && !(await holdsItRole(trx, pack, orgId, rest))) {
          throw itAdminRefusal(pack, 'this would remove the last one; add another IT administrator first');
        }
      }
      return accountId;
    }
    case 'staffAccess': {
      const { accountId, userId } = s.subject;
      await liveAccount(trx, orgId, accountId);
      await requireActiveStaff(trx, orgId, [userId], 'body.subject.userId');
      const has = await trx.selectFrom('account_access').select('user_id').where('account_id', '=', accountId).where('user_id', '=', userId).executeTakeFirst();
      if (has) throw conflict('That person may already post on this account', [{ path: 'body.subject.userId', message: 'already authorized' }]);
      return accountId;
    }
    case 'accountDeletion':
      await liveAccount(trx, orgId, s.subject.accountId);
      return s.subject.accountId;
    case 'platform':
      if (await isPlatformApproved(trx, orgId, pack, s.subject.platform)) {
        throw conflict('That platform is already approved', [{ path: 'body.subject.platform', message: 'already approved' }]);
      }
      return null;
  }
}

/**
 * "Nobody is authorized on an account, and no site is created, without the required training"
 * (LX-11, BZ-4), and every site keeps an IT administrator (KA-7, BZ-5). Returns the sources relied on.
 */
export async function checkGates(trx: Trx, pack: PolicyPack, orgId: string, requesterId: string | null, s: Submission, now: Date): Promise<string[]> {
  const sources: string[] = [];
  const gate = async (gateId: TrainingGate, userIds: string[]) => {
    const lacking = await missingForGate(trx, orgId, pack, userIds, gateId, now);
    if (lacking.length === 0) return;
    const names = await activeUsers(trx, orgId, lacking.map((l) => l.userId));
    const modules = [...new Map(lacking.flatMap((l) => l.modules).map((m) => [m.id, m])).values()];
    const who = lacking.map((l) => `${names.get(l.userId) ?? l.userId} lacks ${l.modules.map((m) => `"${m.title}"`).join(', ')}`).join('; ');
    throw forbidden(`Training is required ${GATE_WORDS[gateId]}: ${who}`, `training.${gateId}`, [...new Set(modules.flatMap((m) => m.sources))].sort());
  };
  const requiredSources = (gateId: TrainingGate) => pack.training.filter((m) => m.requiredFor.includes(gateId)).flatMap((m) => m.sources);
  if (s.type === 'newAccount') {
    // Who the administrators are comes first: training is then checked for the right people.
    if (pack.security.itAdminOnEveryAccount) {
      if (!(await holdsItRole(trx, pack, orgId, s.subject.administrators))) throw itAdminRefusal(pack, 'add one to the administrators');
      sources.push(...pack.security.sources);
    }
    if (requesterId) await gate('site_creation', [requesterId]);
    await gate('account_access', s.subject.administrators);
    sources.push(...requiredSources('site_creation'), ...requiredSources('account_access'));
  }
  if ((s.type === 'adminChange' && s.subject.change === 'add') || s.type === 'staffAccess') {
    await gate('account_access', [s.subject.userId]);
    sources.push(...requiredSources('account_access'));
  }
  return sources;
}

/** The final approval's effect; returns the account it created or changed and what changed. */
export async function applyEffect(
  trx: Trx, orgId: string, requestId: string, s: Submission, now: Date,
): Promise<{ accountId: string | null; effect: Record<string, unknown> }> {
  const at = now.toISOString();
  switch (s.type) {
    case 'newAccount': {
      const a = s.subject;
      const id = randomUUID();
      await trx.insertInto('accounts').values({
        id, org_id: orgId, platform: a.platform, handle: a.handle, profile_url: a.profileUrl ?? null,
        department_id: a.departmentId ?? null, board_name: a.boardName ?? null, minutes_reference: a.minutesReference ?? null,
        purpose: a.purpose, signup_email: a.signupEmail, status: 'approved', twofa_enabled: 0, twofa_attested_at: null,
        website_link_present: 0, aup_link_present: 0, connector_status: 'not_connected', connector_expires_at: null,
        request_id: requestId, created_at: at, updated_at: at,
      }).execute();
      for (const userId of [...new Set(a.administrators)]) {
        await trx.insertInto('account_admins').values({ org_id: orgId, account_id: id, user_id: userId, added_at: at }).execute();
      }
      return { accountId: id, effect: { account: id, status: 'approved', platform: a.platform, handle: a.handle, administrators: a.administrators } };
    }
    case 'adminChange': {
      const { accountId, userId, change } = s.subject;
      if (change === 'add') {
        await trx.insertInto('account_admins').values({ org_id: orgId, account_id: accountId, user_id: userId, added_at: at }).execute();
      } else {
        await trx.deleteFrom('account_admins').where('org_id', '=', orgId).where('account_id', '=', accountId).where('user_id', '=', userId).execute();
      }
      return { accountId, effect: { account: accountId, administrator: userId, change } };
    }
    case 'staffAccess': {
      const { accountId, userId } = s.subject;
      await trx.insertInto('account_access').values({ org_id: orgId, account_id: accountId, user_id: userId, request_id: requestId, granted_at: at }).execute();
      return { accountId, effect: { account: accountId, access: userId } };
    }
    case 'accountDeletion': {
      // Retired, never deleted: the account's records and history stay (RL-6, RL-11).
      const { accountId } = s.subject;
      await trx.updateTable('accounts').set({ status: 'retired', updated_at: at }).where('org_id', '=', orgId).where('id', '=', accountId).execute();
      return { accountId, effect: { account: accountId, status: 'retired' } };
    }
    case 'platform': {
      const { platform, name } = s.subject;
      // A platform withdrawn earlier is re-approved in place: the table keys on (city, platform).
      const previous = await trx.selectFrom('approved_platforms').select('platform').where('org_id', '=', orgId).where('platform', '=', platform).executeTakeFirst();
      if (previous) {
        await trx.updateTable('approved_platforms').set({ name, source: 'request', request_id: requestId, approved_at: at, withdrawn_at: null })
          .where('org_id', '=', orgId).where('platform', '=', platform).execute();
      } else {
        await trx.insertInto('approved_platforms').values({ org_id: orgId, platform, name, source: 'request', request_id: requestId, approved_at: at, withdrawn_at: null }).execute();
      }
      return { accountId: null, effect: { platform, name } };
    }
  }
}
