// "SIGKILL during capture loses no acknowledged record, and verify passes afterwards." A child
// process (durability-child.ts) captures batches in a loop and acknowledges each committed batch
// on stdout; the test kills it with SIGKILL at a random moment, reopens the database, verifies the
// whole archive and checks that every record ever acknowledged is there, 20 times in a row on the
// same database (fewer on PostgreSQL, where each round costs more).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { testPack } from '../testing/app.js';
import { createOrganization } from '../org/org.commands.js';
import type { ArchiveDeps } from './archive.service.js';
import { ensureLog } from './capture.js';
import { createCheckpoint } from './checkpoints.js';
import { verifyArchive } from './verify.js';
import { FolderBlobStore, FolderKeyStore } from './stores.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./durability-child.ts', import.meta.url));
const ROUNDS = { sqlite: 20, postgres: 10 } as const;
// Loaded natively before tsx's loader is registered: through its hooks, kysely's few hundred
// modules alone take over a second of CPU in every child; this halves a child's start-up.
const PRELOAD = ['kysely', 'zod', 'pg', 'better-sqlite3'].flatMap((m) => ['--import', m]);

interface Killed {
  /** Record ids of each acknowledged batch, in order. */
  acked: string[][];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/**
 * One child process. Spawned ahead of its round (loading modules through tsx is the slow part);
 * `killDuringCapture` tells it to go, waits until it has acknowledged `acks` batches, waits
 * `delayMs` more, then SIGKILLs it.
 */
class Child {
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly acked: string[][] = [];
  private onLine: () => void = () => undefined;
  private stderr = '';
  private readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[]) {
    this.process = spawn(process.execPath, [...PRELOAD, '--import', 'tsx', CHILD, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let pending = '';
    this.process.stdout.setEncoding('utf8');
    this.process.stdout.on('data', (chunk: string) => {
      pending += chunk;
      // Only complete lines count: a line cut short by the kill was never an acknowledgement.
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.startsWith('ack ')) this.acked.push(line.slice(4).split(' '));
        this.onLine();
      }
    });
    this.process.stdin.on('error', () => undefined); // EPIPE once the child is gone
    this.process.stderr.setEncoding('utf8');
    this.process.stderr.on('data', (chunk: string) => { this.stderr += chunk; });
    this.closed = new Promise((resolve) => this.process.on('close', (code, signal) => resolve({ code, signal })));
  }

  async killDuringCapture(acks: number, delayMs: number): Promise<Killed> {
    let killing = false;
    const timeout = setTimeout(() => this.process.kill('SIGKILL'), 30_000);
    this.onLine = () => {
      if (!killing && this.acked.length >= acks) {
        killing = true;
        setTimeout(() => this.process.kill('SIGKILL'), delayMs);
      }
    };
    // The pipe holds this until the child has loaded and reads it.
    this.process.stdin.write('go\n');
    const { code, signal } = await this.closed;
    clearTimeout(timeout);
    return { acked: this.acked, code, signal, stderr: this.stderr };
  }

  /** For children spawned ahead that never ran. */
  dispose(): void {
    this.process.stdin.end();
    this.process.kill('SIGKILL');
  }
}

describe.each(await availableBackends())('archive durability on %s', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-durability-'));
  const keysDir = join(dir, 'keys');
  const blobsDir = join(dir, 'blobs');
  const sqlitePath = join(dir, 'civicdesk.db');
  let pgDatabase: TestDatabase | undefined;
  let orgId: string;
  const children: Child[] = [];

  /** SQLite is closed while the child runs and reopened after each kill, as after a crash. */
  async function open(): Promise<Database> {
    if (pgDatabase) return { ...pgDatabase, close: async () => undefined };
    return openDatabase({ sqlitePath });
  }

  function depsFor(database: Database): ArchiveDeps {
    return { db: database.db, dialect: database.dialect, host: 'civicdesk.test', blobs: new FolderBlobStore(blobsDir), keys: new FolderKeyStore(keysDir) };
  }

  beforeAll(async () => {
    if (backend === 'postgres') pgDatabase = await openTestDatabase('postgres');
    const database = await open();
    orgId = (await createOrganization(database.db, { pack: testPack('kalispell-mt'), slug: 'durability' })).orgId;
    // The parent makes the city's key; the child only loads it from the same folder.
    await ensureLog(depsFor(database), orgId);
    await database.close();
  });
  afterAll(async () => {
    for (const child of children) child.dispose();
    await pgDatabase?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`loses no acknowledged record and verifies after SIGKILL during capture, ${ROUNDS[backend]} times`, async () => {
    const acknowledged = new Set<string>();
    const target = pgDatabase?.url ?? sqlitePath;
    const spawnFor = (round: number) => new Child([target, keysDir, blobsDir, orgId, String(round)]);
    // Children load two rounds ahead while one runs and the last is checked, so a round takes the
    // time of a capture and a verification, not of starting Node with tsx.
    const ahead = [spawnFor(0), spawnFor(1), spawnFor(2)];
    children.push(...ahead);
    for (let round = 0; round < ROUNDS[backend]; round++) {
      const acks = 1 + Math.floor(Math.random() * 4);
      const delayMs = Math.floor(Math.random() * 25);
      const plan = `round ${round}: kill ${delayMs} ms after ack ${acks}`;
      const child = ahead.shift() as Child;
      const killed = await child.killDuringCapture(acks, delayMs);
      if (round + ahead.length + 1 < ROUNDS[backend]) {
        const next = spawnFor(round + ahead.length + 1);
        ahead.push(next);
        children.push(next);
      }
      expect(killed.signal, `${plan}: the child died on its own (code ${killed.code}): ${killed.stderr}`).toBe('SIGKILL');
      expect(killed.acked.length, `${plan}: ${killed.stderr}`).toBeGreaterThanOrEqual(acks);
      for (const batch of killed.acked) for (const id of batch) acknowledged.add(id);

      const database = await open();
      try {
        const deps = depsFor(database);
        if (round % 5 === 4) await createCheckpoint(deps, orgId);
        const report = await verifyArchive(deps, orgId);
        expect(report.problems, plan).toEqual([]);
        expect(report.records, plan).toBe(report.size);
        const stored = await database.db.selectFrom('archive_records as r').innerJoin('archive_contents as c', 'c.record_id', 'r.id')
          .select('r.id').where('r.org_id', '=', orgId).execute();
        const present = new Set(stored.map((r) => r.id));
        const lost = [...acknowledged].filter((id) => !present.has(id));
        expect(lost, `${plan}: acknowledged records missing after the kill`).toEqual([]);
      } finally {
        await database.close();
      }
    }
    expect(acknowledged.size).toBeGreaterThan(ROUNDS[backend]);
  }, 90_000);
});
