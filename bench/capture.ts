// `npm run bench:capture`: how quickly and how completely residents' replies reach the archive
// from the AT Protocol firehose.
//
// On a real PLC + PDS started in this process on loopback (src/platforms/bluesky/local-network.ts),
// the city account publishes a few posts (threads) through the BlueskyConnector, and several
// resident accounts reply to them (a quarter of the replies answer an earlier reply in the same
// thread), concurrently but at a steady rate: each resident posts its share as fast as the PDS
// takes it, keeping a few requests in flight (or, with --rate, all residents together at a fixed
// rate). A FirehoseCapture subscribed to the PDS's firehose archives the city's posts and every
// reply in its threads with `capture()`, exactly as the application wires it.
//
// Measured per reply: capture latency = when the capture transaction holding the reply committed
// − when the reply was created. "Created" is the moment just before the resident's createRecord
// request was sent (what the resident experiences as "I posted it"; the PDS may put the commit on
// the firehose before its HTTP answer is back, so timing from the answer would hide part of the
// delay). After the last reply, the bench waits until every reply is archived or --timeout seconds
// pass. Then it counts the comment records in the archive for those URIs, and runs verifyArchive().
//
// Figures go to stdout as `name: value unit`, progress to stderr. Targets: missing == 0 and
// capture_latency_p95 < 2000 ms. The latency is also split in two:
//  - delivery: created → FirehoseCapture built the archive record. The PDS write, its sequencer,
//    the websocket, @atproto/sync's per-author queue (an author's next event waits until the
//    capture of the previous one has committed) and commit verification with its DID look-up.
//  - commit: record built → its capture transaction committed (waiting for the log head, then
//    the transaction).
// The bench also reports how long capture() calls took, how many ran at once and the event
// loop's delay. PLC, PDS, firehose consumer and archive all share this process's one event loop:
// a busy PDS slows capture and the other way round. post_rate shows how fast the PDS took replies.
//
//   --replies N    replies to post (default 1,000)        --residents N  resident accounts (8)
//   --threads N    city posts to reply to (5)              --inflight N   requests in flight per resident (2)
//   --rate R       replies/s over all residents (default 0: as fast as the PDS takes them)
//   --timeout S    seconds to wait after the last reply (30) --seed N     text and thread choice seed
//   --group-commit archive through one writer that puts the events which arrived during the previous
//                  transaction into the next one (see GroupCommit), instead of one capture() per event
//   --postgres     archive on a fresh PostgreSQL database (at BENCH_DATABASE_URL, TEST_DATABASE_URL
//                  or postgres://postgres@127.0.0.1:5432/postgres), dropped at the end; setting
//                  BENCH_DATABASE_URL to an admin URL selects PostgreSQL too. The PDS itself always
//                  keeps its data in SQLite files in a temp folder.
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AtpAgent } from '@atproto/api';
import type { ArchiveDeps } from '../src/archive/archive.service.js';
import { capture } from '../src/archive/capture.js';
import type { RecordInput } from '../src/archive/record.js';
import { verifyArchive } from '../src/archive/verify.js';
import { FolderBlobStore, FolderKeyStore } from '../src/archive/stores.js';
import { createOrganization } from '../src/org/org.commands.js';
import { BlueskyConnector } from '../src/platforms/bluesky/bluesky.connector.js';
import { FirehoseCapture } from '../src/platforms/bluesky/firehose.js';
import { startLocalNetwork, type LocalNetwork } from '../src/platforms/bluesky/local-network.js';
import { testPack } from '../src/testing/app.js';
import {
  DEFAULT_ADMIN_URL, FUNCTION_WORDS, GENERAL_WORDS, TOPICS, figure, openBenchDatabase, percentile, progress, Rng, since,
  type BenchDatabase,
} from './lib.js';

const { values: args } = parseArgs({
  options: {
    replies: { type: 'string', default: '1000' },
    residents: { type: 'string', default: '8' },
    threads: { type: 'string', default: '5' },
    inflight: { type: 'string', default: '2' },
    rate: { type: 'string', default: '0' },
    timeout: { type: 'string', default: '30' },
    seed: { type: 'string', default: '20240101' },
    postgres: { type: 'boolean', default: false },
    'group-commit': { type: 'boolean', default: false },
  },
});

const REPLIES = positive('replies', args.replies);
const RESIDENTS = positive('residents', args.residents);
const THREADS = positive('threads', args.threads);
const INFLIGHT = positive('inflight', args.inflight);
const RATE = nonNegative('rate', args.rate);
const TIMEOUT_MS = positive('timeout', args.timeout) * 1000;
const SEED = positive('seed', args.seed);
const GROUP_COMMIT = args['group-commit'];
const P95_TARGET_MS = 2000;
const ACCOUNT_ID = 'acct-bsky-city';
const POST = 'app.bsky.feed.post';

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
}

function nonNegative(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number >= 0, got ${value}`);
  return n;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Ref { uri: string; cid: string }

interface Reply {
  uri: string;
  /** performance.now() just before createRecord was sent, and when its answer came back. */
  sentAt: number;
  ackAt: number;
  /** Date.now() just before sending, to compare with the record's capturedAt (wall clock). */
  sentWall: number;
}

interface Archived {
  /** performance.now() when the capture transaction holding the reply committed. */
  at: number;
  /** When FirehoseCapture built the record (its capturedAt), wall-clock ms. */
  handledWall: number;
}

/**
 * --group-commit: one writer. Records handed over while a capture() is running wait and go into
 * the next capture() together (one transaction, at most MAX_GROUP records); each caller's promise
 * settles when the transaction holding its records has committed, so FirehoseCapture still
 * advances its cursor only past archived events. A failing group is retried record set by record
 * set, so one bad event cannot take its neighbours down with it.
 */
class GroupCommit {
  private queue: Array<{ records: RecordInput[]; resolve: (at: number) => void; reject: (err: unknown) => void }> = [];
  private running = false;

  constructor(private readonly write: (records: RecordInput[]) => Promise<number>) {}

  add(records: RecordInput[]): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const group: typeof this.queue = [];
      let size = 0;
      while (this.queue.length > 0 && (group.length === 0 || size + this.queue[0].records.length <= MAX_GROUP)) {
        const next = this.queue.shift()!;
        group.push(next);
        size += next.records.length;
      }
      try {
        const at = await this.write(group.flatMap((g) => g.records));
        for (const g of group) g.resolve(at);
      } catch {
        for (const g of group) await this.write(g.records).then(g.resolve, g.reject);
      }
    }
    this.running = false;
  }
}
const MAX_GROUP = 500;

/** What a resident might write under a city post: a few words about one topic. */
function replyText(rng: Rng, n: number): string {
  const topic = TOPICS[rng.pick(Object.keys(TOPICS))];
  const words: string[] = [];
  const length = 8 + rng.int(25);
  for (let i = 0; i < length; i++) {
    const u = rng.next();
    words.push(u < 0.3 ? rng.pick(topic) : u < 0.55 ? rng.pick(GENERAL_WORDS) : rng.pick(FUNCTION_WORDS));
  }
  return `${words.join(' ')} (#${n})`;
}

async function main(): Promise<void> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? (args.postgres ? process.env.TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL : undefined);
  const database = await openBenchDatabase({ adminUrl });
  progress(`${database.describe}: ${REPLIES} replies from ${RESIDENTS} residents to ${THREADS} city posts`);
  let network: LocalNetwork | undefined;
  let firehose: FirehoseCapture | undefined;
  try {
    progress('starting the local AT Protocol network (PLC + PDS on loopback)');
    network = await startLocalNetwork();
    await run(database, network, (f) => { firehose = f; });
  } finally {
    progress('cleaning up');
    await firehose?.stop();
    await network?.close();
    await database.dispose();
  }
}

async function run(database: BenchDatabase, network: LocalNetwork, started: (f: FirehoseCapture) => void): Promise<void> {
  // Keys and blobs in the bench database's temp folder, so dispose removes them.
  const deps: ArchiveDeps = {
    db: database.db, dialect: database.dialect, host: 'bench.civicdesk.test',
    blobs: new FolderBlobStore(join(database.dir, 'blobs')), keys: new FolderKeyStore(join(database.dir, 'keys')),
  };
  const { orgId } = await createOrganization(database.db, { pack: testPack('kalispell-mt'), slug: 'bench-capture' });
  figure('backend', database.dialect, '');

  const cityAccount = await network.createAccount('city.test');
  const residents = await Promise.all(Array.from({ length: RESIDENTS }, (_, i) => network.createAccount(`resident${i}.test`)));
  const connector = await BlueskyConnector.connect({
    service: network.pdsUrl, identifier: cityAccount.handle, password: cityAccount.password, accountId: ACCOUNT_ID, appView: false, retry: { baseMs: 50 },
  });

  // Everything the firehose hands over is archived; a reply's time is taken when its transaction
  // has committed. By default each event is its own capture() call, as the application wires it
  // (src/platforms/platforms.runtime.ts); --group-commit funnels them through one writer instead.
  const archived = new Map<string, Archived>();
  const seen = new Set<string>();
  const errors: Error[] = [];
  const txMs: number[] = [];
  let captureCalls = 0;
  let capturedRecords = 0;
  let inCapture = 0;
  let maxInCapture = 0;
  const timedCapture = async (records: RecordInput[]): Promise<number> => {
    inCapture++;
    maxInCapture = Math.max(maxInCapture, inCapture);
    const t0 = performance.now();
    try {
      await capture(deps, orgId, records);
    } finally {
      inCapture--;
    }
    const at = performance.now();
    txMs.push(at - t0);
    captureCalls++;
    capturedRecords += records.length;
    return at;
  };
  const writer = GROUP_COMMIT ? new GroupCommit(timedCapture) : undefined;
  const firehose = new FirehoseCapture({
    service: network.firehoseUrl, plcUrl: network.plcUrl, accountId: ACCOUNT_ID, accountDid: cityAccount.did,
    onRecords: async (records: RecordInput[]) => {
      for (const r of records) if (r.platformId) seen.add(r.platformId);
      const at = writer ? await writer.add(records) : await timedCapture(records);
      for (const r of records) {
        if (r.kind !== 'comment' || !r.platformId || archived.has(r.platformId)) continue;
        archived.set(r.platformId, { at, handledWall: r.capturedAt ? Date.parse(r.capturedAt) : Number.NaN });
      }
    },
    isCaptured: async (uri) => Boolean(await deps.db.selectFrom('archive_records').select('id').where('org_id', '=', orgId).where('platform_id', '=', uri).executeTakeFirst()),
    onError: (err) => {
      errors.push(err);
      if (errors.length <= 5) progress(`firehose error: ${err.message}`);
    },
  });
  firehose.start();
  started(firehose);

  // The city's threads, archived as the application does after publishing. Seeing them come back
  // through the firehose shows the subscription is live before any resident replies.
  const threads: Ref[] = [];
  for (let i = 0; i < THREADS; i++) {
    const published = await connector.publish({
      idempotencyKey: `bench-thread-${i}`, firstAttemptAt: new Date().toISOString(),
      text: `City update ${i + 1}: tell us what you think about this week's ${Object.keys(TOPICS)[i % Object.keys(TOPICS).length]} work.`,
    });
    await capture(deps, orgId, published.records);
    threads.push({ uri: published.ref.id, cid: published.ref.version! });
  }
  const liveBy = performance.now() + 30_000;
  while (!threads.every((t) => seen.has(t.uri))) {
    if (performance.now() > liveBy) throw new Error('the firehose did not deliver the city\'s own posts within 30 s');
    await sleep(20);
  }
  progress(`${THREADS} city posts published and seen on the firehose; residents start replying`);

  const agents = await Promise.all(residents.map(async (r) => {
    const agent = new AtpAgent({ service: network.pdsUrl });
    await agent.login({ identifier: r.handle, password: r.password });
    return { agent, did: r.did };
  }));

  // How long ready work waited for the one thread everything here shares, while replies flowed.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const rng = new Rng(SEED, 0xca97);
  const replies: Reply[] = [];
  const byThread: Ref[][] = threads.map(() => []);
  let postErrors = 0;
  let issued = 0; // reply numbers handed out (all residents)
  let firstSent = Number.NaN;
  let lastAck = Number.NaN;
  let nextReport = REPLIES / 10;
  const postStarted = performance.now();

  const postOne = async (resident: { agent: AtpAgent; did: string }, n: number): Promise<void> => {
    if (RATE > 0) {
      const due = postStarted + (n * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const t = n % THREADS;
    const root = threads[t];
    const earlier = byThread[t];
    const parent = earlier.length > 0 && rng.next() < 0.25 ? rng.pick(earlier) : root;
    const record = {
      $type: POST, text: replyText(rng, n), createdAt: new Date().toISOString(), langs: ['en'],
      reply: { root: { uri: root.uri, cid: root.cid }, parent: { uri: parent.uri, cid: parent.cid } },
    };
    for (let attempt = 1; ; attempt++) {
      const sentWall = Date.now();
      const sentAt = performance.now();
      try {
        const res = await resident.agent.com.atproto.repo.createRecord({ repo: resident.did, collection: POST, record });
        const ackAt = performance.now();
        if (Number.isNaN(firstSent) || sentAt < firstSent) firstSent = sentAt;
        lastAck = Number.isNaN(lastAck) ? ackAt : Math.max(lastAck, ackAt);
        replies.push({ uri: res.data.uri, sentAt, ackAt, sentWall });
        earlier.push({ uri: res.data.uri, cid: res.data.cid });
        break;
      } catch (err) {
        // Retried with a fresh record key: if only the answer was lost, the earlier attempt's
        // reply exists too, uncounted here, and shows up as an extra comment in the archive check.
        postErrors++;
        if (postErrors <= 5) progress(`createRecord failed (attempt ${attempt}): ${(err as Error).message}`);
        if (attempt >= 3) return;
        await sleep(100 * attempt);
      }
    }
    if (replies.length >= nextReport) {
      progress(`${replies.length}/${REPLIES} replies posted, ${archived.size} archived, ${inCapture} captures running`);
      nextReport += REPLIES / 10;
    }
  };

  // Each resident posts its share with INFLIGHT requests outstanding; reply numbers are handed out
  // from one counter so --rate spaces all residents' replies evenly.
  const share = (i: number) => Math.floor(REPLIES / RESIDENTS) + (i < REPLIES % RESIDENTS ? 1 : 0);
  await Promise.all(agents.map(async (resident, i) => {
    let left = share(i);
    await Promise.all(Array.from({ length: INFLIGHT }, async () => {
      while (left > 0) {
        left--;
        await postOne(resident, issued++);
      }
    }));
  }));
  const postingMs = since(postStarted);
  progress(`all ${replies.length} replies posted in ${(postingMs / 1000).toFixed(1)} s (${postErrors} failed attempts); waiting for the archive (up to ${TIMEOUT_MS / 1000} s)`);

  const deadline = performance.now() + TIMEOUT_MS;
  let lastShown = performance.now();
  while (replies.some((r) => !archived.has(r.uri)) && performance.now() < deadline) {
    await sleep(20);
    if (performance.now() - lastShown > 5000) {
      progress(`${replies.filter((r) => archived.has(r.uri)).length}/${replies.length} archived`);
      lastShown = performance.now();
    }
  }

  loopDelay.disable();

  // Figures.
  const latencies: number[] = [];
  const fromAck: number[] = [];
  const delivery: number[] = [];
  const commit: number[] = [];
  const rtt: number[] = [];
  let missing = 0;
  let lastArchived = Number.NaN;
  for (const r of replies) {
    rtt.push(r.ackAt - r.sentAt);
    const a = archived.get(r.uri);
    if (!a) { missing++; continue; }
    latencies.push(a.at - r.sentAt);
    fromAck.push(a.at - r.ackAt);
    lastArchived = Number.isNaN(lastArchived) ? a.at : Math.max(lastArchived, a.at);
    // The split uses the wall clock (capturedAt is an ISO time), millisecond resolution.
    const handledAt = r.sentAt + (a.handledWall - r.sentWall);
    delivery.push(handledAt - r.sentAt);
    commit.push(a.at - handledAt);
  }
  const targets: Array<[string, boolean]> = [];
  figure('replies', replies.length, 'count');
  figure('capture_latency_p50', percentile(latencies, 50), 'ms');
  figure('capture_latency_p95', percentile(latencies, 95), 'ms');
  figure('capture_latency_max', latencies.length ? Math.max(...latencies) : Number.NaN, 'ms');
  figure('missing', missing, 'count');
  figure('throughput', latencies.length / ((lastArchived - firstSent) / 1000), 'replies/s');
  figure('post_rate', replies.length / ((lastAck - firstSent) / 1000), 'replies/s');
  figure('post_rtt_p50', percentile(rtt, 50), 'ms');
  figure('post_rtt_p95', percentile(rtt, 95), 'ms');
  figure('latency_from_ack_p95', percentile(fromAck, 95), 'ms');
  figure('delivery_p50', percentile(delivery, 50), 'ms');
  figure('delivery_p95', percentile(delivery, 95), 'ms');
  figure('commit_p50', percentile(commit, 50), 'ms');
  figure('commit_p95', percentile(commit, 95), 'ms');
  figure('capture_tx_p50', percentile(txMs, 50), 'ms');
  figure('capture_tx_p95', percentile(txMs, 95), 'ms');
  figure('capture_calls', captureCalls, 'count');
  figure('records_per_capture', capturedRecords / captureCalls, 'records');
  figure('max_concurrent_captures', maxInCapture, 'count');
  figure('event_loop_delay_p50', loopDelay.percentile(50) / 1e6, 'ms');
  figure('event_loop_delay_p99', loopDelay.percentile(99) / 1e6, 'ms');
  figure('post_errors', postErrors, 'count');
  figure('firehose_errors', errors.length, 'count');
  targets.push(['missing == 0', missing === 0 && replies.length === REPLIES]);
  targets.push([`capture_latency_p95 < ${P95_TARGET_MS} ms`, percentile(latencies, 95) < P95_TARGET_MS]);

  // The archive itself: exactly one comment record per reply, and nothing else filed as a comment.
  const uris = replies.map((r) => r.uri);
  let inArchive = 0;
  for (let i = 0; i < uris.length; i += 400) {
    const row = await database.db.selectFrom('archive_records').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId).where('kind', '=', 'comment').where('platform_id', 'in', uris.slice(i, i + 400)).executeTakeFirstOrThrow();
    inArchive += Number(row.n);
  }
  const allComments = Number((await database.db.selectFrom('archive_records').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId).where('kind', '=', 'comment').executeTakeFirstOrThrow()).n);
  figure('archived_comments', inArchive, 'count');
  if (allComments !== inArchive) progress(`warning: ${allComments} comment records in the archive, ${inArchive} of them for these replies`);
  targets.push([`archived_comments == ${replies.length}`, inArchive === replies.length && allComments === inArchive]);

  const report = await verifyArchive(deps, orgId);
  if (!report.ok) progress(`verify found ${report.problems.length} problems, first: ${report.problems[0]?.message}`);
  figure('verify_ok', report.ok ? 'true' : `false (${report.problems.length} problems)`, '');
  targets.push(['verify_ok', report.ok]);

  for (const [target, met] of targets) progress(`target ${target}: ${met ? 'met' : 'MISSED'}`);
}

await main();
