// The credential vault (RL-5: the Mayor or designee keeps every account's login information).
// Secrets are sealed with AES-256-GCM under a key that lives outside the database (a key file or
// an environment variable), so a copy of the database, a backup or the public-records archive
// never yields a password. The key is held in this module's closures only: the Vault object
// carries no key material, so logging or serialising it cannot leak one.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { SecretKind, VaultSecretsTable } from '../db/schema.js';
import { AppError } from '../http/errors.js';

export const SECRET_KINDS = ['username', 'password', 'recovery_codes', 'connector_token'] as const satisfies readonly SecretKind[];

export const VAULT_KEY_ENV = 'CIVICDESK_VAULT_KEY';
export const VAULT_KEY_FILE_ENV = 'CIVICDESK_VAULT_KEY_FILE';
export const VAULT_KEY_FILE_NAME = 'vault.key';

const KEY_BYTES = 32;
// 96 bits is GCM's native nonce size; random nonces are safe far beyond any city's secret count.
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
// Versioned so a future change of derivation cannot silently reuse a subkey.
const HKDF_SALT = Buffer.from('civicdesk-vault-v1');

/** What a secret is bound to: a ciphertext moved to another city, account or kind fails to open. */
export interface SecretAad {
  orgId: string;
  accountId: string;
  kind: SecretKind;
}

/** The stored form, in the columns of `vault_secrets`. */
export type SealedSecret = Pick<VaultSecretsTable, 'key_id' | 'nonce' | 'ciphertext'>;

export interface Vault {
  /** First 8 hex digits of SHA-256(key): names the key without revealing it. */
  readonly keyId: string;
  /** Where the key came from, for operator messages (a path or the variable's name, never the key). */
  readonly source: string;
  encrypt(aad: SecretAad, plaintext: string): SealedSecret;
  decrypt(aad: SecretAad, row: SealedSecret): string;
  /** HMAC-SHA256 under a derived subkey: finds a password reused across accounts without decrypting. */
  fingerprint(password: string): string;
}

/** The key in use is not the one a secret was sealed with: nothing is decrypted or changed. */
export class VaultKeyMismatchError extends AppError {
  constructor(readonly storedKeyId: string, readonly currentKeyId: string) {
    super(500, 'vault_key_mismatch',
      `the vault key does not match the one these secrets were stored with (key id ${storedKeyId}, have ${currentKeyId})`);
    this.name = 'VaultKeyMismatchError';
  }
}

/** The right key, but the ciphertext does not open: altered, or copied from another account or kind. */
export class VaultDecryptError extends AppError {
  constructor(aad: SecretAad) {
    super(500, 'vault_decrypt_failed',
      `the stored ${aad.kind} of account ${aad.accountId} does not decrypt: it was altered, or moved from another account or kind`);
    this.name = 'VaultDecryptError';
  }
}

/** A key file or variable that is missing or malformed; the message says which and how to fix it. */
export class VaultKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultKeyError';
  }
}

export function vaultKeyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function subkey(key: Uint8Array, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, HKDF_SALT, purpose, KEY_BYTES));
}

function aadBytes(aad: SecretAad, keyId: string): Buffer {
  const parts = [aad.orgId, aad.accountId, aad.kind, keyId];
  // The separator must not occur inside a part, or two different bindings could read the same.
  if (parts.some((p) => p.includes('|'))) throw new Error('vault: an id contains "|"');
  return Buffer.from(parts.join('|'), 'utf8');
}

/** Builds a vault from 32 raw key bytes. */
export function createVault(key: Uint8Array, source = 'a key given in code'): Vault {
  if (key.length !== KEY_BYTES) throw new VaultKeyError(`the vault key must be ${KEY_BYTES} bytes, got ${key.length}`);
  const keyId = vaultKeyId(key);
  // Separate subkeys for encryption and fingerprints: neither use can weaken the other.
  const encKey = subkey(key, 'aes-256-gcm secrets');
  const macKey = subkey(key, 'password fingerprint');

  return Object.freeze({
    keyId,
    source,
    encrypt(aad: SecretAad, plaintext: string): SealedSecret {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', encKey, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(aadBytes(aad, keyId));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      // The tag is appended to the ciphertext: one column, and it cannot be separated from its text.
      return { key_id: keyId, nonce, ciphertext: Buffer.concat([body, cipher.getAuthTag()]) };
    },
    decrypt(aad: SecretAad, row: SealedSecret): string {
      // Checked first, so a wrong key is named as such instead of looking like tampering.
      if (row.key_id !== keyId) throw new VaultKeyMismatchError(row.key_id, keyId);
      const data = Buffer.from(row.ciphertext);
      const nonce = Buffer.from(row.nonce);
      if (nonce.length !== NONCE_BYTES || data.length < TAG_BYTES) throw new VaultDecryptError(aad);
      try {
        const decipher = createDecipheriv('aes-256-gcm', encKey, nonce, { authTagLength: TAG_BYTES });
        decipher.setAAD(aadBytes(aad, row.key_id));
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new VaultDecryptError(aad);
      }
    },
    fingerprint(password: string): string {
      return createHmac('sha256', macKey).update(password, 'utf8').digest('hex');
    },
  });
}

/** Parses a base64 key (file contents or variable); `where` names its origin in the error. */
export function parseVaultKey(text: string, where: string): Buffer {
  const clean = text.trim();
  const key = Buffer.from(clean, 'base64');
  // Buffer.from ignores junk in base64, so insist on the canonical encoding of exactly 32 bytes.
  if (key.length !== KEY_BYTES || key.toString('base64') !== clean) {
    throw new VaultKeyError(`${where} is not a vault key: expected ${KEY_BYTES} random bytes in base64 (44 characters), e.g. from \`openssl rand -base64 32\``);
  }
  return key;
}

/** A fresh random key, written as base64 to `path` with mode 0600; refuses to overwrite a file. */
export function createVaultKeyFile(path: string): Buffer {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  // The process umask cannot widen 0600, but an explicit chmod also covers odd filesystems.
  chmodSync(path, 0o600);
  return key;
}

export type LoadVaultOptions =
  | { key: Uint8Array }
  | {
    dataDir: string;
    /** Defaults to process.env; tests pass their own. */
    env?: NodeJS.ProcessEnv;
    /** Create the key file when it does not exist (the server's first start). Operator commands pass false. */
    create?: boolean;
  }
  | { keyFile: string; create?: boolean };

/** The key file in use: CIVICDESK_VAULT_KEY_FILE, else `<data>/vault.key`. */
export function vaultKeyFilePath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env[VAULT_KEY_FILE_ENV] || join(dataDir, VAULT_KEY_FILE_NAME));
}

/**
 * Loads the vault key: CIVICDESK_VAULT_KEY (base64) if set, else the key file. Never from the
 * database: the ciphertext and its key must not travel together.
 */
export function loadVault(options: LoadVaultOptions): Vault {
  if ('key' in options) return createVault(options.key);
  if ('keyFile' in options) return loadKeyFile(resolve(options.keyFile), options.create ?? false);
  const env = options.env ?? process.env;
  const fromEnv = env[VAULT_KEY_ENV];
  if (fromEnv) return createVault(parseVaultKey(fromEnv, `the ${VAULT_KEY_ENV} variable`), VAULT_KEY_ENV);
  return loadKeyFile(vaultKeyFilePath(options.dataDir, env), options.create ?? true);
}

function loadKeyFile(path: string, create: boolean): Vault {
  if (!existsSync(path)) {
    if (!create) {
      throw new VaultKeyError(`no vault key at ${path}: set ${VAULT_KEY_FILE_ENV} or ${VAULT_KEY_ENV}, or restore the key file`);
    }
    try {
      return createVault(createVaultKeyFile(path), path);
    } catch (err) {
      // Another process created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return createVault(parseVaultKey(readFileSync(path, 'utf8'), `the key file ${path}`), path);
}
