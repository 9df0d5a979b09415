// SQLite-only job queue behaviour: leases, crash recovery, and several processes on one file
// (each process is simulated by its own connection to the same database file).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import { createJobQueue, type JobQueue, type JobQueueOptions } from './jobs.js';
import { sleep } from './shared.js';
import { collectingLogger, uniqueName, waitFor, type LogEntry } from './test-helpers.js';

const TEST_TIMEOUT = 20_000;

describe('SQLite job queue', () => {
  let dir: string;
  let path: string;
  const databases: Database[] = [];
  const queues: JobQueue[] = [];
  const logs: LogEntry[] = [];

  const open = async (): Promise<Database> => {
    const database = await openDatabase({ sqlitePath: path });
    databases.push(database);
    return database;
  };
  const newQueue = (database: Database, opts: JobQueueOptions = {}): JobQueue => {
    const queue = createJobQueue(database, { pollIntervalMs: 20, retryDelayMs: 20, logger: collectingLogger(logs), ...opts });
    queues.push(queue);
    return queue;
  };
  const row = (database: Database, id: string) =>
    database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  /** A job left 'running' by a process that died: its lease ran out a second ago. */
  const insertAbandoned = async (database: Database, name: string, attempts: number, maxAttempts: number) => {
    const past = new Date(Date.now() - 1000).toISOString();
    const id = uniqueName('abandoned');
    await database.db.insertInto('jobs').values({
      id, name, payload: '{"post":7}', run_at: past, status: 'running', attempts, max_attempts: maxAttempts,
      last_error: null, locked_until: past, created_at: past, updated_at: past,
    }).execute();
    return id;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'civicdesk-jobs-'));
    path = join(dir, 'jobs.db');
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop()));
    logs.length = 0;
  });
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a job enqueued before the database was closed and reopened', async () => {
    const name = uniqueName('restart');
    const before = await openDatabase({ sqlitePath: path });
    const id = await newQueue(before).enqueue(name, { archive: 'checkpoint' }, { runAt: new Date(Date.now() + 100) });
    await queues.pop()?.stop();
    await before.close();

    const after = await open();
    const runs: Array<{ payload: unknown; id: string }> = [];
    const queue = newQueue(after);
    queue.work(name, async (payload, job) => { runs.push({ payload, id: job.id }); });
    await queue.start();
    await waitFor(() => runs.length === 1);
    expect(runs).toEqual([{ payload: { archive: 'checkpoint' }, id }]);
    await waitFor(async () => (await row(after, id)).status === 'done');
  }, TEST_TIMEOUT);

  it('takes over a job whose worker died, counting the lost attempt', async () => {
    const database = await open();
    const name = uniqueName('recover');
    const id = await insertAbandoned(database, name, 1, 3);
    const attempts: number[] = [];
    const queue = newQueue(database);
    queue.work(name, async (_payload, job) => { attempts.push(job.attempt); });
    await queue.start();
    await waitFor(async () => (await row(database, id)).status === 'done');
    expect(attempts).toEqual([2]);
  }, TEST_TIMEOUT);

  it('fails a job whose worker died on its final attempt instead of running it again', async () => {
    const database = await open();
    const name = uniqueName('recover_last');
    const id = await insertAbandoned(database, name, 2, 2);
    let ran = false;
    const queue = newQueue(database);
    queue.work(name, async () => { ran = true; });
    await queue.start();
    await waitFor(async () => (await row(database, id)).status === 'failed');
    expect(ran).toBe(false);
    expect((await row(database, id)).last_error).toMatch(/lease expired/);
  }, TEST_TIMEOUT);

  it('renews the lease of a long handler so no other worker takes the job', async () => {
    const [one, two] = [await open(), await open()];
    const name = uniqueName('long');
    let runs = 0;
    const handler = async () => { runs++; await sleep(600); };
    const first = newQueue(one, { lockMs: 150 });
    first.work(name, handler);
    await first.start();
    const id = await first.enqueue(name, {});
    await waitFor(() => runs === 1);
    const second = newQueue(two, { lockMs: 150 });
    second.work(name, handler);
    await second.start();
    await waitFor(async () => (await row(one, id)).status === 'done');
    expect(runs).toBe(1);
    expect((await row(one, id)).attempts).toBe(1);
  }, TEST_TIMEOUT);

  it('runs each job exactly once with two processes polling the same file', async () => {
    const [one, two] = [await open(), await open()];
    const name = uniqueName('shared');
    const ranBy = new Map<number, string[]>();
    for (const [label, database] of [['one', one], ['two', two]] as const) {
      const queue = newQueue(database, { pollIntervalMs: 5 });
      queue.work<{ n: number }>(name, async ({ n }) => {
        ranBy.set(n, [...(ranBy.get(n) ?? []), label]);
        await sleep(2);
      });
      await queue.start();
    }
    const ids = [];
    for (let n = 0; n < 40; n++) ids.push(await newQueue(n % 2 ? one : two).enqueue(name, { n }));
    await waitFor(() => ranBy.size === 40);
    await sleep(100);
    expect([...ranBy.values()].every((labels) => labels.length === 1)).toBe(true);
  }, TEST_TIMEOUT);

  it('settles a singleton key raced from two connections to one job', async () => {
    const [one, two] = [await open(), await open()];
    const name = uniqueName('race');
    const [a, b] = [newQueue(one), newQueue(two)];
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).enqueue(name, { i }, { singletonKey: 'k' })));
    expect(new Set(ids).size).toBe(1);
    const rows = await one.db.selectFrom('jobs').select('id').where('name', '=', name).execute();
    expect(rows).toHaveLength(1);
  }, TEST_TIMEOUT);

  it('keeps singleton keys of different names apart even when they contain separators', async () => {
    const database = await open();
    const queue = newQueue(database);
    const a = await queue.enqueue('a:b', {}, { singletonKey: 'c' });
    const b = await queue.enqueue('a', {}, { singletonKey: 'b:c' });
    expect(a).not.toBe(b);
    expect(await queue.enqueue('a', {}, { singletonKey: 'b:c' })).toBe(b);
    expect((await row(database, a)).name).toBe('a:b');
    expect((await row(database, b)).name).toBe('a');
  }, TEST_TIMEOUT);
});
