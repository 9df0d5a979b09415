import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { authenticator } from 'otplib';
import type { DB } from '../db/schema.js';
import type { CommandContext } from '../events/command.js';
import { actorFor } from '../auth/sessions.js';
import { newTotpSecret } from '../auth/totp.js';
import { loadOrg } from '../org/org.queries.js';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, TEST_PASSWORD, type TestCity } from '../testing/app.js';
import { cityContext } from '../testing/context.js';
import { createVault, VaultDecryptError, VaultKeyMismatchError, type Vault } from './vault.js';
import { revealSecret, rotateVaultKey, storeSecret } from './vault.commands.js';
import { checkSecrets, hasCredentialsOnFile, listSecrets } from './vault.queries.js';

async function insertAccount(db: Kysely<DB>, orgId: string, handle: string): Promise<string> {
  const id = randomUUID();
  const at = new Date().toISOString();
  await db.insertInto('accounts').values({
    id, org_id: orgId, platform: 'facebook', handle, profile_url: null, department_id: null, board_name: null, minutes_reference: null,
    purpose: 'City news', signup_email: null, status: 'active', twofa_enabled: 0, twofa_attested_at: null, website_link_present: 0,
    aup_link_present: 0, connector_status: 'not_connected', connector_expires_at: null, request_id: null, created_at: at, updated_at: at,
  }).execute();
  return id;
}

/** A signed-in person's command context, with a TOTP secret enrolled and no step used yet. */
async function personContext(db: Kysely<DB>, city: TestCity, role: string): Promise<{ ctx: CommandContext; totp: string; userId: string }> {
  const user = await db.selectFrom('users').selectAll().where('org_id', '=', city.orgId)
    .where('email', '=', city.staffByRole[role] as string).executeTakeFirstOrThrow();
  const totp = newTotpSecret();
  await db.updateTable('users').set({ totp_secret: totp, totp_enabled: 1, totp_last_step: null }).where('id', '=', user.id).execute();
  const org = await loadOrg(db, city.orgId);
  if (!org) throw new Error('no city');
  return { ctx: { db, actor: actorFor(user, [role], org), packVersion: org.packDigest }, totp, userId: user.id };
}

async function eventsOf(db: Kysely<DB>, orgId: string, action: string) {
  return db.selectFrom('events').selectAll().where('org_id', '=', orgId).where('action', '=', action).orderBy('seq').execute();
}

const snapshot = (db: Kysely<DB>) => db.selectFrom('vault_secrets').selectAll().orderBy('id').execute();
const eventCount = async (db: Kysely<DB>) => (await db.selectFrom('events').select('id').execute()).length;

describe.each(await availableBackends())('credential vault commands on %s', (backend) => {
  let database: TestDatabase;
  let db: Kysely<DB>;
  let redLodge: TestCity;
  let kalispell: TestCity;
  let bozeman: TestCity;
  const vault: Vault = createVault(randomBytes(32), 'test');

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    db = database.db;
    redLodge = await createTestCity(db, 'red-lodge-mt', { slug: 'red-lodge' });
    kalispell = await createTestCity(db, 'kalispell-mt', { slug: 'kalispell' });
    bozeman = await createTestCity(db, 'bozeman-mt', { slug: 'bozeman' });
  });
  afterAll(async () => { await database?.dispose(); });

  it('stores and reveals (RL-5: the mayor), recording only metadata and the reason', async () => {
    const account = await insertAccount(db, redLodge.orgId, 'redlodge-news');
    const mayor = await personContext(db, redLodge, 'mayor');
    const stored = await storeSecret(mayor.ctx, vault, { accountId: account, kind: 'password', value: 'Round-Trip-Secret-41!', label: 'Main login' });
    expect(stored).toMatchObject({ accountId: account, kind: 'password', label: 'Main login', keyId: vault.keyId, replaced: false });

    const [storedEvent] = await eventsOf(db, redLodge.orgId, 'credentials.stored');
    expect(JSON.parse(storedEvent!.after!)).toEqual({ accountId: account, kind: 'password', label: 'Main login', keyId: vault.keyId });
    expect(JSON.parse(storedEvent!.sources)).toContain('RL-5');

    const revealed = await revealSecret(mayor.ctx, vault, { accountId: account, kind: 'password', totpCode: authenticator.generate(mayor.totp), reason: 'Facebook asked to re-confirm the login' });
    expect(revealed).toEqual({ accountId: account, kind: 'password', label: 'Main login', value: 'Round-Trip-Secret-41!' });
    const [revealEvent] = await eventsOf(db, redLodge.orgId, 'credentials.revealed');
    expect(revealEvent!.actor_id).toBe(mayor.userId);
    expect(JSON.parse(revealEvent!.after!)).toEqual({ accountId: account, kind: 'password', reason: 'Facebook asked to re-confirm the login' });

    const replaced = await storeSecret(mayor.ctx, vault, { accountId: account, kind: 'password', value: 'Round-Trip-Secret-42!' });
    expect(replaced.replaced).toBe(true);
    const [replacedEvent] = await eventsOf(db, redLodge.orgId, 'credentials.replaced');
    expect(JSON.parse(replacedEvent!.before!)).toEqual({ accountId: account, kind: 'password', label: 'Main login', keyId: vault.keyId });
    expect(JSON.parse(replacedEvent!.after!)).toEqual({ accountId: account, kind: 'password', label: null, keyId: vault.keyId });

    expect(await listSecrets(db, redLodge.orgId, account)).toEqual([expect.objectContaining({ kind: 'password', label: null, keyId: vault.keyId, expiresAt: null })]);
    expect(Object.keys((await listSecrets(db, redLodge.orgId, account))[0]!).sort()).toEqual(['expiresAt', 'keyId', 'kind', 'label', 'updatedAt']);
    expect(await hasCredentialsOnFile(db, redLodge.orgId, account)).toEqual({ username: false, password: true });
    await storeSecret(mayor.ctx, vault, { accountId: account, kind: 'username', value: 'redlodge.news@example.test' });
    expect(await hasCredentialsOnFile(db, redLodge.orgId, account)).toEqual({ username: true, password: true });
  });

  it('reveal needs credentials.view, a written reason and a fresh, unreplayed code', async () => {
    const account = await insertAccount(db, redLodge.orgId, 'redlodge-parks');
    const mayor = await personContext(db, redLodge, 'mayor');
    await storeSecret(mayor.ctx, vault, { accountId: account, kind: 'password', value: 'Parks-Secret-Value-7!' });
    const input = { accountId: account, kind: 'password' as const, reason: 'Posting the storm closure notice' };

    const siteAdmin = await personContext(db, redLodge, 'site_administrator');
    await expect(revealSecret(siteAdmin.ctx, vault, { ...input, totpCode: authenticator.generate(siteAdmin.totp) }))
      .rejects.toMatchObject({ status: 403, details: { rule: 'credentials.view' } });
    await expect(storeSecret(siteAdmin.ctx, vault, { accountId: account, kind: 'password', value: 'Another-Value-123!' }))
      .rejects.toMatchObject({ status: 403, details: { rule: 'credentials.manage' } });

    await expect(revealSecret(mayor.ctx, vault, { ...input, reason: 'because', totpCode: authenticator.generate(mayor.totp) }))
      .rejects.toMatchObject({ status: 400, details: { fields: [{ path: 'body.reason' }] } });
    const refusedBefore = (await eventsOf(db, redLodge.orgId, 'credentials.reveal_refused')).length;
    await expect(revealSecret(mayor.ctx, vault, { ...input, totpCode: '000000' })).rejects.toMatchObject({ status: 400, details: { fields: [{ path: 'body.totpCode' }] } });
    expect((await eventsOf(db, redLodge.orgId, 'credentials.reveal_refused')).length).toBe(refusedBefore + 1);

    const code = authenticator.generate(mayor.totp);
    expect((await revealSecret(mayor.ctx, vault, { ...input, totpCode: code })).value).toBe('Parks-Secret-Value-7!');
    await expect(revealSecret(mayor.ctx, vault, { ...input, totpCode: code })).rejects.toMatchObject({ status: 400 });
    expect((await eventsOf(db, redLodge.orgId, 'credentials.reveal_refused')).length).toBe(refusedBefore + 2);

    // The operator at the console has no second factor: the vault opens only to a person.
    const operator = await cityContext(db, redLodge.orgId);
    await expect(revealSecret(operator, vault, { ...input, totpCode: code })).rejects.toMatchObject({ status: 403 });
  });

  it('a wrong key is refused clearly and changes nothing', async () => {
    const account = await insertAccount(db, redLodge.orgId, 'redlodge-fire');
    const mayor = await personContext(db, redLodge, 'mayor');
    await storeSecret(mayor.ctx, vault, { accountId: account, kind: 'password', value: 'Fire-Secret-Value-9!' });
    const wrong = createVault(randomBytes(32), 'wrong');
    const rows = await snapshot(db);
    const events = await eventCount(db);
    const message = `the vault key does not match the one these secrets were stored with (key id ${vault.keyId}, have ${wrong.keyId})`;

    await expect(storeSecret(mayor.ctx, wrong, { accountId: account, kind: 'password', value: 'Fire-Secret-Value-10!' })).rejects.toThrow(message);
    await expect(revealSecret(mayor.ctx, wrong, { accountId: account, kind: 'password', totpCode: authenticator.generate(mayor.totp), reason: 'Checking the login works' }))
      .rejects.toThrow(VaultKeyMismatchError);
    await expect(rotateVaultKey(db, wrong, createVault(randomBytes(32)))).rejects.toThrow(VaultKeyMismatchError);
    expect(await snapshot(db)).toEqual(rows);
    expect(await eventCount(db)).toBe(events);
    // The refused reveal did not use up the code's step either.
    const user = await db.selectFrom('users').select('totp_last_step').where('id', '=', mayor.userId).executeTakeFirstOrThrow();
    expect(user.totp_last_step).toBeNull();
  });

  it('a ciphertext moved to another account does not decrypt (AAD)', async () => {
    const mayor = await personContext(db, redLodge, 'mayor');
    const a = await insertAccount(db, redLodge.orgId, 'redlodge-a');
    const b = await insertAccount(db, redLodge.orgId, 'redlodge-b');
    await storeSecret(mayor.ctx, vault, { accountId: a, kind: 'password', value: 'Account-A-Secret-1!' });
    await storeSecret(mayor.ctx, vault, { accountId: b, kind: 'password', value: 'Account-B-Secret-2!' });
    const rowA = await db.selectFrom('vault_secrets').select(['nonce', 'ciphertext']).where('account_id', '=', a).where('kind', '=', 'password').executeTakeFirstOrThrow();
    await db.updateTable('vault_secrets').set({ nonce: rowA.nonce, ciphertext: rowA.ciphertext }).where('account_id', '=', b).where('kind', '=', 'password').execute();
    const before = (await eventsOf(db, redLodge.orgId, 'credentials.revealed')).length;
    await expect(revealSecret(mayor.ctx, vault, { accountId: b, kind: 'password', totpCode: authenticator.generate(mayor.totp), reason: 'Checking the login works' }))
      .rejects.toThrow(VaultDecryptError);
    expect((await eventsOf(db, redLodge.orgId, 'credentials.revealed')).length).toBe(before);
    const check = await checkSecrets(db, vault, redLodge.orgId);
    expect(check.failures).toEqual([expect.objectContaining({ accountId: b, kind: 'password', problem: expect.stringMatching(/moved from another account/) })]);
    await db.deleteFrom('vault_secrets').where('account_id', '=', b).execute();
  });

  it('password rules (BZ-12) and cross-account reuse (KA-15) are refused with their ids, never echoing the value', async () => {
    const boz = await personContext(db, bozeman, 'it_staff');
    const bozAccount = await insertAccount(db, bozeman.orgId, 'bozeman-city');
    const weak = 'alllowercaseletters';
    const err = await storeSecret(boz.ctx, vault, { accountId: bozAccount, kind: 'password', value: weak }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, details: { rule: 'security.password', sources: ['BZ-12'] } });
    expect(JSON.stringify(err) + (err as Error).message).not.toContain(weak);
    // A username is not a password: no complexity rules.
    await storeSecret(boz.ctx, vault, { accountId: bozAccount, kind: 'username', value: 'bozeman' });
    // Not the custodian's own CivicDesk sign-in password.
    await expect(storeSecret(boz.ctx, vault, { accountId: bozAccount, kind: 'password', value: TEST_PASSWORD }))
      .rejects.toMatchObject({ status: 400, details: { rule: 'security.password', sources: ['BZ-12'] } });

    const kal = await personContext(db, kalispell, 'communications_manager');
    const one = await insertAccount(db, kalispell.orgId, 'kalispell-one');
    const two = await insertAccount(db, kalispell.orgId, 'kalispell-two');
    await storeSecret(kal.ctx, vault, { accountId: one, kind: 'password', value: 'Shared-Password-77!' });
    const reuse = await storeSecret(kal.ctx, vault, { accountId: two, kind: 'password', value: 'Shared-Password-77!' }).catch((e: unknown) => e);
    expect(reuse).toMatchObject({ status: 400, details: { rule: 'security.password.notReusedAcrossAccounts', sources: ['KA-15'] } });
    expect(JSON.stringify(reuse) + (reuse as Error).message).not.toContain('Shared-Password-77!');
    // Storing it again on the same account is a replacement, not reuse.
    await storeSecret(kal.ctx, vault, { accountId: one, kind: 'password', value: 'Shared-Password-77!' });
    // Red Lodge's policy sets no uniqueness rule: the same password on two accounts is allowed there.
    const mayor = await personContext(db, redLodge, 'mayor');
    await storeSecret(mayor.ctx, vault, { accountId: await insertAccount(db, redLodge.orgId, 'rl-x'), kind: 'password', value: 'Shared-Password-77!' });
    await storeSecret(mayor.ctx, vault, { accountId: await insertAccount(db, redLodge.orgId, 'rl-y'), kind: 'password', value: 'Shared-Password-77!' });
  });

  it('rotation re-encrypts everything in one go; the old key then fails; a failed rotation changes nothing', async () => {
    const kal = await personContext(db, kalispell, 'communications_manager');
    const fresh = createVault(randomBytes(32), 'new');
    await expect(rotateVaultKey(db, vault, vault)).rejects.toMatchObject({ status: 400 });

    // A damaged secret aborts the whole rotation.
    const victim = await insertAccount(db, kalispell.orgId, 'kalispell-victim');
    await storeSecret(kal.ctx, vault, { accountId: victim, kind: 'username', value: 'victim-user' });
    const good = await db.selectFrom('vault_secrets').select(['nonce', 'ciphertext']).where('account_id', '=', victim).executeTakeFirstOrThrow();
    const damaged = Buffer.from(good.ciphertext);
    damaged[0] = (damaged[0] ?? 0) ^ 0xff;
    await db.updateTable('vault_secrets').set({ ciphertext: damaged }).where('account_id', '=', victim).execute();
    const rows = await snapshot(db);
    const events = await eventCount(db);
    await expect(rotateVaultKey(db, vault, fresh)).rejects.toThrow(VaultDecryptError);
    expect(await snapshot(db)).toEqual(rows);
    expect(await eventCount(db)).toBe(events);
    await db.updateTable('vault_secrets').set({ ciphertext: good.ciphertext }).where('account_id', '=', victim).execute();

    const total = rows.length;
    const report = await rotateVaultKey(db, vault, fresh);
    expect(report.reencrypted).toBe(total);
    expect(report.fromKeyId).toBe(vault.keyId);
    expect(report.toKeyId).toBe(fresh.keyId);
    const after = await snapshot(db);
    expect(after.every((r) => r.key_id === fresh.keyId)).toBe(true);
    expect((await checkSecrets(db, fresh)).failures).toEqual([]);
    const old = await checkSecrets(db, vault);
    expect(old.failures).toHaveLength(total);
    expect(old.failures[0]!.problem).toContain(`key id ${fresh.keyId}, have ${vault.keyId}`);

    // Fingerprints moved to the new key: reuse is still caught.
    await expect(storeSecret(kal.ctx, fresh, { accountId: await insertAccount(db, kalispell.orgId, 'kalispell-three'), kind: 'password', value: 'Shared-Password-77!' }))
      .rejects.toMatchObject({ details: { rule: 'security.password.notReusedAcrossAccounts' } });
    // And the server with the old key refuses to store under it.
    await expect(storeSecret(kal.ctx, vault, { accountId: victim, kind: 'username', value: 'victim-user-2' })).rejects.toThrow(VaultKeyMismatchError);

    for (const city of [redLodge, kalispell, bozeman]) {
      const [event] = await eventsOf(db, city.orgId, 'vault.key_rotated');
      const count = after.filter((r) => r.org_id === city.orgId).length;
      expect(JSON.parse(event!.before!)).toEqual({ keyId: vault.keyId });
      expect(JSON.parse(event!.after!)).toEqual({ keyId: fresh.keyId, reencrypted: count, alreadyCurrent: 0 });
    }
  });
});
