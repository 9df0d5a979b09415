// Changes to the credential vault (RL-5). Events are archived as public records, so an event here
// names the account, the kind of secret, its label and the key id — never a value, never a
// fingerprint. Revealing a secret is itself recorded: the archive shows who saw what, and why.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AccountsTable, DB, SecretKind } from '../db/schema.js';
import { runCommand, type CommandContext } from '../events/command.js';
import { AppError, badRequest, forbidden, notFound } from '../http/errors.js';
import { passwordProblems, verifyPassword } from '../auth/passwords.js';
import { checkTotp } from '../auth/totp.js';
import { decide, type Resource } from '../policy/can.js';
import type { Action } from '../policy/actions.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { loadOrg } from '../org/org.queries.js';
import { VaultKeyMismatchError, type Vault } from './vault.js';

/** A reason short enough to be meaningless ("ok", "check") does not explain a reveal. */
export const MIN_REVEAL_REASON = 10;

// POLICY-MAP ids about keeping account logins and about their passwords. A refusal cites only the
// ids the city's own pack adopts, so Red Lodge sees RL-5 and Bozeman BZ-12.
const CUSTODY_IDS = ['RL-5', 'KA-15', 'BZ-12', 'MN-2'];
const COMPLEXITY_IDS = ['BZ-12'];
const UNIQUE_IDS = ['KA-15', 'BZ-12'];

function cited(pack: PolicyPack, ids: string[]): string[] {
  return ids.filter((id) => pack.security.sources.includes(id));
}

async function accountOf(ctx: CommandContext, accountId: string): Promise<Pick<AccountsTable, 'id' | 'department_id'>> {
  const account = await ctx.db.selectFrom('accounts').select(['id', 'department_id'])
    .where('org_id', '=', ctx.actor.orgId).where('id', '=', accountId).executeTakeFirst();
  if (!account) throw notFound('Account');
  return account;
}

// runCommand checks this too; checking first means a person without the permission learns nothing
// from the password rules or the second-factor check.
function assertAllowed(ctx: CommandContext, action: Action, resource: Resource): void {
  const decision = decide(ctx.actor, action, resource);
  if (!decision.allowed) throw forbidden(`Not allowed: ${decision.reason}`, action, decision.sources);
}

/** A secret sealed under another key means the server runs with the wrong key: store nothing. */
async function assertVaultKey(db: Kysely<DB>, vault: Vault): Promise<void> {
  const other = await db.selectFrom('vault_secrets').select('key_id').where('key_id', '!=', vault.keyId).limit(1).executeTakeFirst();
  if (other) throw new VaultKeyMismatchError(other.key_id, vault.keyId);
}

function passwordRefusal(message: string, fieldMessage: string, rule: string, sources: string[]): AppError {
  // The field message describes the rule, never the submitted value.
  return new AppError(400, 'bad_request', message, { fields: [{ path: 'body.value', message: fieldMessage }], rule, sources });
}

/** BZ-12 complexity (with CivicDesk's length floor), and not the custodian's own sign-in password. */
async function checkPasswordRules(ctx: CommandContext, value: string): Promise<void> {
  const { pack } = ctx.actor;
  const problems = passwordProblems(pack, value);
  if (problems.length) {
    throw passwordRefusal('The password does not meet the city\'s rules', `needs ${problems.join(', ')}`, 'security.password', cited(pack, COMPLEXITY_IDS));
  }
  if (ctx.actor.userId) {
    const me = await ctx.db.selectFrom('users').select('password_hash').where('id', '=', ctx.actor.userId).executeTakeFirst();
    if (me && (await verifyPassword(me.password_hash, value))) {
      throw passwordRefusal('An account password must not be a staff sign-in password', 'this is your own CivicDesk sign-in password',
        'security.password', cited(pack, UNIQUE_IDS));
    }
  }
}

export interface StoreSecretInput {
  accountId: string;
  kind: SecretKind;
  value: string;
  label?: string | null;
  expiresAt?: string | null;
}

export interface StoredSecret {
  accountId: string;
  kind: SecretKind;
  label: string | null;
  keyId: string;
  expiresAt: string | null;
  updatedAt: string;
  replaced: boolean;
}

/** Stores or replaces (by account and kind) a secret; needs credentials.manage. */
export async function storeSecret(ctx: CommandContext, vault: Vault, input: StoreSecretInput): Promise<StoredSecret> {
  const orgId = ctx.actor.orgId;
  const account = await accountOf(ctx, input.accountId);
  const resource = { orgId, departmentId: account.department_id };
  assertAllowed(ctx, 'credentials.manage', resource);
  if (input.value.length === 0) throw badRequest('A secret cannot be empty', [{ path: 'body.value', message: 'required' }]);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && Number.isNaN(expiresAt.getTime())) throw badRequest('Not a date', [{ path: 'body.expiresAt', message: 'use an ISO-8601 date and time' }]);
  await assertVaultKey(ctx.db, vault);

  let fingerprint: string | null = null;
  if (input.kind === 'password') {
    await checkPasswordRules(ctx, input.value);
    fingerprint = vault.fingerprint(input.value);
  }
  const label = input.label?.trim() || null;
  const sealed = vault.encrypt({ orgId, accountId: account.id, kind: input.kind }, input.value);
  const existing = await ctx.db.selectFrom('vault_secrets').select(['label', 'key_id'])
    .where('org_id', '=', orgId).where('account_id', '=', account.id).where('kind', '=', input.kind).executeTakeFirst();

  return runCommand(ctx, {
    event: existing ? 'credentials.replaced' : 'credentials.stored',
    authorize: { action: 'credentials.manage', resource },
  }, async (trx, now) => {
    if (fingerprint && ctx.actor.pack.security.password.notReusedAcrossAccounts) {
      // Compared inside the transaction, so two accounts cannot be given the same password at once.
      const reused = await trx.selectFrom('vault_secrets').select('account_id')
        .where('org_id', '=', orgId).where('kind', '=', 'password').where('fingerprint', '=', fingerprint)
        .where('account_id', '!=', account.id).limit(1).executeTakeFirst();
      if (reused) {
        throw passwordRefusal('Each account needs its own password', 'another account of this city already uses this password',
          'security.password.notReusedAcrossAccounts', cited(ctx.actor.pack, UNIQUE_IDS));
      }
    }
    const at = now.toISOString();
    const values = { label, ...sealed, fingerprint, expires_at: expiresAt?.toISOString() ?? null, updated_at: at };
    await trx.insertInto('vault_secrets')
      .values({ id: randomUUID(), org_id: orgId, account_id: account.id, kind: input.kind, created_at: at, ...values })
      .onConflict((oc) => oc.columns(['account_id', 'kind']).doUpdateSet(values))
      .execute();
    // Again inside the transaction: a key rotation that committed meanwhile must not be undone.
    await assertVaultKey(trx, vault);
    const describe = (l: string | null, keyId: string) => ({ accountId: account.id, kind: input.kind, label: l, keyId });
    return {
      result: { accountId: account.id, kind: input.kind, label, keyId: sealed.key_id, expiresAt: values.expires_at, updatedAt: at, replaced: Boolean(existing) },
      targetType: 'account',
      targetId: account.id,
      before: existing ? describe(existing.label, existing.key_id) : undefined,
      after: describe(label, sealed.key_id),
      sources: cited(ctx.actor.pack, CUSTODY_IDS),
    };
  });
}

export interface RevealSecretInput {
  accountId: string;
  kind: SecretKind;
  totpCode: string;
  reason: string;
}

export interface RevealedSecret {
  accountId: string;
  kind: SecretKind;
  label: string | null;
  value: string;
}

/**
 * Returns a secret in clear to a person holding credentials.view, against a fresh code from their
 * own authenticator (a stolen session alone cannot read the vault) and a written reason.
 */
export async function revealSecret(ctx: CommandContext, vault: Vault, input: RevealSecretInput): Promise<RevealedSecret> {
  const orgId = ctx.actor.orgId;
  const account = await accountOf(ctx, input.accountId);
  const resource = { orgId, departmentId: account.department_id };
  assertAllowed(ctx, 'credentials.view', resource);
  const reason = input.reason.trim();
  if (reason.length < MIN_REVEAL_REASON) {
    throw badRequest('Say why you need to see this secret', [{ path: 'body.reason', message: `at least ${MIN_REVEAL_REASON} characters; it is kept in the public record` }]);
  }
  const userId = ctx.actor.userId;
  if (ctx.actor.kind !== 'user' || !userId) {
    throw forbidden('Only a signed-in person with two-step verification can reveal a secret', 'credentials.view');
  }
  const user = await ctx.db.selectFrom('users').select(['totp_secret', 'totp_enabled', 'totp_last_step'])
    .where('id', '=', userId).where('org_id', '=', orgId).executeTakeFirst();
  if (!user?.totp_enabled || !user.totp_secret) {
    throw badRequest('Set up two-step verification first', [{ path: 'body.totpCode', message: 'not enrolled' }]);
  }
  const target = { accountId: account.id, kind: input.kind, reason };
  const step = checkTotp(user.totp_secret, input.totpCode, user.totp_last_step);
  const refuse = async (): Promise<never> => {
    // Failed attempts are recorded too: repeated ones on the vault are worth an oversight look.
    await runCommand(ctx, { event: 'credentials.reveal_refused', authorize: 'self' }, async () => ({
      result: undefined, targetType: 'account', targetId: account.id, after: { ...target, refused: 'second factor not accepted' }, sources: cited(ctx.actor.pack, CUSTODY_IDS),
    }));
    throw badRequest('That code is not right', [{ path: 'body.totpCode', message: 'code not accepted (wrong, or already used: wait for the next one)' }]);
  };
  if (step === null) return refuse();

  try {
    return await runCommand(ctx, { event: 'credentials.revealed', authorize: { action: 'credentials.view', resource } }, async (trx) => {
      // Compare-and-set: of two requests with the same code, only one moves the step on.
      const claimed = await trx.updateTable('users').set({ totp_last_step: step }).where('id', '=', userId)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)])).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw new CodeAlreadyUsed();
      const row = await trx.selectFrom('vault_secrets').select(['label', 'key_id', 'nonce', 'ciphertext'])
        .where('org_id', '=', orgId).where('account_id', '=', account.id).where('kind', '=', input.kind).executeTakeFirst();
      if (!row) throw notFound(`The ${input.kind.replace('_', ' ')} of this account`);
      const value = vault.decrypt({ orgId, accountId: account.id, kind: input.kind }, row);
      return {
        result: { accountId: account.id, kind: input.kind, label: row.label, value },
        targetType: 'account', targetId: account.id, after: target, sources: cited(ctx.actor.pack, CUSTODY_IDS),
      };
    });
  } catch (err) {
    // A replay that raced the code's first use: rolled back, then refused like any other.
    if (err instanceof CodeAlreadyUsed) return refuse();
    throw err;
  }
}

class CodeAlreadyUsed extends Error {}

export interface RotationReport {
  fromKeyId: string;
  toKeyId: string;
  reencrypted: number;
  cities: Array<{ orgId: string; reencrypted: number; alreadyCurrent: number }>;
}

/**
 * Re-seals every secret (of one city, or all) under `newVault`, in one transaction: a wrong old
 * key, or a secret that does not open, rolls everything back. Fingerprints are recomputed, since
 * they are keyed too. The operator then installs the new key (the CLI says how).
 */
export async function rotateVaultKey(
  db: Kysely<DB>, oldVault: Vault, newVault: Vault, orgId?: string, actorLabel = 'operator (CLI)',
): Promise<RotationReport> {
  if (oldVault.keyId === newVault.keyId) {
    throw new AppError(400, 'bad_request', `the new vault key is the one in use (key id ${newVault.keyId}): generate a new key`);
  }
  return db.transaction().execute(async (trx) => {
    let orgQuery = trx.selectFrom('organizations').select('id').orderBy('id');
    if (orgId) orgQuery = orgQuery.where('id', '=', orgId);
    const orgs = await orgQuery.execute();
    if (orgId && orgs.length === 0) throw notFound('City');
    let rowQuery = trx.selectFrom('vault_secrets').select(['id', 'org_id', 'account_id', 'kind', 'key_id', 'nonce', 'ciphertext', 'fingerprint']);
    if (orgId) rowQuery = rowQuery.where('org_id', '=', orgId);
    const rows = await rowQuery.execute();

    const counts = new Map(orgs.map((o) => [o.id, { orgId: o.id, reencrypted: 0, alreadyCurrent: 0 }]));
    for (const row of rows) {
      const count = counts.get(row.org_id) ?? { orgId: row.org_id, reencrypted: 0, alreadyCurrent: 0 };
      counts.set(row.org_id, count);
      if (row.key_id === newVault.keyId) {
        count.alreadyCurrent++;
        continue;
      }
      const aad = { orgId: row.org_id, accountId: row.account_id, kind: row.kind };
      // Throws on a wrong old key or a damaged secret: the transaction then writes nothing.
      const plain = oldVault.decrypt(aad, row);
      const fingerprint = row.kind === 'password' ? newVault.fingerprint(plain) : row.fingerprint;
      await trx.updateTable('vault_secrets').set({ ...newVault.encrypt(aad, plain), fingerprint }).where('id', '=', row.id).execute();
      count.reencrypted++;
    }
    // A secret stored by a running server while this ran is still under the old key: start over.
    let late = trx.selectFrom('vault_secrets').select('id').where('key_id', '!=', newVault.keyId);
    if (orgId) late = late.where('org_id', '=', orgId);
    if (await late.limit(1).executeTakeFirst()) {
      throw new AppError(409, 'conflict', 'a secret was stored while the key was being rotated: nothing was changed, run the rotation again');
    }

    // runCommand opens its own transaction, so the per-city events are appended here, in this
    // one, with the same columns runCommand writes.
    const at = new Date().toISOString();
    for (const count of counts.values()) {
      const city = await loadOrg(trx, count.orgId);
      if (!city) continue;
      await trx.insertInto('events').values({
        id: randomUUID(), org_id: count.orgId, actor_id: null, actor_label: actorLabel, action: 'vault.key_rotated',
        target_type: 'vault', target_id: count.orgId, before: JSON.stringify({ keyId: oldVault.keyId }),
        after: JSON.stringify({ keyId: newVault.keyId, reencrypted: count.reencrypted, alreadyCurrent: count.alreadyCurrent }),
        sources: JSON.stringify(cited(city.pack, CUSTODY_IDS)), pack_version: city.packDigest, request_id: null, created_at: at,
      }).execute();
    }
    const cities = [...counts.values()];
    return { fromKeyId: oldVault.keyId, toKeyId: newVault.keyId, reencrypted: cities.reduce((n, c) => n + c.reencrypted, 0), cities };
  });
}
