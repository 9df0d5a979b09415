// The Facebook Pages connector: one Page, through the Graph API with a Page token. Every read and
// write returns archive record inputs whose payload is Graph's own JSON for the object.
import { randomUUID } from 'node:crypto';
import type { RecordInput } from '../../archive/record.js';
import type { Capability, Connector, ConnectorHealth, PlatformRef, PublishInput, PublishResult, RepliesPage } from '../connector.js';
import { ConnectorError } from '../errors.js';
import { asConnectorError, withRetry, type RetryOptions } from '../retry.js';
import { asArray, asNumber, asObject, asString, GraphApiError, GraphClient, type GraphRequest, type GraphResponse } from './graph.js';
import { createObject, findExisting, planPublish, RECONCILE_AFTER_MS, type PublishPlan } from './publish.js';
import { archiveMedia, COMMENT_FIELDS, commentRecord, JSON_TYPE, PLATFORM, POST_FIELDS, postRecord, utf8 } from './records.js';

export { exchangeForLongLivedUserToken, pageTokensFor, type LongLivedToken, type PageToken } from './tokens.js';

/** What the connector's features need granted on the Page token. */
export const REQUIRED_SCOPES = ['pages_manage_posts', 'pages_read_engagement', 'pages_manage_engagement', 'pages_read_user_content'] as const;

export interface FacebookConnectorOptions {
  pageId: string;
  pageToken: string;
  /** The CivicDesk account id written on archive records. */
  accountId: string;
  graphUrl?: string;
  version?: string;
  fetch?: typeof fetch;
  now?: () => Date;
  retry?: RetryOptions;
  /** Set when the Meta app has "Require App Secret" on (adds appsecret_proof to every call). */
  appSecret?: string;
}

// Bounds one readReplies call; the returned cursor lets the next call carry on.
const MAX_REPLY_PAGES = 20;

// No firehose (Graph has none; webhooks stand in), no disable_comments (Graph offers no switch to
// turn comments off on a Page post: the Page's own settings do) and no hold_replies. A Page may
// delete comments on its own posts (delete_reply), not only hide them.
export const FACEBOOK_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'publish', 'schedule', 'edit', 'delete', 'read_replies', 'hide_reply', 'delete_reply', 'respond', 'followers', 'webhooks',
]);

export class FacebookConnector implements Connector {
  readonly platform = PLATFORM;
  readonly capabilities: ReadonlySet<Capability> = FACEBOOK_CAPABILITIES;
  readonly accountRef: string;
  private readonly graph: GraphClient;
  private readonly options: FacebookConnectorOptions;
  private readonly now: () => Date;

  constructor(options: FacebookConnectorOptions) {
    this.options = options;
    this.accountRef = options.pageId;
    this.now = options.now ?? (() => new Date());
    this.graph = new GraphClient({
      graphUrl: options.graphUrl, version: options.version, token: options.pageToken, appSecret: options.appSecret, fetch: options.fetch, now: this.now,
    });
  }

  private call(path: string, req: GraphRequest = {}): Promise<GraphResponse> {
    return withRetry(() => this.graph.request(path, req), this.options.retry);
  }

  async publish(input: PublishInput): Promise<PublishResult> {
    const plan = planPublish(input, this.now());
    const ctx = { graph: this.graph, pageId: this.options.pageId };
    // A first attempt that started a while ago may have been sent by a process that then died.
    const stale = this.now().getTime() - Date.parse(input.firstAttemptAt) > RECONCILE_AFTER_MS;
    const outcome = await withRetry(async (attempt) => {
      if (attempt > 1 || stale) {
        const existing = await findExisting(ctx, input, plan);
        if (existing) return { id: existing, raw: JSON.stringify({ id: existing }), alreadyPublished: true };
      }
      return { ...(await createObject(ctx, input, plan)), alreadyPublished: false };
    }, this.options.retry);
    const record = await this.readBack(outcome.id, outcome.raw, input, plan);
    const url = asString(asObject(record.meta)?.permalink);
    return { ref: { id: outcome.id, url }, alreadyPublished: outcome.alreadyPublished, records: [record] };
  }

  /**
   * The created object as Graph describes it. If reading it back fails the post still exists, so
   * this never throws: it archives what is known (the create response) and says so in meta, because
   * reporting a failure here would invite someone to publish a second time.
   */
  private async readBack(id: string, createdRaw: string, input: PublishInput, plan: PublishPlan): Promise<RecordInput> {
    const reply = plan.kind === 'reply' ? plan : undefined;
    const accountId = this.options.accountId;
    let failure: string;
    try {
      const res = await this.call(`/${id}`, { params: { fields: reply ? COMMENT_FIELDS : POST_FIELDS } });
      const payload = utf8(res.raw);
      const record = reply ? commentRecord(res.body, { accountId, threadId: reply.rootId, payload }) : postRecord(res.body, { accountId, payload, media: input.media });
      if (record?.platformId) return record;
      failure = 'Facebook returned the object without its id';
    } catch (err) {
      failure = asConnectorError(err).message;
    }
    return {
      kind: reply ? 'comment' : 'post', platform: PLATFORM, accountId, platformId: id, parentId: reply?.parentId, threadId: reply?.rootId,
      text: input.text, payload: utf8(createdRaw), payloadType: JSON_TYPE,
      media: reply ? undefined : archiveMedia(input.media),
      meta: { readBackFailed: failure },
    };
  }

  /** Changes a Page post's text (capability 'edit'); returns the new version's record. */
  async editPost(ref: PlatformRef, text: string): Promise<RecordInput[]> {
    // Setting the same message twice is harmless, so plain retries are safe here.
    await this.call(`/${ref.id}`, { method: 'POST', params: { message: text }, permission: 'pages_manage_posts' });
    const res = await this.call(`/${ref.id}`, { params: { fields: POST_FIELDS } });
    return [{ ...postRecord(res.body, { accountId: this.options.accountId, payload: utf8(res.raw) }), kind: 'post_version' }];
  }

  async deletePost(ref: PlatformRef): Promise<RecordInput[]> {
    return this.deleteObject(ref.id, 'pages_manage_posts', { by: 'connector' });
  }

  /** Deletes a resident's comment on the Page's post (Graph `DELETE /{comment-id}`); a person decided. */
  async deleteReply(post: PlatformRef, reply: PlatformRef): Promise<RecordInput[]> {
    return this.deleteObject(reply.id, 'pages_manage_engagement', { by: 'connector', comment: true }, post.id);
  }

  private async deleteObject(id: string, permission: string, meta: Record<string, unknown>, threadId?: string): Promise<RecordInput[]> {
    const raw = await withRetry(async (attempt) => {
      try {
        return (await this.graph.request(`/${id}`, { method: 'DELETE', permission })).raw;
      } catch (err) {
        // "Object does not exist" on a retry means the earlier attempt deleted it.
        if (attempt > 1 && err instanceof GraphApiError && err.code === 100 && err.subcode === 33) return err.raw;
        throw err;
      }
    }, this.options.retry);
    const deleted = this.now().toISOString();
    return [{
      kind: 'deletion', platform: PLATFORM, accountId: this.options.accountId, subjectId: id, ...(threadId ? { threadId } : {}),
      // An object is deleted once: the webhook echo of this deletion dedupes against it.
      dedupeKey: `facebook:${this.options.accountId}:deletion:${id}`,
      platformTimes: { deleted }, payload: utf8(raw), payloadType: JSON_TYPE, meta,
    }];
  }

  async readReplies(post: PlatformRef, cursor?: string): Promise<RepliesPage> {
    const records: RecordInput[] = [];
    let after = cursor;
    for (let pages = 1; ; pages++) {
      // `stream` lists replies to comments too, in one chronological order, so a cursor at the
      // last item read sees every newer comment at any depth.
      const res = await this.call(`/${post.id}/comments`, {
        params: { filter: 'stream', order: 'chronological', fields: COMMENT_FIELDS, limit: 100, after }, permission: 'pages_read_user_content',
      });
      const data = asArray(res.body.data);
      for (const entry of data) {
        const item = asObject(entry);
        const record = item && commentRecord(item, { accountId: this.options.accountId, threadId: post.id });
        if (record) records.push(record);
      }
      const paging = asObject(res.body.paging);
      // An empty page carries no cursors: keep the one we had so the next call starts there.
      after = asString(asObject(paging?.cursors)?.after) ?? after;
      if (!asString(paging?.next) || data.length === 0 || pages >= MAX_REPLY_PAGES) break;
    }
    return { records, cursor: after };
  }

  async setReplyHidden(post: PlatformRef, reply: PlatformRef, hidden: boolean): Promise<RecordInput[]> {
    const res = await this.call(`/${reply.id}`, { method: 'POST', params: { is_hidden: hidden }, permission: 'pages_manage_engagement' });
    if (res.body.success === false) throw new ConnectorError('retryable', `Facebook did not confirm ${hidden ? 'hiding' : 'showing'} comment ${reply.id}`);
    const changed = this.now().toISOString();
    const visibility = hidden ? 'hidden' : 'visible';
    return [{
      kind: 'visibility_change', platform: PLATFORM, accountId: this.options.accountId, subjectId: reply.id, threadId: post.id,
      // Hiding, showing and hiding again are three changes: the key is per change, not per comment.
      dedupeKey: `facebook:${this.options.accountId}:visibility:${reply.id}:${visibility}:${changed}:${randomUUID()}`,
      platformTimes: { changed }, payload: utf8(res.raw), payloadType: JSON_TYPE, meta: { visibility, by: 'connector' },
    }];
  }

  /**
   * Graph gives a Page's follower and like counts but has no endpoint listing who follows a Page,
   * so the snapshot is counts only (meta.listed = false says so to whoever reads it).
   */
  async followerSnapshot(): Promise<RecordInput> {
    const res = await this.call(`/${this.options.pageId}`, { params: { fields: 'followers_count,fan_count,name' }, permission: 'pages_read_engagement' });
    const observed = this.now().toISOString();
    return {
      kind: 'follower_snapshot', platform: PLATFORM, accountId: this.options.accountId, subjectId: this.options.pageId,
      dedupeKey: `facebook:${this.options.accountId}:followers:${observed}`,
      platformTimes: { observed }, author: { id: this.options.pageId, name: asString(res.body.name) },
      payload: utf8(res.raw), payloadType: JSON_TYPE,
      meta: { followersCount: asNumber(res.body.followers_count), fanCount: asNumber(res.body.fan_count), listed: false },
    };
  }

  async health(): Promise<ConnectorHealth> {
    let res: GraphResponse;
    try {
      // A token may inspect itself, so no app token is needed; an expired one fails here with 190.
      res = await this.graph.request('/debug_token', { params: { input_token: this.options.pageToken } });
    } catch (err) {
      return { ok: false, message: asConnectorError(err).message };
    }
    const data = asObject(res.body.data) ?? {};
    if (data.is_valid !== true) {
      return { ok: false, message: `the Page token is not valid: ${asString(asObject(data.error)?.message) ?? 'Facebook gave no reason'}` };
    }
    const scopes = new Set(asArray(data.scopes).filter((s): s is string => typeof s === 'string'));
    const missing = REQUIRED_SCOPES.filter((scope) => !scopes.has(scope));
    // Either time ends the token's usefulness: expires_at for calls, data_access_expires_at for reads. 0 is never.
    const ends = [asNumber(data.expires_at), asNumber(data.data_access_expires_at)].filter((t): t is number => t !== undefined && t > 0);
    const expiresAt = ends.length > 0 ? new Date(Math.min(...ends) * 1000).toISOString() : undefined;
    const problems: string[] = [];
    const profile = asString(data.profile_id);
    if (profile && profile !== this.options.pageId) problems.push(`the token belongs to Page ${profile}, not ${this.options.pageId}`);
    if (expiresAt && Date.parse(expiresAt) <= this.now().getTime()) problems.push(`the token expired at ${expiresAt}`);
    if (missing.length > 0) problems.push(`permissions not granted: ${missing.join(', ')}`);
    const message = problems.length > 0 ? problems.join('; ') : `the Page token works${expiresAt ? ` until ${expiresAt}` : ' and does not expire'}`;
    return { ok: problems.length === 0, expiresAt, missing, message };
  }
}
