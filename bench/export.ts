// `npx tsx bench/export.ts` (npm run bench:export): how long a public records production of 100k
// records takes, against the simplest possible WARC export of the same records.
//
//  1. Capture N synthetic records (bench/lib.ts: realistic payload and text sizes) into a fresh
//     archive, then a redacted copy of 1 in 1000 comments. Not timed.
//  2. export: buildProductionPackage() of all of them (each redacted original replaced by its copy):
//     checkpoint, WACZ, PDF, CSV, proofs, ZIP.
//  3. raw: the same records read from the database a page at a time and written with plain warcio
//     as gzipped `resource` records (warcio's defaults: WARCSerializer with gzip, its own digests).
//
// Figures on stdout: export_100k, raw_warcio_100k, export_vs_raw, package_bytes. Progress on stderr.
//   --records N   records to capture (default 100,000)    --seed N   generator seed
//   --postgres    a fresh PostgreSQL database instead of SQLite (see bench/lib.ts)
import { createWriteStream, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { WARCRecord, WARCSerializer } from 'warcio';
import type { ArchiveDeps } from '../src/archive/archive.service.js';
import { capture, ensureLog } from '../src/archive/capture.js';
import { RECORD_KINDS, type RecordInput } from '../src/archive/record.js';
import { FolderBlobStore, FolderKeyStore } from '../src/archive/stores.js';
import { createOrganization } from '../src/org/org.commands.js';
import { buildProductionPackage } from '../src/records/package/package.js';
import { testPack } from '../src/testing/app.js';
import { DEFAULT_ADMIN_URL, authorPool, figure, openBenchDatabase, progress, since, syntheticBatch, type BenchDatabase } from './lib.js';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '20240101' },
    postgres: { type: 'boolean', default: false },
  },
});
const RECORDS = Number(args.records);
const SEED = Number(args.seed);
if (!Number.isSafeInteger(RECORDS) || RECORDS <= 0 || !Number.isSafeInteger(SEED)) throw new Error('--records and --seed take positive integers');
const BATCH = 1000;
const LABEL = RECORDS % 1000 === 0 ? `${RECORDS / 1000}k` : String(RECORDS);
/** One comment in this many gets a redacted copy, as a records officer would for personal information. */
const REDACT_EVERY = 1000;
const REDACTED_KIND = ((RECORD_KINDS as readonly string[]).includes('redacted_copy') ? 'redacted_copy' : 'staff_event') as RecordInput['kind'];

async function captureAll(deps: ArchiveDeps, orgId: string) {
  const authors = authorPool(5000);
  const ids: string[] = [];
  const redacted: Array<{ derivedRecordId: string; originalRecordId: string }> = [];
  for (let first = 0, b = 0; first < RECORDS; first += BATCH, b++) {
    const inputs = syntheticBatch({ authors, seed: SEED, total: RECORDS }, b, first, Math.min(BATCH, RECORDS - first));
    const captured = await capture(deps, orgId, inputs);
    const copies: RecordInput[] = [];
    const originals: string[] = [];
    captured.forEach((c, i) => {
      if (c.duplicate) return;
      ids.push(c.id);
      const input = inputs[i];
      if (input.kind !== 'comment' || (first + i) % REDACT_EVERY !== 0) return;
      const original = input.text ?? '';
      const word = /\b\w{6,}\b/.exec(original) ?? { index: 0, 0: '' };
      const text = `${original.slice(0, word.index)}[REDACTED: personal-info]${original.slice(word.index + word[0].length)}`;
      const meta = { derivedFrom: c.id, originalLeafIndex: c.leafIndex, redactions: [{ start: word.index, end: word.index + word[0].length, code: 'personal-info' }] };
      copies.push({ kind: REDACTED_KIND, dedupeKey: `redacted:${c.id}:1`, platform: input.platform, accountId: input.accountId, author: input.author, text,
        payload: Buffer.from(JSON.stringify({ text, ...meta })), payloadType: 'application/json', meta });
      originals.push(c.id);
    });
    const derived = copies.length ? await capture(deps, orgId, copies) : [];
    derived.forEach((d, i) => redacted.push({ derivedRecordId: d.id, originalRecordId: originals[i] }));
    if ((b + 1) % 20 === 0) progress(`${Math.min(RECORDS, first + BATCH)}/${RECORDS} captured`);
  }
  const replaced = new Set(redacted.map((r) => r.originalRecordId));
  return { recordIds: ids.filter((id) => !replaced.has(id)), redacted };
}

/** The baseline: read the same records page by page, write each payload as a gzipped warcio resource record. */
async function rawWarcio(database: BenchDatabase, orgId: string, ids: readonly string[], out: string): Promise<number> {
  const file = createWriteStream(out);
  for (let i = 0; i < ids.length; i += BATCH) {
    const rows = await database.db.selectFrom('archive_records as r').innerJoin('archive_contents as c', 'c.record_id', 'r.id')
      .select(['r.id', 'r.captured_at', 'c.payload', 'c.canonical']).where('r.org_id', '=', orgId).where('r.id', 'in', ids.slice(i, i + BATCH))
      .orderBy('r.leaf_index').execute();
    for (const r of rows) {
      const type = (JSON.parse(r.canonical) as { payload: { type: string } }).payload.type;
      const record = WARCRecord.create({ url: `urn:civicdesk:bench:record:${r.id}`, date: r.captured_at, type: 'resource', warcVersion: 'WARC/1.1', warcHeaders: { 'Content-Type': type } }, [r.payload ?? new Uint8Array(0)]);
      if (!file.write(await WARCSerializer.serialize(record, { gzip: true }))) await new Promise<void>((resolve) => file.once('drain', resolve));
    }
  }
  await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return statSync(out).size;
}

async function main(): Promise<void> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? (args.postgres ? process.env.TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL : undefined);
  const database = await openBenchDatabase({ adminUrl });
  try {
    const deps: ArchiveDeps = {
      db: database.db, dialect: database.dialect, host: 'bench.civicdesk.test',
      blobs: new FolderBlobStore(join(database.dir, 'blobs')), keys: new FolderKeyStore(join(database.dir, 'keys')),
    };
    const { orgId } = await createOrganization(database.db, { pack: testPack('kalispell-mt'), slug: 'bench-export' });
    await ensureLog(deps, orgId);
    progress(`${database.describe}: capturing ${RECORDS} records`);
    const { recordIds, redacted } = await captureAll(deps, orgId);
    progress(`producing ${recordIds.length + redacted.length} records (${redacted.length} redacted copies)`);

    const bar = new cliProgress.SingleBar({ format: ' {phase} [{bar}] {value}/{total}', stream: process.stderr }, cliProgress.Presets.shades_classic);
    let phase = '';
    const cpu0 = process.cpuUsage();
    let t0 = performance.now();
    const summary = await buildProductionPackage(deps, {
      orgId, title: `Records request R-2026-0001 — bench, ${recordIds.length + redacted.length} records`, recordIds, redacted,
      coverLetter: 'Dear requester,\n\nThe records responsive to your request are enclosed.\n\nCity Clerk',
      outFile: join(database.dir, 'production.zip'),
      onProgress: (done, total, next) => {
        if (next !== phase) {
          if (phase) bar.stop();
          phase = next;
          bar.start(total, done, { phase });
        } else bar.update(done);
      },
    });
    bar.stop();
    const exportSeconds = since(t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // On a shared machine wall time depends on others' load; CPU time (all threads) does not.
    progress(`export CPU: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s over all threads in ${exportSeconds.toFixed(1)} s wall (load average ${loadavg()[0].toFixed(1)})`);
    progress(`package: ${summary.records} records, ${summary.files.length} files, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB, peak rss ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);

    progress('baseline: the same records with plain warcio');
    t0 = performance.now();
    const rawBytes = await rawWarcio(database, orgId, [...recordIds, ...redacted.map((r) => r.derivedRecordId)], join(database.dir, 'raw.warc.gz'));
    const rawSeconds = since(t0) / 1000;
    progress(`baseline WARC: ${rawBytes} bytes`);

    figure(`export_${LABEL}`, exportSeconds, 's');
    figure(`raw_warcio_${LABEL}`, rawSeconds, 's');
    figure('export_vs_raw', exportSeconds / rawSeconds, 'x');
    figure('package_bytes', summary.bytes, 'bytes');
    progress(`target export_${LABEL} < 30 s: ${exportSeconds < 30 ? 'met' : 'MISSED'}`);
  } finally {
    await database.dispose();
  }
}

await main();
