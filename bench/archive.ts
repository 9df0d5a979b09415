// `npm run bench:archive`: the archive's performance figures at a million records.
//
//  1. Capture N synthetic records (realistic sizes, see bench/lib.ts) in batches through
//     `capture()` into one city, and the same rows, precomputed with the same column values, by
//     plain Kysely inserts into the same tables for a second city, batch for batch in the same
//     run (alternating which goes first, so both see the same database size and WAL state).
//  2. Sign a checkpoint, then `verifyArchive()` the captured city: records per second.
//  3. 100 searches over the captured city (a common word, two words, a phrase, an author, a kind
//     in a date range, an account and a word): p50, p95 and max. The raw city's rows share the
//     tables and the full-text index, so searches run in a database of 2N records.
//
// Figures go to stdout as `name: value unit` when each phase ends, progress to stderr.
//   --records N   records to capture (default 1,000,000)      --batch N    batch size (1,000)
//   --queries N   measured searches (100)                      --seed N     generator seed
//   --postgres    a fresh PostgreSQL database (at BENCH_DATABASE_URL, TEST_DATABASE_URL or
//                 postgres://postgres@127.0.0.1:5432/postgres), dropped at the end; setting
//                 BENCH_DATABASE_URL to an admin URL selects PostgreSQL too
//   --keep        keep the database (SQLite: its temp dir) and say where
//   --reuse DIR   skip capture: checkpoint + verify + search a kept run's database (SQLite or PostgreSQL)
//   --skip-verify skip the verify phase (e.g. to time searches alone on a kept run)
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { DB } from '../src/db/schema.js';
import type { ArchiveDeps } from '../src/archive/archive.service.js';
import { CHUNK, capture, ensureLog, validateRecords } from '../src/archive/capture.js';
import { macInput } from '../src/archive/mac-input.js';
import { createCheckpoint } from '../src/archive/checkpoints.js';
import { verifyArchive } from '../src/archive/verify.js';
import { leafHash } from '../src/archive/merkle.js';
import { recordMac } from '../src/archive/keys.js';
import { prepareRecord, type RecordInput } from '../src/archive/record.js';
import { searchArchive, type ArchiveQuery } from '../src/archive/search.js';
import { FolderBlobStore, FolderKeyStore, type CityKey } from '../src/archive/stores.js';
import { createOrganization } from '../src/org/org.commands.js';
import { testPack } from '../src/testing/app.js';
import {
  ACCOUNTS, DEFAULT_ADMIN_URL, SPAN_MS, SPAN_START, TOPICS, authorPool, figure, openBenchDatabase, percentile, progress,
  Rng, since, syntheticBatch, type Author, type BenchDatabase,
} from './lib.js';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '1000' },
    queries: { type: 'string', default: '100' },
    seed: { type: 'string', default: '20240101' },
    postgres: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
    'skip-verify': { type: 'boolean', default: false },
  },
});

const RECORDS = positive('records', args.records);
const BATCH = positive('batch', args.batch);
const QUERIES = positive('queries', args.queries);
const SEED = positive('seed', args.seed);
/** capture.ts inserts in chunks of this many rows; the raw baseline does the same. */
const INSERT_CHUNK = CHUNK;

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
}

type RecordRow = DB['archive_records'];
type ContentRow = DB['archive_contents'];

/**
 * The rows `capture()` would write for these inputs at leaf indexes from `firstLeaf`, computed the
 * same way (validation, canonical bytes, leaf hash, MAC), so the raw baseline inserts rows with
 * the same column values and sizes. Not timed.
 */
function precomputeRows(orgId: string, key: CityKey, inputs: readonly RecordInput[], firstLeaf: number, now: Date) {
  const records: RecordRow[] = [];
  const contents: ContentRow[] = [];
  const seen = new Set<string>();
  let leafIndex = firstLeaf;
  for (const p of validateRecords(inputs).map((r) => prepareRecord(r, now))) {
    if (seen.has(p.dedupeKey)) continue;
    seen.add(p.dedupeKey);
    const id = randomUUID();
    const r = p.record;
    const row = {
      org_id: orgId, leaf_index: leafIndex++, id, kind: r.kind, series: p.series, platform: r.platform ?? null,
      account_id: r.accountId ?? null, platform_id: r.platformId ?? null, platform_version: r.platformVersion ?? null,
      subject_id: r.subjectId ?? null, parent_id: r.parentId ?? null, thread_id: r.threadId ?? null,
      captured_at: p.capturedAt, platform_time: r.platformTimes?.created ?? Object.values(r.platformTimes ?? {})[0] ?? null,
      dedupe_key: p.dedupeKey, leaf_hash: leafHash(Buffer.from(p.canonical, 'utf8')).toString('hex'),
    };
    records.push({ ...row, mac: recordMac(key.macKey, macInput(row)) });
    contents.push({
      record_id: id, org_id: orgId, canonical: p.canonical, payload: Buffer.from(r.payload),
      evidence: r.evidence ? Buffer.from(r.evidence) : null, text: p.text,
      author_id: r.author?.id ?? null, author_handle: r.author?.handle ?? null, author_name: r.author?.name ?? null,
      account_id: row.account_id, kind: row.kind, leaf_index: row.leaf_index,
    });
  }
  return { records, contents };
}

/**
 * The baseline: the same rows, one transaction per batch, the same insert chunks as capture, and
 * like capture each chunk's contents INSERT queued on the connection behind its records INSERT.
 */
async function rawInsert(database: BenchDatabase, records: RecordRow[], contents: ContentRow[]): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    for (let i = 0; i < records.length; i += INSERT_CHUNK) {
      await Promise.all([
        trx.insertInto('archive_records').values(records.slice(i, i + INSERT_CHUNK)).execute(),
        trx.insertInto('archive_contents').values(contents.slice(i, i + INSERT_CHUNK)).execute(),
      ]);
    }
  });
}

/** The six query shapes of the issue, cycled, with parameters drawn from the generator's vocabulary. */
function searchQueries(count: number, authors: readonly Author[], seed: number): Array<{ shape: string; q: ArchiveQuery }> {
  const rng = new Rng(seed, 0x5ea4c4);
  const topics = Object.values(TOPICS);
  const single = (t: readonly string[]) => t.filter((w) => !w.includes(' ') && !w.includes('-'));
  const phrases = topics.flatMap((t) => t.filter((w) => w.split(' ').length === 2));
  const month = (): { from: string; to: string } => {
    const start = SPAN_START + rng.int(SPAN_MS - 31 * 86_400_000);
    return { from: new Date(start).toISOString(), to: new Date(start + 30 * 86_400_000).toISOString() };
  };
  const out: Array<{ shape: string; q: ArchiveQuery }> = [];
  for (let i = 0; i < count; i++) {
    const words = single(topics[rng.int(4)]); // the popular topics: words that match many records
    switch (i % 6) {
      case 0: out.push({ shape: 'word', q: { text: words[rng.int(3)] } }); break;
      case 1: {
        const t = single(rng.pick(topics));
        out.push({ shape: 'two words', q: { text: `${t[rng.int(4)]} ${t[4 + rng.int(t.length - 4)]}` } });
        break;
      }
      case 2: out.push({ shape: 'phrase', q: { text: `"${rng.pick(phrases)}"` } }); break;
      case 3: out.push({ shape: 'author', q: { author: authors[rng.int(authors.length)].handle } }); break;
      case 4: out.push({ shape: 'kind + dates', q: { kind: rng.pick(['post', 'comment', 'moderation_action'] as const), ...month() } }); break;
      default: out.push({ shape: 'account + word', q: { accountId: rng.pick(ACCOUNTS).id, text: rng.pick(single(rng.pick(topics))) } });
    }
  }
  return out;
}

/** Sectors read from whole disks since boot (/proc/diskstats), or 0 where that is not available. */
function diskSectorsRead(): number {
  try {
    return readFileSync('/proc/diskstats', 'utf8').split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f.length > 5 && /^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|nvme\d+n\d+)$/.test(f[2] ?? ''))
      .reduce((sum, f) => sum + Number(f[5]), 0);
  } catch {
    return 0;
  }
}

async function databaseBytes(database: BenchDatabase): Promise<number> {
  if (database.dialect === 'postgres') {
    const r = await sql<{ bytes: string }>`select pg_database_size(current_database())::text as bytes`.execute(database.db);
    return Number(r.rows[0]?.bytes ?? 0);
  }
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try { total += statSync(join(database.dir, `civicdesk.db${suffix}`)).size; } catch { /* no WAL */ }
  }
  return total;
}

async function main(): Promise<void> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? (args.postgres ? process.env.TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL : undefined);
  const database = await openBenchDatabase({ adminUrl, keep: args.keep, reuseDir: args.reuse });
  progress(args.reuse ? `${database.describe}: reusing the records of a kept run` : `${database.describe}: ${RECORDS} records in batches of ${BATCH}`);
  try {
    await run(database);
  } finally {
    await database.dispose();
  }
}

interface CaptureFigures {
  captured: number;
  rawInserted: number;
  captureMs: number;
  rawMs: number;
  payloadBytes: number;
  textChars: number;
}

/** Phase 1: the same batches through capture() (city A) and by raw insert (city B), interleaved. */
async function captureAndRaw(database: BenchDatabase, deps: ArchiveDeps, authors: readonly Author[]): Promise<{ orgId: string; figures: CaptureFigures }> {
  const pack = testPack('kalispell-mt');
  const city = await createOrganization(database.db, { pack, slug: CAPTURE_SLUG });
  const rawCity = await createOrganization(database.db, { pack, slug: 'bench-raw' });
  await ensureLog(deps, city.orgId);
  const rawKey = await ensureLog(deps, rawCity.orgId);
  const f: CaptureFigures = { captured: 0, rawInserted: 0, captureMs: 0, rawMs: 0, payloadBytes: 0, textChars: 0 };
  let duplicates = 0;
  const batches = Math.ceil(RECORDS / BATCH);
  let nextReport = 0;
  for (let b = 0; b < batches; b++) {
    const first = b * BATCH;
    const inputs = syntheticBatch({ authors, seed: SEED, total: RECORDS }, b, first, Math.min(BATCH, RECORDS - first));
    for (const r of inputs) { f.payloadBytes += r.payload.byteLength; f.textChars += r.text?.length ?? 0; }
    const rows = precomputeRows(rawCity.orgId, rawKey, inputs, f.rawInserted, new Date());

    const doCapture = async () => {
      const t0 = performance.now();
      const result = await capture(deps, city.orgId, inputs);
      f.captureMs += since(t0);
      f.captured += result.length;
      duplicates += result.filter((r) => r.duplicate).length;
    };
    const doRaw = async () => {
      const t0 = performance.now();
      await rawInsert(database, rows.records, rows.contents);
      f.rawMs += since(t0);
      f.rawInserted += rows.records.length;
    };
    // Alternate the order so neither side always pays for the other's WAL checkpoint or autovacuum.
    if (b % 2 === 0) { await doCapture(); await doRaw(); } else { await doRaw(); await doCapture(); }

    if (f.captured >= nextReport || b === batches - 1) {
      const mem = process.memoryUsage();
      progress(`${f.captured}/${RECORDS} captured: capture ${Math.round(f.captured / (f.captureMs / 1000))}/s, raw ${Math.round(f.rawInserted / (f.rawMs / 1000))}/s, heap ${Math.round(mem.heapUsed / 2 ** 20)} MiB, rss ${Math.round(mem.rss / 2 ** 20)} MiB`);
      nextReport += Math.max(BATCH, Math.round(RECORDS / 20));
    }
  }
  if (duplicates > 0) progress(`warning: ${duplicates} generated records were duplicates`);
  return { orgId: city.orgId, figures: f };
}

const CAPTURE_SLUG = 'bench-capture';

async function run(database: BenchDatabase): Promise<void> {
  const deps: ArchiveDeps = {
    db: database.db, dialect: database.dialect, host: 'bench.civicdesk.test',
    blobs: new FolderBlobStore(join(database.dir, 'blobs')), keys: new FolderKeyStore(join(database.dir, 'keys')),
  };
  const authors = authorPool(5000);
  const targets: Array<[string, boolean]> = [];
  figure('backend', database.dialect, '');
  let orgId: string;
  if (args.reuse) {
    orgId = (await database.db.selectFrom('organizations').select('id').where('slug', '=', CAPTURE_SLUG).executeTakeFirstOrThrow()).id;
  } else {
    // Figures are printed as each phase ends, so a long run shows its results as it goes.
    const { orgId: captured, figures: f } = await captureAndRaw(database, deps, authors);
    orgId = captured;
    const captureRate = f.captured / (f.captureMs / 1000);
    const rawRate = f.rawInserted / (f.rawMs / 1000);
    figure('batch_size', BATCH, 'records');
    figure('avg_payload', f.payloadBytes / f.captured, 'bytes');
    figure('avg_text', f.textChars / f.captured, 'chars');
    figure('capture_rate', captureRate, 'records/s');
    figure('raw_insert_rate', rawRate, 'records/s');
    figure('capture_vs_raw', captureRate / rawRate, 'x');
    targets.push(['capture_vs_raw >= 0.7', captureRate / rawRate >= 0.7]);
  }

  progress('signing a checkpoint (stores the Merkle nodes for the whole log)');
  let t0 = performance.now();
  const checkpoint = await createCheckpoint(deps, orgId);
  figure('checkpoint_time', since(t0) / 1000, 's');

  if (!args['skip-verify']) {
    progress(`verifying ${checkpoint.size} records`);
    const diskBefore = diskSectorsRead();
    t0 = performance.now();
    const report = await verifyArchive(deps, orgId);
    const verifyWallMs = since(t0);
    const diskMiB = ((diskSectorsRead() - diskBefore) * 512) / 2 ** 20;
    if (!report.ok) progress(`verify found ${report.problems.length} problems, first: ${report.problems[0]?.message}`);
    figure('records', report.records, 'count');
    figure('verify_time', report.seconds, 's');
    figure('verify_rate', report.records / report.seconds, 'records/s');
    figure('verify_wall_rate', report.records / (verifyWallMs / 1000), 'records/s');
    figure('verify_ok', report.ok ? 'true' : `false (${report.problems.length} problems)`, '');
    figure('verify_detailed', report.detailed, 'records');
    // What verify had to fetch from the disk (the whole machine's reads while it ran): pages not
    // touched for a while are not in memory, and then the disk, not the hashing, sets the pace.
    figure('verify_disk_read', diskMiB, 'MiB');
    figure('verify_disk_read_rate', diskMiB / (verifyWallMs / 1000), 'MiB/s');
    {
      // Straight away again, with what the first run read still in memory: the CPU-bound rate.
      const warm = await verifyArchive(deps, orgId);
      figure('verify_warm_rate', warm.records / warm.seconds, 'records/s');
    }
    targets.push(['verify_rate >= 200000', report.records / report.seconds >= 200_000]);
  }

  const samples: number[] = [];
  const byShape = new Map<string, number[]>();
  let totalMatches = 0;
  const queries = searchQueries(QUERIES + 6, authors, SEED);
  // One of each shape first, unmeasured: the first query of a process pays for statement preparation.
  progress('searches: one of each shape to warm up');
  for (const { q } of queries.slice(0, 6)) await searchArchive(deps, orgId, q);
  progress(`${QUERIES} searches`);
  for (const { shape, q } of queries.slice(6)) {
    const s0 = performance.now();
    const result = await searchArchive(deps, orgId, { ...q, limit: 50 });
    const ms = since(s0);
    samples.push(ms);
    totalMatches += result.total;
    const list = byShape.get(shape) ?? [];
    list.push(ms);
    byShape.set(shape, list);
  }
  for (const [shape, list] of byShape) {
    progress(`  ${shape.padEnd(15)} p50 ${percentile(list, 50).toFixed(1)} ms, p95 ${percentile(list, 95).toFixed(1)} ms, max ${Math.max(...list).toFixed(1)} ms (${list.length} queries)`);
  }
  figure('search_queries', samples.length, 'count');
  figure('search_p50', percentile(samples, 50), 'ms');
  figure('search_p95', percentile(samples, 95), 'ms');
  figure('search_max', Math.max(...samples), 'ms');
  figure('search_avg_total', totalMatches / samples.length, 'matches');
  targets.push(['search_p95 < 50 ms', percentile(samples, 95) < 50]);

  figure('database_size', (await databaseBytes(database)) / 2 ** 20, 'MiB');
  figure('peak_rss', process.resourceUsage().maxRSS / 1024, 'MiB');
  for (const [target, met] of targets) progress(`target ${target}: ${met ? 'met' : 'MISSED'}`);
}

await main();
