// One behavioural suite for both job backends: the SQLite job table and pg-boss on PostgreSQL.
// PostgreSQL runs when reachable (always under CI=true; see src/testing/databases.ts).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createJobQueue, type JobContext, type JobQueue, type JobQueueOptions } from './jobs.js';
import { PGBOSS_SCHEMA } from './pgboss-queue.js';
import { sleep } from './shared.js';
import { collectingLogger, uniqueName, waitFor, type LogEntry } from './test-helpers.js';

const TEST_TIMEOUT = 20_000;

/** A job as either backend stores it, in the SQLite vocabulary. */
interface StoredJob { status: string; attempts: number; error: string | null }

async function inspect(database: TestDatabase, id: string): Promise<StoredJob | undefined> {
  if (database.dialect === 'sqlite') {
    const row = await database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { status: row.status, attempts: row.attempts, error: row.last_error };
  }
  const { rows } = await sql<{ state: string; retry_count: number; started: boolean; output: { message?: string } | null }>`
    SELECT state::text AS state, retry_count, started_on IS NOT NULL AS started, output
    FROM ${sql.table(`${PGBOSS_SCHEMA}.job`)} WHERE id = ${id}::uuid`.execute(database.db);
  const row = rows[0];
  if (!row) return undefined;
  const status = { created: 'pending', retry: 'pending', active: 'running', completed: 'done' }[row.state] ?? row.state;
  return { status, attempts: row.started ? row.retry_count + 1 : 0, error: row.output?.message ?? null };
}

describe.each(await availableBackends())('job queue on %s', (backend) => {
  let database: TestDatabase;
  const queues: JobQueue[] = [];
  const logs: LogEntry[] = [];
  // pg-boss counts backoff in whole seconds with jitter; SQLite takes milliseconds.
  const retryGapMs = backend === 'sqlite' ? 20 : 1000;

  const newQueue = (opts: JobQueueOptions = {}): JobQueue => {
    const queue = createJobQueue(database, {
      databaseUrl: database.url, pollIntervalMs: 25, retryDelayMs: retryGapMs, logger: collectingLogger(logs), ...opts,
    });
    queues.push(queue);
    return queue;
  };
  const status = async (id: string) => (await inspect(database, id))?.status;

  beforeAll(async () => { database = await openTestDatabase(backend); });
  beforeEach(() => { logs.length = 0; });
  afterEach(async () => { await Promise.all(queues.splice(0).map((q) => q.stop())); });
  afterAll(async () => { await database?.dispose(); });

  it('runs a job with its payload', async () => {
    const name = uniqueName('payload');
    const queue = newQueue();
    const seen: Array<[unknown, JobContext]> = [];
    queue.work<unknown>(name, async (payload, job) => { seen.push([payload, job]); });
    await queue.start();
    const payload = { postId: 'p-1', at: '2030-01-01T00:00:00.000Z', tags: ['a', 'b'], nested: { n: 3, ok: true, none: null } };
    const id = await queue.enqueue(name, payload);
    await waitFor(() => seen.length === 1);
    expect(seen[0]).toEqual([payload, { id, attempt: 1 }]);
    await waitFor(async () => (await status(id)) === 'done');
    // Not only objects: a bare string survives too.
    await queue.enqueue(name, 'just a string');
    await waitFor(() => seen.length === 2);
    expect(seen[1][0]).toBe('just a string');
  }, TEST_TIMEOUT);

  it('does not run a scheduled job before runAt, and runs it after', async () => {
    const name = uniqueName('scheduled');
    const queue = newQueue();
    const ranAt: number[] = [];
    queue.work(name, async () => { ranAt.push(Date.now()); });
    await queue.start();
    const runAt = new Date(Date.now() + 1500);
    const id = await queue.enqueue(name, { reminder: 1 }, { runAt });
    await sleep(1000);
    expect(ranAt).toEqual([]);
    expect(await status(id)).toBe('pending');
    await waitFor(() => ranAt.length === 1);
    expect(ranAt[0]).toBeGreaterThanOrEqual(runAt.getTime());
  }, TEST_TIMEOUT);

  it('retries a failing handler with backoff, then marks the job failed', async () => {
    const name = uniqueName('failing');
    const maxAttempts = backend === 'sqlite' ? 3 : 2; // pg-boss retries take seconds
    const queue = newQueue();
    const attempts: Array<{ attempt: number; at: number }> = [];
    queue.work(name, async (_payload, job) => {
      attempts.push({ attempt: job.attempt, at: Date.now() });
      throw new Error(`boom ${job.attempt}`);
    });
    await queue.start();
    const id = await queue.enqueue(name, {}, { maxAttempts });
    await waitFor(async () => (await status(id)) === 'failed', 15_000);
    await sleep(300);
    expect(attempts.map((a) => a.attempt)).toEqual(Array.from({ length: maxAttempts }, (_, i) => i + 1));
    for (let i = 1; i < attempts.length; i++) {
      expect(attempts[i].at - attempts[i - 1].at).toBeGreaterThanOrEqual(retryGapMs * 2 ** (i - 1) - 5);
    }
    const stored = await inspect(database, id);
    expect(stored).toMatchObject({ status: 'failed', attempts: maxAttempts });
    expect(stored?.error).toContain(`boom ${maxAttempts}`);
    expect(logs.filter((l) => l.level === 'warn' && l.msg === 'job failed; will retry')).toHaveLength(maxAttempts - 1);
    expect(logs.filter((l) => l.level === 'error' && l.msg === 'job failed on its final attempt')).toHaveLength(1);
  }, TEST_TIMEOUT);

  it('dedupes by singletonKey while the job is pending, and not after it ran', async () => {
    const name = uniqueName('singleton');
    const other = uniqueName('singleton_other');
    const queue = newQueue();
    const runs: unknown[] = [];
    queue.work(name, async (payload) => { runs.push(payload); });
    queue.work(other, async (payload) => { runs.push(payload); });
    // Before start(): enqueueing must not need workers. Concurrent, to exercise the race.
    const ids = await Promise.all([1, 2, 3, 4, 5].map((v) => queue.enqueue(name, { v }, { singletonKey: 'post:42' })));
    expect(new Set(ids).size).toBe(1);
    const differentKey = await queue.enqueue(name, { v: 'k2' }, { singletonKey: 'post:43' });
    const differentName = await queue.enqueue(other, { v: 'other' }, { singletonKey: 'post:42' });
    expect(new Set([ids[0], differentKey, differentName]).size).toBe(3);
    expect(await queue.enqueue(name, { v: 'again' }, { singletonKey: 'post:42' })).toBe(ids[0]);

    await queue.start();
    await waitFor(() => runs.length === 3);
    await sleep(200);
    expect(runs).toHaveLength(3);
    expect(runs).toEqual(expect.arrayContaining([{ v: 'k2' }, { v: 'other' }]));
    expect(runs.filter((r) => (r as { v: unknown }).v !== 'k2' && (r as { v: unknown }).v !== 'other')).toHaveLength(1);
    await waitFor(async () => (await status(ids[0])) === 'done');

    // Done: the same key now makes a new job, which runs.
    const later = await queue.enqueue(name, { v: 'later' }, { singletonKey: 'post:42' });
    expect(later).not.toBe(ids[0]);
    await waitFor(() => runs.length === 4);
    expect(runs[3]).toEqual({ v: 'later' });
  }, TEST_TIMEOUT);

  it('does not dedupe against a job that is already running', async () => {
    const name = uniqueName('singleton_running');
    const queue = newQueue();
    let release = () => {};
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const runs: string[] = [];
    queue.work(name, async (_payload, job) => { runs.push(job.id); await gate; });
    await queue.start();
    const first = await queue.enqueue(name, {}, { singletonKey: 'checkpoint' });
    await waitFor(() => runs.length === 1);
    // The running job may already have read the state this enqueue is about; only a new job is sure to see it.
    const second = await queue.enqueue(name, {}, { singletonKey: 'checkpoint' });
    expect(second).not.toBe(first);
    release();
    await waitFor(() => runs.length === 2);
    expect(runs).toEqual([first, second]);
  }, TEST_TIMEOUT);

  it('keeps a job across a restart: a new queue on the same database runs it', async () => {
    const name = uniqueName('durable');
    const firstRuns: unknown[] = [];
    const first = newQueue();
    first.work(name, async (payload) => { firstRuns.push(payload); });
    await first.start();
    const id = await first.enqueue(name, { capture: 'x' }, { runAt: new Date(Date.now() + 600) });
    await first.stop();

    const secondRuns: Array<{ payload: unknown; id: string }> = [];
    const second = newQueue();
    second.work(name, async (payload, job) => { secondRuns.push({ payload, id: job.id }); });
    await second.start();
    await waitFor(() => secondRuns.length === 1);
    expect(secondRuns).toEqual([{ payload: { capture: 'x' }, id }]);
    expect(firstRuns).toEqual([]);
  }, TEST_TIMEOUT);

  it('stop() waits for a running handler and records it done', async () => {
    const name = uniqueName('graceful');
    const queue = newQueue();
    let started = false;
    let finished = false;
    queue.work(name, async () => {
      started = true;
      await sleep(400);
      finished = true;
    });
    await queue.start();
    const id = await queue.enqueue(name, {});
    await waitFor(() => started);
    await queue.stop();
    expect(finished).toBe(true);
    expect(await status(id)).toBe('done');
    await expect(queue.enqueue(name, {})).rejects.toThrow(/stopped/);
  }, TEST_TIMEOUT);

  it('refuses handlers registered after start and bad enqueue options', async () => {
    const queue = newQueue();
    queue.work('registered', async () => undefined);
    expect(() => queue.work('registered', async () => undefined)).toThrow(/already registered/);
    await queue.start();
    expect(() => queue.work('late', async () => undefined)).toThrow(/before start/);
    await expect(queue.enqueue('x', {}, { maxAttempts: 0 })).rejects.toThrow(/maxAttempts/);
    await expect(queue.enqueue('x', {}, { runAt: new Date(Number.NaN) })).rejects.toThrow(/runAt/);
  }, TEST_TIMEOUT);
});

describe('createJobQueue on PostgreSQL', () => {
  it('needs the connection string', () => {
    const fake = { dialect: 'postgres' } as Parameters<typeof createJobQueue>[0];
    expect(() => createJobQueue(fake)).toThrow(/databaseUrl/);
  });
});
