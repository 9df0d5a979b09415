// Near-real-time capture from the AT Protocol firehose (com.atproto.sync.subscribeRepos): the
// account's own posts, changes of its own profile (app.bsky.actor.profile/self, archived as
// account changes: KA-15 "altered graphics"), and every reply in a thread the account started, each
// archived with the commit's blocks as a CAR (the signed commit, the repository tree path and the
// record) so it can be checked against the author's signing key. Only commits that pass the
// thread filter are verified (on a relay, verifying every post on the network first could not keep
// up), against the author's signing key from a cached DID document; an unverifiable commit is
// reported and not captured (reconciliation reads it from the author's PDS later).
import { stringifyLex } from '@atproto/api';
import { IdResolver, MemoryCache } from '@atproto/identity';
import { blocksToCarFile, verifyRecords } from '@atproto/repo';
import { Firehose, MemoryRunner, type Event } from '@atproto/sync';
import type { RecordInput } from '../../archive/record.js';
import { deletionRecord, postRecord, profileRecord } from './records.js';

export interface FirehoseCaptureOptions {
  /** wss:// (or ws:// locally) of a relay or of the PDS, without the XRPC path. */
  service: string;
  plcUrl: string;
  accountId: string;
  accountDid: string;
  /** Archives the records; must not throw for a duplicate (capture is idempotent). */
  onRecords: (records: RecordInput[]) => Promise<void>;
  /** Was this post captured (a delete event carries only its path)? */
  isCaptured: (uri: string) => Promise<boolean>;
  /** Where to resume; and a place to keep the position after each handled event. */
  getCursor?: () => Promise<number | undefined>;
  setCursor?: (seq: number) => Promise<void>;
  onError?: (err: Error) => void;
}

const POST = 'app.bsky.feed.post';
const PROFILE = 'app.bsky.actor.profile';

export class FirehoseCapture {
  private firehose?: Firehose;
  private runner?: MemoryRunner;
  private idResolver?: IdResolver;
  private cursor: { latest?: number; written?: number; at: number } = { at: 0 };

  constructor(private readonly options: FirehoseCaptureOptions) {}

  /** Connects, resuming after the last handled event when a cursor was kept. */
  async start(): Promise<void> {
    const options = this.options;
    // DID documents are cached (an hour fresh): one PLC look-up per author, not per event.
    this.idResolver = new IdResolver({ plcUrl: options.plcUrl, didCache: new MemoryCache() });
    // The runner handles events of one repository in order, others concurrently, and moves the
    // cursor only past events that were fully handled.
    this.runner = new MemoryRunner({ startCursor: await options.getCursor?.(), setCursor: async (seq) => this.keepCursor(seq) });
    this.firehose = new Firehose({
      service: options.service,
      idResolver: this.idResolver,
      runner: this.runner,
      filterCollections: [POST, 'app.bsky.feed.threadgate', PROFILE],
      excludeIdentity: true,
      excludeAccount: true,
      excludeSync: true,
      unauthenticatedCommits: true,
      subscriptionReconnectDelay: 1000,
      handleEvent: (evt: Event) => this.handle(evt),
      onError: (err: Error) => options.onError?.(err),
    });
    void this.firehose.start();
  }

  async stop(): Promise<void> {
    await this.firehose?.destroy();
    await this.runner?.destroy();
    await this.flushCursor();
  }

  /** Every event moves the cursor; it is written at most once a second (and on stop). */
  private async keepCursor(seq: number): Promise<void> {
    this.cursor.latest = seq;
    if (Date.now() - this.cursor.at >= 1000) await this.flushCursor();
  }

  private async flushCursor(): Promise<void> {
    const { latest, written } = this.cursor;
    if (latest === undefined || latest === written) return;
    this.cursor = { latest, written: latest, at: Date.now() };
    await this.options.setCursor?.(latest);
  }

  /** The commit's CAR proves this record under the author's current signing key. */
  private async verified(did: string, car: Uint8Array, collection: string, rkey: string): Promise<boolean> {
    const resolver = this.idResolver as IdResolver;
    for (const forceRefresh of [false, true]) {
      try {
        const key = await resolver.did.resolveAtprotoKey(did, forceRefresh);
        const claims = await verifyRecords(car, did, key);
        if (claims.some((c) => c.collection === collection && c.rkey === rkey)) return true;
      } catch {
        // try once more with a fresh DID document (the key may have been rotated)
      }
    }
    return false;
  }

  /** The account's own profile record, created, changed or deleted; another repository's is none of ours. */
  private async handleProfile(evt: RecordEvent): Promise<void> {
    const { accountDid, accountId } = this.options;
    if (evt.did !== accountDid || evt.rkey !== 'self') return;
    const uri = evt.uri.toString();
    const capturedAt = new Date().toISOString();
    if (evt.event === 'delete') {
      // A delete carries only its path: the commit's blocks still prove the record is gone.
      const payload = Buffer.from(JSON.stringify({ uri, seq: evt.seq, time: evt.time, rev: evt.rev, event: 'delete' }));
      const evidence = Buffer.from(await blocksToCarFile(evt.commit, evt.blocks));
      await this.options.onRecords([profileRecord(accountId, { uri, did: evt.did, operation: 'delete', rev: evt.rev, payload, evidence }, capturedAt)]);
      return;
    }
    const evidence = await blocksToCarFile(evt.commit, evt.blocks);
    if (!(await this.verified(evt.did, evidence, evt.collection, evt.rkey))) {
      this.options.onError?.(new Error(`commit for ${uri} does not verify against ${evt.did}'s signing key: not captured`));
      return;
    }
    await this.options.onRecords([profileRecord(accountId, {
      uri, did: evt.did, operation: evt.event, cid: evt.cid.toString(), rev: evt.rev, value: evt.record,
      payload: Buffer.from(stringifyLex(evt.record)), evidence: Buffer.from(evidence),
    }, capturedAt)]);
  }

  private async handle(evt: Event): Promise<void> {
    if (evt.event !== 'create' && evt.event !== 'update' && evt.event !== 'delete') return;
    const { accountDid, accountId } = this.options;
    const uri = evt.uri.toString();
    if (evt.collection === PROFILE) return this.handleProfile(evt);
    if (evt.event === 'delete') {
      if (evt.collection === POST && (await this.options.isCaptured(uri))) {
        const payload = Buffer.from(JSON.stringify({ uri, seq: evt.seq, time: evt.time, rev: evt.rev, event: 'delete' }));
        await this.options.onRecords([deletionRecord(accountId, uri, evt.did === accountDid ? 'account' : 'author', payload, new Date().toISOString())]);
      }
      return;
    }
    if (evt.collection !== POST) return; // threadgates are archived by the connector that writes them
    const record = evt.record as PostView['record'];
    const inThread = record.reply?.root.uri.startsWith(`at://${accountDid}/`) ?? false;
    if (evt.did !== accountDid && !inThread) return;
    const evidence = await blocksToCarFile(evt.commit, evt.blocks);
    if (!(await this.verified(evt.did, evidence, evt.collection, evt.rkey))) {
      this.options.onError?.(new Error(`commit for ${uri} does not verify against ${evt.did}'s signing key: not captured`));
      return;
    }
    const view = {
      uri, cid: evt.cid.toString(), did: evt.did, record,
      payload: Buffer.from(stringifyLex(evt.record)), evidence: Buffer.from(evidence),
    };
    await this.options.onRecords([postRecord(accountId, accountDid, view, new Date().toISOString())]);
  }
}

type PostView = Parameters<typeof postRecord>[2];
type RecordEvent = Extract<Event, { event: 'create' | 'update' | 'delete' }>;
