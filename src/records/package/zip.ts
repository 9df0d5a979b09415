// Writing a ZIP with yazl to a file, hashing it on the way out. yazl walks its entry list from the
// start each time it looks for the next entry to write, so its cost grows with the square of the
// number of entries (100k entries took ~30–50 s here): packages are laid out with few, large entries.
import { createWriteStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export type ZipEntry =
  | { name: string; file: string; compress: boolean; /** deflate level, 6 unless set */ level?: number }
  | { name: string; buffer: Buffer; compress: boolean }
  | { name: string; directory: true };

export async function writeZip(path: string, entries: readonly ZipEntry[], mtime: Date): Promise<{ bytes: number; sha256: string }> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    if ('directory' in e) zip.addEmptyDirectory(e.name, { mtime });
    else if ('file' in e) zip.addFile(e.file, e.name, { compressionLevel: e.compress ? e.level ?? 6 : 0, mtime });
    else zip.addBuffer(e.buffer, e.name, { compressionLevel: e.compress ? 6 : 0, mtime });
  }
  zip.end();
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      done(null, chunk);
    },
  });
  await pipeline(zip.outputStream, tap, createWriteStream(path));
  return { bytes, sha256: hash.digest('hex') };
}
