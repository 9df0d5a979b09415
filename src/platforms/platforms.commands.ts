// Connecting an official account to its platform, and recording what the connector's health
// checks find. Open-source schedulers' most common failure is a token that expires silently: here
// a failing check changes the account's connector status (an event) and tells its administrators.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { runCommand, type CommandContext } from '../events/command.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { decide } from '../policy/can.js';
import { storeSecret } from '../accounts/vault.commands.js';
import type { Vault } from '../accounts/vault.js';
import { getAccount } from '../accounts/accounts.queries.js';
import { policySources } from '../accounts/compliance.js';
import { notify } from '../people/notifications.js';
import type { Capability, Connector, ConnectorHealth } from './connector.js';
import { parseCredentials, type ConnectorCredentials } from './credentials.js';
import { ConnectorError } from './errors.js';
import { openConnector } from './registry.js';

export type ConnectorStatus = 'not_connected' | 'connected' | 'needs_reauthorization' | 'unreachable';

export interface ConnectionView {
  accountId: string;
  platform: string;
  status: ConnectorStatus;
  accountRef: string;
  capabilities: Capability[];
  expiresAt: string | null;
  message: string;
}

/** Credential custody and IT access to every account (KA-7, BZ-5, RL-3, MN-4 where the pack cites them). */
const CUSTODY = ['KA-7', 'BZ-5', 'RL-3', 'MN-4'];

/**
 * Signs in with the credentials before keeping anything: wrong credentials are a 400 and nothing
 * is stored. Then seals them in the vault and marks the account connected.
 */
export async function connectAccount(
  ctx: CommandContext, vault: Vault, input: { accountId: string; credentials: unknown },
  open: (accountId: string, c: ConnectorCredentials) => Promise<Connector> = openConnector,
): Promise<ConnectionView> {
  const account = await getAccount(ctx.db, ctx.actor.orgId, input.accountId);
  if (!account) throw notFound('Account');
  // Refuse people without the right before looking at what they sent.
  const allowed = decide(ctx.actor, 'credentials.manage', { orgId: ctx.actor.orgId, departmentId: account.departmentId });
  if (!allowed.allowed) throw forbidden(`Not allowed: ${allowed.reason}`, 'credentials.manage', allowed.sources);
  if (account.status === 'retired' || account.status === 'requested') {
    throw conflict(`A ${account.status} account cannot be connected; it must be approved first`);
  }
  const credentials = parseCredentials(account.platform, input.credentials);
  let connector: Connector;
  let health: ConnectorHealth;
  try {
    connector = await open(account.id, credentials);
    health = await connector.health();
  } catch (err) {
    if (err instanceof ConnectorError && err.kind !== 'retryable' && err.kind !== 'rate_limited') {
      throw badRequest(`${account.platform} refused these credentials: ${err.message}`, [{ path: 'body.credentials', message: err.message }]);
    }
    throw new AppError(502, 'platform_unavailable', `${account.platform} could not be reached to check the credentials; nothing was stored. Try again shortly.`);
  }
  if (!health.ok) throw badRequest(`${account.platform} accepted the sign-in but the connector cannot work: ${health.message}`, [{ path: 'body.credentials', message: health.message }]);
  await storeSecret(ctx, vault, { accountId: account.id, kind: 'connector_token', value: JSON.stringify(credentials.value), label: `${account.platform} connector`, expiresAt: health.expiresAt ?? null });
  const view: ConnectionView = {
    accountId: account.id, platform: account.platform, status: 'connected', accountRef: connector.accountRef,
    capabilities: [...connector.capabilities], expiresAt: health.expiresAt ?? null, message: health.message,
  };
  await runCommand(ctx, {
    event: 'account.connector_connected',
    authorize: { action: 'credentials.manage', resource: { orgId: ctx.actor.orgId, departmentId: account.departmentId } },
  }, async (trx, now) => {
    await trx.updateTable('accounts').set({
      connector_status: 'connected', connector_expires_at: view.expiresAt, connector_checked_at: now.toISOString(), connector_message: health.message, updated_at: now.toISOString(),
    }).where('org_id', '=', ctx.actor.orgId).where('id', '=', account.id).execute();
    return {
      result: undefined, targetType: 'account', targetId: account.id,
      before: { connectorStatus: account.connectorStatus },
      after: { connectorStatus: 'connected', accountRef: view.accountRef, capabilities: view.capabilities, expiresAt: view.expiresAt },
      sources: policySources(ctx.actor.pack, CUSTODY),
    };
  });
  await connector.close?.();
  return view;
}

/** What a health check (or a failed call) means for the account's connector status. */
export function statusFor(health: ConnectorHealth, error?: ConnectorError): ConnectorStatus {
  if (health.ok) return 'connected';
  return error?.kind === 'retryable' || error?.kind === 'rate_limited' ? 'unreachable' : 'needs_reauthorization';
}

/**
 * Records a health check's outcome. Only a change of status is written (as an event); becoming
 * unhealthy notifies the account's administrators in the app, with the reason.
 */
export async function recordConnectorHealth(
  ctx: CommandContext, accountId: string, status: ConnectorStatus, health: ConnectorHealth,
): Promise<{ changed: boolean; notified: string[] }> {
  const account = await getAccount(ctx.db, ctx.actor.orgId, accountId);
  if (!account) throw notFound('Account');
  if (account.connectorStatus === status && (account.connectorExpiresAt ?? null) === (health.expiresAt ?? null)) return { changed: false, notified: [] };
  return runCommand(ctx, {
    event: 'account.connector_health_changed',
    authorize: { action: 'account.manage', resource: { orgId: ctx.actor.orgId, departmentId: account.departmentId } },
  }, async (trx, now) => {
    await trx.updateTable('accounts').set({
      connector_status: status, connector_expires_at: health.expiresAt ?? account.connectorExpiresAt, connector_checked_at: now.toISOString(), connector_message: health.message,
    }).where('org_id', '=', ctx.actor.orgId).where('id', '=', accountId).execute();
    let notified: string[] = [];
    if (status !== 'connected' && account.connectorStatus !== status) {
      const admins = await adminsOf(trx, ctx.actor.orgId, accountId);
      const what = status === 'needs_reauthorization' ? 'needs to be reconnected' : 'cannot reach the platform';
      notified = await notify(trx, {
        orgId: ctx.actor.orgId, userIds: admins, at: now, link: `/accounts/${accountId}`,
        text: `The ${account.platform} connector for ${account.handle} ${what}: ${health.message}. Publishing and capture for this account are paused until it works again.`,
      });
    }
    return {
      result: { changed: true, notified }, targetType: 'account', targetId: accountId,
      before: { connectorStatus: account.connectorStatus, expiresAt: account.connectorExpiresAt },
      after: { connectorStatus: status, expiresAt: health.expiresAt ?? null, message: health.message, notified },
      sources: policySources(ctx.actor.pack, CUSTODY),
    };
  });
}

async function adminsOf(db: Kysely<DB>, orgId: string, accountId: string): Promise<string[]> {
  const rows = await db.selectFrom('account_admins').innerJoin('users', 'users.id', 'account_admins.user_id').select('users.id')
    .where('account_admins.org_id', '=', orgId).where('account_admins.account_id', '=', accountId).where('users.status', '=', 'active').execute();
  return rows.map((r) => r.id);
}
