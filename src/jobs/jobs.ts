// One job interface for all background work (scheduled publishing, capture, archive checkpoints,
// reminders). PostgreSQL deployments get pg-boss; SQLite deployments get a small durable job table.
// Both give the same guarantees: durable, at-least-once, retried with exponential backoff.
import type { Database } from '../db/database.js';
import { PgBossJobQueue } from './pgboss-queue.js';
import { resolveOptions } from './shared.js';
import { SqliteJobQueue } from './sqlite-queue.js';

export interface JobContext {
  id: string;
  /** 1 on the first run, 2 on the first retry, ... */
  attempt: number;
}

/**
 * Runs one job. Delivery is at-least-once (a crash after the work but before it is recorded as
 * done runs it again), so handlers must be idempotent. Throwing fails this attempt.
 */
export type JobHandler<T> = (payload: T, job: JobContext) => Promise<void>;

export interface EnqueueOptions {
  /** Do not run before this moment. Default: now. */
  runAt?: Date;
  /**
   * While a job with the same name and key is pending (waiting for its first run or for a retry),
   * another enqueue is a no-op that returns that job's id. Once it has started running, finished
   * or failed, the same key enqueues a new job.
   */
  singletonKey?: string;
  /** Total runs including the first. Default 5. */
  maxAttempts?: number;
}

export interface JobLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobQueueOptions {
  /** How often idle workers look for due jobs. Default 1000; pg-boss never polls faster than 500. */
  pollIntervalMs?: number;
  /** Default: console. */
  logger?: JobLogger;
  /** postgres:// URL of the same database; required when `database.dialect` is 'postgres'. */
  databaseUrl?: string;
  /**
   * Backoff base: retry n waits about retryDelayMs * 2^(n-1). Default 1000. pg-boss counts in
   * whole seconds (at least 1) and adds up to 100% jitter.
   */
  retryDelayMs?: number;
  /** Backoff cap (SQLite; pg-boss caps the exponent at 2^16 instead). Default one hour. */
  maxRetryDelayMs?: number;
  /**
   * SQLite: a claimed job is leased for this long and the lease is renewed while the handler runs,
   * so a job whose worker crashed is picked up again about this long after the crash. Default 60 s.
   * (pg-boss expires a job that has been active for 15 minutes instead.)
   */
  lockMs?: number;
  /** stop() waits this long for running handlers before giving up on them. Default 30 s. */
  stopTimeoutMs?: number;
}

export interface JobQueue {
  /** Register the handler for a job name (before start). */
  work<T>(name: string, handler: JobHandler<T>): void;
  /**
   * Enqueue; `runAt` schedules it; `singletonKey` makes a second enqueue with the same key a no-op
   * while the first is pending (idempotency). Returns the job id (or the existing one).
   * The payload must survive JSON (a Date comes back as a string).
   */
  enqueue<T>(name: string, payload: T, opts?: EnqueueOptions): Promise<string>;
  /** Starts the workers. If it rejects, call stop() to release connections. */
  start(): Promise<void>;
  /** Graceful: no new jobs are taken and running handlers are awaited (up to stopTimeoutMs). */
  stop(): Promise<void>;
}

export function createJobQueue(database: Database, opts: JobQueueOptions = {}): JobQueue {
  const resolved = resolveOptions(opts);
  if (database.dialect === 'postgres') {
    if (!opts.databaseUrl) {
      throw new Error('createJobQueue: PostgreSQL needs opts.databaseUrl (pg-boss opens its own connections)');
    }
    return new PgBossJobQueue(opts.databaseUrl, resolved);
  }
  return new SqliteJobQueue(database.db, resolved);
}
