// Connectors at work in the background: live capture from the Bluesky firehose for every connected
// Bluesky account, a thread reconciliation that catches anything the live stream missed, and
// health checks that flag an expiring or revoked credential before posts start failing.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { capture } from '../archive/capture.js';
import type { Vault } from '../accounts/vault.js';
import type { JobQueue } from '../jobs/jobs.js';
import { loadOrg } from '../org/org.queries.js';
import { operatorActor } from '../policy/can.js';
import type { CommandContext } from '../events/command.js';
import type { Connector } from './connector.js';
import type { ConnectorCredentials } from './credentials.js';
import { ConnectorError } from './errors.js';
import { asConnectorError } from './retry.js';
import { credentialsOf, openConnector } from './registry.js';
import { recordConnectorHealth, statusFor, type ConnectorStatus } from './platforms.commands.js';
import { FirehoseCapture } from './bluesky/firehose.js';
import { checkForVandalism, checkProfileChanges } from '../content/vandalism.js';
import { enqueueComments } from '../moderation/queue.js';

export interface PlatformRuntimeDeps {
  archive: ArchiveDeps;
  vault: Vault;
  log?: { info(msg: string): void; warn(msg: string): void };
  open?: (accountId: string, credentials: ConnectorCredentials) => Promise<Connector>;
  /** How long an unknown post by the account may wait for its publication to be recorded (default 10 s). */
  vandalismGraceMs?: number;
}

export const HEALTH_JOB = 'platforms.health';
export const RECONCILE_JOB = 'platforms.reconcile';
const MINUTE = 60_000;
/** How far back reconciliation re-reads the account's threads. */
const RECONCILE_DAYS = 7;

async function systemContext(db: Kysely<DB>, orgId: string, label: string): Promise<CommandContext> {
  const city = await loadOrg(db, orgId);
  if (!city) throw new Error(`no city ${orgId}`);
  return { db, actor: operatorActor(orgId, city.pack, label), packVersion: city.packDigest };
}

async function connectedAccounts(db: Kysely<DB>, platform?: string) {
  let q = db.selectFrom('accounts').select(['id', 'org_id', 'platform', 'handle', 'connector_status'])
    .where('connector_status', '!=', 'not_connected').where('status', 'in', ['approved', 'active']);
  if (platform) q = q.where('platform', '=', platform);
  return q.execute();
}

/** One account's health check: sign in, ask the platform, record the outcome. */
export async function checkConnector(deps: PlatformRuntimeDeps, orgId: string, accountId: string): Promise<ConnectorStatus> {
  const db = deps.archive.db;
  const ctx = await systemContext(db, orgId, 'connector health check');
  const credentials = await credentialsOf(db, deps.vault, orgId, accountId);
  if (!credentials) {
    await recordConnectorHealth(ctx, accountId, 'needs_reauthorization', { ok: false, message: 'its credentials are missing from the vault' });
    return 'needs_reauthorization';
  }
  let status: ConnectorStatus;
  try {
    const connector = await (deps.open ?? openConnector)(accountId, credentials);
    const health = await connector.health();
    status = statusFor(health);
    await recordConnectorHealth(ctx, accountId, status, health);
    await connector.close?.();
  } catch (err) {
    const e = asConnectorError(err);
    status = statusFor({ ok: false, message: e.message }, e);
    await recordConnectorHealth(ctx, accountId, status, { ok: false, message: e.message });
  }
  return status;
}

/** Re-reads the replies of the account's recent threads; the archive keeps each version once. */
export async function reconcileAccount(deps: PlatformRuntimeDeps, orgId: string, accountId: string, now = new Date()): Promise<number> {
  const db = deps.archive.db;
  const credentials = await credentialsOf(db, deps.vault, orgId, accountId);
  if (!credentials) return 0;
  const connector = await (deps.open ?? openConnector)(accountId, credentials);
  if (!connector.capabilities.has('read_replies')) return 0;
  const since = new Date(now.getTime() - RECONCILE_DAYS * 86_400_000).toISOString();
  const deleted = db.selectFrom('archive_records as d').select('d.subject_id').where('d.org_id', '=', orgId).where('d.kind', '=', 'deletion');
  const posts = await db.selectFrom('archive_records').select(['platform_id', 'platform_version'])
    .where('org_id', '=', orgId).where('account_id', '=', accountId).where('kind', '=', 'post').where('captured_at', '>=', since)
    .where('platform_id', 'not in', deleted.where('d.subject_id', 'is not', null).$narrowType<{ subject_id: string }>())
    .execute();
  let captured = 0;
  for (const post of posts) {
    if (!post.platform_id) continue;
    const page = await connector.readReplies({ id: post.platform_id, version: post.platform_version ?? undefined });
    if (page.records.length === 0) continue;
    const results = await capture(deps.archive, orgId, page.records);
    await enqueueComments(db, orgId, page.records, results);
    captured += results.filter((r) => !r.duplicate).length;
  }
  await connector.close?.();
  return captured;
}

export async function scheduleConnectorJobs(queue: JobQueue, deps: PlatformRuntimeDeps): Promise<void> {
  queue.work(HEALTH_JOB, async () => {
    for (const a of await connectedAccounts(deps.archive.db)) {
      const status = await checkConnector(deps, a.org_id, a.id);
      if (status !== 'connected') deps.log?.warn(`connector for ${a.platform} account ${a.handle} is ${status}`);
    }
    await queue.enqueue(HEALTH_JOB, {}, { runAt: new Date(Date.now() + 15 * MINUTE), singletonKey: 'quarter-hourly' });
  });
  queue.work(RECONCILE_JOB, async () => {
    for (const a of await connectedAccounts(deps.archive.db)) {
      if (a.connector_status !== 'connected') continue;
      try {
        const n = await reconcileAccount(deps, a.org_id, a.id);
        if (n > 0) deps.log?.info(`reconciliation captured ${n} missed items for ${a.platform} account ${a.handle}`);
      } catch (err) {
        deps.log?.warn(`reconciliation for ${a.handle} failed: ${(err as Error).message}`);
      }
    }
    await queue.enqueue(RECONCILE_JOB, {}, { runAt: new Date(Date.now() + 5 * MINUTE), singletonKey: 'five-minutely' });
  });
  await queue.enqueue(HEALTH_JOB, {}, { singletonKey: 'quarter-hourly' });
  await queue.enqueue(RECONCILE_JOB, {}, { runAt: new Date(Date.now() + MINUTE), singletonKey: 'five-minutely' });
}

/** Live capture for every connected Bluesky account; `refresh()` picks up newly connected ones. */
export class CaptureRunner {
  private readonly running = new Map<string, FirehoseCapture>();

  constructor(private readonly deps: PlatformRuntimeDeps) {}

  async refresh(): Promise<void> {
    const db = this.deps.archive.db;
    const accounts = (await connectedAccounts(db, 'bluesky')).filter((a) => a.connector_status === 'connected');
    for (const a of accounts) {
      if (this.running.has(a.id)) continue;
      const credentials = await credentialsOf(db, this.deps.vault, a.org_id, a.id);
      if (credentials?.platform !== 'bluesky') continue;
      const c = credentials.value;
      let did: string;
      try {
        did = (await (this.deps.open ?? openConnector)(a.id, credentials)).accountRef;
      } catch (err) {
        this.deps.log?.warn(`live capture for ${a.handle} cannot start: ${(err instanceof ConnectorError ? err : asConnectorError(err)).message}`);
        continue;
      }
      const stream = 'firehose';
      const firehose = new FirehoseCapture({
        service: c.firehose ?? defaultFirehose(c.service),
        plcUrl: c.plc ?? 'https://plc.directory',
        accountId: a.id, accountDid: did,
        onRecords: async (records) => {
          const captured = await capture(this.deps.archive, a.org_id, records);
          // Captured first; only then queued for people to review.
          await enqueueComments(db, a.org_id, records, captured);
          // Not awaited: the check waits a little for a publication in flight to record its id.
          void checkForVandalism(db, a.org_id, a.id, records, this.deps.vandalismGraceMs).catch((err: Error) => this.deps.log?.warn(`vandalism check for ${a.handle}: ${err.message}`));
          // A profile version new to the archive was made outside CivicDesk (KA-15 "altered graphics").
          void checkProfileChanges(db, a.org_id, a.id, records, captured).catch((err: Error) => this.deps.log?.warn(`profile check for ${a.handle}: ${err.message}`));
        },
        isCaptured: async (uri) => Boolean(await db.selectFrom('archive_records').select('id').where('org_id', '=', a.org_id).where('platform_id', '=', uri).executeTakeFirst()),
        getCursor: async () => {
          const row = await db.selectFrom('platform_cursors').select('cursor').where('account_id', '=', a.id).where('stream', '=', stream).executeTakeFirst();
          return row ? Number(row.cursor) : undefined;
        },
        setCursor: async (seq) => {
          const at = new Date().toISOString();
          await db.insertInto('platform_cursors').values({ org_id: a.org_id, account_id: a.id, stream, cursor: String(seq), updated_at: at })
            .onConflict((oc) => oc.columns(['account_id', 'stream']).doUpdateSet({ cursor: String(seq), updated_at: at })).execute();
        },
        onError: (err) => this.deps.log?.warn(`firehose for ${a.handle}: ${err.message}`),
      });
      await firehose.start();
      this.running.set(a.id, firehose);
      this.deps.log?.info(`live capture started for Bluesky account ${a.handle}`);
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.running.values()].map((f) => f.stop()));
    this.running.clear();
  }
}

/**
 * A PDS's own firehose carries only the accounts it hosts, so replies from residents elsewhere
 * need a relay: accounts on Bluesky's hosting read the Bluesky relay; a self-hosted or local PDS
 * (the demo, tests) its own stream unless the credentials name a relay.
 */
export function defaultFirehose(service: string): string {
  const host = new URL(service).hostname;
  if (host === 'bsky.social' || host.endsWith('.bsky.network')) return 'wss://bsky.network';
  return service.replace(/^http/, 'ws');
}
