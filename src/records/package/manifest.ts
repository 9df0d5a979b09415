// MANIFEST.txt: what each file of the production is, its SHA-256, and how a requester can check
// the production without trusting the city's software.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface ManifestInput {
  title: string;
  created: string;
  waczName: string;
  records: number;
  redacted: number;
  destroyed: readonly string[];
  checkpoint: { size: number; rootHash: string; origin: string };
  vkey: string;
  files: readonly ManifestFile[];
  blobs: number;
  pdfReplaced: number;
}

export async function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).byteLength;
  }
  return { bytes, sha256: hash.digest('hex') };
}

export function manifestText(m: ManifestInput): string {
  const lines = [
    m.title,
    '='.repeat(Math.min(78, m.title.length)),
    '',
    `Produced ${m.created} by CivicDesk from the city's archive (${m.checkpoint.origin}).`,
    `${m.records} record(s), of which ${m.redacted} are redacted copies standing in for records that are withheld in part.`,
    `Archive checkpoint: tree size ${m.checkpoint.size}, root hash ${m.checkpoint.rootHash}, signed by ${m.vkey}`,
  ];
  if (m.destroyed.length) lines.push(`Destroyed under the retention schedule before this request, so not produced: ${m.destroyed.join(', ')}`);
  lines.push(
    '',
    'FILES',
    '',
    'cover-letter.txt   The city\'s letter answering the request.',
    'records.pdf        For reading: the cover letter, then every record by thread (post, then comments), with',
    '                   author, times and what happened to it (deleted, hidden, removed, redacted).',
    m.pdfReplaced > 0
      ? `                   ${m.pdfReplaced} character(s) the PDF's built-in font cannot show are printed as "?" there.`
      : '                   Characters the PDF\'s built-in font cannot show would be printed as "?".',
    'records.csv        One row per record, for spreadsheets (UTF-8, RFC 4180). Cells that would start with',
    '                   = + - or @ begin with an apostrophe so a spreadsheet never runs them as formulas.',
    m.waczName,
    '                   The records as a web archive (WACZ 1.1.1, opens in ReplayWeb.page): each record\'s raw',
    '                   platform payload byte for byte (WARC "resource"), its canonical archive record',
    '                   (WARC "metadata"), redacted copies as WARC "conversion" records that refer to the',
    '                   withheld original by id only.',
    'proof/             Offline proof that each record is in the city\'s append-only archive (see below).',
    `                   blobs/ holds ${m.blobs} media/evidence file(s), each named by its SHA-256.`,
    '',
    'CHECKING THE PRODUCTION',
    '',
    '1. Records are in the archive. With Node.js 18 or later, in the folder where this ZIP was unpacked:',
    '     node proof/verify-bundle.mjs proof',
    '   It checks the checkpoint\'s Ed25519 signature against proof/vkey.txt, and every record\'s inclusion',
    '   proof against the checkpoint. Compare vkey.txt with the key the city publishes.',
    '2. Payloads match the records. Each WARC record\'s WARC-Payload-Digest equals payload.sha256 in the',
    '   canonical record (the WARC "metadata" record, and proof/records.jsonl).',
    '3. The WACZ is intact and from the city. datapackage.json lists every file in the WACZ with its SHA-256;',
    '   datapackage-digest.json holds the SHA-256 of datapackage.json and, in signedData, an Ed25519 signature',
    '   of that hash text ("sha256:...") by the same key as proof/vkey.txt (publicKey: base64 DER SPKI). WACZ',
    '   tools usually expect ECDSA signatures; check this one with Node:',
    '     node -e "const c=require(\'crypto\'),d=require(\'./datapackage-digest.json\').signedData;console.log(c.verify(null,Buffer.from(d.hash),{key:Buffer.from(d.publicKey,\'base64\'),format:\'der\',type:\'spki\'},Buffer.from(d.signature,\'base64\')))"',
    '   (run in the folder where the .wacz was unpacked; it prints true).',
    '4. Files are as listed below: compare each with sha256sum.',
    '',
    'SHA-256 AND SIZE OF EACH FILE',
    '',
    ...m.files.map((f) => `${f.sha256}  ${String(f.bytes).padStart(12)}  ${f.path}`),
    '',
  );
  return lines.join('\n');
}
