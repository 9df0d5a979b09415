// Reads of the credential vault. Lists carry metadata only: a value leaves the vault solely
// through revealSecret, which demands a fresh second factor and a written reason.
import type { Kysely } from 'kysely';
import type { DB, SecretKind } from '../db/schema.js';
import { VaultDecryptError, VaultKeyMismatchError, type Vault } from './vault.js';

export interface SecretMetadata {
  kind: SecretKind;
  label: string | null;
  updatedAt: string;
  expiresAt: string | null;
  /** Which vault key sealed it: differs from the running key only if a rotation was left half done. */
  keyId: string;
}

export async function listSecrets(db: Kysely<DB>, orgId: string, accountId: string): Promise<SecretMetadata[]> {
  // Selecting named columns (never selectAll) keeps ciphertext and fingerprint out of the result.
  const rows = await db.selectFrom('vault_secrets')
    .select(['kind', 'label', 'updated_at', 'expires_at', 'key_id'])
    .where('org_id', '=', orgId).where('account_id', '=', accountId)
    .orderBy('kind').execute();
  return rows.map((r) => ({ kind: r.kind, label: r.label, updatedAt: r.updated_at, expiresAt: r.expires_at, keyId: r.key_id }));
}

/** RL-5: whether the custodian holds the account's login (username and password). */
export async function hasCredentialsOnFile(db: Kysely<DB>, orgId: string, accountId: string): Promise<{ username: boolean; password: boolean }> {
  const rows = await db.selectFrom('vault_secrets').select('kind')
    .where('org_id', '=', orgId).where('account_id', '=', accountId)
    .where('kind', 'in', ['username', 'password']).execute();
  const kinds = new Set(rows.map((r) => r.kind));
  return { username: kinds.has('username'), password: kinds.has('password') };
}

export interface SecretCheckFailure {
  orgId: string;
  accountId: string;
  kind: SecretKind;
  problem: string;
}

/** Opens every secret (of one city, or all) with `vault` and names each that does not open. */
export async function checkSecrets(db: Kysely<DB>, vault: Vault, orgId?: string): Promise<{ checked: number; failures: SecretCheckFailure[] }> {
  let query = db.selectFrom('vault_secrets').select(['org_id', 'account_id', 'kind', 'key_id', 'nonce', 'ciphertext']);
  if (orgId) query = query.where('org_id', '=', orgId);
  const rows = await query.orderBy('org_id').orderBy('account_id').orderBy('kind').execute();
  const failures: SecretCheckFailure[] = [];
  for (const row of rows) {
    try {
      vault.decrypt({ orgId: row.org_id, accountId: row.account_id, kind: row.kind }, row);
    } catch (err) {
      if (!(err instanceof VaultKeyMismatchError) && !(err instanceof VaultDecryptError)) throw err;
      failures.push({ orgId: row.org_id, accountId: row.account_id, kind: row.kind, problem: err.message });
    }
  }
  return { checked: rows.length, failures };
}
