// Signing in and enrolling 2FA. These change a person's own state (failed attempts, lockout,
// sessions, TOTP secret), so they go through runCommand and leave events like everything else.
import type { Kysely } from 'kysely';
import type { DB, UsersTable } from '../db/schema.js';
import { runCommand } from '../events/command.js';
import { AppError, badRequest, unauthorized } from '../http/errors.js';
import { loadOrg } from '../org/org.queries.js';
import { rolesOf } from '../people/people.queries.js';
import { hashPassword, passwordProblems, verifyPassword } from './passwords.js';
import { actorFor, createSession, type ResolvedSession } from './sessions.js';
import { checkTotp, matchRecoveryCode, newRecoveryCodes, newTotpSecret, totpQrDataUrl, totpUri } from './totp.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;
// Compared against when the e-mail is unknown, so a wrong address takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;
const timingDecoy = () => (dummyHash ??= hashPassword('civicdesk-timing-decoy'));

export type SignInStatus = 'signed_in' | 'totp_required' | 'totp_enrolment_required';

async function commandContextFor(db: Kysely<DB>, user: UsersTable, requestId?: string) {
  const city = await loadOrg(db, user.org_id);
  if (!city) throw unauthorized();
  const actor = actorFor(user, await rolesOf(db, user.id), city);
  return { db, actor, packVersion: city.packDigest, requestId };
}

export async function signIn(
  db: Kysely<DB>,
  input: { orgId: string; email: string; password: string; requestId?: string; now?: Date },
): Promise<{ status: SignInStatus; token: string; csrfToken: string }> {
  const now = input.now ?? new Date();
  const user = await db.selectFrom('users').selectAll().where('org_id', '=', input.orgId)
    .where('email', '=', input.email.trim().toLowerCase()).executeTakeFirst();
  if (!user) {
    await verifyPassword(await timingDecoy(), input.password);
    throw unauthorized('E-mail or password is wrong');
  }
  const ctx = await commandContextFor(db, user, input.requestId);
  ctx.actor.label = `${user.display_name} <${user.email}>`;
  if (user.locked_until && user.locked_until > now.toISOString()) {
    throw new AppError(423, 'locked', `Too many failed sign-ins. Try again after ${user.locked_until}`);
  }
  const ok = user.status === 'active' && (await verifyPassword(user.password_hash, input.password));
  if (!ok) {
    const failures = user.failed_logins + 1;
    const lock = failures >= MAX_FAILED_LOGINS;
    await runCommand({ ...ctx, now: () => now }, { event: lock ? 'auth.locked' : 'auth.sign_in_failed', authorize: 'self' }, async (trx) => {
      await trx.updateTable('users').set({
        failed_logins: lock ? 0 : failures,
        locked_until: lock ? new Date(now.getTime() + LOCKOUT_MS).toISOString() : user.locked_until,
      }).where('id', '=', user.id).execute();
      return { result: undefined, targetType: 'staff', targetId: user.id, after: { failures, locked: lock } };
    });
    if (lock) throw new AppError(423, 'locked', 'Too many failed sign-ins: this sign-in is locked for 15 minutes');
    throw unauthorized('E-mail or password is wrong');
  }
  // Every staff sign-in needs a second factor: CivicDesk holds public records and account secrets.
  const status: SignInStatus = user.totp_enabled ? 'totp_required' : 'totp_enrolment_required';
  const session = await runCommand({ ...ctx, now: () => now }, { event: 'auth.password_accepted', authorize: 'self' }, async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    const s = await createSession(trx, user, false, now);
    return { result: s, targetType: 'staff', targetId: user.id, sources: ['KA-15'] };
  });
  return { status, ...session };
}

/** Second step: a TOTP code or a one-time recovery code completes the sign-in. */
export async function completeTotp(
  db: Kysely<DB>, session: ResolvedSession, input: { code?: string; recoveryCode?: string; requestId?: string },
): Promise<void> {
  const user = session.user;
  if (!user.totp_enabled || !user.totp_secret) throw badRequest('Set up two-step verification first', [{ path: 'body.code', message: 'not enrolled' }]);
  const ctx = await commandContextFor(db, user, input.requestId);
  const hashed = JSON.parse(user.recovery_codes) as string[];
  const recoveryIndex = input.recoveryCode ? matchRecoveryCode(hashed, input.recoveryCode) : -1;
  const step = input.code ? checkTotp(user.totp_secret, input.code, user.totp_last_step) : null;
  const ok = input.code ? step !== null : recoveryIndex >= 0;
  if (!ok) {
    await runCommand(ctx, { event: 'auth.second_factor_failed', authorize: 'self' }, async () =>
      ({ result: undefined, targetType: 'staff', targetId: user.id }));
    throw badRequest('That code is not right', [{ path: input.code ? 'body.code' : 'body.recoveryCode', message: 'code not accepted (wrong, or already used: wait for the next one)' }]);
  }
  await runCommand(ctx, { event: 'auth.signed_in', authorize: 'self' }, async (trx) => {
    if (recoveryIndex >= 0) {
      const left = hashed.filter((_, i) => i !== recoveryIndex);
      await trx.updateTable('users').set({ recovery_codes: JSON.stringify(left) }).where('id', '=', user.id).execute();
    }
    if (step !== null) await trx.updateTable('users').set({ totp_last_step: step }).where('id', '=', user.id).execute();
    await trx.updateTable('sessions').set({ mfa_passed: 1 }).where('id', '=', session.sessionId).execute();
    return { result: undefined, targetType: 'staff', targetId: user.id, after: { method: recoveryIndex >= 0 ? 'recovery_code' : 'totp' }, sources: ['KA-15'] };
  });
}

/** Starts enrolment: a new secret, kept unconfirmed until the person proves their phone has it. */
export async function beginTotpEnrolment(
  db: Kysely<DB>, session: ResolvedSession, requestId?: string,
): Promise<{ secret: string; otpauthUrl: string; qrDataUrl: string }> {
  const user = session.user;
  if (user.totp_enabled && !session.mfaPassed) throw unauthorized('Finish signing in first');
  const secret = newTotpSecret();
  const ctx = await commandContextFor(db, user, requestId);
  await runCommand(ctx, { event: 'auth.totp_enrolment_started', authorize: 'self' }, async (trx) => {
    // Kept pending: an abandoned enrolment never turns off a working second factor.
    await trx.updateTable('users').set({ totp_pending_secret: secret }).where('id', '=', user.id).execute();
    return { result: undefined, targetType: 'staff', targetId: user.id };
  });
  const otpauthUrl = totpUri(secret, user.email, `CivicDesk ${session.city.org.name}`);
  return { secret, otpauthUrl, qrDataUrl: await totpQrDataUrl(otpauthUrl) };
}

export async function confirmTotpEnrolment(
  db: Kysely<DB>, session: ResolvedSession, code: string, requestId?: string,
): Promise<{ recoveryCodes: string[] }> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', session.user.id).executeTakeFirstOrThrow();
  if (!user.totp_pending_secret) throw badRequest('Start two-step enrolment first', [{ path: 'body.code', message: 'no enrolment in progress' }]);
  const step = checkTotp(user.totp_pending_secret, code, null);
  if (step === null) {
    throw badRequest('That code is not right', [{ path: 'body.code', message: 'enter the 6-digit code your authenticator app shows now' }]);
  }
  const codes = newRecoveryCodes();
  const ctx = await commandContextFor(db, user, requestId);
  await runCommand(ctx, { event: 'auth.totp_enrolled', authorize: 'self' }, async (trx) => {
    await trx.updateTable('users').set({
      totp_secret: user.totp_pending_secret, totp_pending_secret: null, totp_enabled: 1, totp_last_step: step,
      recovery_codes: JSON.stringify(codes.hashed),
    }).where('id', '=', user.id).execute();
    await trx.updateTable('sessions').set({ mfa_passed: 1 }).where('id', '=', session.sessionId).execute();
    return { result: undefined, targetType: 'staff', targetId: user.id, after: { totpEnabled: true }, sources: ['KA-15'] };
  });
  return { recoveryCodes: codes.plain };
}

export async function signOut(db: Kysely<DB>, session: ResolvedSession, requestId?: string): Promise<void> {
  await runCommand({ db, actor: session.actor, packVersion: session.city.packDigest, requestId },
    { event: 'auth.signed_out', authorize: 'self' }, async (trx) => {
      await trx.deleteFrom('sessions').where('id', '=', session.sessionId).execute();
      return { result: undefined, targetType: 'staff', targetId: session.user.id, sources: ['KA-15'] };
    });
}

/** A person changes their own password; the current one must be given, and every other session ends. */
export async function changePassword(
  db: Kysely<DB>, session: ResolvedSession, input: { currentPassword: string; newPassword: string; requestId?: string },
): Promise<void> {
  const user = session.user;
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw badRequest('The current password is not right', [{ path: 'body.currentPassword', message: 'not accepted' }]);
  }
  const problems = passwordProblems(session.city.pack, input.newPassword);
  if (problems.length) throw badRequest('The new password does not meet the city\'s rules', [{ path: 'body.newPassword', message: `needs ${problems.join(', ')}` }]);
  if (await verifyPassword(user.password_hash, input.newPassword)) {
    throw badRequest('Choose a password you have not just used', [{ path: 'body.newPassword', message: 'same as the current password' }]);
  }
  const hash = await hashPassword(input.newPassword);
  const ctx = await commandContextFor(db, user, input.requestId);
  await runCommand(ctx, { event: 'auth.password_changed', authorize: 'self' }, async (trx, now) => {
    await trx.updateTable('users').set({ password_hash: hash, password_changed_at: now.toISOString() }).where('id', '=', user.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).where('id', '!=', session.sessionId).execute();
    return { result: undefined, targetType: 'staff', targetId: user.id, sources: ['BZ-12'] };
  });
}
