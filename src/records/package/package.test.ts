import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WARCParser } from 'warcio';
import yauzl from 'yauzl';
import { availableBackends, openTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { createTestCity, type TestCity } from '../../testing/app.js';
import { testArchiveDeps } from '../../testing/archive.js';
import type { ArchiveDeps } from '../../archive/archive.service.js';
import { capture } from '../../archive/capture.js';
import { proveInclusion } from '../../archive/checkpoints.js';
import { RECORD_KINDS, type RecordInput } from '../../archive/record.js';
import { buildProductionPackage, type ProductionSummary } from './package.js';

const SECRET = '406-555-0199';
/** A 1 MB comment of characters the PDF's fonts cannot show. */
const LONG = `${'Ω🙂 東京 '.repeat(110_000)}end`.slice(0, 999_000);
const KEPT = 'Great news for the kids at Lions Park';
const json = (o: unknown) => Buffer.from(JSON.stringify(o));
const MEDIA = Buffer.from('\x89PNG\r\n\x1a\n not really an image', 'latin1');
const EVIDENCE = Buffer.from('CAR evidence block for the kept comment');
// Until the requests workflow adds 'redacted_copy' to RECORD_KINDS, fixtures use a staff_event with the same meta.
const REDACTED_KIND = ((RECORD_KINDS as readonly string[]).includes('redacted_copy') ? 'redacted_copy' : 'staff_event') as RecordInput['kind'];

interface Entry { name: string; method: number; bytes: Buffer }

function unzip(buffer: Buffer): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const out: Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) { out.push({ name: entry.fileName, method: entry.compressionMethod, bytes: Buffer.alloc(0) }); return zip.readEntry(); }
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => { out.push({ name: entry.fileName, method: entry.compressionMethod, bytes: Buffer.concat(chunks) }); zip.readEntry(); });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Every byte a requester could get at: raw files, inside nested ZIPs, gunzipped WARC members, inflated PDF streams, decoded canonical records. */
async function expand(where: string, bytes: Buffer, out: Map<string, Buffer>): Promise<void> {
  out.set(where, bytes);
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    for (const e of await unzip(bytes)) await expand(`${where}!${e.name}`, e.bytes, out);
  } else if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    for (let at = 0, n = 0; at < bytes.length; n++) { // member by member: each WARC record is its own gzip member
      const rest = bytes.subarray(at);
      const next = rest.indexOf(Buffer.from([0x1f, 0x8b, 0x08]), 1);
      const member = next < 0 ? rest : rest.subarray(0, next);
      try { out.set(`${where}#member${n}`, gunzipSync(member)); } catch { /* a 1f8b08 inside compressed data: the full gunzip below covers it */ }
      at += member.length;
    }
    out.set(`${where}#gunzip`, gunzipSync(bytes));
  } else if (bytes.subarray(0, 4).toString('latin1') === '%PDF') {
    const text = bytes.toString('latin1');
    for (let i = 0, at = text.indexOf('stream\n'); at >= 0; at = text.indexOf('stream\n', at + 1), i++) {
      const end = text.indexOf('endstream', at);
      try { out.set(`${where}#stream${i}`, inflateSync(bytes.subarray(at + 7, end))); } catch { /* not deflated */ }
    }
  }
  if (where.endsWith('records.jsonl')) {
    for (const line of bytes.toString('utf8').split('\n').filter(Boolean)) {
      const r = JSON.parse(line) as { recordId: string; canonical: string };
      out.set(`${where}:${r.recordId}`, Buffer.from(r.canonical, 'base64'));
    }
  }
}

function byIdText(rows: string[][], header: string[], id: string): string | undefined {
  return rows.find((r) => r[header.indexOf('record_id')] === id)?.[header.indexOf('text')];
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  return rows;
}

describe.each(await availableBackends())('production package on %s', (backend) => {
  let database: TestDatabase;
  let city: TestCity;
  let deps: ArchiveDeps;
  let summary: ProductionSummary;
  let entries: Map<string, Buffer>;
  let ids: Record<string, string>;
  const phases = new Set<string>();
  const dirs: string[] = [];
  const scratch = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const post = 'at://did:plc:city/app.bsky.feed.post/p1';
  const base = { platform: 'bluesky', accountId: 'acct-1', payloadType: 'application/json' } as const;
  const comment = (key: string, text: string, extra: Partial<RecordInput> = {}): RecordInput => ({
    ...base, kind: 'comment', platformId: `at://did:plc:${key}/app.bsky.feed.post/${key}`, platformVersion: 'v1', parentId: post, threadId: post,
    platformTimes: { created: '2026-03-02T10:00:00.000Z' }, author: { handle: `${key}.test`, name: `Resident ${key}` }, text,
    payload: json({ uri: key, text, evidence: `raw ${text}` }), ...extra,
  });

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    city = await createTestCity(database.db, 'bozeman-mt', { slug: 'bozeman' });
    deps = testArchiveDeps(database.db, database.dialect);
    const c = (key: string) => `at://did:plc:${key}/app.bsky.feed.post/${key}`;
    const captured = await capture(deps, city.orgId, [
      { ...base, kind: 'post', platformId: post, platformVersion: 'v1', threadId: post, author: { handle: 'bozeman.gov', name: 'City of Bozeman' }, platformTimes: { created: '2026-03-01T09:00:00.000Z' }, text: 'Splash pad opens Saturday', payload: json({ t: 'post' }),
        media: [{ bytes: MEDIA, mime: 'image/png', alt: 'The splash pad' }] },
      comment('kept', KEPT, { evidence: EVIDENCE, evidenceType: 'application/vnd.ipld.car' }),
      comment('spam', 'Buy cheap watches now'),
      comment('phone', `Call me at ${SECRET} about the fence`),
      comment('intl', 'Привет 👋 — naïve café ﬁne, Łódź 東京'),
      comment('formula', '=HYPERLINK("http://evil.test","click")'),
      comment('long', LONG),
      { ...base, kind: 'moderation_action', dedupeKey: 'mod-spam', subjectId: c('spam'), threadId: post, text: 'Hidden by Jane Doe under clause aup-6b: spam', payload: json({ hidden: true, clauseId: 'aup-6b', by: 'Jane Doe' }), meta: { action: 'hide', clause: 'aup-6b' } },
      { ...base, kind: 'visibility_change', dedupeKey: 'vis-spam', subjectId: c('spam'), threadId: post, payload: json({ hidden: true }), meta: { visibility: 'hidden' } },
      { ...base, kind: 'deletion', dedupeKey: 'del-kept', subjectId: c('kept'), platformTimes: { deleted: '2026-03-05T08:30:00.000Z' }, payload: json({ deleted: true }), meta: { deletedBy: 'author' } },
      // Not produced, and it quotes the redacted number: its text must not leak through the hidden/deleted markers.
      { ...base, kind: 'moderation_action', dedupeKey: 'mod-phone', subjectId: c('phone'), threadId: post, text: `Hidden: posted ${SECRET}`, payload: json({ hidden: true, by: 'Jane Doe', reason: SECRET }), meta: { action: 'hide', clause: 'aup-3' } },
    ]);
    const [p, kept, spam, phone, intl, formula, long, mod, vis, del] = captured.map((r) => r.id);
    const redactedText = 'Call me at [REDACTED: b6] about the fence';
    const meta = { derivedFrom: phone, originalLeafIndex: captured[3].leafIndex, redactions: [{ start: 11, end: 23, code: 'b6' }] };
    const [derived] = await capture(deps, city.orgId, [{
      ...base, kind: REDACTED_KIND, dedupeKey: `redacted:${phone}:1`, author: { handle: 'phone.test', name: 'Resident phone' }, text: redactedText,
      payload: json({ text: redactedText, ...meta }), meta,
    }]);
    ids = { p, kept, spam, phone, intl, formula, long, mod, vis, del, derived: derived.id };
    const outFile = join(scratch('civicdesk-production-test-'), 'production.zip');
    summary = await buildProductionPackage(deps, {
      orgId: city.orgId, title: 'Records request R-2026-0007 — City of Bozeman', outFile,
      recordIds: [p, kept, spam, intl, formula, long, mod, vis, del], redacted: [{ derivedRecordId: derived.id, originalRecordId: phone }],
      coverLetter: 'Dear requester,\n\nEnclosed are the records responsive to your request of March 9.\n\nClerk of the City',
      onProgress: (_d, _t, phase) => phases.add(phase),
    });
    entries = new Map((await unzip(readFileSync(outFile))).map((e) => [e.name, e.bytes]));
  });
  afterAll(async () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await database?.dispose();
  });

  it('writes one ZIP with the letter, PDF, CSV, WACZ, proof and manifest, and reports what it wrote', () => {
    const bytes = readFileSync(summary.file);
    expect(summary).toMatchObject({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), records: 10, redacted: 1 });
    expect([...entries.keys()].sort()).toEqual([...summary.files].sort());
    expect(summary.files).toEqual(expect.arrayContaining(['MANIFEST.txt', 'cover-letter.txt', 'records.pdf', 'records.csv',
      'records-request-r-2026-0007-city-of-bozeman.wacz', 'proof/checkpoint.txt', 'proof/vkey.txt', 'proof/records.jsonl', 'proof/verify-bundle.mjs']));
    expect(entries.get('cover-letter.txt')?.toString('utf8')).toContain('Enclosed are the records');
    expect(entries.get('MANIFEST.txt')?.toString('utf8')).toContain('node proof/verify-bundle.mjs proof');
    expect([...phases]).toEqual(expect.arrayContaining(['checkpoint', 'records', 'pdf', 'zip']));
  });

  it('the WACZ holds every payload byte for byte, a conversion record for the redacted copy, a sorted CDXJ that points at each record, and a signed manifest', async () => {
    const wacz = new Map((await unzip(entries.get('records-request-r-2026-0007-city-of-bozeman.wacz') as Buffer)).map((e) => [e.name, e]));
    expect([...wacz.keys()].sort()).toEqual(['archive/data.warc.gz', 'datapackage-digest.json', 'datapackage.json', 'indexes/index.cdxj', 'pages/pages.jsonl']);
    expect(wacz.get('archive/data.warc.gz')?.method).toBe(0); // STORED
    const dp = JSON.parse(wacz.get('datapackage.json')!.bytes.toString('utf8')) as { profile: string; wacz_version: string; title: string; resources: Array<{ path: string; hash: string; bytes: number }> };
    expect(dp).toMatchObject({ profile: 'data-package', wacz_version: '1.1.1', title: 'Records request R-2026-0007 — City of Bozeman' });
    expect(dp.resources.map((r) => r.path).sort()).toEqual(['archive/data.warc.gz', 'indexes/index.cdxj', 'pages/pages.jsonl']);
    for (const r of dp.resources) {
      const file = wacz.get(r.path)!.bytes;
      expect({ path: r.path, hash: r.hash, bytes: r.bytes }).toEqual({ path: r.path, hash: `sha256:${createHash('sha256').update(file).digest('hex')}`, bytes: file.length });
    }
    const digest = JSON.parse(wacz.get('datapackage-digest.json')!.bytes.toString('utf8')) as { path: string; hash: string; signedData: { hash: string; signature: string; publicKey: string } };
    expect(digest.hash).toBe(`sha256:${createHash('sha256').update(wacz.get('datapackage.json')!.bytes).digest('hex')}`);
    const key = createPublicKey({ key: Buffer.from(digest.signedData.publicKey, 'base64'), format: 'der', type: 'spki' });
    expect(verify(null, Buffer.from(digest.hash), key, Buffer.from(digest.signedData.signature, 'base64'))).toBe(true);
    const altered = `${digest.hash.slice(0, -1)}${digest.hash.endsWith('0') ? '1' : '0'}`;
    expect(verify(null, Buffer.from(altered), key, Buffer.from(digest.signedData.signature, 'base64'))).toBe(false);
    // The same key as the checkpoint's verifier key (vkey: name+id+base64(0x01 || key)).
    const vkey = entries.get('proof/vkey.txt')!.toString('utf8').trim();
    expect(key.export({ format: 'der', type: 'spki' }).subarray(-32)).toEqual(Buffer.from(vkey.split('+').slice(2).join('+'), 'base64').subarray(1));

    const warc = wacz.get('archive/data.warc.gz')!.bytes;
    const types: string[] = [];
    const urn = (id: string) => `urn:civicdesk:bozeman:record:${id}`;
    for await (const record of new WARCParser([warc])) {
      types.push(record.warcType ?? '');
      const payload = Buffer.from(await record.readFully());
      const id = record.warcHeaders.headers.get('CivicDesk-Record-ID');
      const content = record.warcHeaders.headers.get('CivicDesk-Content');
      if (content === 'media') expect(payload.equals(MEDIA)).toBe(true);
      else if (record.warcType === 'resource' || record.warcType === 'conversion') {
        const stored = await database.db.selectFrom('archive_contents').select(['payload', 'evidence']).where('record_id', '=', id as string).executeTakeFirstOrThrow();
        expect(payload.equals(Buffer.from((content === 'evidence' ? stored.evidence : stored.payload)!))).toBe(true);
      }
      if (record.warcType === 'conversion') {
        expect(id).toBe(ids.derived);
        expect(record.warcHeaders.headers.get('WARC-Refers-To')).toBe(`<${urn(ids.phone)}>`);
      }
    }
    expect(types.filter((t) => t === 'warcinfo')).toHaveLength(1);
    expect(types.filter((t) => t === 'resource')).toHaveLength(11); // 9 payloads, 1 evidence, 1 image
    expect(types.filter((t) => t === 'conversion')).toHaveLength(1);
    expect(types.filter((t) => t === 'metadata')).toHaveLength(10);

    const cdx = wacz.get('indexes/index.cdxj')!.bytes.toString('utf8').trim().split('\n');
    expect(cdx).toEqual([...cdx].sort());
    expect(cdx).toHaveLength(22);
    for (const line of cdx) {
      const fields = JSON.parse(line.slice(line.indexOf('{'))) as { url: string; offset: string; length: string; digest: string; filename: string };
      const member = gunzipSync(warc.subarray(Number(fields.offset), Number(fields.offset) + Number(fields.length))).toString('utf8');
      expect(member.startsWith('WARC/1.1\r\n')).toBe(true);
      expect(member).toContain(`WARC-Target-URI: ${fields.url}\r\n`);
      expect(member).toContain(`WARC-Payload-Digest: ${fields.digest}\r\n`);
    }
    const pages = wacz.get('pages/pages.jsonl')!.bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(pages[0]).toEqual({ format: 'json-pages-1.0', id: 'pages', title: 'Records request R-2026-0007 — City of Bozeman', hasText: true });
    expect(pages.slice(1).map((p) => p.id).sort()).toEqual([ids.p, ids.kept, ids.spam, ids.intl, ids.formula, ids.long, ids.derived].sort());
    expect(pages.find((p) => p.id === ids.p)?.url).toBe(post);
  });

  it('the PDF renders, opens with the cover letter, and marks deletions, hides and redactions in plain words', () => {
    const dir = scratch('civicdesk-pdf-');
    writeFileSync(join(dir, 'records.pdf'), entries.get('records.pdf')!);
    execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', join(dir, 'records.pdf'), join(dir, 'page')]);
    const png = readFileSync(join(dir, 'page-1.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const first = execFileSync('pdftotext', ['-layout', '-f', '1', '-l', '1', join(dir, 'records.pdf'), '-'], { encoding: 'utf8' });
    expect(first).toContain('Enclosed are the records responsive to your request');
    const all = execFileSync('pdftotext', [join(dir, 'records.pdf'), '-'], { encoding: 'utf8' });
    expect(all).toContain('Deleted on 2026-03-05 08:30 UTC by its author');
    expect(all).toMatch(/Hidden on .* by Jane Doe \(clause aup-6b\)/);
    expect(all).toContain('Redacted: b6');
    expect(all).toMatch(/Hidden on .* by Jane Doe \(clause aup-3\)/); // the redacted comment's own hide, without the note that quoted it
    expect(all).toContain('Call me at [REDACTED: b6] about the fence');
    expect(all).toContain('naïve café fine');
    expect(all).toContain(KEPT);
    expect(all).not.toContain(SECRET);
    expect(all).toContain('[... 640,003 more characters: see records.csv or the WACZ]'); // 660,003 code points, 20,000 shown
  });

  it('the CSV has one row per record, quoted per RFC 4180, with formulas neutralised', () => {
    const rows = parseCsv(entries.get('records.csv')!.toString('utf8').replace(/^\ufeff/, ''));
    const [header, ...body] = rows;
    expect(body).toHaveLength(10);
    expect(byIdText(body, header, ids.long)).toBe(LONG); // the whole megabyte, where the PDF stops at 20,000 characters
    const col = (name: string) => header.indexOf(name);
    const byId = new Map(body.map((r) => [r[col('record_id')], r]));
    expect(byId.get(ids.formula)?.[col('text')]).toBe('\'=HYPERLINK("http://evil.test","click")');
    expect(byId.get(ids.kept)?.[col('deleted')]).toContain('Deleted on 2026-03-05');
    expect(byId.get(ids.spam)?.[col('hidden_or_moderated')]).toContain('clause aup-6b');
    expect(byId.get(ids.derived)).toEqual(expect.arrayContaining(['yes', 'b6', ids.phone]));
    expect(byId.get(ids.intl)?.[col('text')]).toBe('Привет 👋 — naïve café ﬁne, Łódź 東京');
    expect(byId.has(ids.phone)).toBe(false);
  });

  it('the proof folder verifies offline with the bundled verifier', async () => {
    const dir = scratch('civicdesk-proof-');
    for (const [name, bytes] of entries) {
      if (!name.startsWith('proof/') || name.endsWith('/')) continue;
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), bytes);
    }
    const out = execFileSync(process.execPath, ['proof/verify-bundle.mjs', 'proof'], { cwd: dir, encoding: 'utf8' });
    expect(out).toMatch(/^OK: 10 of 10 records verified/m);
    expect(out).not.toContain('WARN'); // the post's image is there, under its hash
    for (const blob of [MEDIA, EVIDENCE]) expect(entries.get(`proof/blobs/${createHash('sha256').update(blob).digest('hex')}`)).toEqual(blob);
    const records = entries.get('proof/records.jsonl')!.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { recordId: string; leafIndex: number; proof: string[] });
    expect(records.map((r) => r.recordId)).not.toContain(ids.phone);
    // The batched proofs are the archive's own proofs against the same checkpoint.
    for (const r of records) expect(r.proof).toEqual((await proveInclusion(database.db, city.orgId, r.leafIndex, summary.checkpoint.size))?.proof);
  });

  it('nothing of the redacted original is anywhere in the package, while the search does find produced text', async () => {
    const all = new Map<string, Buffer>();
    for (const [name, bytes] of entries) await expand(name, bytes, all);
    const holding = (needle: string) => [...all].filter(([, bytes]) => bytes.includes(Buffer.from(needle, 'utf8'))).map(([where]) => where);
    expect(holding(SECRET)).toEqual([]);
    const original = await database.db.selectFrom('archive_contents').select(['payload', 'canonical']).where('record_id', '=', ids.phone).executeTakeFirstOrThrow();
    expect(holding(Buffer.from(original.payload!).toString('utf8'))).toEqual([]);
    expect(holding(original.canonical)).toEqual([]);
    // The same search finds an unredacted comment in each kind of file, so it would have found the secret.
    const found = holding(KEPT).join('\n');
    for (const where of ['records.csv', 'records.pdf#stream', 'data.warc.gz#member', 'proof/records.jsonl:', 'pages/pages.jsonl']) expect(found).toContain(where);
  });

  it('refuses to produce an original alongside its redacted copy, or a record the archive does not have', async () => {
    const outFile = join(scratch('civicdesk-production-test-'), 'bad.zip');
    const input = { orgId: city.orgId, title: 'Bad', coverLetter: '', outFile, redacted: [{ derivedRecordId: ids.derived, originalRecordId: ids.phone }] };
    await expect(buildProductionPackage(deps, { ...input, recordIds: [ids.phone] })).rejects.toThrow(/also replaced by a redacted copy/);
    await expect(buildProductionPackage(deps, { ...input, recordIds: ['no-such-record'] })).rejects.toThrow(/not in this city's archive/);
    await expect(buildProductionPackage(deps, { ...input, recordIds: [], redacted: [{ derivedRecordId: ids.kept, originalRecordId: ids.phone }] })).rejects.toThrow(/not a redacted copy/);
  });
});
