import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVault, loadVault, parseVaultKey, VaultDecryptError, VaultKeyError, VaultKeyMismatchError, vaultKeyId } from './vault.js';

const aad = { orgId: 'org-1', accountId: 'acct-1', kind: 'password' as const };

describe('vault crypto', () => {
  it('round-trips a secret, with a fresh nonce each time and no plaintext in the ciphertext', () => {
    const vault = createVault(randomBytes(32));
    const a = vault.encrypt(aad, 'Hunter2-Correct-Horse!');
    const b = vault.encrypt(aad, 'Hunter2-Correct-Horse!');
    expect(vault.decrypt(aad, a)).toBe('Hunter2-Correct-Horse!');
    expect(Buffer.from(a.nonce)).toHaveLength(12);
    expect(Buffer.from(a.nonce).equals(Buffer.from(b.nonce))).toBe(false);
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
    expect(Buffer.from(a.ciphertext).includes(Buffer.from('Hunter2'))).toBe(false);
    expect(a.key_id).toBe(vault.keyId);
    expect(vault.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(vault.decrypt(aad, vault.encrypt(aad, 'ünïcødé ✓'))).toBe('ünïcødé ✓');
  });

  it('names a wrong key by key id before trying to decrypt', () => {
    const right = createVault(randomBytes(32));
    const wrong = createVault(randomBytes(32));
    const sealed = right.encrypt(aad, 'secret-value');
    expect(() => wrong.decrypt(aad, sealed)).toThrow(VaultKeyMismatchError);
    expect(() => wrong.decrypt(aad, sealed)).toThrow(
      `the vault key does not match the one these secrets were stored with (key id ${right.keyId}, have ${wrong.keyId})`);
    // Even with the key id forged to match, the wrong key cannot open it.
    expect(() => wrong.decrypt(aad, { ...sealed, key_id: wrong.keyId })).toThrow(VaultDecryptError);
  });

  it('binds each secret to its city, account and kind (AAD), and detects tampering', () => {
    const vault = createVault(randomBytes(32));
    const sealed = vault.encrypt(aad, 'secret-value');
    expect(() => vault.decrypt({ ...aad, accountId: 'acct-2' }, sealed)).toThrow(VaultDecryptError);
    expect(() => vault.decrypt({ ...aad, kind: 'username' }, sealed)).toThrow(VaultDecryptError);
    expect(() => vault.decrypt({ ...aad, orgId: 'org-2' }, sealed)).toThrow(VaultDecryptError);
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => vault.decrypt(aad, { ...sealed, ciphertext: flipped })).toThrow(/altered, or moved/);
  });

  it('fingerprints passwords under the key: equal within a key, unrelated across keys', () => {
    const key = randomBytes(32);
    const vault = createVault(key);
    expect(vault.fingerprint('Same-Password-1!')).toBe(createVault(key).fingerprint('Same-Password-1!'));
    expect(vault.fingerprint('Same-Password-1!')).not.toBe(vault.fingerprint('Same-Password-2!'));
    expect(vault.fingerprint('Same-Password-1!')).not.toBe(createVault(randomBytes(32)).fingerprint('Same-Password-1!'));
    expect(vault.fingerprint('x')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('carries no key material on the object', () => {
    const key = randomBytes(32);
    const vault = createVault(key);
    const shown = JSON.stringify(vault) + String(Object.values(vault));
    expect(shown).not.toContain(key.toString('base64'));
    expect(shown).not.toContain(key.toString('hex'));
    expect(Object.keys(vault).sort()).toEqual(['decrypt', 'encrypt', 'fingerprint', 'keyId', 'source']);
  });
});

describe('vault key loading', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'civicdesk-vault-'));

  it('creates <data>/vault.key (0600, 32 random bytes in base64) on first use and reuses it', () => {
    const data = dir();
    const first = loadVault({ dataDir: data, env: {} });
    const path = join(data, 'vault.key');
    expect(first.source).toBe(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const key = parseVaultKey(readFileSync(path, 'utf8'), 'test');
    expect(vaultKeyId(key)).toBe(first.keyId);
    expect(loadVault({ dataDir: data, env: {} }).keyId).toBe(first.keyId);
  });

  it('prefers CIVICDESK_VAULT_KEY, then CIVICDESK_VAULT_KEY_FILE, and never creates a key when told not to', () => {
    const data = dir();
    const key = randomBytes(32);
    const fromEnv = loadVault({ dataDir: data, env: { CIVICDESK_VAULT_KEY: key.toString('base64') } });
    expect(fromEnv.keyId).toBe(vaultKeyId(key));
    expect(fromEnv.source).toBe('CIVICDESK_VAULT_KEY');

    const file = join(data, 'elsewhere.key');
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
    expect(loadVault({ dataDir: data, env: { CIVICDESK_VAULT_KEY_FILE: file } }).keyId).toBe(vaultKeyId(key));

    expect(() => loadVault({ dataDir: dir(), env: {}, create: false })).toThrow(/no vault key at .*vault\.key/);
  });

  it('refuses malformed keys clearly', () => {
    expect(() => loadVault({ dataDir: dir(), env: { CIVICDESK_VAULT_KEY: 'too-short' } })).toThrow(VaultKeyError);
    expect(() => loadVault({ dataDir: dir(), env: { CIVICDESK_VAULT_KEY: randomBytes(16).toString('base64') } }))
      .toThrow(/CIVICDESK_VAULT_KEY variable is not a vault key: expected 32 random bytes in base64/);
    const data = dir();
    writeFileSync(join(data, 'vault.key'), 'not base64 at all!!');
    expect(() => loadVault({ dataDir: data, env: {} })).toThrow(/key file .*vault\.key is not a vault key/);
    expect(() => createVault(randomBytes(31))).toThrow(/32 bytes/);
  });
});
