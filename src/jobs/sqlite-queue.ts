// The SQLite job backend: the `jobs` table, through Kysely only. Each registered job name gets one
// polling loop (jobs of one name run one at a time, different names run side by side, as with
// pg-boss). A job is claimed by a single UPDATE, so two processes on the same file never both get
// it, and the claim is a lease: it is renewed while the handler runs and, if the process dies,
// expires and the job is claimed again.
import { randomUUID } from 'node:crypto';
import { type Expression, type ExpressionBuilder, type Insertable, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { DB, JobsTable } from '../db/schema.js';
import type { EnqueueOptions, JobHandler, JobQueue } from './jobs.js';
import { checkEnqueue, errorMessage, registerHandler, sleep, type ResolvedOptions, type StoredHandler } from './shared.js';

type JobRow = Selectable<JobsTable>;
type Eb = ExpressionBuilder<DB, 'jobs'>;

/** Concurrent enqueues race for the next singleton id; this many lost races is not a race. */
const SINGLETON_INSERT_TRIES = 10;
/** Width of the run counter in singleton ids (zero-padded, so string order is number order). */
const SINGLETON_DIGITS = 10;

export class SqliteJobQueue implements JobQueue {
  readonly #db: Kysely<DB>;
  readonly #opts: ResolvedOptions;
  readonly #handlers = new Map<string, StoredHandler>();
  readonly #abort = new AbortController();
  readonly #loops: Promise<void>[] = [];
  /** Lease renewals of the handlers running now, by job id. */
  readonly #heartbeats = new Map<string, NodeJS.Timeout>();
  #state: 'idle' | 'started' | 'stopped' = 'idle';

  constructor(db: Kysely<DB>, opts: ResolvedOptions) {
    this.#db = db;
    this.#opts = opts;
  }

  work<T>(name: string, handler: JobHandler<T>): void {
    registerHandler(this.#handlers, this.#state === 'idle', name, handler);
  }

  async enqueue<T>(name: string, payload: T, opts: EnqueueOptions = {}): Promise<string> {
    if (this.#state === 'stopped') throw new Error(`enqueue ${name}: the job queue is stopped`);
    const { runAt, singletonKey, maxAttempts } = checkEnqueue(name, opts);
    const now = new Date().toISOString();
    const row = {
      name,
      payload: JSON.stringify(payload ?? null),
      run_at: runAt ? runAt.toISOString() : now,
      status: 'pending' as const,
      attempts: 0,
      max_attempts: maxAttempts,
      last_error: null,
      locked_until: null,
      created_at: now,
      updated_at: now,
    };
    if (singletonKey === undefined) {
      const id = randomUUID();
      await this.#db.insertInto('jobs').values({ ...row, id }).execute();
      return id;
    }
    return this.#enqueueSingleton(row, singletonKey);
  }

  /**
   * The table has no singleton column, so the key lives in the id: singleton:<name>:<key>:<n>, n
   * counting up per name and key, zero-padded so that id order is n order. The primary key settles
   * races: two enqueues that both saw no pending job both try the same next id and only one insert
   * wins; the loser looks again and finds the winner pending. Finished jobs keep their ids, so the
   * next enqueue after them takes n + 1. encodeURIComponent keeps ':' out of the parts, so no two
   * name/key pairs share a prefix, and the ids ASCII, so the id range below is exact.
   */
  async #enqueueSingleton(row: Omit<Insertable<JobsTable>, 'id'>, key: string): Promise<string> {
    const prefix = `singleton:${encodeURIComponent(row.name)}:${encodeURIComponent(key)}:`;
    const lo = `${prefix}${'0'.repeat(SINGLETON_DIGITS)}`;
    const hi = `${prefix}${'9'.repeat(SINGLETON_DIGITS)}`;
    for (let i = 0; i < SINGLETON_INSERT_TRIES; i++) {
      // One statement, so "none pending" and "the last n" come from the same snapshot. SQLite
      // answers it from indexes (pending jobs by status, the last n by the primary key's range).
      const rows = await this.#db.selectFrom('jobs')
        .select(['id', 'status'])
        .where('id', '>=', lo)
        .where('id', '<=', hi)
        .where((eb) => eb.or([
          eb('status', '=', 'pending'),
          eb('id', '=', eb.selectFrom('jobs').select((inner) => inner.fn.max('id').as('last')).where('id', '>=', lo).where('id', '<=', hi)),
        ]))
        .orderBy('id')
        .execute();
      const pending = rows.find((r) => r.status === 'pending');
      if (pending) return pending.id;
      const last = rows.length > 0 ? Number(rows[rows.length - 1].id.slice(prefix.length)) : 0;
      const inserted = await this.#db.insertInto('jobs')
        .values({ ...row, id: `${prefix}${String(last + 1).padStart(SINGLETON_DIGITS, '0')}` })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) return inserted.id;
    }
    throw new Error(`enqueue ${row.name}: could not settle singleton key ${key}`);
  }

  async start(): Promise<void> {
    if (this.#state === 'stopped') throw new Error('the job queue is stopped; create a new one');
    if (this.#state === 'started') return;
    this.#state = 'started';
    for (const name of this.#handlers.keys()) this.#loops.push(this.#loop(name));
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#abort.abort();
    const timeout = new AbortController();
    const drained = Promise.all(this.#loops).then(() => true);
    const timedOut = sleep(this.#opts.stopTimeoutMs, timeout.signal).then(() => false);
    const finished = await Promise.race([drained, timedOut]);
    timeout.abort();
    if (!finished) {
      const running = [...this.#heartbeats.keys()];
      // Stop renewing their leases so another worker can take these jobs once the leases expire.
      for (const timer of this.#heartbeats.values()) clearInterval(timer);
      this.#heartbeats.clear();
      this.#opts.logger.warn({ jobIds: running }, 'job queue stopped with handlers still running');
    }
  }

  async #loop(name: string): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      let ran = false;
      try {
        await this.#failAbandoned(name);
        const job = await this.#claim(name);
        if (job) {
          ran = true;
          await this.#run(job);
        }
      } catch (err) {
        this.#opts.logger.error({ err, jobName: name }, 'job queue poll failed');
      }
      // After a job, look for the next one at once; only an empty poll waits.
      if (!ran) await sleep(this.#opts.pollIntervalMs, signal);
    }
  }

  /** Due pending jobs, and running jobs whose lease ran out (their worker died) with runs left. */
  #claimable(eb: Eb, name: string, now: string): Expression<SqlBool> {
    const leaseExpired = eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]);
    return eb.and([
      eb('name', '=', name),
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
        eb.and([eb('status', '=', 'running'), leaseExpired, eb('attempts', '<', eb.ref('max_attempts'))]),
      ]),
    ]);
  }

  async #claim(name: string): Promise<JobRow | undefined> {
    const now = Date.now();
    const nowIso = new Date(now).toISOString();
    return this.#db.updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        locked_until: new Date(now + this.#opts.lockMs).toISOString(),
        updated_at: nowIso,
      }))
      .where((eb) => eb('id', '=', eb.selectFrom('jobs')
        .select('id')
        .where((inner) => this.#claimable(inner, name, nowIso))
        .orderBy('run_at')
        .orderBy('created_at')
        .limit(1)))
      // Repeated on the row itself: on SQLite the statement is atomic anyway, but were this run on
      // PostgreSQL, a concurrent claimer's row would be re-checked here and skipped.
      .where((eb) => this.#claimable(eb, name, nowIso))
      .returningAll()
      .executeTakeFirst();
  }

  /** A lease that expires on the last attempt means the worker died mid-run: out of attempts. */
  async #failAbandoned(name: string): Promise<void> {
    const now = new Date().toISOString();
    const result = await this.#db.updateTable('jobs')
      .set({ status: 'failed', last_error: 'lease expired on the final attempt (worker crashed or stalled)', locked_until: null, updated_at: now })
      .where('name', '=', name)
      .where('status', '=', 'running')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) {
      this.#opts.logger.error({ jobName: name, count: Number(result.numUpdatedRows) }, 'job failed: its worker died on the final attempt');
    }
  }

  async #run(job: JobRow): Promise<void> {
    const handler = this.#handlers.get(job.name);
    if (!handler) return; // cannot happen: loops only claim their own name
    const renew = setInterval(() => {
      this.#renewLease(job).catch((err: unknown) =>
        this.#opts.logger.warn({ err, jobId: job.id }, 'could not renew job lease'));
    }, Math.max(1, Math.floor(this.#opts.lockMs / 3)));
    renew.unref();
    this.#heartbeats.set(job.id, renew);
    let failure: { error: unknown } | undefined;
    try {
      const payload: unknown = JSON.parse(job.payload);
      await handler(payload, { id: job.id, attempt: job.attempts });
    } catch (error) {
      failure = { error };
    } finally {
      clearInterval(renew);
      this.#heartbeats.delete(job.id);
    }
    if (failure) await this.#recordFailure(job, failure.error);
    else await this.#recordDone(job);
  }

  /** Rows are matched on attempts too: a worker whose lease was taken over must not write. */
  #ownRow(job: JobRow) {
    return this.#db.updateTable('jobs')
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .where('attempts', '=', job.attempts);
  }

  async #renewLease(job: JobRow): Promise<void> {
    const now = Date.now();
    await this.#ownRow(job)
      .set({ locked_until: new Date(now + this.#opts.lockMs).toISOString(), updated_at: new Date(now).toISOString() })
      .execute();
  }

  async #recordDone(job: JobRow): Promise<void> {
    const result = await this.#ownRow(job)
      .set({ status: 'done', locked_until: null, updated_at: new Date().toISOString() })
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      this.#opts.logger.warn({ jobId: job.id, jobName: job.name }, 'job finished after its lease was lost; it may run again');
    }
  }

  async #recordFailure(job: JobRow, error: unknown): Promise<void> {
    const final = job.attempts >= job.max_attempts;
    const now = Date.now();
    const backoff = Math.min(this.#opts.maxRetryDelayMs, this.#opts.retryDelayMs * 2 ** (job.attempts - 1));
    const message = errorMessage(error);
    const result = await this.#ownRow(job)
      .set({
        status: final ? 'failed' : 'pending',
        run_at: final ? job.run_at : new Date(now + backoff).toISOString(),
        last_error: message,
        locked_until: null,
        updated_at: new Date(now).toISOString(),
      })
      .executeTakeFirst();
    const context = { err: error, jobId: job.id, jobName: job.name, attempt: job.attempts, maxAttempts: job.max_attempts };
    if (result.numUpdatedRows === 0n) {
      this.#opts.logger.warn(context, 'job failed after its lease was lost; it may run again');
    } else if (final) {
      this.#opts.logger.error(context, 'job failed on its final attempt');
    } else {
      this.#opts.logger.warn({ ...context, retryInMs: backoff }, 'job failed; will retry');
    }
  }
}
