// Pieces both job backends share, kept out of jobs.ts so the backends never import it at runtime.
import type { EnqueueOptions, JobHandler, JobLogger, JobQueueOptions } from './jobs.js';

export const DEFAULT_MAX_ATTEMPTS = 5;

export interface ResolvedOptions {
  pollIntervalMs: number;
  logger: JobLogger;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  lockMs: number;
  stopTimeoutMs: number;
}

const consoleLogger: JobLogger = {
  warn: (obj, msg) => console.warn(msg, obj),
  error: (obj, msg) => console.error(msg, obj),
};

export function resolveOptions(opts: JobQueueOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    pollIntervalMs: opts.pollIntervalMs ?? 1000,
    logger: opts.logger ?? consoleLogger,
    retryDelayMs: opts.retryDelayMs ?? 1000,
    maxRetryDelayMs: opts.maxRetryDelayMs ?? 60 * 60 * 1000,
    lockMs: opts.lockMs ?? 60 * 1000,
    stopTimeoutMs: opts.stopTimeoutMs ?? 30 * 1000,
  };
  for (const [key, value] of Object.entries(resolved)) {
    if (typeof value === 'number' && !(Number.isFinite(value) && value > 0)) {
      throw new Error(`createJobQueue: ${key} must be a positive number`);
    }
  }
  return resolved;
}

export interface CheckedEnqueueOptions {
  runAt: Date | undefined;
  singletonKey: string | undefined;
  maxAttempts: number;
}

export function checkEnqueue(name: string, opts: EnqueueOptions): CheckedEnqueueOptions {
  if (!name) throw new Error('enqueue: job name is required');
  const { runAt, singletonKey } = opts;
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (runAt !== undefined && !(runAt instanceof Date && Number.isFinite(runAt.getTime()))) {
    throw new Error(`enqueue ${name}: runAt must be a valid Date`);
  }
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`enqueue ${name}: maxAttempts must be an integer >= 1`);
  }
  if (singletonKey !== undefined && singletonKey === '') {
    throw new Error(`enqueue ${name}: singletonKey must not be empty`);
  }
  return { runAt, singletonKey, maxAttempts };
}

/** Handlers are stored type-erased; the payload's type is the caller's promise, as with JSON. */
export type StoredHandler = JobHandler<unknown>;

export function registerHandler<T>(
  handlers: Map<string, StoredHandler>,
  accepting: boolean,
  name: string,
  handler: JobHandler<T>,
): void {
  if (!accepting) throw new Error(`work ${name}: register handlers before start()`);
  if (!name) throw new Error('work: job name is required');
  if (handlers.has(name)) throw new Error(`work ${name}: a handler is already registered`);
  handlers.set(name, (payload, job) => handler(payload as T, job));
}

export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  // last_error is for people reading the table; a runaway message should not bloat it.
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
