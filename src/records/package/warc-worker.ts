// WARC records are built, serialised (warcio's WARCRecord and WARCSerializer) and gzipped on a
// worker thread, a page at a time, while the main thread reads the next page and computes its
// proofs. At 100k records this work (200k records, each its own gzip member with a fresh deflate
// set-up) was ~7 s of the main thread's time. The worker's source is inline CommonJS that loads
// warcio's CommonJS build by absolute path, so it runs the same under tsx, vitest and dist/.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** An 8 KiB window still spans a typical record whole, and sets up several times faster than 32 KiB. */
export const GZIP_OPTIONS = { windowBits: 13, memLevel: 5, chunkSize: 4096 };

/** One WARC record to write: warcio fills in Content-Length; digests are set by the worker. */
export interface WarcSpec {
  type: 'resource' | 'metadata' | 'conversion';
  date: string;
  /** WARC-Record-ID, WARC-Target-URI, WARC-Date, Content-Type and extension headers, in order; no control characters. */
  headers: Array<[string, string]>;
  body: Uint8Array;
}

// A page of records crosses to the worker as one string and one transferred buffer, not as
// thousands of small objects for structured clone to copy one by one. Header values carry no
// control characters (warc.ts replaces them), so \x01 and \x02 can separate fields and records.
const FIELD = '\x01';
const RECORD = '\x02';

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { gzipSync } = require('node:zlib');
const { createHash } = require('node:crypto');
const { WARCRecord, WARCSerializer } = require(workerData.warcio);
parentPort.on('message', async ({ id, text, bodies, lengths }) => {
  try {
    const all = Buffer.from(bodies);
    const members = [];
    const digests = [];
    let total = 0;
    let at = 0;
    const records = text.split('${RECORD}');
    for (let i = 0; i < records.length; i++) {
      const [type, date, ...fields] = records[i].split('${FIELD}');
      const body = all.subarray(at, at + lengths[i]);
      at += lengths[i];
      const digest = 'sha256:' + createHash('sha256').update(body).digest('hex');
      // Records without HTTP headers: block and payload are the same bytes. Both digests set here
      // keep warcio from hashing again in WebAssembly; no \`url\` option: the target is in the headers.
      const headers = [['WARC-Type', type]];
      for (let f = 0; f < fields.length; f += 2) headers.push([fields[f], fields[f + 1]]);
      headers.push(['WARC-Payload-Digest', digest], ['WARC-Block-Digest', digest]);
      const record = WARCRecord.create({ type, date, warcVersion: 'WARC/1.1', warcHeaders: headers }, [body]);
      const member = gzipSync(await WARCSerializer.serialize(record), workerData.gzip);
      members.push(member);
      digests.push(digest);
      total += member.length;
    }
    const data = new Uint8Array(total);
    const sizes = [];
    let o = 0;
    for (const m of members) { data.set(m, o); o += m.length; sizes.push(m.length); }
    parentPort.postMessage({ id, data: data.buffer, sizes, digests }, [data.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.stack) || error) });
  }
});
`;

interface Reply {
  id: number;
  data?: ArrayBuffer;
  sizes?: number[];
  digests?: string[];
  error?: string;
}

export interface WrittenBatch {
  /** One gzip member per spec, in order. */
  members: Buffer[];
  /** "sha256:<hex>" of each spec's body. */
  digests: string[];
}

export class WarcWorker {
  private readonly worker = new Worker(SOURCE, {
    eval: true,
    workerData: { warcio: createRequire(import.meta.url).resolve('warcio'), gzip: GZIP_OPTIONS },
  });
  private readonly pending = new Map<number, { resolve: (batch: WrittenBatch) => void; reject: (err: Error) => void }>();
  private next = 0;
  private failure: Error | null = null;

  constructor() {
    this.worker.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.error !== undefined || !reply.data || !reply.sizes || !reply.digests) {
        waiter.reject(new Error(`WARC worker: ${reply.error ?? 'no data'}`));
        return;
      }
      const all = Buffer.from(reply.data);
      const members: Buffer[] = [];
      let at = 0;
      for (const n of reply.sizes) {
        members.push(all.subarray(at, at + n));
        at += n;
      }
      waiter.resolve({ members, digests: reply.digests });
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const waiter of this.pending.values()) waiter.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (this.pending.size > 0) fail(new Error(`WARC worker exited (${code})`));
    });
  }

  /** Serialises and gzips the records; their bodies are copied, the caller's stay usable. */
  write(specs: readonly WarcSpec[]): Promise<WrittenBatch> {
    if (this.failure) return Promise.reject(this.failure);
    if (specs.length === 0) return Promise.resolve({ members: [], digests: [] });
    let total = 0;
    for (const spec of specs) total += spec.body.byteLength;
    // A fresh buffer to transfer: a Buffer's own ArrayBuffer may be Node's shared pool.
    const bodies = new Uint8Array(total);
    const lengths: number[] = [];
    let at = 0;
    for (const spec of specs) {
      bodies.set(spec.body, at);
      at += spec.body.byteLength;
      lengths.push(spec.body.byteLength);
    }
    const text = specs.map((spec) => [spec.type, spec.date, ...spec.headers.flat()].join(FIELD)).join(RECORD);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, text, bodies: bodies.buffer, lengths }, [bodies.buffer]);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
