// The WACZ's archive/data.warc.gz (WARC/1.1, one gzip member per record so any record can be read
// alone at its CDXJ offset). Per produced record: a `resource` record with the platform's raw payload
// verbatim, then a `metadata` record with the archive's canonical bytes (what the Merkle leaf
// commits to). A redacted copy is a `conversion` record: the redacted rendering, WARC-Refers-To the
// original's record id, and none of the original's bytes. Evidence and media follow as resources.
//
// This module decides what the records say; warc-worker.ts has warcio build, serialise and gzip them
// on a worker thread, a page behind, and the offsets and CDXJ lines are kept here as members come back.
import { gzipSync } from 'node:zlib';
import { getSurt, WARCRecord, WARCSerializer } from 'warcio';
import { FileSink, type SinkResult } from './sink.js';
import { GZIP_OPTIONS, WarcWorker, type WarcSpec, type WrittenBatch } from './warc-worker.js';
import type { ContentRow, Produced } from './select.js';

export const WARC_NAME = 'data.warc.gz';

export interface CanonicalView {
  payload?: { type?: string };
  evidence?: { type?: string } | null;
  media?: Array<{ sha256: string; mime: string }>;
}

/** WARC header values are TEXT without control characters (and warc-worker.ts relies on that). */
const headerValue = (v: string): string => v.replace(/[\x00-\x1f\x7f]+/g, ' ');

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

function spec(type: WarcSpec['type'], url: string, date: string, id: string, contentType: string, body: Uint8Array, extra: Record<string, string>): WarcSpec {
  const headers: Array<[string, string]> = [
    ['WARC-Record-ID', `<${id}>`], ['WARC-Target-URI', headerValue(url)], ['WARC-Date', date], ['Content-Type', headerValue(contentType)],
  ];
  for (const [k, v] of Object.entries(extra)) headers.push([k, headerValue(v)]);
  return { type, date, headers, body };
}

export interface WarcContext {
  slug: string;
  /** Media by SHA-256, from the blob store. */
  media(sha256: string): Promise<Uint8Array | null>;
  /** Media already written to this WARC (each blob once per package). */
  mediaDone: Set<string>;
}

/** The WARC records for one produced record, and what pages.jsonl says about it. */
export async function warcSpecsFor(p: Produced, row: ContentRow, canonical: CanonicalView, ctx: WarcContext): Promise<{ specs: WarcSpec[]; url: string }> {
  const urn = recordUrn(ctx.slug, p.id);
  const url = platformUrl(p) ?? urn;
  const date = p.capturedAt;
  const common: Record<string, string> = { 'CivicDesk-Record-ID': p.id, 'CivicDesk-Leaf-Index': String(p.leafIndex), 'CivicDesk-Kind': p.kind };
  if (p.platform) common['CivicDesk-Platform'] = p.platform;
  if (p.accountId) common['CivicDesk-Account'] = p.accountId;
  if (p.platformId && !p.redaction) common['CivicDesk-Platform-ID'] = p.platformId;
  const payload = row.payload ?? new Uint8Array(0);
  const type = canonical.payload?.type ?? 'application/octet-stream';
  const records: WarcSpec[] = [];
  if (p.redaction) {
    records.push(spec('conversion', url, date, urn, type, payload, {
      ...common, 'WARC-Refers-To': `<${recordUrn(ctx.slug, p.redaction.originalId)}>`,
      'CivicDesk-Derived-From': p.redaction.originalId, 'CivicDesk-Redactions': p.redaction.codes.join(', '),
    }));
  } else {
    records.push(spec('resource', url, date, urn, type, payload, common));
  }
  records.push(spec('metadata', url, date, `${urn}:canonical`, 'application/json', Buffer.from(row.canonical, 'utf8'), {
    ...common, 'WARC-Refers-To': `<${urn}>`, 'CivicDesk-Content': 'canonical record (the Merkle leaf is SHA-256 of 0x00 || these bytes)',
  }));
  if (row.evidence) {
    records.push(spec('resource', `${urn}:evidence`, date, `${urn}:evidence`, canonical.evidence?.type ?? 'application/octet-stream', row.evidence, {
      ...common, 'WARC-Concurrent-To': `<${urn}>`, 'CivicDesk-Content': 'evidence',
    }));
  }
  for (const m of canonical.media ?? []) {
    if (ctx.mediaDone.has(m.sha256)) continue;
    const bytes = await ctx.media(m.sha256);
    if (!bytes) continue;
    ctx.mediaDone.add(m.sha256);
    const blobUrn = `urn:civicdesk:${ctx.slug}:blob:${m.sha256}`;
    records.push(spec('resource', blobUrn, date, blobUrn, m.mime, bytes, { 'WARC-Concurrent-To': `<${urn}>`, 'CivicDesk-Content': 'media' }));
  }
  return { specs: records, url };
}

export interface Serialized {
  specs: WarcSpec[];
  written: Promise<WrittenBatch>;
}

export class WarcWriter {
  private readonly sink: FileSink;
  private readonly worker = new WarcWorker();
  /** Unsorted CDXJ lines: small (a few hundred bytes per record), sorted once at the end. */
  readonly cdxj: string[] = [];

  constructor(path: string) {
    this.sink = new FileSink(path);
  }

  /** Hands the records to the worker; `append` the result later, in order. */
  serialize(specs: WarcSpec[]): Serialized {
    const written = this.worker.write(specs);
    written.catch(() => undefined); // awaited in append; never an unhandled rejection meanwhile
    return { specs, written };
  }

  async append(batch: Serialized): Promise<void> {
    const { members, digests } = await batch.written;
    batch.specs.forEach((spec, i) => {
      const member = members[i];
      const offset = this.sink.offset;
      this.sink.write(member);
      const header = (name: string) => spec.headers.find(([k]) => k === name)?.[1] ?? '';
      const url = header('WARC-Target-URI');
      this.cdxj.push(`${getSurt(url)} ${spec.date.replace(/[-:T]/g, '').slice(0, 14)} ${JSON.stringify({
        url, mime: header('Content-Type'), digest: digests[i], length: String(member.byteLength), offset: String(offset), filename: WARC_NAME, type: spec.type,
      })}`);
    });
  }

  /** The warcinfo record that opens the file. */
  async info(title: string, created: string): Promise<void> {
    const info = WARCRecord.createWARCInfo({ filename: WARC_NAME, warcVersion: 'WARC/1.1', date: created }, {
      software: 'CivicDesk', format: 'WARC File Format 1.1', conformsTo: 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/',
      description: headerValue(title),
    });
    this.sink.write(gzipSync(await WARCSerializer.serialize(info), GZIP_OPTIONS));
  }

  async close(): Promise<SinkResult> {
    await this.worker.close();
    return this.sink.close();
  }

  abandon(): void {
    this.sink.abandon();
    void this.worker.close();
  }
}
