// Bluesky (AT Protocol) connector over @atproto/api. Publishing is idempotent: the post's record
// key is a TID derived from the idempotency key and the first attempt's time, so a retry after a
// lost response either creates that same record or finds it already there; never a second post.
import { AtpAgent, AtUri, BlobRef, RichText, XRPCError } from '@atproto/api';
import { TID } from '@atproto/common-web';
import { createHash } from 'node:crypto';
import type { RecordInput } from '../../archive/record.js';
import type { Capability, Connector, ConnectorHealth, PlatformRef, PublishInput, PublishResult, RepliesPage } from '../connector.js';
import { ConnectorError, isNetworkError, kindForStatus } from '../errors.js';
import { withRetry, type RetryOptions } from '../retry.js';
import { deletionRecord, postRecord, repliesClosedRecord, visibilityRecord, type PostView } from './records.js';

export interface BlueskyOptions {
  /** The account's PDS, e.g. https://bsky.social or a local network's PDS URL. */
  service: string;
  /** Handle or DID, and an app password (kept in the credential vault). */
  identifier: string;
  password: string;
  /** CivicDesk's id for the account, put on archive records. */
  accountId: string;
  retry?: RetryOptions;
  /** Whether app.bsky.* reads work (an AppView behind the PDS); the local demo runs without one. */
  appView?: boolean;
}

const POST = 'app.bsky.feed.post';
const THREADGATE = 'app.bsky.feed.threadgate';

/**
 * Everything the connector can do when the account's service has an AppView (known without signing in).
 * Never 'delete_reply': a reply is a record in the resident's own repository, which the city cannot
 * delete; it can only hide it from its thread (threadgate hiddenReplies).
 */
export const BLUESKY_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>(['publish', 'delete', 'hide_reply', 'respond', 'disable_comments', 'firehose', 'read_replies', 'followers']);

export class BlueskyConnector implements Connector {
  readonly platform = 'bluesky';
  readonly capabilities: ReadonlySet<Capability>;
  readonly agent: AtpAgent;
  private readonly options: BlueskyOptions;

  private constructor(agent: AtpAgent, options: BlueskyOptions) {
    this.agent = agent;
    this.options = options;
    // Reading threads and followers needs an AppView; the local demo network runs without one.
    this.capabilities = new Set([...BLUESKY_CAPABILITIES].filter((c) => options.appView !== false || (c !== 'read_replies' && c !== 'followers')));
  }

  static async connect(options: BlueskyOptions): Promise<BlueskyConnector> {
    const agent = new AtpAgent({ service: options.service });
    await withRetry(() => call(() => agent.login({ identifier: options.identifier, password: options.password })), options.retry);
    return new BlueskyConnector(agent, options);
  }

  get accountRef(): string {
    return this.did;
  }

  get did(): string {
    const did = this.agent.session?.did;
    if (!did) throw new ConnectorError('reauthorize', 'the Bluesky session has ended: sign the connector in again');
    return did;
  }

  async publish(input: PublishInput): Promise<PublishResult> {
    const rkey = recordKeyFor(input.idempotencyKey, input.firstAttemptAt);
    const uri = `at://${this.did}/${POST}/${rkey}`;
    // A threadgate belongs to a thread's root: a reply is governed by its root's gate.
    const closed = input.disableReplies === true && !input.replyTo;
    const found = async (existing: PostView & { cid: string }): Promise<PublishResult> => ({
      ref: { id: uri, version: existing.cid, url: webUrl(uri) }, alreadyPublished: true,
      records: [this.toRecord(existing), ...(closed ? [await this.closeReplies(uri, rkey)] : [])],
    });
    return withRetry(async (attempt) => {
      // A retry (here, or by a later process with the same key) first asks whether an earlier
      // attempt got through before its answer was lost.
      if (attempt > 1 || Date.now() - Date.parse(input.firstAttemptAt) > 2000) {
        const existing = await this.fetchPost(uri);
        if (existing) return found(existing);
      }
      const record = await this.buildPost(input);
      let cid: string;
      try {
        if (closed) {
          // The post and its gate in one commit: there is no moment when the post takes replies.
          const gate = { $type: THREADGATE, post: uri, allow: [], createdAt: new Date().toISOString() };
          const res = await call(() => this.agent.com.atproto.repo.applyWrites({ repo: this.did, validate: true, writes: [
            { $type: 'com.atproto.repo.applyWrites#create', collection: POST, rkey, value: record },
            { $type: 'com.atproto.repo.applyWrites#create', collection: THREADGATE, rkey, value: gate },
          ] }));
          cid = (res.data.results?.[0] as { cid?: string } | undefined)?.cid ?? '';
        } else {
          cid = (await call(() => this.agent.com.atproto.repo.createRecord({ repo: this.did, collection: POST, rkey, record, validate: true }))).data.cid;
        }
      } catch (err) {
        // The record key is taken: the earlier attempt did publish.
        if (err instanceof ConnectorError && err.kind === 'rejected' && /already exists/i.test(err.message)) {
          const existing = await this.fetchPost(uri);
          if (existing) return found(existing);
        }
        throw err;
      }
      const created = await this.fetchPost(uri);
      const records = [...(created ? [this.toRecord(created)] : []), ...(closed ? [await this.closeReplies(uri, rkey)] : [])];
      return { ref: { id: uri, version: created?.cid ?? cid, url: webUrl(uri) }, alreadyPublished: false, records };
    }, this.options.retry);
  }

  /**
   * Makes sure the account's own post takes no replies (threadgate `allow: []`), keeping any hidden
   * replies, and returns the gate as a record to archive. The city's setting on its own post: no
   * one's reply is removed by it.
   */
  private async closeReplies(uri: string, rkey: string): Promise<RecordInput> {
    let gate = await this.getRecordJson(this.did, THREADGATE, rkey);
    const value = (gate?.value ?? {}) as Record<string, unknown>;
    if (!gate || !Array.isArray(value.allow) || value.allow.length > 0) {
      const record = { createdAt: new Date().toISOString(), ...value, $type: THREADGATE, post: uri, allow: [] };
      await call(() => this.agent.com.atproto.repo.putRecord({ repo: this.did, collection: THREADGATE, rkey, record, swapRecord: gate?.cid ?? null, validate: true }));
      gate = await this.getRecordJson(this.did, THREADGATE, rkey);
      if (!gate) throw new ConnectorError('retryable', 'the threadgate was written but cannot be read back yet');
    }
    return repliesClosedRecord(this.options.accountId, uri, { uri: gate.uri, cid: gate.cid ?? '', payload: gate.bytes, evidence: await this.evidence(this.did, THREADGATE, rkey) });
  }

  async deletePost(ref: PlatformRef): Promise<RecordInput[]> {
    const at = new AtUri(ref.id);
    if (at.host !== this.did) throw new ConnectorError('rejected', 'Bluesky lets an account delete only its own posts; hide a resident\'s reply instead');
    const res = await withRetry(() => call(() => this.agent.com.atproto.repo.deleteRecord({ repo: this.did, collection: at.collection, rkey: at.rkey })), this.options.retry);
    const payload = Buffer.from(JSON.stringify({ uri: ref.id, deleted: true, commit: res.data.commit ?? null }));
    return [deletionRecord(this.options.accountId, ref.id, 'account', payload)];
  }

  /** The whole thread from the AppView (replies at any depth); the archive keeps one record per version. */
  async readReplies(post: PlatformRef): Promise<RepliesPage> {
    const res = await withRetry(() => call(() => this.agent.app.bsky.feed.getPostThread({ uri: post.id, depth: 1000, parentHeight: 0 })), this.options.retry);
    const uris: string[] = [];
    const walk = (node: unknown) => {
      const n = node as { post?: { uri?: string }; replies?: unknown[] };
      for (const reply of n.replies ?? []) {
        const r = reply as { post?: { uri?: string } };
        if (r.post?.uri) uris.push(r.post.uri);
        walk(reply);
      }
    };
    walk(res.data.thread);
    const records: RecordInput[] = [];
    for (const uri of uris) {
      const view = await this.fetchPost(uri);
      if (view) records.push(this.toRecord(view));
    }
    return { records };
  }

  async setReplyHidden(post: PlatformRef, reply: PlatformRef, hidden: boolean): Promise<RecordInput[]> {
    const at = new AtUri(post.id);
    if (at.host !== this.did) throw new ConnectorError('rejected', 'only replies in the account\'s own threads can be hidden');
    return withRetry(async () => {
      const current = await this.getRecordJson(this.did, THREADGATE, at.rkey);
      const value = (current?.value ?? { $type: THREADGATE, post: post.id, createdAt: new Date().toISOString() }) as Record<string, unknown>;
      const list = new Set(Array.isArray(value.hiddenReplies) ? (value.hiddenReplies as string[]) : []);
      if (hidden) list.add(reply.id); else list.delete(reply.id);
      // `allow` is left as the post was published (absent: everyone may reply; [] where the policy
      // keeps the public from posting, LX-8). Hiding a reply never closes the forum.
      const record = { ...value, $type: THREADGATE, post: post.id, hiddenReplies: [...list] };
      await call(() => this.agent.com.atproto.repo.putRecord({ repo: this.did, collection: THREADGATE, rkey: at.rkey, record, swapRecord: current?.cid ?? null, validate: true }));
      const gate = await this.getRecordJson(this.did, THREADGATE, at.rkey);
      if (!gate) throw new ConnectorError('retryable', 'the threadgate was written but cannot be read back yet');
      const evidence = await this.evidence(this.did, THREADGATE, at.rkey);
      return [visibilityRecord(this.options.accountId, post.id, reply.id, hidden, { uri: gate.uri, cid: gate.cid ?? '', payload: gate.bytes, evidence })];
    }, this.options.retry);
  }

  async followerSnapshot(): Promise<RecordInput> {
    const followers: Array<{ did: string; handle: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await withRetry(() => call(() => this.agent.app.bsky.graph.getFollowers({ actor: this.did, limit: 100, cursor })), this.options.retry);
      for (const f of page.data.followers) followers.push({ did: f.did, handle: f.handle });
      cursor = page.data.cursor;
    } while (cursor);
    const takenAt = new Date().toISOString();
    return {
      kind: 'follower_snapshot', platform: 'bluesky', accountId: this.options.accountId,
      dedupeKey: `bluesky-followers:${this.did}:${takenAt}`, capturedAt: takenAt,
      text: `${followers.length} followers`,
      payload: Buffer.from(JSON.stringify({ subject: this.did, takenAt, followers })), payloadType: 'application/json',
      meta: { count: followers.length },
    };
  }

  async health(): Promise<ConnectorHealth> {
    try {
      await call(() => this.agent.com.atproto.server.getSession());
      return { ok: true, message: 'Signed in; app passwords do not expire.' };
    } catch (err) {
      const e = err instanceof ConnectorError ? err : new ConnectorError('retryable', String(err));
      return { ok: false, message: e.kind === 'reauthorize' ? `Sign-in no longer works: ${e.message}` : `Bluesky is not answering: ${e.message}` };
    }
  }

  /** A post (any author) with its exact JSON and CAR evidence, or null when it does not exist. */
  async fetchPost(uri: string): Promise<(PostView & { cid: string }) | null> {
    const at = new AtUri(uri);
    const got = await this.getRecordJson(at.host, at.collection, at.rkey);
    if (!got) return null;
    const evidence = await this.evidence(at.host, at.collection, at.rkey);
    return { uri, cid: got.cid ?? '', did: at.host, handle: at.host === this.did ? this.agent.session?.handle : undefined, record: got.value as PostView['record'], payload: got.bytes, evidence };
  }

  toRecord(view: PostView): RecordInput {
    return postRecord(this.options.accountId, this.did, view);
  }

  private async buildPost(input: PublishInput): Promise<Record<string, unknown>> {
    const rt = new RichText({ text: input.text });
    rt.detectFacetsWithoutResolution();
    const record: Record<string, unknown> = { $type: POST, text: rt.text, facets: rt.facets, createdAt: new Date().toISOString(), langs: ['en'] };
    if (input.replyTo) {
      record.reply = { root: { uri: input.replyTo.root.id, cid: input.replyTo.root.version }, parent: { uri: input.replyTo.parent.id, cid: input.replyTo.parent.version } };
    }
    if (input.media?.length) {
      const images: Array<{ image: BlobRef; alt: string }> = [];
      for (const m of input.media.slice(0, 4)) {
        const up = await call(() => this.agent.com.atproto.repo.uploadBlob(m.bytes, { encoding: m.mime }));
        images.push({ image: up.data.blob, alt: m.alt });
      }
      record.embed = { $type: 'app.bsky.embed.images', images };
    }
    return record;
  }

  /** com.atproto.repo.getRecord, keeping the response's exact bytes. */
  private async getRecordJson(repo: string, collection: string, rkey: string): Promise<{ uri: string; cid?: string; value: unknown; bytes: Buffer<ArrayBuffer> } | null> {
    const url = new URL('/xrpc/com.atproto.repo.getRecord', this.options.service);
    url.search = new URLSearchParams({ repo, collection, rkey }).toString();
    const res = await fetchOrThrow(url);
    if (res.status === 400 || res.status === 404) {
      const body = await res.text();
      if (/RecordNotFound|Could not locate record/i.test(body)) return null;
      throw new ConnectorError('rejected', `getRecord ${repo}/${collection}/${rkey}: ${body}`, { platformCode: String(res.status) });
    }
    if (!res.ok) throw new ConnectorError(kindForStatus(res.status), `getRecord answered ${res.status}`, { platformCode: String(res.status) });
    const bytes = Buffer.from(await res.arrayBuffer());
    const parsed = JSON.parse(bytes.toString('utf8')) as { uri: string; cid?: string; value: unknown };
    return { ...parsed, bytes };
  }

  /** The signed CAR proving the record is in the author's repository (com.atproto.sync.getRecord). */
  private async evidence(did: string, collection: string, rkey: string): Promise<Buffer<ArrayBuffer> | undefined> {
    const url = new URL('/xrpc/com.atproto.sync.getRecord', this.options.service);
    url.search = new URLSearchParams({ did, collection, rkey }).toString();
    const res = await fetchOrThrow(url);
    return res.ok ? Buffer.from(await res.arrayBuffer()) : undefined;
  }
}

/** A TID (13 base32-sortable characters) from the key and the first attempt: the same on every retry. */
export function recordKeyFor(idempotencyKey: string, firstAttemptAt: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest();
  const ms = Date.parse(firstAttemptAt);
  if (Number.isNaN(ms)) throw new Error('firstAttemptAt must be an ISO date-time');
  // Microseconds within the millisecond and the clock id come from the key, so two posts started
  // in the same millisecond still get different keys.
  const micros = ms * 1000 + (digest.readUInt16BE(0) % 1000);
  return TID.fromTime(micros, digest.readUInt16BE(2) % 1024).toString();
}

export function webUrl(uri: string): string {
  const at = new AtUri(uri);
  return `https://bsky.app/profile/${at.host}/post/${at.rkey}`;
}

async function fetchOrThrow(url: URL): Promise<Response> {
  try {
    return await fetch(url);
  } catch (err) {
    throw new ConnectorError('retryable', `network error: ${(err as Error).message}`, { cause: err });
  }
}

/** Runs an XRPC call and classifies its failure. */
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classify(err);
  }
}

export function classify(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  if (err instanceof XRPCError) {
    const name = err.error ?? '';
    if (err.status === 429 || name === 'RateLimitExceeded') {
      const reset = Number(err.headers?.['ratelimit-reset']);
      return new ConnectorError('rate_limited', err.message, { retryAt: Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined, platformCode: name, cause: err });
    }
    if (['ExpiredToken', 'InvalidToken', 'AuthenticationRequired', 'AccountTakedown', 'AuthFactorTokenRequired'].includes(name) || err.status === 401) {
      return new ConnectorError('reauthorize', `${name}: ${err.message}`, { platformCode: name, cause: err });
    }
    // XRPC reports network failures as status 1 (Unknown) with the cause attached.
    if (err.status >= 500 || err.status === 1 || isNetworkError(err)) return new ConnectorError('retryable', `${name || err.status}: ${err.message}`, { platformCode: name, cause: err });
    return new ConnectorError('rejected', `${name}: ${err.message}`, { platformCode: name, cause: err });
  }
  if (isNetworkError(err)) return new ConnectorError('retryable', `network error: ${(err as Error).message}`, { cause: err });
  return new ConnectorError('rejected', err instanceof Error ? err.message : String(err), { cause: err });
}
