// A file written front to back with its SHA-256 and size computed on the way, so a package's
// manifests never re-read what was just written. Writes are batched into 1 MiB synchronous writes:
// the producers are CPU-bound loops, and a sync write of a full buffer costs less than a stream's
// per-chunk bookkeeping.
import { closeSync, openSync, writeSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';

const FLUSH_AT = 1 << 20;

export interface SinkResult {
  path: string;
  bytes: number;
  sha256: string;
}

export class FileSink {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Bytes written so far, including those still buffered: the offset of the next write. */
  get offset(): number {
    return this.written + this.pendingBytes;
  }

  write(chunk: string | Uint8Array): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.pending.push(buf);
    this.pendingBytes += buf.byteLength;
    if (this.pendingBytes >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.hash.update(all);
    for (let at = 0; at < all.byteLength;) at += writeSync(this.fd, all, at, all.byteLength - at);
    this.written += all.byteLength;
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(): SinkResult {
    if (this.closed) throw new Error(`${this.path} is already closed`);
    this.flush();
    closeSync(this.fd);
    this.closed = true;
    return { path: this.path, bytes: this.written, sha256: this.hash.digest('hex') };
  }

  /** Closes without a result, for error paths. */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
