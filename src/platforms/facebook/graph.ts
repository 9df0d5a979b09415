// A small Graph API client over global fetch. It knows three things the connector should not have
// to: where the API lives (base URL + version), how to send the token, and how to turn a Graph
// error body into a ConnectorError kind a caller can act on (wait, retry, re-authorize, give up).
import { createHmac } from 'node:crypto';
import { ConnectorError, isNetworkError, kindForStatus, retryAfter } from '../errors.js';

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_VERSION = 'v21.0';

export type JsonObject = Record<string, unknown>;
export type Params = Record<string, string | number | boolean | undefined>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export interface GraphClientOptions {
  graphUrl?: string;
  version?: string;
  /** Omitted for calls that authenticate otherwise (the token exchange sends the app secret). */
  token?: string;
  /** Header keeps the token out of URLs (and so out of proxy logs); `query` for setups that strip it. */
  tokenIn?: 'header' | 'query';
  /** When the app has "Require App Secret" on, every call must carry appsecret_proof. */
  appSecret?: string;
  fetch?: typeof fetch;
  now?: () => Date;
  timeoutMs?: number;
}

export interface GraphRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Query string for GET and DELETE, a form body for POST. */
  params?: Params;
  /** A multipart body (photo upload); params then go in the query string. */
  form?: FormData;
  /** The permission this call needs: named in the error when Graph's message does not name it. */
  permission?: string;
}

export interface GraphResponse {
  status: number;
  body: JsonObject;
  /** The response text exactly as Graph sent it: what the archive keeps. */
  raw: string;
  headers: Headers;
}

/** A Graph error, keeping the details (code, subcode, raw body) callers sometimes need to look at. */
export class GraphApiError extends ConnectorError {
  readonly status: number;
  readonly code?: number;
  readonly subcode?: number;
  readonly raw: string;

  constructor(kind: ConnectorError['kind'], message: string, details: { status: number; code?: number; subcode?: number; raw: string; retryAt?: Date; platformCode: string }) {
    super(kind, message, { retryAt: details.retryAt, platformCode: details.platformCode });
    this.name = 'GraphApiError';
    this.status = details.status;
    this.code = details.code;
    this.subcode = details.subcode;
    this.raw = details.raw;
  }
}

// Throttling codes: 4 app, 17 user, 32 page, 613 custom; 80001+ are the Pages business-use-case
// limits that page tokens actually hit (https://developers.facebook.com/docs/graph-api/overview/rate-limiting/).
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009, 80014]);
const USAGE_HEADERS = ['x-business-use-case-usage', 'x-app-usage', 'x-page-usage', 'x-ad-account-usage'];
const TOKEN_REASONS: Record<number, string> = {
  458: 'the app was removed from the account', 459: 'the Facebook user must log in to facebook.com to clear a checkpoint',
  460: 'the Facebook user changed their password', 463: 'the token has expired', 464: 'the Facebook user is not confirmed',
  467: 'the token is invalid',
};
const SCOPE_IN_MESSAGE = /\b(pages_[a-z_]+|publish_[a-z_]+|read_insights|business_management|instagram_[a-z_]+)\b/;

function collectRegainMinutes(value: unknown, found: number[]): void {
  if (Array.isArray(value)) { for (const v of value) collectRegainMinutes(v, found); return; }
  const obj = asObject(value);
  if (!obj) return;
  for (const [key, v] of Object.entries(obj)) {
    if (key === 'estimated_time_to_regain_access' && typeof v === 'number') found.push(v);
    else collectRegainMinutes(v, found);
  }
}

/**
 * When a throttled caller may try again: Retry-After if sent, else the longest
 * estimated_time_to_regain_access (minutes) in the usage headers, else a minute, because Graph
 * usage is counted over rolling windows and retrying at once only extends the block.
 */
export function rateLimitRetryAt(headers: Headers, now: Date): Date {
  const after = retryAfter(headers.get('retry-after'), now);
  if (after) return after;
  const minutes: number[] = [];
  for (const name of USAGE_HEADERS) {
    const value = headers.get(name);
    if (!value) continue;
    try { collectRegainMinutes(JSON.parse(value), minutes); } catch { /* a malformed header only loses the hint */ }
  }
  const longest = Math.max(0, ...minutes);
  return new Date(now.getTime() + (longest > 0 ? longest * 60_000 : 60_000));
}

/** A failed Graph response as a ConnectorError kind (see the rate-limiting and error-handling docs). */
export function graphError(status: number, raw: string, headers: Headers, now: Date, permission?: string): GraphApiError {
  let body: unknown;
  try { body = JSON.parse(raw); } catch { body = undefined; }
  const error = asObject(asObject(body)?.error);
  if (!error) {
    const kind = kindForStatus(status);
    return new GraphApiError(kind, `Facebook answered HTTP ${status} without a Graph error`, {
      status, raw, platformCode: String(status), retryAt: kind === 'rate_limited' ? rateLimitRetryAt(headers, now) : undefined,
    });
  }
  const code = asNumber(error.code);
  const subcode = asNumber(error.error_subcode);
  const message = asString(error.message) ?? 'no message';
  const trace = asString(error.fbtrace_id);
  const platformCode = code === undefined ? String(status) : subcode === undefined ? String(code) : `${code}/${subcode}`;
  const detail = `(Graph error ${platformCode}: ${message}${trace ? `; fbtrace_id ${trace}` : ''})`;
  const details = { status, code, subcode, raw, platformCode };

  if (status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
    const retryAt = rateLimitRetryAt(headers, now);
    return new GraphApiError('rate_limited', `Facebook is rate limiting this account until ${retryAt.toISOString()} ${detail}`, { ...details, retryAt });
  }
  // 102 is the older "session" form of the same problem: the token no longer works.
  if (code === 190 || code === 102) {
    const reason = (subcode !== undefined && TOKEN_REASONS[subcode]) || 'the token is no longer valid';
    return new GraphApiError('reauthorize', `Facebook refused the Page token: ${reason}; a person must re-authorize the account ${detail}`, details);
  }
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    const scope = SCOPE_IN_MESSAGE.exec(message)?.[1] ?? permission;
    const what = scope ? `the '${scope}' permission` : 'a permission this action needs';
    return new GraphApiError('reauthorize', `The Page token lacks ${what}; re-authorize the account and grant it ${detail}`, details);
  }
  if (code === 1 || code === 2 || error.is_transient === true || status >= 500) {
    return new GraphApiError('retryable', `Facebook had a temporary problem ${detail}`, details);
  }
  return new GraphApiError('rejected', `Facebook rejected the request ${detail}`, details);
}

export class GraphClient {
  private readonly base: string;
  private readonly origin: string;
  private readonly options: GraphClientOptions;

  constructor(options: GraphClientOptions = {}) {
    const graphUrl = (options.graphUrl ?? DEFAULT_GRAPH_URL).replace(/\/+$/, '');
    this.base = `${graphUrl}/${options.version ?? DEFAULT_GRAPH_VERSION}`;
    this.origin = new URL(graphUrl).origin;
    this.options = options;
  }

  /** Calls `path` (e.g. `/123_456/comments`) under the configured base URL and version. */
  request(path: string, req: GraphRequest = {}): Promise<GraphResponse> {
    return this.send(new URL(`${this.base}/${path.replace(/^\/+/, '')}`), req);
  }

  /**
   * Follows a `paging.next` URL. Only to the configured Graph origin: the token goes with it, and
   * a next link pointing anywhere else is not something Graph sends.
   */
  next(url: string, permission?: string): Promise<GraphResponse> {
    const target = new URL(url);
    if (target.origin !== this.origin) {
      return Promise.reject(new ConnectorError('rejected', `refusing to follow a paging link to ${target.origin}`));
    }
    return this.send(target, { permission });
  }

  private async send(url: URL, req: GraphRequest): Promise<GraphResponse> {
    const { token, tokenIn = 'header', appSecret, timeoutMs = 30_000 } = this.options;
    const method = req.method ?? 'GET';
    const headers: Record<string, string> = { accept: 'application/json' };
    const auth = new URLSearchParams();
    if (token) {
      if (tokenIn === 'header') headers.authorization = `Bearer ${token}`;
      else auth.set('access_token', token);
      if (appSecret) auth.set('appsecret_proof', createHmac('sha256', appSecret).update(token).digest('hex'));
    }
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(req.params ?? {})) if (value !== undefined) params.set(key, String(value));
    let body: URLSearchParams | FormData | undefined;
    if (method === 'POST' && !req.form) {
      for (const [key, value] of auth) params.set(key, value);
      body = params;
    } else {
      for (const [key, value] of [...params, ...auth]) url.searchParams.set(key, value);
      body = req.form;
    }
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    let raw: string;
    try {
      response = await doFetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
      raw = await response.text();
    } catch (err) {
      // A request that may or may not have reached Facebook: retryable, and the publish path
      // reconciles before retrying so a lost response never becomes a second post.
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      if (timedOut || isNetworkError(err)) {
        throw new ConnectorError('retryable', `could not reach Facebook: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      throw err;
    }
    const now = this.options.now?.() ?? new Date();
    if (!response.ok) throw graphError(response.status, raw, response.headers, now, req.permission);
    let parsed: unknown;
    try { parsed = JSON.parse(raw); } catch {
      throw new ConnectorError('retryable', `Facebook answered HTTP ${response.status} with a body that is not JSON`);
    }
    // Older endpoints answer a bare `true`; keep one shape for callers.
    return { status: response.status, body: asObject(parsed) ?? { value: parsed }, raw, headers: response.headers };
  }
}
