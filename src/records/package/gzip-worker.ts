// Gzip of WARC records on a worker thread. Each record is its own gzip member, so each costs a fresh
// deflate set-up (~15–50 µs, more than compressing 2 KB): at 100k records that was the largest
// single cost on the main thread. A second thread does it while the main thread reads and
// serialises the next page. The worker's source is inline (CommonJS, node built-ins only) so it runs
// the same from tsx, vitest and the compiled dist/ without a separate file to resolve.
import { Worker } from 'node:worker_threads';

/** An 8 KiB window still spans a typical record whole, and sets up several times faster than 32 KiB. */
export const GZIP_OPTIONS = { windowBits: 13, memLevel: 5, chunkSize: 4096 };

const SOURCE = `
const { parentPort } = require('node:worker_threads');
const { gzipSync } = require('node:zlib');
parentPort.on('message', ({ id, data, lengths, options }) => {
  try {
    const input = Buffer.from(data);
    const members = [];
    let total = 0;
    let at = 0;
    for (const n of lengths) {
      const member = gzipSync(input.subarray(at, at + n), options);
      members.push(member);
      total += member.length;
      at += n;
    }
    const out = new Uint8Array(total);
    const sizes = [];
    let o = 0;
    for (const m of members) { out.set(m, o); o += m.length; sizes.push(m.length); }
    parentPort.postMessage({ id, data: out.buffer, sizes }, [out.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.stack || error) });
  }
});
`;

interface Reply {
  id: number;
  data?: ArrayBuffer;
  sizes?: number[];
  error?: string;
}

export class GzipWorker {
  private readonly worker = new Worker(SOURCE, { eval: true });
  private readonly pending = new Map<number, { resolve: (members: Buffer[]) => void; reject: (err: Error) => void }>();
  private next = 0;
  private failure: Error | null = null;

  constructor() {
    this.worker.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.error !== undefined || !reply.data || !reply.sizes) return waiter.reject(new Error(`gzip worker: ${reply.error ?? 'no data'}`));
      const all = Buffer.from(reply.data);
      const members: Buffer[] = [];
      let at = 0;
      for (const n of reply.sizes) {
        members.push(all.subarray(at, at + n));
        at += n;
      }
      waiter.resolve(members);
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const waiter of this.pending.values()) waiter.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => { if (this.pending.size > 0) fail(new Error(`gzip worker exited (${code})`)); });
  }

  /** One gzip member per input, in order. Inputs are copied: the caller's buffers stay usable. */
  gzip(inputs: readonly Uint8Array[]): Promise<Buffer[]> {
    if (this.failure) return Promise.reject(this.failure);
    let total = 0;
    for (const b of inputs) total += b.byteLength;
    // A fresh buffer to transfer: a Buffer's own ArrayBuffer may be Node's shared pool.
    const data = new Uint8Array(total);
    let at = 0;
    for (const b of inputs) {
      data.set(b, at);
      at += b.byteLength;
    }
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, data: data.buffer, lengths: inputs.map((b) => b.byteLength), options: GZIP_OPTIONS }, [data.buffer]);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
