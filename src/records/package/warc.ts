// The WACZ's archive/data.warc.gz (WARC/1.1, one gzip member per record so any record can be read
// alone at its CDXJ offset). Per produced record: a `resource` record with the platform's raw payload
// verbatim, then a `metadata` record with the archive's canonical bytes (what the Merkle leaf
// commits to). A redacted copy is a `conversion` record: the redacted rendering, WARC-Refers-To the
// original's record id, and none of the original's bytes. Evidence and media follow as resources.
//
// Records are built and serialised by warcio; digests are set beforehand with node:crypto (warcio
// would otherwise hash each record in WebAssembly) and gzip runs on a worker thread, a page behind.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { getSurt, WARCRecord, WARCSerializer } from 'warcio';
import { GZIP_OPTIONS, GzipWorker } from './gzip-worker.js';
import { FileSink, type SinkResult } from './sink.js';
import type { ContentRow, Produced } from './select.js';

export const WARC_NAME = 'data.warc.gz';

export interface CanonicalView {
  payload?: { type?: string };
  evidence?: { type?: string } | null;
  media?: Array<{ sha256: string; mime: string }>;
}

const sha256Digest = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const headerValue = (v: string): string => v.replace(/[\r\n]+/g, ' ');

export function recordUrn(slug: string, id: string): string {
  return `urn:civicdesk:${slug}:record:${id}`;
}

/** The platform's own address for a post or comment when its id is one (or maps to one). */
export function platformUrl(p: Produced): string | null {
  const id = p.platformId;
  if (!id || p.redaction) return null;
  if (/^https?:\/\//i.test(id) || id.startsWith('at://')) return id;
  if (p.platform === 'facebook' && /^\d+(_\d+)*$/.test(id)) return `https://www.facebook.com/${id}`;
  return null;
}

function record(type: 'resource' | 'metadata' | 'conversion', url: string, date: string, id: string, contentType: string, body: Uint8Array, extra: Record<string, string>): WARCRecord {
  const digest = sha256Digest(body);
  // warcio sets type, target and date itself; naming them first keeps them at the top of the header block.
  const warcHeaders: Record<string, string> = {
    'WARC-Type': type, 'WARC-Record-ID': `<${id}>`, 'WARC-Target-URI': headerValue(url), 'WARC-Date': date, 'Content-Type': headerValue(contentType),
    // For records without HTTP headers block and payload are the same bytes.
    'WARC-Payload-Digest': digest, 'WARC-Block-Digest': digest,
  };
  for (const [k, v] of Object.entries(extra)) warcHeaders[k] = headerValue(v);
  // No `url` option: warcio would run every target through `new URL()` (~10 µs a record), and ours are already final.
  return WARCRecord.create({ date, type, warcVersion: 'WARC/1.1', warcHeaders }, [body]);
}

export interface WarcContext {
  slug: string;
  /** Media by SHA-256, from the blob store. */
  media(sha256: string): Promise<Uint8Array | null>;
  /** Media already written to this WARC (each blob once per package). */
  mediaDone: Set<string>;
}

/** The WARC records for one produced record, and what pages.jsonl says about it. */
export async function warcRecordsFor(p: Produced, row: ContentRow, canonical: CanonicalView, ctx: WarcContext): Promise<{ records: WARCRecord[]; url: string }> {
  const urn = recordUrn(ctx.slug, p.id);
  const url = platformUrl(p) ?? urn;
  const date = p.capturedAt;
  const common: Record<string, string> = { 'CivicDesk-Record-ID': p.id, 'CivicDesk-Leaf-Index': String(p.leafIndex), 'CivicDesk-Kind': p.kind };
  if (p.platform) common['CivicDesk-Platform'] = p.platform;
  if (p.accountId) common['CivicDesk-Account'] = p.accountId;
  if (p.platformId && !p.redaction) common['CivicDesk-Platform-ID'] = p.platformId;
  const payload = row.payload ?? new Uint8Array(0);
  const type = canonical.payload?.type ?? 'application/octet-stream';
  const records: WARCRecord[] = [];
  if (p.redaction) {
    records.push(record('conversion', url, date, urn, type, payload, {
      ...common, 'WARC-Refers-To': `<${recordUrn(ctx.slug, p.redaction.originalId)}>`,
      'CivicDesk-Derived-From': p.redaction.originalId, 'CivicDesk-Redactions': p.redaction.codes.join(', '),
    }));
  } else {
    records.push(record('resource', url, date, urn, type, payload, common));
  }
  records.push(record('metadata', url, date, `${urn}:canonical`, 'application/json', Buffer.from(row.canonical, 'utf8'), {
    ...common, 'WARC-Refers-To': `<${urn}>`, 'CivicDesk-Content': 'canonical record (the Merkle leaf is SHA-256 of 0x00 || these bytes)',
  }));
  if (row.evidence) {
    records.push(record('resource', `${urn}:evidence`, date, `${urn}:evidence`, canonical.evidence?.type ?? 'application/octet-stream', row.evidence, {
      ...common, 'WARC-Concurrent-To': `<${urn}>`, 'CivicDesk-Content': 'evidence',
    }));
  }
  for (const m of canonical.media ?? []) {
    if (ctx.mediaDone.has(m.sha256)) continue;
    const bytes = await ctx.media(m.sha256);
    if (!bytes) continue;
    ctx.mediaDone.add(m.sha256);
    const blobUrn = `urn:civicdesk:${ctx.slug}:blob:${m.sha256}`;
    records.push(record('resource', blobUrn, date, blobUrn, m.mime, bytes, { 'WARC-Concurrent-To': `<${urn}>`, 'CivicDesk-Content': 'media' }));
  }
  return { records, url };
}

export interface Serialized {
  records: WARCRecord[];
  gzipped: Promise<Buffer[]>;
}

export class WarcWriter {
  private readonly sink: FileSink;
  private readonly gzip = new GzipWorker();
  /** Unsorted CDXJ lines: small (a few hundred bytes per record), sorted once at the end. */
  readonly cdxj: string[] = [];

  constructor(path: string) {
    this.sink = new FileSink(path);
  }

  /** Serialises now (this thread) and starts compressing (the worker); `append` the result later, in order. */
  async serialize(records: WARCRecord[]): Promise<Serialized> {
    const raw: Uint8Array[] = [];
    for (const r of records) raw.push(await WARCSerializer.serialize(r));
    const gzipped = this.gzip.gzip(raw);
    gzipped.catch(() => undefined); // awaited in append; never an unhandled rejection meanwhile
    return { records, gzipped };
  }

  async append(batch: Serialized): Promise<void> {
    const members = await batch.gzipped;
    batch.records.forEach((r, i) => {
      const member = members[i];
      const offset = this.sink.offset;
      this.sink.write(member);
      const url = r.warcTargetURI ?? '';
      const timestamp = (r.warcDate ?? '').replace(/[-:T]/g, '').slice(0, 14);
      this.cdxj.push(`${getSurt(url)} ${timestamp} ${JSON.stringify({
        url, mime: r.warcContentType ?? 'application/octet-stream', digest: r.warcPayloadDigest ?? '',
        length: String(member.byteLength), offset: String(offset), filename: WARC_NAME, type: r.warcType,
      })}`);
    });
  }

  /** The warcinfo record that opens the file. */
  async info(title: string, created: string): Promise<void> {
    const info = WARCRecord.createWARCInfo({ filename: WARC_NAME, warcVersion: 'WARC/1.1', date: created }, {
      software: 'CivicDesk', format: 'WARC File Format 1.1', conformsTo: 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/',
      description: headerValue(title),
    });
    const member = gzipSync(await WARCSerializer.serialize(info), GZIP_OPTIONS);
    this.sink.write(member);
  }

  async close(): Promise<SinkResult> {
    await this.gzip.close();
    return this.sink.close();
  }

  abandon(): void {
    this.sink.abandon();
    void this.gzip.close();
  }
}
