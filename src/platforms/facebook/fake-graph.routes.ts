// The fake Graph server's endpoints: the request and response shapes of the Graph API calls the
// connector makes (Pages feed, photos, comments, scheduled posts, debug_token, token exchange,
// me/accounts), including its errors, so the connector is tested against what Facebook sends.
import { randomBytes } from 'node:crypto';
import { fbtraceId, project, type FakeGraphState, type FakeObject, type FakePhoto, type FakeToken } from './fake-graph.state.js';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeCall {
  method: string;
  /** Path segments after the optional version (`/v21.0/123/feed` → ['123', 'feed']). */
  segments: string[];
  /** The request path as sent, for building paging links. */
  pathname: string;
  params: Record<string, string>;
  files: Map<string, FakePhoto>;
  token?: string;
  origin: string;
  maxPageSize: number;
}

export function graphErrorReply(status: number, code: number, message: string, extra: { subcode?: number; type?: string; transient?: boolean } = {}): Reply {
  const error: Record<string, unknown> = { message, type: extra.type ?? 'OAuthException', code };
  if (extra.subcode !== undefined) error.error_subcode = extra.subcode;
  if (extra.transient !== undefined) error.is_transient = extra.transient;
  error.fbtrace_id = fbtraceId();
  return { status, body: { error } };
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const success = (): Reply => ok({ success: true });
const notFound = (call: FakeCall): Reply => graphErrorReply(400, 100, `Unsupported ${call.method.toLowerCase()} request. Object with ID '${call.segments[0]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`, { subcode: 33, type: 'GraphMethodException' });
const isReply = (value: FakeToken | Reply): value is Reply => 'status' in value;
const encodeCursor = (seq: number) => Buffer.from(`seq:${seq}`).toString('base64url');
const decodeCursor = (cursor: string) => Number(Buffer.from(cursor, 'base64url').toString().replace(/^seq:/, ''));

function authenticate(state: FakeGraphState, call: FakeCall): FakeToken | Reply {
  if (!call.token) return graphErrorReply(400, 104, 'An access token is required to request this resource.');
  const t = state.tokens.get(call.token);
  if (!t || !t.valid) return graphErrorReply(400, 190, 'Invalid OAuth access token - Cannot parse access token');
  if (t.expiresAt !== 0 && t.expiresAt <= state.nowUnix()) {
    return graphErrorReply(400, 190, `Error validating access token: Session has expired on ${new Date(t.expiresAt * 1000).toUTCString()}. The current time is ${state.now().toUTCString()}.`, { subcode: 463 });
  }
  return t;
}

/** Reads name the permission (code 10); writes answer the generic code 200, as Graph does. */
function need(t: FakeToken, scope: string, write: boolean): Reply | undefined {
  if (t.scopes.has(scope)) return undefined;
  return write
    ? graphErrorReply(403, 200, "(#200) The user hasn't authorized the application to perform this action")
    : graphErrorReply(403, 10, `(#10) This endpoint requires the '${scope}' permission or the 'Page Public Content Access' feature. Refer to https://developers.facebook.com/docs/apps/review/login-permissions#manage-pages and https://developers.facebook.com/docs/apps/review/feature#reference-PAGES_ACCESS for details.`);
}

function needPageWrite(state: FakeGraphState, t: FakeToken, scope: string): Reply | undefined {
  if (t.type !== 'PAGE' || t.pageId !== state.pageId) {
    return graphErrorReply(403, 200, '(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission');
  }
  return need(t, scope, true);
}

/** Cursor paging as Graph does it: `paging.cursors.{before,after}`, and `next` only when more remain. */
function listing<T>(call: FakeCall, items: T[], seqOf: (item: T) => number, ascending: boolean, render: (item: T) => Record<string, unknown>): Reply {
  const limit = Math.min(Number(call.params.limit) || 25, call.maxPageSize);
  let start = 0;
  if (call.params.after) {
    const after = decodeCursor(call.params.after);
    // Positional on the sequence, not the index, so a deleted comment does not break a cursor.
    start = items.findIndex((item) => (ascending ? seqOf(item) > after : seqOf(item) < after));
    if (start === -1) start = items.length;
  }
  const slice = items.slice(start, start + limit);
  if (slice.length === 0) return ok({ data: [] });
  const paging: Record<string, unknown> = { cursors: { before: encodeCursor(seqOf(slice[0])), after: encodeCursor(seqOf(slice[slice.length - 1])) } };
  if (start + limit < items.length) {
    const next = new URLSearchParams(call.params);
    next.set('after', encodeCursor(seqOf(slice[slice.length - 1])));
    paging.next = `${call.origin}${call.pathname}?${next}`;
  }
  return ok({ data: slice.map(render), paging });
}

const DEFAULT_FIELDS: Record<FakeObject['type'], string> = { post: 'id,message,created_time', comment: 'created_time,from,message,id', photo: 'id,created_time,name' };

function scheduleCheck(state: FakeGraphState, raw: string | undefined): Reply | number | undefined {
  if (raw === undefined) return undefined;
  const at = Number(raw);
  const ahead = at - state.nowUnix();
  if (!Number.isInteger(at) || ahead < 600 || ahead > 30 * 86_400) return graphErrorReply(400, 100, '(#100) The specified scheduled publish time is invalid.');
  return at;
}

function debugToken(state: FakeGraphState, call: FakeCall): Reply {
  // An app token (app_id|app_secret) may inspect any token; otherwise the caller's token must work.
  if (call.token !== `${state.appId}|${state.appSecret}`) {
    const caller = authenticate(state, call);
    if (isReply(caller)) return caller;
  }
  const input = state.tokens.get(call.params.input_token ?? '');
  if (!input) return ok({ data: { error: { code: 190, message: 'Invalid OAuth access token.' }, is_valid: false, scopes: [] } });
  const expired = input.expiresAt !== 0 && input.expiresAt <= state.nowUnix();
  const data: Record<string, unknown> = {
    app_id: state.appId, type: input.type, application: 'CivicDesk', data_access_expires_at: input.dataAccessExpiresAt,
    expires_at: input.expiresAt, is_valid: input.valid && !expired, issued_at: state.nowUnix() - 3600,
    profile_id: input.pageId, scopes: [...input.scopes], granular_scopes: [...input.scopes].map((scope) => ({ scope, target_ids: [state.pageId] })), user_id: input.userId,
  };
  if (expired) data.error = { code: 190, message: 'Error validating access token: Session has expired.', subcode: 463 };
  return ok({ data });
}

function exchangeToken(state: FakeGraphState, call: FakeCall): Reply {
  const p = call.params;
  if (p.grant_type !== 'fb_exchange_token') return graphErrorReply(400, 100, 'Missing or invalid grant_type');
  if (p.client_id !== state.appId) return graphErrorReply(400, 101, 'Error validating application. Invalid application ID.');
  if (p.client_secret !== state.appSecret) return graphErrorReply(400, 1, 'Error validating client secret.');
  const short = state.tokens.get(p.fb_exchange_token ?? '');
  if (!short || short.type !== 'USER' || !short.valid) return graphErrorReply(400, 190, 'Invalid OAuth access token - Cannot parse access token');
  const token = `EAAlong${randomBytes(12).toString('hex')}`;
  const expiresIn = 60 * 86_400;
  state.tokens.set(token, { ...short, token, scopes: new Set(short.scopes), expiresAt: state.nowUnix() + expiresIn });
  return ok({ access_token: token, token_type: 'bearer', expires_in: expiresIn });
}

function objectCall(state: FakeGraphState, call: FakeCall, t: FakeToken): Reply {
  const id = call.segments[0];
  if (id === state.pageId && call.method === 'GET') {
    const denied = need(t, 'pages_read_engagement', false);
    if (denied) return denied;
    return ok(project({ id, name: state.pageName, followers_count: state.followersCount, fan_count: state.fanCount, category: 'Government Organization' }, call.params.fields, 'name,id'));
  }
  const o = state.objects.get(id);
  if (!o || o.deleted) return notFound(call);
  if (call.method === 'GET') return need(t, 'pages_read_engagement', false) ?? ok(project(state.describe(o), call.params.fields, DEFAULT_FIELDS[o.type]));
  const scope = o.type === 'comment' ? 'pages_manage_engagement' : 'pages_manage_posts';
  const denied = needPageWrite(state, t, scope);
  if (denied) return denied;
  if (call.method === 'DELETE') {
    o.deleted = true;
    return success();
  }
  if (call.params.is_hidden !== undefined) {
    if (o.type !== 'comment') return graphErrorReply(400, 100, '(#100) Param is_hidden is only supported on comments');
    o.isHidden = call.params.is_hidden === 'true';
  }
  if (call.params.message !== undefined) {
    o.message = call.params.message;
    o.updated = state.nowUnix();
  }
  return success();
}

function createPost(state: FakeGraphState, call: FakeCall, t: FakeToken): Reply {
  const denied = needPageWrite(state, t, 'pages_manage_posts');
  if (denied) return denied;
  const p = call.params;
  const attached: string[] = [];
  for (const [key, value] of Object.entries(p)) {
    if (!/^attached_media\[\d+\]$/.test(key)) continue;
    let fbid: unknown;
    try { fbid = (JSON.parse(value) as { media_fbid?: unknown }).media_fbid; } catch { fbid = undefined; }
    const photo = typeof fbid === 'string' ? state.objects.get(fbid) : undefined;
    if (!photo || photo.type !== 'photo' || photo.published) return graphErrorReply(400, 100, '(#100) param attached_media must be an unpublished photo id');
    attached.push(photo.id);
  }
  if (!p.message && !p.link && attached.length === 0) return graphErrorReply(400, 100, '(#100) Missing message or attachment');
  const scheduled = scheduleCheck(state, p.scheduled_publish_time);
  if (typeof scheduled === 'object') return scheduled;
  // Facebook refuses the same status twice in a row.
  const latest = state.posts()[0];
  if (p.message && latest?.message === p.message) return graphErrorReply(400, 506, 'Duplicate status message', { type: 'OAuthException' });
  const post = state.create({ type: 'post', from: state.page, message: p.message, link: p.link, attachedPhotoIds: attached, published: p.published !== 'false', scheduledAt: scheduled });
  return ok({ id: post.id });
}

function uploadPhoto(state: FakeGraphState, call: FakeCall, t: FakeToken): Reply {
  const denied = needPageWrite(state, t, 'pages_manage_posts');
  if (denied) return denied;
  const source = call.files.get('source');
  // The fake is offline: a `url` upload cannot be fetched, as a private URL could not be by Facebook.
  if (!source) return graphErrorReply(400, 324, '(#324) Requires upload file');
  const p = call.params;
  const scheduled = scheduleCheck(state, p.scheduled_publish_time);
  if (typeof scheduled === 'object') return scheduled;
  const published = p.published !== 'false';
  const photo = state.create({ type: 'photo', from: state.page, message: p.caption, photo: { ...source, alt: p.alt_text_custom }, published: false });
  if (!published && scheduled === undefined) return ok({ id: photo.id });
  const post = state.create({ type: 'post', from: state.page, message: p.caption, attachedPhotoIds: [photo.id], published, scheduledAt: scheduled });
  return ok({ id: photo.id, post_id: post.id });
}

function listComments(state: FakeGraphState, call: FakeCall, t: FakeToken, target: FakeObject): Reply {
  const denied = need(t, 'pages_read_user_content', false);
  if (denied) return denied;
  const since = Number(call.params.since) || 0;
  const items = state.comments(target.id, call.params.filter === 'stream').filter((c) => c.created >= since);
  const ascending = call.params.order !== 'reverse_chronological';
  if (!ascending) items.reverse();
  return listing(call, items, (c) => c.seq, ascending, (c) => project(state.describe(c), call.params.fields, DEFAULT_FIELDS.comment));
}

function addComment(state: FakeGraphState, call: FakeCall, t: FakeToken, target: FakeObject): Reply {
  const denied = t.type === 'PAGE' ? needPageWrite(state, t, 'pages_manage_engagement') : undefined;
  if (denied) return denied;
  if (!call.params.message) return graphErrorReply(400, 100, '(#100) Missing message or attachment');
  const from = t.type === 'PAGE' ? state.page : { id: t.userId, name: 'Test User' };
  // Graph keeps threads two levels deep: an answer to an answer joins the top-level comment's thread.
  const parentCommentId = target.type === 'comment' ? (target.parentCommentId ?? target.id) : undefined;
  const postId = target.type === 'comment' ? target.postId : target.id;
  return ok({ id: state.create({ type: 'comment', from, message: call.params.message, postId, parentCommentId }).id });
}

export function route(state: FakeGraphState, call: FakeCall): Reply {
  const [first, edge, ...rest] = call.segments;
  if (!first || rest.length > 0) return notFound(call);
  if (call.method === 'GET' && first === 'oauth' && edge === 'access_token') return exchangeToken(state, call);
  if (call.method === 'GET' && first === 'debug_token' && !edge) return debugToken(state, call);
  const t = authenticate(state, call);
  if (isReply(t)) return t;
  if (first === 'me' && edge === 'accounts' && call.method === 'GET') {
    if (t.type !== 'USER') return graphErrorReply(400, 100, '(#100) Tried accessing nonexisting field (accounts) on node type (Page)');
    const pages = [...state.tokens.values()].filter((p) => p.type === 'PAGE' && p.userId === t.userId && p.valid);
    return listing(call, pages, (p) => pages.indexOf(p) + 1, true, (p) => ({
      access_token: p.token, category: 'Government Organization', category_list: [{ id: '2235', name: 'Government Organization' }],
      name: state.pageName, id: p.pageId, tasks: ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'],
    }));
  }
  if (!edge) return objectCall(state, call, t);
  const isPage = first === state.pageId;
  if (isPage && edge === 'feed' && call.method === 'POST') return createPost(state, call, t);
  if (isPage && edge === 'photos' && call.method === 'POST') return uploadPhoto(state, call, t);
  if (isPage && (edge === 'feed' || edge === 'scheduled_posts') && call.method === 'GET') {
    const denied = need(t, 'pages_read_engagement', false);
    if (denied) return denied;
    const since = Number(call.params.since) || 0;
    const until = Number(call.params.until) || Infinity;
    const items = edge === 'feed' ? state.posts().filter((o) => o.created >= since && o.created <= until) : state.scheduledPosts();
    return listing(call, items, (o) => o.seq, false, (o) => project(state.describe(o), call.params.fields, DEFAULT_FIELDS.post));
  }
  const target = state.objects.get(first);
  if (edge === 'comments' && target && state.isLive(target) && target.type !== 'photo') {
    if (call.method === 'GET') return listComments(state, call, t, target);
    if (call.method === 'POST') return addComment(state, call, t, target);
  }
  return notFound(call);
}
