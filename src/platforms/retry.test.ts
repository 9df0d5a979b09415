import { describe, expect, it } from 'vitest';
import { ConnectorError } from './errors.js';
import { asConnectorError, withRetry } from './retry.js';

function recorder() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => { waits.push(ms); } };
}

function failing(errors: unknown[], result = 'done') {
  let calls = 0;
  const fn = async () => {
    const err = errors[calls++];
    if (err !== undefined) throw err;
    return result;
  };
  return { fn, calls: () => calls };
}

describe('withRetry', () => {
  it('returns the first success without waiting', async () => {
    const { waits, sleep } = recorder();
    await expect(withRetry(async (attempt) => `attempt ${attempt}`, { sleep })).resolves.toBe('attempt 1');
    expect(waits).toEqual([]);
  });

  it.each(['reauthorize', 'rejected'] as const)('does not retry a %s error', async (kind) => {
    const { waits, sleep } = recorder();
    const op = failing([new ConnectorError(kind, 'no')]);
    await expect(withRetry(op.fn, { sleep })).rejects.toMatchObject({ kind });
    expect(op.calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('doubles the backoff ceiling each attempt, capped at maxMs', async () => {
    const { waits, sleep } = recorder();
    const op = failing(Array.from({ length: 5 }, () => new ConnectorError('retryable', 'busy')));
    await withRetry(op.fn, { sleep, attempts: 6, baseMs: 100, maxMs: 1000, random: () => 1 });
    expect(waits).toEqual([100, 200, 400, 800, 1000]);
    expect(op.calls()).toBe(6);
  });

  it('uses full jitter: any wait from zero up to the ceiling', async () => {
    for (const [random, expected] of [[0, 0], [0.5, 200], [0.999, 400]] as const) {
      const { waits, sleep } = recorder();
      const op = failing([new ConnectorError('retryable', 'a'), new ConnectorError('retryable', 'b'), new ConnectorError('retryable', 'c')]);
      await withRetry(op.fn, { sleep, baseMs: 100, random: () => random });
      expect(waits[2]).toBe(expected);
      for (const [i, wait] of waits.entries()) {
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThanOrEqual(100 * 2 ** i);
      }
    }
  });

  it('waits until a rate limit lifts, even when the backoff would be shorter', async () => {
    const { waits, sleep } = recorder();
    const now = 1_000_000;
    const op = failing([new ConnectorError('rate_limited', 'slow down', { retryAt: new Date(now + 5_000) })]);
    await withRetry(op.fn, { sleep, now: () => now, random: () => 0 });
    expect(waits).toEqual([5_000]);
  });

  it('hands a rate limit longer than maxRateLimitWaitMs back to the caller to schedule', async () => {
    const { waits, sleep } = recorder();
    const now = 1_000_000;
    const retryAt = new Date(now + 3_600_000);
    const op = failing([new ConnectorError('rate_limited', 'come back in an hour', { retryAt })]);
    await expect(withRetry(op.fn, { sleep, now: () => now })).rejects.toMatchObject({ kind: 'rate_limited', retryAt });
    expect(waits).toEqual([]);
  });

  it('gives up after the configured attempts and throws the last error', async () => {
    const { waits, sleep } = recorder();
    const op = failing([1, 2, 3].map((n) => new ConnectorError('retryable', `failure ${n}`)));
    await expect(withRetry(op.fn, { sleep, attempts: 3 })).rejects.toThrow('failure 3');
    expect(op.calls()).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('treats a network failure as retryable and tells onRetry', async () => {
    const { sleep } = recorder();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const seen: Array<[string, number]> = [];
    const op = failing([new TypeError('fetch failed', { cause: reset })]);
    await expect(withRetry(op.fn, { sleep, onRetry: (err, attempt) => seen.push([err.kind, attempt]) })).resolves.toBe('done');
    expect(seen).toEqual([['retryable', 1]]);
  });

  it('classifies anything else thrown as rejected', async () => {
    const { sleep } = recorder();
    const op = failing([new Error('a bug')]);
    await expect(withRetry(op.fn, { sleep })).rejects.toMatchObject({ kind: 'rejected', message: 'a bug' });
    expect(asConnectorError('text').kind).toBe('rejected');
  });
});
