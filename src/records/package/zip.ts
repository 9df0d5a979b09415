// Writing a ZIP with yazl to a file, hashing it on the way out. Entries are compressed (on libuv's
// thread pool) and written as soon as they are added, so a package can add its finished files
// while it is still producing others. yazl walks its entry list from the start each time it looks
// for the next entry to write, so its cost grows with the square of the number of entries (100k
// entries took ~30–50 s here): packages are laid out with few, large entries.
import { createWriteStream, type WriteStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export type ZipEntry =
  | { name: string; file: string; compress: boolean; /** deflate level, 6 unless set */ level?: number }
  | { name: string; buffer: Buffer; compress: boolean }
  | { name: string; directory: true };

export class ZipWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly file: WriteStream;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private readonly done: Promise<void>;
  /** Entry names in the order they were added (and are written). */
  readonly names: string[] = [];

  constructor(path: string, private readonly mtime: Date) {
    this.file = createWriteStream(path);
    const tap = new Transform({
      transform: (chunk: Buffer, _enc, next) => {
        this.hash.update(chunk);
        this.bytes += chunk.byteLength;
        next(null, chunk);
      },
    });
    this.done = pipeline(this.zip.outputStream, tap, this.file);
    this.done.catch(() => undefined); // awaited in finish(); an abandoned ZIP's error is expected
  }

  add(e: ZipEntry): void {
    const mtime = this.mtime;
    if ('directory' in e) this.zip.addEmptyDirectory(e.name, { mtime });
    else if ('file' in e) this.zip.addFile(e.file, e.name, { compressionLevel: e.compress ? e.level ?? 6 : 0, mtime });
    else this.zip.addBuffer(e.buffer, e.name, { compressionLevel: e.compress ? 6 : 0, mtime });
    this.names.push(e.name);
  }

  async finish(): Promise<{ bytes: number; sha256: string }> {
    this.zip.end();
    await this.done;
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  abandon(): void {
    this.file.destroy();
  }
}

export async function writeZip(path: string, entries: readonly ZipEntry[], mtime: Date): Promise<{ bytes: number; sha256: string }> {
  const zip = new ZipWriter(path, mtime);
  for (const e of entries) zip.add(e);
  return zip.finish();
}
