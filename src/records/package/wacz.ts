// The WACZ (Web Archive Collection Zipped, specs.webrecorder.net/wacz/1.1.1 and the 1.2.0 draft):
// a ZIP of archive/data.warc.gz, indexes/index.cdxj, pages/pages.jsonl, datapackage.json (every
// file's size and SHA-256) and datapackage-digest.json (the manifest's hash, signed).
//
// Signing follows WACZ Signing and Verification 0.1.0's "anonymous signature" shape (signedData:
// hash, created, software, signature, publicKey), but with the city's Ed25519 archive key — the key
// that signs its checkpoints (proof/vkey.txt) — where WACZ tools use ECDSA P-256. Tools that only
// know ECDSA will not verify it; the MANIFEST says how to, with node:crypto.
import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { FileSink, type SinkResult } from './sink.js';
import { WARC_NAME } from './warc.js';
import { writeZip } from './zip.js';

export const WACZ_VERSION = '1.1.1';

export interface PageEntry {
  id: string;
  url: string;
  ts: string;
  title: string;
  text: string;
}

/** pages/pages.jsonl: a header line, then one line per post or comment. */
export class PagesWriter {
  private readonly sink: FileSink;

  constructor(path: string, title: string) {
    this.sink = new FileSink(path);
    this.sink.write(`${JSON.stringify({ format: 'json-pages-1.0', id: 'pages', title, hasText: true })}\n`);
  }

  add(page: PageEntry): void {
    this.sink.write(`${JSON.stringify(page)}\n`);
  }

  close(): SinkResult {
    return this.sink.close();
  }

  abandon(): void {
    this.sink.abandon();
  }
}

export interface WaczInput {
  dir: string;
  out: string;
  title: string;
  description: string;
  created: Date;
  warc: SinkResult;
  cdxj: string[];
  pages: SinkResult;
  privateKey: KeyObject;
  /** The city's checkpoint verifier key, tying this signature to proof/vkey.txt. */
  vkey: string;
}

export interface WaczResult {
  bytes: number;
  sha256: string;
  datapackageHash: string;
}

const prefixed = (hex: string) => `sha256:${hex}`;

export async function writeWacz(input: WaczInput): Promise<WaczResult> {
  // CDXJ is sorted by its key (SURT, then timestamp) so readers can binary-search it.
  input.cdxj.sort();
  const index = new FileSink(join(input.dir, 'index.cdxj'));
  for (const line of input.cdxj) index.write(`${line}\n`);
  const indexFile = index.close();

  const created = input.created.toISOString();
  const resources = [
    { name: WARC_NAME, path: `archive/${WARC_NAME}`, file: input.warc },
    { name: 'index.cdxj', path: 'indexes/index.cdxj', file: indexFile },
    { name: 'pages.jsonl', path: 'pages/pages.jsonl', file: input.pages },
  ];
  const datapackage = Buffer.from(`${JSON.stringify({
    profile: 'data-package',
    wacz_version: WACZ_VERSION,
    title: input.title,
    description: input.description,
    created,
    modified: created,
    software: 'CivicDesk',
    resources: resources.map((r) => ({ name: r.name, path: r.path, hash: prefixed(r.file.sha256), bytes: r.file.bytes })),
  }, null, 2)}\n`, 'utf8');
  const hash = prefixed(createHash('sha256').update(datapackage).digest('hex'));
  // What is signed is the UTF-8 text of `hash` ("sha256:<hex>"), as WACZ signers do.
  const signature = sign(null, Buffer.from(hash, 'utf8'), input.privateKey).toString('base64');
  const publicKey = createPublicKey(input.privateKey).export({ format: 'der', type: 'spki' }).toString('base64');
  const digest = Buffer.from(`${JSON.stringify({
    path: 'datapackage.json',
    hash,
    signedData: { hash, created, software: 'CivicDesk', signatureAlgorithm: 'Ed25519', signature, publicKey, vkey: input.vkey },
  }, null, 2)}\n`, 'utf8');

  const zip = await writeZip(input.out, [
    // WACZ: already-compressed WARC data is STORED so readers can seek into it by CDXJ offset.
    { name: `archive/${WARC_NAME}`, file: input.warc.path, compress: false },
    { name: 'indexes/index.cdxj', file: indexFile.path, compress: true },
    { name: 'pages/pages.jsonl', file: input.pages.path, compress: true },
    { name: 'datapackage.json', buffer: datapackage, compress: false },
    { name: 'datapackage-digest.json', buffer: digest, compress: false },
  ], input.created);
  return { ...zip, datapackageHash: hash };
}
