// Opens the connector for an official account from its sealed credentials. The system decrypts
// them to act for the account (publish, capture, health checks); a person who wants to *see* them
// goes through the vault's reveal, with a fresh 2FA code and a reason.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Vault } from '../accounts/vault.js';
import type { Capability, Connector } from './connector.js';
import { parseCredentials, type ConnectorCredentials } from './credentials.js';
import { BLUESKY_CAPABILITIES, BlueskyConnector } from './bluesky/bluesky.connector.js';
import { FACEBOOK_CAPABILITIES, FacebookConnector } from './facebook/facebook.connector.js';
import type { RetryOptions } from './retry.js';

export async function credentialsOf(db: Kysely<DB>, vault: Vault, orgId: string, accountId: string): Promise<ConnectorCredentials | null> {
  const account = await db.selectFrom('accounts').select(['platform']).where('org_id', '=', orgId).where('id', '=', accountId).executeTakeFirst();
  const row = await db.selectFrom('vault_secrets').select(['key_id', 'nonce', 'ciphertext'])
    .where('org_id', '=', orgId).where('account_id', '=', accountId).where('kind', '=', 'connector_token').executeTakeFirst();
  if (!account || !row) return null;
  const json = vault.decrypt({ orgId, accountId, kind: 'connector_token' }, row);
  return parseCredentials(account.platform, JSON.parse(json) as unknown, 'vault.connector_token');
}

export async function openConnector(accountId: string, credentials: ConnectorCredentials, retry?: RetryOptions): Promise<Connector> {
  if (credentials.platform === 'bluesky') {
    const c = credentials.value;
    return BlueskyConnector.connect({ service: c.service, identifier: c.identifier, password: c.appPassword, accountId, appView: c.appView, retry });
  }
  const c = credentials.value;
  return new FacebookConnector({ pageId: c.pageId, pageToken: c.pageToken, accountId, graphUrl: c.graphUrl, retry });
}

/**
 * What a platform's connector can do, known without signing in (for notices about what the policy
 * asks and the platform allows). A platform CivicDesk has no connector for can do nothing here.
 */
export function platformCapabilities(platform: string): ReadonlySet<Capability> {
  if (platform === 'bluesky') return BLUESKY_CAPABILITIES;
  if (platform === 'facebook') return FACEBOOK_CAPABILITIES;
  return new Set();
}
