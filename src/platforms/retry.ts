// Retry with exponential backoff and full jitter for retryable and rate-limited connector errors.
// Re-authorize and rejected errors are returned at once: retrying cannot fix them.
import { ConnectorError, isNetworkError } from './errors.js';

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  /** Longest wait honoured for a rate limit; a longer one is returned to the caller to schedule. */
  maxRateLimitWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRetry?: (err: ConnectorError, attempt: number, waitMs: number) => void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Any thrown value as a ConnectorError (network failures retryable, the rest rejected). */
export function asConnectorError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  if (isNetworkError(err)) return new ConnectorError('retryable', `network error: ${(err as Error).message}`, { cause: err });
  return new ConnectorError('rejected', err instanceof Error ? err.message : String(err), { cause: err });
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 5, baseMs = 250, maxMs = 30_000, maxRateLimitWaitMs = 60_000, sleep = realSleep, random = Math.random, now = Date.now } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (thrown) {
      const err = asConnectorError(thrown);
      if (err.kind === 'reauthorize' || err.kind === 'rejected' || attempt >= attempts) throw err;
      let wait = Math.round(random() * Math.min(maxMs, baseMs * 2 ** (attempt - 1)));
      if (err.kind === 'rate_limited' && err.retryAt) {
        const until = err.retryAt.getTime() - now();
        if (until > maxRateLimitWaitMs) throw err;
        wait = Math.max(wait, until);
      }
      options.onRetry?.(err, attempt, wait);
      await sleep(wait);
    }
  }
}
