// The PostgreSQL job backend: pg-boss 10. pg-boss runs its SQL through a pool this class owns
// (not pg-boss's own), so that stop() can close it only after the last completion is written, and
// so that singleton enqueues can run in a transaction on the same connections.
import PgBoss from 'pg-boss';
import pg from 'pg';
import type { EnqueueOptions, JobHandler, JobQueue } from './jobs.js';
import { checkEnqueue, registerHandler, sleep, type ResolvedOptions, type StoredHandler } from './shared.js';

/** pg-boss's tables live in this schema of the application database. */
export const PGBOSS_SCHEMA = 'pgboss';

/** What we store as pg-boss job data: wrapped, so a payload that is a bare string or null is valid jsonb. */
interface WireData {
  payload: unknown;
}

type QueryResultLike = { rows: unknown[] };

export class PgBossJobQueue implements JobQueue {
  readonly #opts: ResolvedOptions;
  readonly #pool: pg.Pool;
  readonly #boss: PgBoss;
  readonly #handlers = new Map<string, StoredHandler>();
  readonly #queues = new Map<string, Promise<void>>();
  readonly #inflight = new Set<Promise<void>>();
  #booted: Promise<void> | undefined;
  #state: 'idle' | 'started' | 'stopped' = 'idle';
  #stopping: Promise<void> | undefined;
  #closed = false;

  constructor(databaseUrl: string, opts: ResolvedOptions) {
    this.#opts = opts;
    this.#pool = new pg.Pool({ connectionString: databaseUrl, max: 5, application_name: 'civicdesk-jobs' });
    this.#pool.on('error', (err) => opts.logger.error({ err }, 'job queue: idle PostgreSQL connection failed'));
    this.#boss = new PgBoss({
      db: { executeSql: (text: string, values?: unknown[]) => this.#executeSql(text, values) },
      schema: PGBOSS_SCHEMA,
      // No cron: nothing here uses pg-boss schedules, and the timekeeper polls for them.
      schedule: false,
    });
    // pg-boss emits 'error' for failed maintenance and worker fetches; unheard, it would throw.
    this.#boss.on('error', (err) => opts.logger.error({ err }, 'pg-boss error'));
  }

  work<T>(name: string, handler: JobHandler<T>): void {
    registerHandler(this.#handlers, this.#state === 'idle', name, handler);
  }

  async enqueue<T>(name: string, payload: T, opts: EnqueueOptions = {}): Promise<string> {
    if (this.#state === 'stopped') {
      throw new Error(`enqueue ${name}: the job queue is stopped`);
    }
    const { runAt, singletonKey, maxAttempts } = checkEnqueue(name, opts);
    await this.#boot();
    await this.#ensureQueue(name);
    const data: WireData = { payload: payload ?? null };
    const options: PgBoss.SendOptions = {
      retryLimit: maxAttempts - 1, // pg-boss counts retries, not runs
      retryBackoff: true,
      retryDelay: Math.max(1, Math.round(this.#opts.retryDelayMs / 1000)),
      ...(runAt ? { startAfter: runAt } : {}),
      ...(singletonKey !== undefined ? { singletonKey } : {}),
    };
    try {
      if (singletonKey === undefined) return requireId(name, await this.#boss.send(name, data, options));
      return await this.#enqueueSingleton(name, singletonKey, data, options);
    } catch (err) {
      // stop() closed the pool under this enqueue; pg-boss's own error for that is a TypeError.
      if (this.#closed) throw new Error(`enqueue ${name}: the job queue stopped`, { cause: err });
      throw err;
    }
  }

  /**
   * pg-boss 10's singletonKey only dedupes under the 'short'/'singleton'/'stately' queue policies,
   * and those also collapse jobs that have no key, so the queues stay 'standard' and the rule is
   * enforced here: under a per-key advisory lock, reuse a created/retry job with the key, else send.
   */
  async #enqueueSingleton(name: string, key: string, data: WireData, options: PgBoss.SendOptions): Promise<string> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(['civicdesk.jobs', name, key])]);
      const existing = await client.query<{ id: string }>(
        `SELECT id FROM ${PGBOSS_SCHEMA}.job WHERE name = $1 AND singleton_key = $2 AND state IN ('created', 'retry')
         ORDER BY created_on LIMIT 1`,
        [name, key],
      );
      const id = existing.rows.length > 0
        ? existing.rows[0].id
        : await this.#boss.send(name, data, { ...options, db: { executeSql: (text: string, values?: unknown[]) => client.query(text, values) } });
      await client.query('COMMIT');
      return requireId(name, id);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => { broken = true; });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async start(): Promise<void> {
    if (this.#state === 'started') return;
    if (this.#state !== 'idle') throw new Error('the job queue is stopped; create a new one');
    this.#state = 'started';
    await this.#boot();
    const pollingIntervalSeconds = Math.max(0.5, this.#opts.pollIntervalMs / 1000);
    for (const [name, handler] of this.#handlers) {
      await this.#ensureQueue(name);
      await this.#boss.work<WireData>(
        name,
        { pollingIntervalSeconds, includeMetadata: true, batchSize: 1 },
        (jobs) => this.#track(this.#runBatch(handler, jobs)),
      );
    }
  }

  stop(): Promise<void> {
    if (!this.#stopping) {
      this.#state = 'stopped';
      this.#stopping = this.#shutdown();
    }
    return this.#stopping;
  }

  async #shutdown(): Promise<void> {
    const deadline = Date.now() + this.#opts.stopTimeoutMs;
    try {
      const booted = await this.#booted?.then(() => true, () => false);
      // graceful + wait: workers stop fetching and pg-boss waits for jobs in progress.
      if (booted) await this.#boss.stop({ graceful: true, wait: true, timeout: this.#opts.stopTimeoutMs });
      // pg-boss can hand a job to a worker whose fetch was in flight as it stopped; wait for those
      // too. Then one macrotask so its un-awaited complete()/fail() queries reach the pool.
      while (this.#inflight.size > 0 && Date.now() < deadline) {
        await Promise.race([Promise.allSettled([...this.#inflight]), sleep(deadline - Date.now())]);
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (this.#inflight.size > 0) {
        this.#opts.logger.warn({ count: this.#inflight.size }, 'job queue stopped with handlers still running');
      }
    } finally {
      this.#closed = true;
      await this.#pool.end();
    }
  }

  async #executeSql(text: string, values?: unknown[]): Promise<QueryResultLike> {
    if (this.#closed) {
      // A late, un-awaited complete()/fail() from a pg-boss worker (see #shutdown) must not become
      // an unhandled rejection. pg-boss's own Db answers undefined once closed and every pg-boss
      // caller tolerates that, so this does the same.
      return undefined as unknown as QueryResultLike;
    }
    return this.#pool.query(text, values);
  }

  #boot(): Promise<void> {
    // Lazy, so enqueue() works before (or without) start(), as on SQLite. A failed boot is retried.
    this.#booted ??= this.#boss.start().then(
      () => undefined,
      (err: unknown) => {
        this.#booted = undefined;
        throw err;
      },
    );
    return this.#booted;
  }

  /** pg-boss 10 silently drops sends to a queue that was never created (send() returns null). */
  #ensureQueue(name: string): Promise<void> {
    let created = this.#queues.get(name);
    if (!created) {
      created = this.#boss.createQueue(name);
      this.#queues.set(name, created);
      created.catch(() => this.#queues.delete(name));
    }
    return created;
  }

  #track(run: Promise<void>): Promise<void> {
    this.#inflight.add(run);
    const forget = () => { this.#inflight.delete(run); };
    run.then(forget, forget);
    return run;
  }

  async #runBatch(handler: StoredHandler, jobs: PgBoss.JobWithMetadata<WireData>[]): Promise<void> {
    for (const job of jobs) {
      if (this.#closed) {
        // Fetched after shutdown closed the pool: the job stays active in the table and pg-boss
        // expires it into a retry later. Running it now would outlive stop().
        throw new Error('job queue stopped before this job could run');
      }
      const attempt = job.retryCount + 1;
      const maxAttempts = job.retryLimit + 1;
      try {
        await handler(job.data?.payload ?? null, { id: job.id, attempt });
      } catch (err) {
        const context = { err, jobId: job.id, jobName: job.name, attempt, maxAttempts };
        if (attempt >= maxAttempts) this.#opts.logger.error(context, 'job failed on its final attempt');
        else this.#opts.logger.warn(context, 'job failed; will retry');
        throw err; // pg-boss records the failure and schedules the retry
      }
    }
  }
}

function requireId(name: string, id: string | null): string {
  if (!id) throw new Error(`enqueue ${name}: pg-boss did not create the job`);
  return id;
}
