// Connector errors, classified so callers know what to do: retry soon, wait until a time, ask a
// person to re-authorize the account, or give up because the platform refused the request.
export type ConnectorErrorKind = 'retryable' | 'rate_limited' | 'reauthorize' | 'rejected';

export class ConnectorError extends Error {
  readonly kind: ConnectorErrorKind;
  /** rate_limited: the platform said not before this time. */
  readonly retryAt?: Date;
  /** The platform's own code (HTTP status, Graph error code, XRPC error name). */
  readonly platformCode?: string;

  constructor(kind: ConnectorErrorKind, message: string, options: { retryAt?: Date; platformCode?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ConnectorError';
    this.kind = kind;
    this.retryAt = options.retryAt;
    this.platformCode = options.platformCode;
  }
}

/** Network failures (connection refused or reset, timeouts) are retryable. */
export function isNetworkError(err: unknown): boolean {
  const codes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return true;
    if (e instanceof TypeError && /fetch failed|network|socket/i.test(e.message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** HTTP status to kind, for connectors whose platform speaks plain HTTP errors. */
export function kindForStatus(status: number): ConnectorErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'reauthorize';
  if (status >= 500 || status === 408) return 'retryable';
  return 'rejected';
}

/** Retry-After (seconds or an HTTP date) as a time; undefined when absent or unreadable. */
export function retryAfter(header: string | null | undefined, now: Date = new Date()): Date | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return new Date(now.getTime() + seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : new Date(at);
}
