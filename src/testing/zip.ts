// Test helpers for production packages: read a ZIP's files, and every byte a requester could get
// at (nested ZIPs such as the WACZ opened, gzip members such as the WARC and PDF streams inflated),
// so a test can search them all for text that must not be there.
import { gunzipSync, inflateSync } from 'node:zlib';
import yauzl from 'yauzl';

/** The ZIP's files (directories left out), by name. */
export function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => { out.set(entry.fileName, Buffer.concat(chunks)); zip.readEntry(); });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Every file's bytes as a reader would get them: nested ZIPs (the WACZ) opened, gzip (WARC) and PDF streams inflated. */
export async function readable(bytes: Buffer, prefix = ''): Promise<Map<string, Buffer>> {
  const all = new Map<string, Buffer>();
  for (const [name, data] of await unzip(bytes)) {
    all.set(prefix + name, data);
    if (data.subarray(0, 2).equals(Buffer.from('PK'))) for (const [n, d] of await readable(data, `${prefix}${name}!`)) all.set(n, d);
    if (data[0] === 0x1f && data[1] === 0x8b) all.set(`${prefix}${name}#gunzip`, gunzipSync(data));
    if (name.endsWith('.pdf')) {
      const text = data.toString('latin1');
      const streams = [...text.matchAll(/stream\r?\n/g)].map((m) => {
        const start = (m.index ?? 0) + m[0].length;
        try {
          return inflateSync(data.subarray(start, text.indexOf('endstream', start)));
        } catch {
          return Buffer.alloc(0); // not a deflated stream (an image, a font)
        }
      });
      all.set(`${prefix}${name}#streams`, Buffer.concat(streams));
    }
  }
  return all;
}
