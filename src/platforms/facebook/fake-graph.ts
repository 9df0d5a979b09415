// A fake Graph API on 127.0.0.1 for tests: the Page endpoints the connector uses, with Graph's
// request and response shapes, tokens and permissions, and faults a test can inject (rate limits,
// server errors, an expired token, a revoked permission, a response lost after the write committed).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGraphState, fbtraceId, type FakePhoto } from './fake-graph.state.js';
import { graphErrorReply, route, type Reply } from './fake-graph.routes.js';

export { FakeGraphState, type FakeObject, type FakeToken, type FakeRequestLog } from './fake-graph.state.js';

export const ALL_SCOPES = ['pages_show_list', 'pages_manage_posts', 'pages_read_engagement', 'pages_manage_engagement', 'pages_read_user_content'];

export interface FakeGraphOptions {
  pageId?: string;
  pageName?: string;
  pageToken?: string;
  /** A short-lived user token that may be exchanged and may list the Page. */
  userToken?: string;
  userId?: string;
  appId?: string;
  appSecret?: string;
  scopes?: string[];
  /** The Page token's expiry, unix seconds; 0 (the default) never, as for Page tokens from a long-lived user token. */
  tokenExpiresAt?: number;
  dataAccessExpiresAt?: number;
  followersCount?: number;
  fanCount?: number;
  /** Caps every listing's page size, so tests can exercise paging with a few items. */
  maxPageSize?: number;
  now?: () => Date;
}

export interface FaultMatch {
  method?: string;
  path?: string | RegExp;
}

export interface RateLimitFault {
  /** 32 page (default), 4 app, 17 user, 613 custom, 80001 Pages business use case. */
  code?: 4 | 17 | 32 | 613 | 80001;
  /** Sends Retry-After and HTTP 429; without it Graph's usual HTTP 400 and only usage headers. */
  retryAfterSeconds?: number;
  /** estimated_time_to_regain_access in the usage header (minutes). */
  regainMinutes?: number;
  match?: FaultMatch;
}

export interface FakeGraphFaults {
  rateLimitNext(n: number, options?: RateLimitFault): void;
  serverErrorNext(n: number, options?: { match?: FaultMatch }): void;
  /** The Page token (or the one given) expires now: Graph error 190, subcode 463. */
  expireToken(token?: string): void;
  /** Every token loses the scope: writes answer code 200, reads code 10. */
  revokePermission(scope: string): void;
  /** The next write is committed, then the connection is destroyed before any response byte. */
  dropResponseAfterCommitNext(options?: { match?: FaultMatch }): void;
  clear(): void;
}

export interface ResidentComment {
  from: { id: string; name: string };
  message: string;
  /** Answer this comment instead of commenting on the post. */
  parentId?: string;
}

export interface FakeGraph {
  url: string;
  state: FakeGraphState;
  faults: FakeGraphFaults;
  pageId: string;
  pageToken: string;
  userToken: string;
  appId: string;
  appSecret: string;
  addResidentComment(postId: string, comment: ResidentComment): string;
  close(): Promise<void>;
}

type Fault =
  | { kind: 'rate'; remaining: number; options: RateLimitFault; match?: FaultMatch }
  | { kind: 'server' | 'drop'; remaining: number; match?: FaultMatch };

const RATE_MESSAGES: Record<number, string> = {
  4: '(#4) Application request limit reached', 17: '(#17) User request limit reached', 32: '(#32) Page request limit reached',
  613: '(#613) Calls to this api have exceeded the rate limit.',
  80001: '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
};

function rateLimitReply(pageId: string, options: RateLimitFault): Reply {
  const code = options.code ?? 32;
  const headers: Record<string, string> = {};
  if (code === 4 || code === 17) {
    const usage: Record<string, number> = { call_count: 100, total_cputime: 34, total_time: 41 };
    if (options.regainMinutes !== undefined) usage.estimated_time_to_regain_access = options.regainMinutes;
    headers['x-app-usage'] = JSON.stringify(usage);
  } else {
    headers['x-business-use-case-usage'] = JSON.stringify({
      [pageId]: [{ type: 'pages', call_count: 100, total_cputime: 12, total_time: 19, estimated_time_to_regain_access: options.regainMinutes ?? 1 }],
    });
  }
  if (options.retryAfterSeconds !== undefined) headers['retry-after'] = String(options.retryAfterSeconds);
  const reply = graphErrorReply(options.retryAfterSeconds !== undefined ? 429 : 400, code, RATE_MESSAGES[code] ?? `(#${code}) Rate limited`, { transient: true });
  return { ...reply, headers };
}

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? match.path === path : match.path.test(path);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {
  const now = options.now ?? (() => new Date());
  const pageId = options.pageId ?? '1000000000001';
  const userId = options.userId ?? '5000000000001';
  const appId = options.appId ?? '4000000000001';
  const appSecret = options.appSecret ?? 'fake-app-secret';
  const pageToken = options.pageToken ?? 'EAAfakePageToken';
  const userToken = options.userToken ?? 'EAAfakeUserToken';
  const state = new FakeGraphState(pageId, options.pageName ?? 'City of Example', appId, appSecret, now, {
    followers: options.followersCount ?? 1234, fans: options.fanCount ?? 1100,
  });
  const nowUnix = state.nowUnix();
  const scopes = options.scopes ?? ALL_SCOPES;
  const dataAccessExpiresAt = options.dataAccessExpiresAt ?? nowUnix + 90 * 86_400;
  state.tokens.set(pageToken, { token: pageToken, type: 'PAGE', userId, pageId, scopes: new Set(scopes), expiresAt: options.tokenExpiresAt ?? 0, dataAccessExpiresAt, valid: true });
  state.tokens.set(userToken, { token: userToken, type: 'USER', userId, scopes: new Set(scopes), expiresAt: nowUnix + 3600, dataAccessExpiresAt, valid: true });

  const queue: Fault[] = [];
  const takeFault = (method: string, path: string): Fault | undefined => {
    const index = queue.findIndex((f) => matches(f.match, method, path) && (f.kind !== 'drop' || method !== 'GET'));
    if (index === -1) return undefined;
    const fault = queue[index];
    if (--fault.remaining <= 0) queue.splice(index, 1);
    return fault;
  };

  let origin = '';
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (segments[0] && /^v\d+\.\d+$/.test(segments[0])) segments.shift();
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    const files = new Map<string, FakePhoto>();
    const body = await readBody(req);
    const type = req.headers['content-type'] ?? '';
    if (body.length > 0 && /^(multipart\/form-data|application\/x-www-form-urlencoded)/.test(type)) {
      const form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
      for (const [key, value] of form) {
        if (typeof value === 'string') params[key] = value;
        else files.set(key, { bytes: new Uint8Array(await value.arrayBuffer()), mime: value.type, filename: value.name });
      }
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? params.access_token;
    const method = (req.method ?? 'GET').toUpperCase();
    const path = `/${segments.join('/')}`;
    const { access_token: _hidden, ...logged } = params;
    state.requests.push({ method, path, params: logged, token });

    const fault = takeFault(method, path);
    let reply: Reply;
    if (fault?.kind === 'rate') reply = rateLimitReply(pageId, fault.options);
    else if (fault?.kind === 'server') reply = graphErrorReply(500, 2, 'An unexpected error has occurred. Please retry your request later.', { transient: true });
    else reply = route(state, { method, segments, pathname: url.pathname, params, files, token, origin, maxPageSize: options.maxPageSize ?? 100 });
    if (fault?.kind === 'drop') {
      // Committed above; now the network dies before the client hears anything.
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=UTF-8', 'x-fb-trace-id': fbtraceId(), ...reply.headers });
    res.end(JSON.stringify(reply.body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake graph failed: ${String(err)}`, type: 'OAuthException', code: 1, fbtrace_id: fbtraceId() } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const faults: FakeGraphFaults = {
    rateLimitNext: (n, rate = {}) => { queue.push({ kind: 'rate', remaining: n, options: rate, match: rate.match }); },
    serverErrorNext: (n, o = {}) => { queue.push({ kind: 'server', remaining: n, match: o.match }); },
    dropResponseAfterCommitNext: (o = {}) => { queue.push({ kind: 'drop', remaining: 1, match: o.match }); },
    expireToken: (token = pageToken) => {
      const t = state.tokens.get(token);
      if (t) t.expiresAt = state.nowUnix() - 1;
    },
    revokePermission: (scope) => { for (const t of state.tokens.values()) t.scopes.delete(scope); },
    clear: () => { queue.length = 0; },
  };

  return {
    url: origin, state, faults, pageId, pageToken, userToken, appId, appSecret,
    addResidentComment(postId, comment) {
      const target = state.objects.get(comment.parentId ?? postId);
      if (!target || !state.isLive(target)) throw new Error(`no live post or comment ${comment.parentId ?? postId} to comment on`);
      const parentCommentId = target.type === 'comment' ? (target.parentCommentId ?? target.id) : undefined;
      return state.create({ type: 'comment', from: comment.from, message: comment.message, postId, parentCommentId }).id;
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}
