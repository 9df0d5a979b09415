// Changes to an existing official account: going live, suspension, reactivation and its recorded
// facts. Creation, administrator changes, access grants and retirement happen only through approved
// requests (requests code). Nothing here deletes an account: a retired account is a public record.
import type { Kysely, Updateable } from 'kysely';
import type { AccountStatus, AccountsTable, DB } from '../db/schema.js';
import { runCommand, type CommandContext } from '../events/command.js';
import { badRequest, conflict, forbidden, notFound, type FieldError } from '../http/errors.js';
import { decide } from '../policy/can.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { getAccount, type AccountView } from './accounts.queries.js';
import { onCityDomain, policySources } from './compliance.js';

async function load(ctx: CommandContext, accountId: string): Promise<AccountView> {
  const account = await getAccount(ctx.db, ctx.actor.orgId, accountId);
  if (!account) throw notFound('Account');
  return account;
}

interface Transition {
  event: string;
  from: AccountStatus;
  to: AccountStatus;
  action: 'account.manage' | 'account.suspend';
  verb: string;
}

async function transition(ctx: CommandContext, accountId: string, t: Transition, extra: { reason?: string; sources: string[] }): Promise<void> {
  const account = await load(ctx, accountId);
  await runCommand(ctx, {
    event: t.event,
    authorize: { action: t.action, resource: { orgId: ctx.actor.orgId, departmentId: account.departmentId } },
  }, async (trx, now) => {
    // Read again inside the transaction: two people acting at once must not both win.
    const current = await trx.selectFrom('accounts').select('status')
      .where('org_id', '=', ctx.actor.orgId).where('id', '=', accountId).executeTakeFirstOrThrow();
    if (current.status !== t.from) {
      throw conflict(`Only ${article(t.from)} ${t.from} account can be ${t.verb}; this one is ${current.status}`);
    }
    await trx.updateTable('accounts').set({ status: t.to, updated_at: now.toISOString() })
      .where('org_id', '=', ctx.actor.orgId).where('id', '=', accountId).execute();
    return {
      result: undefined,
      targetType: 'account',
      targetId: accountId,
      before: { status: current.status },
      after: { status: t.to, ...(extra.reason ? { reason: extra.reason } : {}) },
      sources: extra.sources,
    };
  });
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

/** approved → active: the site is live. Relies on the approval the new-account chain gave. */
export async function activateAccount(ctx: CommandContext, accountId: string): Promise<void> {
  await transition(ctx, accountId, { event: 'account.activated', from: 'approved', to: 'active', action: 'account.manage', verb: 'activated' },
    { sources: ctx.actor.pack.approvalChains.newAccount.sources });
}

/** active → suspended at once, with a reason (MN-2: the city may shut any site down without notice). */
export async function suspendAccount(ctx: CommandContext, accountId: string, reason: string): Promise<void> {
  const clean = reason.trim();
  if (!clean) throw badRequest('Give a reason for the suspension', [{ path: 'body.reason', message: 'required' }]);
  if (clean.length > 2000) throw badRequest('The reason is too long', [{ path: 'body.reason', message: 'at most 2000 characters' }]);
  await transition(ctx, accountId, { event: 'account.suspended', from: 'active', to: 'suspended', action: 'account.suspend', verb: 'suspended' },
    { reason: clean, sources: policySources(ctx.actor.pack, ['MN-2']) });
}

/** suspended → active. */
export async function reactivateAccount(ctx: CommandContext, accountId: string): Promise<void> {
  await transition(ctx, accountId, { event: 'account.reactivated', from: 'suspended', to: 'active', action: 'account.manage', verb: 'reactivated' },
    { sources: policySources(ctx.actor.pack, ['MN-2']) });
}

/**
 * Whether anything may be published to the account now. Publishing code asks this before every
 * post: only an active account publishes, so a suspension takes effect at once (MN-2).
 */
export async function isPublishingAllowed(db: Kysely<DB>, orgId: string, accountId: string): Promise<{ allowed: boolean; reason?: string }> {
  const account = await db.selectFrom('accounts').select('status').where('org_id', '=', orgId).where('id', '=', accountId).executeTakeFirst();
  if (!account) return { allowed: false, reason: 'no such account in this city' };
  if (account.status === 'active') return { allowed: true };
  if (account.status === 'suspended') {
    const last = await db.selectFrom('events').select(['after', 'created_at'])
      .where('org_id', '=', orgId).where('target_type', '=', 'account').where('target_id', '=', accountId)
      .where('action', '=', 'account.suspended').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const why = last?.after ? (JSON.parse(last.after) as { reason?: string }).reason : undefined;
    return { allowed: false, reason: `the account was suspended${last ? ` on ${last.created_at.slice(0, 10)}` : ''}${why ? `: ${why}` : ''}` };
  }
  const waiting: Record<Exclude<AccountStatus, 'active' | 'suspended'>, string> = {
    requested: 'the account is still awaiting approval',
    approved: 'the account is approved but not live yet',
    retired: 'the account is retired',
  };
  return { allowed: false, reason: waiting[account.status] };
}

export interface AccountFactsPatch {
  handle?: string;
  profileUrl?: string | null;
  purpose?: string;
  signupEmail?: string | null;
  twofaEnabled?: boolean;
  /** True: the acting person attests now that 2FA is on (the time is the server's, never the client's). */
  twofaAttested?: true;
  websiteLinkPresent?: boolean;
  aupLinkPresent?: boolean;
  minutesReference?: string | null;
  boardName?: string | null;
  departmentId?: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function text(value: string | null | undefined, path: string, fields: FieldError[], opts: { required: boolean; max: number }): string | null | undefined {
  if (value === undefined) return undefined;
  const clean = value === null ? '' : value.trim();
  if (!clean) {
    if (opts.required) fields.push({ path, message: 'required' });
    return null;
  }
  if (clean.length > opts.max) fields.push({ path, message: `at most ${opts.max} characters` });
  return clean;
}

function checkUrl(value: string | null | undefined, fields: FieldError[]): void {
  if (!value) return;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') fields.push({ path: 'body.profileUrl', message: 'must be an http(s) address' });
  } catch {
    fields.push({ path: 'body.profileUrl', message: 'not a valid address' });
  }
}

/** RL-4: where the policy requires it, an account is signed up with a city address only. */
function checkSignupDomain(pack: PolicyPack, email: string | null | undefined): void {
  const domain = pack.city.emailDomain.toLowerCase();
  if (email && pack.security.signupEmailDomainRequired && !domain.includes('{{') && !onCityDomain(email, domain)) {
    throw forbidden(`The sign-up e-mail must be a city address (@${domain}): the city's policy requires it`,
      'security.signupEmailDomainRequired', policySources(pack, ['RL-4']));
  }
}

/** Updates what the registry records about an account; only the fields given change. */
export async function updateAccountFacts(ctx: CommandContext, accountId: string, patch: AccountFactsPatch): Promise<AccountView> {
  const account = await load(ctx, accountId);
  const { pack } = ctx.actor;
  // Permission before validation: someone who may not change the account learns nothing from it.
  const here = decide(ctx.actor, 'account.manage', { orgId: ctx.actor.orgId, departmentId: account.departmentId });
  if (!here.allowed) throw forbidden(`Not allowed: ${here.reason}`, 'account.manage', here.sources);
  if (account.status === 'retired') throw conflict('A retired account is kept as a record and cannot be changed');

  const fields: FieldError[] = [];
  const handle = text(patch.handle, 'body.handle', fields, { required: true, max: 200 });
  const purpose = text(patch.purpose, 'body.purpose', fields, { required: true, max: 2000 });
  const profileUrl = text(patch.profileUrl, 'body.profileUrl', fields, { required: false, max: 2000 });
  const rawEmail = text(patch.signupEmail, 'body.signupEmail', fields, { required: false, max: 320 });
  const signupEmail = typeof rawEmail === 'string' ? rawEmail.toLowerCase() : rawEmail;
  if (signupEmail && !EMAIL.test(signupEmail)) fields.push({ path: 'body.signupEmail', message: 'not an e-mail address' });
  const boardName = text(patch.boardName, 'body.boardName', fields, { required: false, max: 200 });
  const minutesReference = text(patch.minutesReference, 'body.minutesReference', fields, { required: false, max: 500 });
  checkUrl(profileUrl, fields);
  const twofaOn = patch.twofaEnabled ?? account.twofaEnabled;
  if (patch.twofaAttested && !twofaOn) fields.push({ path: 'body.twofaAttested', message: 'turn two-factor authentication on before attesting it' });
  if (patch.departmentId) {
    const dept = await ctx.db.selectFrom('departments').select('id')
      .where('org_id', '=', ctx.actor.orgId).where('id', '=', patch.departmentId).executeTakeFirst();
    if (!dept) fields.push({ path: 'body.departmentId', message: 'no such department in this city' });
  }
  if (fields.length) throw badRequest('Some fields are not valid', fields);
  checkSignupDomain(pack, signupEmail);

  // Moving an account to another department needs the permission there as well as here.
  if (patch.departmentId !== undefined && patch.departmentId !== account.departmentId) {
    const there = decide(ctx.actor, 'account.manage', { orgId: ctx.actor.orgId, departmentId: patch.departmentId });
    if (!there.allowed) throw forbidden(`Not allowed: ${there.reason}`, 'account.manage', there.sources);
  }

  const candidate: Partial<AccountView> = {
    handle: handle ?? undefined, purpose: purpose ?? undefined, profileUrl, signupEmail, boardName, minutesReference,
    departmentId: patch.departmentId, twofaEnabled: patch.twofaEnabled,
    websiteLinkPresent: patch.websiteLinkPresent, aupLinkPresent: patch.aupLinkPresent,
  };
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(candidate) as Array<[keyof AccountView, unknown]>) {
    if (value === undefined || value === account[key]) continue;
    before[key] = account[key];
    after[key] = value;
  }
  if (patch.twofaEnabled === false && account.twofaAttestedAt) {
    // An attestation says "2FA is on"; turning it off withdraws it.
    before.twofaAttestedAt = account.twofaAttestedAt;
    after.twofaAttestedAt = null;
  }
  const changedKeys = Object.keys(after);
  if (changedKeys.length === 0 && !patch.twofaAttested) return account;

  const sourceByField: Record<string, string[]> = {
    signupEmail: pack.security.signupEmailDomainRequired ? ['RL-4'] : [],
    twofaEnabled: ['KA-15'], twofaAttestedAt: ['KA-15'],
    aupLinkPresent: ['KA-3', 'BZ-16'], websiteLinkPresent: ['MN-3', 'KA-8'],
    boardName: ['BZ-2'], minutesReference: ['BZ-2'],
  };
  const wanted = [...changedKeys, ...(patch.twofaAttested ? ['twofaAttestedAt'] : [])].flatMap((k) => sourceByField[k] ?? ['KA-6', 'BZ-5']);

  await runCommand(ctx, {
    event: 'account.updated',
    authorize: { action: 'account.manage', resource: { orgId: ctx.actor.orgId, departmentId: account.departmentId } },
  }, async (trx, now) => {
    const set: Updateable<AccountsTable> = { updated_at: now.toISOString() };
    if ('handle' in after) set.handle = handle as string;
    if ('purpose' in after) set.purpose = purpose as string;
    if ('profileUrl' in after) set.profile_url = profileUrl ?? null;
    if ('signupEmail' in after) set.signup_email = signupEmail ?? null;
    if ('boardName' in after) set.board_name = boardName ?? null;
    if ('minutesReference' in after) set.minutes_reference = minutesReference ?? null;
    if ('departmentId' in after) set.department_id = patch.departmentId ?? null;
    if ('twofaEnabled' in after) set.twofa_enabled = patch.twofaEnabled ? 1 : 0;
    if ('twofaAttestedAt' in after) set.twofa_attested_at = null;
    if ('websiteLinkPresent' in after) set.website_link_present = patch.websiteLinkPresent ? 1 : 0;
    if ('aupLinkPresent' in after) set.aup_link_present = patch.aupLinkPresent ? 1 : 0;
    if (patch.twofaAttested) {
      before.twofaAttestedAt = account.twofaAttestedAt;
      after.twofaAttestedAt = now.toISOString();
      set.twofa_attested_at = now.toISOString();
    }
    if (set.handle) {
      const taken = await trx.selectFrom('accounts').select('id').where('org_id', '=', ctx.actor.orgId)
        .where('platform', '=', account.platform).where('handle', '=', set.handle).where('id', '!=', accountId).executeTakeFirst();
      if (taken) throw conflict(`Another ${account.platform} account already has that handle`, [{ path: 'body.handle', message: 'already in use' }]);
    }
    await trx.updateTable('accounts').set(set).where('org_id', '=', ctx.actor.orgId).where('id', '=', accountId).execute();
    return { result: undefined, targetType: 'account', targetId: accountId, before, after, sources: policySources(pack, [...new Set(wanted)]) };
  });
  return load(ctx, accountId);
}
