// Part of `npm run bench:classify`: reply → moderation queue latency, end to end, on a real local
// AT Protocol network (PLC + PDS on loopback, src/platforms/bluesky/local-network.ts).
//
// The city's Bluesky account is connected the way the application connects it (credentials sealed
// in the vault, account row connected) and the application's own CaptureRunner does live capture:
// firehose → capture() into the archive → enqueueComments() (classifier, then the
// moderation_items row). Residents then post replies to the city's posts, a few in flight each.
//
// Measured per reply: created = the wall clock just before the resident's createRecord request was
// sent (bench/capture.ts times the archive the same way); queued = the row's created_at, which
// enqueueComments stamps right before inserting it (the insert commits on its own, a millisecond or
// so later). A poller also notes when each row is first visible to another reader, every 25 ms, as
// an upper bound (`reply_to_queue_seen_*`). Rows not there --queue-timeout seconds after the last
// reply are `reply_to_queue_missing`. Everything shares this process's one event loop (PDS,
// firehose consumer, archive, classifier), as in bench/capture.
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AtpAgent } from '@atproto/api';
import { createVault } from '../src/accounts/vault.js';
import type { ArchiveDeps } from '../src/archive/archive.service.js';
import { capture } from '../src/archive/capture.js';
import { FolderBlobStore, FolderKeyStore } from '../src/archive/stores.js';
import { createOrganization } from '../src/org/org.commands.js';
import { BlueskyConnector } from '../src/platforms/bluesky/bluesky.connector.js';
import { startLocalNetwork, type LocalNetwork } from '../src/platforms/bluesky/local-network.js';
import { CaptureRunner } from '../src/platforms/platforms.runtime.js';
import { testPack } from '../src/testing/app.js';
import { figure, FUNCTION_WORDS, GENERAL_WORDS, openBenchDatabase, percentile, progress, Rng, TOPICS, type BenchDatabase } from './lib.js';

export interface ReplyToQueueOptions {
  replies: number;
  residents: number;
  threads: number;
  inflight: number;
  timeoutMs: number;
  seed: number;
  /** Admin postgres:// URL: run on a fresh PostgreSQL database instead of SQLite. */
  adminUrl?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const POST = 'app.bsky.feed.post';
/** About a fifth of the replies carry something the classifier flags, as in the throughput corpus. */
const FLAGGED = ['BUY FOLLOWERS at cheap-followers.example.com, promo code CITY50', 'this is such b.u.l.l.s.h.1.t', 'Re-elect Reyes for Mayor #ReyesForMayor', 'her number is 555-0142, go tell her'];

function replyText(rng: Rng, n: number): string {
  if (rng.next() < 0.2) return `${rng.pick(FLAGGED)} (#${n})`;
  const topic = TOPICS[rng.pick(Object.keys(TOPICS))];
  const words = Array.from({ length: 8 + rng.int(25) }, () => {
    const u = rng.next();
    return u < 0.3 ? rng.pick(topic) : u < 0.55 ? rng.pick(GENERAL_WORDS) : rng.pick(FUNCTION_WORDS);
  });
  return `${words.join(' ')} (#${n})`;
}

export async function replyToQueue(options: ReplyToQueueOptions): Promise<void> {
  const database = await openBenchDatabase({ adminUrl: options.adminUrl });
  let network: LocalNetwork | undefined;
  let runner: CaptureRunner | undefined;
  try {
    progress(`reply → queue: starting the local AT Protocol network (${database.dialect})`);
    network = await startLocalNetwork();
    runner = await measure(database, network, options);
  } finally {
    await runner?.stop();
    await network?.close();
    await database.dispose();
  }
}

async function measure(database: BenchDatabase, network: LocalNetwork, o: ReplyToQueueOptions): Promise<CaptureRunner> {
  const db = database.db;
  const archive: ArchiveDeps = { db, dialect: database.dialect, host: 'bench.civicdesk.test', blobs: new FolderBlobStore(join(database.dir, 'blobs')), keys: new FolderKeyStore(join(database.dir, 'keys')) };
  const { orgId } = await createOrganization(db, { pack: testPack('kalispell-mt'), slug: 'bench-queue' });
  const vault = createVault(randomBytes(32));
  const city = await network.createAccount('city-queue.test');
  // Connected as connectAccount leaves it: the account row, and its credentials sealed in the vault.
  const accountId = randomUUID();
  const at = new Date().toISOString();
  await db.insertInto('accounts').values({
    id: accountId, org_id: orgId, platform: 'bluesky', handle: city.handle, profile_url: null, department_id: null, board_name: null, minutes_reference: null,
    purpose: 'City news', signup_email: null, status: 'active', twofa_enabled: 1, twofa_attested_at: null, website_link_present: 1, aup_link_present: 1,
    connector_status: 'connected', connector_expires_at: null, request_id: null, created_at: at, updated_at: at,
  }).execute();
  const sealed = vault.encrypt({ orgId, accountId, kind: 'connector_token' }, JSON.stringify({ service: network.pdsUrl, identifier: city.handle, appPassword: city.password, plc: network.plcUrl, appView: false }));
  await db.insertInto('vault_secrets').values({ id: randomUUID(), org_id: orgId, account_id: accountId, kind: 'connector_token', label: null, ...sealed, fingerprint: null, expires_at: null, created_at: at, updated_at: at }).execute();

  const warnings: string[] = [];
  const runner = new CaptureRunner({ archive, vault, vandalismGraceMs: 0, log: { info: () => undefined, warn: (m) => { warnings.push(m); if (warnings.length <= 5) progress(`capture: ${m}`); } } });
  await runner.refresh();

  const connector = await BlueskyConnector.connect({ service: network.pdsUrl, identifier: city.handle, password: city.password, accountId, appView: false, retry: { baseMs: 50 } });
  const threads: Array<{ uri: string; cid: string }> = [];
  for (let i = 0; i < o.threads; i++) {
    const published = await connector.publish({ idempotencyKey: `bench-queue-${i}`, firstAttemptAt: new Date().toISOString(), text: `City update ${i + 1}: road work, parks and the library this week.` });
    await capture(archive, orgId, published.records);
    threads.push({ uri: published.ref.id, cid: published.ref.version! });
  }
  const residents = await Promise.all(Array.from({ length: o.residents }, async (_, i) => {
    const r = await network.createAccount(`queue-resident${i}.test`);
    const agent = new AtpAgent({ service: network.pdsUrl });
    await agent.login({ identifier: r.handle, password: r.password });
    return { agent, did: r.did };
  }));
  const queued = async (uris: string[]) => (uris.length === 0 ? [] : db.selectFrom('moderation_items').select(['platform_id', 'created_at']).where('org_id', '=', orgId).where('platform_id', 'in', uris).execute());
  const post = async (resident: (typeof residents)[number], text: string, thread: { uri: string; cid: string }) =>
    (await resident.agent.com.atproto.repo.createRecord({ repo: resident.did, collection: POST, record: { $type: POST, text, createdAt: new Date().toISOString(), langs: ['en'], reply: { root: thread, parent: thread } } })).data.uri;

  // A canary shows live capture is running before the measured replies start (not counted).
  const canary = await post(residents[0]!, 'Is this thing on?', threads[0]!);
  const liveBy = Date.now() + 30_000;
  while ((await queued([canary])).length === 0) {
    if (Date.now() > liveBy) throw new Error('live capture did not queue the canary reply within 30 s');
    await sleep(20);
  }
  progress(`live capture is queueing; ${o.residents} residents post ${o.replies} replies`);

  const sent = new Map<string, number>();
  const seen = new Map<string, number>();
  let polling = true;
  let lastCursor = '';
  const poller = (async () => {
    while (polling) {
      const rows = await db.selectFrom('moderation_items').select(['platform_id', 'created_at']).where('org_id', '=', orgId).where('created_at', '>=', lastCursor).execute();
      const now = Date.now();
      for (const r of rows) {
        if (!seen.has(r.platform_id)) seen.set(r.platform_id, now);
        if (r.created_at > lastCursor) lastCursor = r.created_at;
      }
      await sleep(25);
    }
  })();

  const rng = new Rng(o.seed, 0x9e11);
  let issued = 0;
  let postErrors = 0;
  const t0 = Date.now();
  await Promise.all(residents.map(async (resident) => {
    await Promise.all(Array.from({ length: o.inflight }, async () => {
      while (issued < o.replies) {
        const n = issued++;
        const sentAt = Date.now();
        try {
          const uri = await post(resident, replyText(rng, n), threads[n % threads.length]!);
          sent.set(uri, sentAt);
        } catch (err) {
          postErrors++;
          if (postErrors <= 5) progress(`createRecord failed: ${(err as Error).message}`);
        }
      }
    }));
  }));
  const postingMs = Date.now() - t0;
  progress(`${sent.size} replies posted in ${(postingMs / 1000).toFixed(1)} s; waiting for the queue (up to ${o.timeoutMs / 1000} s)`);
  const uris = [...sent.keys()];
  const deadline = Date.now() + o.timeoutMs;
  while (uris.some((u) => !seen.has(u)) && Date.now() < deadline) await sleep(50);
  polling = false;
  await poller;

  const rows: Array<{ platform_id: string; created_at: string }> = [];
  for (let i = 0; i < uris.length; i += 400) rows.push(...(await queued(uris.slice(i, i + 400))));
  const createdAt = new Map(rows.map((r) => [r.platform_id, Date.parse(r.created_at)]));
  const latencies = uris.filter((u) => createdAt.has(u)).map((u) => createdAt.get(u)! - sent.get(u)!);
  const seenLatencies = uris.filter((u) => seen.has(u)).map((u) => seen.get(u)! - sent.get(u)!);
  const flagged = Number((await db.selectFrom('moderation_items').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId).where('state', '=', 'flagged').executeTakeFirstOrThrow()).n);
  figure('reply_to_queue_replies', uris.length, 'count');
  figure('reply_to_queue_p50', percentile(latencies, 50), 'ms');
  figure('reply_to_queue_p95', percentile(latencies, 95), 'ms');
  figure('reply_to_queue_max', latencies.length ? Math.max(...latencies) : Number.NaN, 'ms');
  figure('reply_to_queue_missing', uris.length - latencies.length + postErrors, 'count');
  figure('reply_to_queue_seen_p50', percentile(seenLatencies, 50), 'ms');
  figure('reply_to_queue_seen_p95', percentile(seenLatencies, 95), 'ms');
  figure('reply_to_queue_post_rate', uris.length / (postingMs / 1000), 'replies/s');
  figure('reply_to_queue_flagged', flagged, 'count');
  figure('reply_to_queue_capture_warnings', warnings.length, 'count');
  return runner;
}
