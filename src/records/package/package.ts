// The production package for a public records request (issue 8): one ZIP with the cover letter, a
// readable PDF, a CSV, a WACZ web archive of the records and an offline proof bundle. Redacted
// copies replace their originals everywhere; no byte of an original is read into the package
// (only its position in its thread, see select.ts).
//
// Two streaming passes over the records, a page of PAGE at a time: in leaf order (payloads: WARC
// records on a worker thread, CSV, pages.jsonl, inclusion proofs — consecutive leaves share most
// proof nodes), then in reading order (text only: the PDF), while the WACZ and the outer ZIP are
// already being compressed from the temp files of the first pass. ~100 bytes per record stay in
// memory (plus a CDXJ line per WARC record, sorted at the end); payloads only a few pages at a time.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setImmediate } from 'node:timers/promises';
import { dirname, join, resolve } from 'node:path';
import type { ArchiveDeps } from '../../archive/archive.service.js';
import { payloadHashOf } from '../../archive/record.js';
import { CsvWriter } from './csv.js';
import { loadMarkers, markerText, type Marker } from './facts.js';
import { hashFile, manifestText, type ManifestFile } from './manifest.js';
import { readingOrder } from './order.js';
import { PdfWriter } from './pdf.js';
import { ProofWriter } from './proof.js';
import { authorOf, labelOf, writeCover, writeIntro, writeItem } from './render.js';
import { chunks, isContent, loadSelection, readContents, readTexts } from './select.js';
import { PagesWriter, writeWacz } from './wacz.js';
import { WARC_NAME, WarcWriter, warcSpecsFor, type CanonicalView, type Serialized } from './warc.js';
import type { WarcSpec } from './warc-worker.js';
import { ZipWriter } from './zip.js';

export interface ProductionInput {
  orgId: string;
  /** e.g. "Records request R-2026-0007 — City of Bozeman"; shown in the PDF, pages.jsonl title, datapackage title. */
  title: string;
  /** Archive record ids produced in full (unredacted). */
  recordIds: readonly string[];
  /**
   * Redacted copies: derived archive records (kind 'redacted_copy') that replace their originals. The original's bytes must NOT
   * appear anywhere in the package: only its position (thread, parent) and the times, actors and clauses of deletions and
   * moderation actions about it are read. Other records listed in `recordIds` (other versions of it, a moderation note quoting
   * it) are produced as they are: redact or withhold those too.
   */
  redacted: ReadonlyArray<{ derivedRecordId: string; originalRecordId: string }>;
  /** Plain text of the cover letter; goes in cover-letter.txt and as the PDF's first page. */
  coverLetter: string;
  /** Where to write the ZIP. */
  outFile: string;
  /** Phases in order: 'checkpoint', 'records' (WARC, CSV, proofs), 'pdf', 'zip'; done/total in records for the middle two. */
  onProgress?: (done: number, total: number, phase: string) => void;
}

export interface ProductionSummary {
  file: string;
  sha256: string;
  bytes: number;
  /** Records produced, redacted copies included (records destroyed before the request are not). */
  records: number;
  redacted: number;
  /** Every entry of the ZIP, directories ending in '/'. */
  files: string[];
  checkpoint: { size: number; rootHash: string };
}

/** Records read per query and per batch of WARC records. */
const PAGE = 1000;
/** Pages handed to the WARC worker and not yet appended: enough slack that neither thread waits on the other's slow page. */
const WARC_PAGES_AHEAD = 3;
/** PDF records written between turns of the event loop (which lets the ZIP streams move). */
const YIELD_EVERY = 10;

/** An ASCII file name from the title: "Records request R-2026-0007 — City of Bozeman" → "records-request-r-2026-0007-city-of-bozeman". */
export function fileStem(title: string): string {
  const stem = title.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80).replace(/-+$/, '');
  return stem || 'production';
}

function markerColumns(markers: readonly Marker[]): { deleted: string | null; other: string | null } {
  const deleted = markers.filter((m) => m.kind === 'deleted').map(markerText);
  const other = markers.filter((m) => m.kind !== 'deleted').map(markerText);
  return { deleted: deleted.length ? deleted.join('; ') : null, other: other.length ? other.join('; ') : null };
}

export async function buildProductionPackage(deps: ArchiveDeps, input: ProductionInput): Promise<ProductionSummary> {
  if (input.title.trim() === '') throw new Error('a production needs a title');
  const { orgId } = input;
  const created = deps.now?.() ?? new Date();
  const progress = (done: number, total: number, phase: string) => input.onProgress?.(done, total, phase);
  const org = await deps.db.selectFrom('organizations').select(['slug']).where('id', '=', orgId).executeTakeFirst();
  if (!org) throw new Error(`no city ${orgId}`);
  const outFile = resolve(input.outFile);
  mkdirSync(dirname(outFile), { recursive: true });
  const partial = `${outFile}.partial`;
  const tmp = mkdtempSync(join(tmpdir(), 'civicdesk-production-'));
  const open: Array<{ abandon(): void }> = [];
  try {
    // Checked first, so a wrong request changes nothing; the checkpoint is signed after, and covers every record read.
    const { produced, destroyed } = await loadSelection(deps.db, orgId, input.recordIds, input.redacted);
    progress(0, 1, 'checkpoint');
    const proof = await ProofWriter.open(deps, orgId, join(tmp, 'proof'));
    open.push(proof);
    const key = deps.keys.load(orgId);
    if (!key) throw new Error(`the archive key for city ${orgId} is missing`);
    const log = await deps.db.selectFrom('archive_logs').select('origin').where('org_id', '=', orgId).executeTakeFirstOrThrow();
    progress(1, 1, 'checkpoint');
    const total = produced.length;
    const redactedCount = produced.filter((p) => p.redaction).length;

    // Pass 1, leaf order: WARC, pages.jsonl, CSV, proofs.
    const warc = new WarcWriter(join(tmp, WARC_NAME));
    const pages = new PagesWriter(join(tmp, 'pages.jsonl'), input.title);
    const csv = new CsvWriter(join(tmp, 'records.csv'));
    open.push(warc, pages, csv);
    await warc.info(input.title, created.toISOString());
    const markers = new Map<string, Marker[]>();
    const ctx = {
      slug: org.slug,
      mediaDone: new Set<string>(),
      media: async (sha256: string) => {
        const bytes = await deps.blobs.get(sha256);
        if (bytes) proof.blob(bytes);
        return bytes;
      },
    };
    let done = 0;
    const inFlight: Serialized[] = [];
    for (const page of chunks(produced, PAGE)) {
      const rows = await readContents(deps.db, orgId, page.map((p) => p.id));
      const keys = page.filter(isContent).map((p) => p.objectKey).filter((k): k is string => k !== null);
      for (const [k, v] of await loadMarkers(deps.db, orgId, keys)) markers.set(k, v);
      const built: WarcSpec[] = [];
      for (const [i, p] of page.entries()) {
        const row = rows[i];
        const canonical = JSON.parse(row.canonical) as CanonicalView;
        const { specs, url } = await warcSpecsFor(p, row, canonical, ctx);
        built.push(...specs);
        if (row.evidence) proof.blob(row.evidence);
        const author = authorOf(row);
        if (isContent(p)) pages.add({ id: p.id, url, ts: p.capturedAt, title: `${labelOf(p, 1)} by ${author}`, text: row.text ?? '' });
        const m = markerColumns(isContent(p) && p.objectKey ? markers.get(p.objectKey) ?? [] : []);
        csv.row({
          record_id: p.id, leaf_index: p.leafIndex, kind: p.redaction ? `${p.baseKind} (redacted copy)` : p.kind, platform: p.platform,
          account: p.accountId, author_handle: row.author_handle, author_name: row.author_name, platform_time: p.platformTime,
          captured_at: p.capturedAt, text: row.text, deleted: m.deleted, hidden_or_moderated: m.other, redacted: p.redaction ? 'yes' : 'no',
          redaction_codes: p.redaction ? p.redaction.codes.join('; ') : null, replaces_record: p.redaction?.originalId ?? null,
          payload_sha256: payloadHashOf(row.canonical),
        });
      }
      // The worker writes this page's WARC records while the next pages are read; pages are appended in order.
      inFlight.push(warc.serialize(built));
      await proof.add(page.map((p, i) => ({ id: p.id, leafIndex: p.leafIndex, canonical: rows[i].canonical })));
      if (inFlight.length > WARC_PAGES_AHEAD) await warc.append(inFlight.shift() as Serialized);
      done += page.length;
      progress(done, total, 'records');
    }
    for (const batch of inFlight) await warc.append(batch);
    const warcFile = await warc.close();
    const pagesFile = pages.close();
    const csvFile = csv.close();
    const proofOut = proof.finish();

    // The ZIP is started now: its large text files are compressed on the thread pool while this
    // thread writes the PDF, and the WACZ is zipped meanwhile too. MANIFEST.txt, which needs every
    // file's hash, comes last.
    type Listed = { path: string; file: string; compress: boolean; level?: number; known?: { bytes: number; sha256: string } };
    const zip = new ZipWriter(partial, created);
    open.push(zip);
    const listed: Listed[] = [];
    const add = (f: Listed) => {
      listed.push(f);
      zip.add({ name: f.path, file: f.file, compress: f.compress, level: f.level });
    };
    zip.add({ name: 'proof/', directory: true });
    for (const f of proofOut.files) {
      // Level 3 for the two large text files: ~40% faster than 6 for ~3% more bytes.
      add({ path: `proof/${f}`, file: join(proof.dir, f), compress: true, ...(f === 'records.jsonl' ? { level: 3, known: proofOut.records } : {}) });
    }
    if (proofOut.blobs.length) zip.add({ name: 'proof/blobs/', directory: true });
    for (const b of proofOut.blobs) add({ path: `proof/blobs/${b}`, file: join(proof.dir, 'blobs', b), compress: false });
    add({ path: 'records.csv', file: csvFile.path, compress: true, level: 3, known: csvFile });
    const waczName = `${fileStem(input.title)}.wacz`;
    const waczPath = join(tmp, waczName);
    const waczDone = writeWacz({
      dir: tmp, out: waczPath, title: input.title, created, warc: warcFile, cdxj: warc.cdxj, pages: pagesFile, privateKey: key.privateKey, vkey: proof.checkpoint.vkey,
      description: `Public records production from ${log.origin}: ${total} record(s), ${redactedCount} redacted. Made with CivicDesk.`,
    });
    waczDone.catch(() => undefined); // awaited below, after the PDF

    // Pass 2, reading order: the PDF.
    const pdfPath = join(tmp, 'records.pdf');
    const pdf = new PdfWriter(pdfPath, { title: input.title, created });
    open.push(pdf);
    writeCover(pdf, input.title, created, input.coverLetter);
    const checkpoint = { size: proof.checkpoint.size, rootHash: proof.checkpoint.root };
    writeIntro(pdf, { records: total, redacted: redactedCount, destroyed, checkpoint: { ...checkpoint, origin: log.origin } });
    let written = 0;
    for (const part of chunks(readingOrder(produced), PAGE)) {
      const texts = await readTexts(deps.db, orgId, part.map((item) => item.p.id));
      for (const [i, item] of part.entries()) {
        writeItem(pdf, item, texts[i], item.firstOfObject && item.p.objectKey ? markers.get(item.p.objectKey) ?? [] : []);
        // SQLite answers synchronously, so without this the ZIPs being written meanwhile would wait for the PDF.
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await setImmediate();
      }
      written += part.length;
      progress(written, total, 'pdf');
    }
    await pdf.end();

    progress(0, 1, 'zip');
    add({ path: 'records.pdf', file: pdfPath, compress: false }); // its streams are already deflated
    add({ path: waczName, file: waczPath, compress: false, known: await waczDone });
    const coverPath = join(tmp, 'cover-letter.txt');
    writeFileSync(coverPath, `${input.coverLetter.replace(/\r\n?/g, '\n').replace(/\n*$/, '')}\n`);
    add({ path: 'cover-letter.txt', file: coverPath, compress: true });
    const manifestFiles: ManifestFile[] = [];
    for (const f of listed) manifestFiles.push({ path: f.path, ...(f.known ? { bytes: f.known.bytes, sha256: f.known.sha256 } : await hashFile(f.file)) });
    zip.add({
      name: 'MANIFEST.txt', compress: true, buffer: Buffer.from(manifestText({
        title: input.title, created: created.toISOString(), waczName, records: total, redacted: redactedCount, destroyed,
        checkpoint: { ...checkpoint, origin: log.origin }, vkey: proof.checkpoint.vkey, files: manifestFiles,
        blobs: proofOut.blobs.length, pdfReplaced: pdf.replaced,
      }), 'utf8'),
    });
    const result = await zip.finish();
    // Written under a temporary name first: a failed build never leaves a half ZIP where the final one goes.
    renameSync(partial, outFile);
    progress(1, 1, 'zip');
    return { file: outFile, sha256: result.sha256, bytes: result.bytes, records: total, redacted: redactedCount, files: zip.names, checkpoint };
  } catch (err) {
    for (const o of open) o.abandon();
    rmSync(partial, { force: true });
    throw err;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

