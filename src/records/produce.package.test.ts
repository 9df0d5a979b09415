// A records request produced with the real package builder: the ZIP the requester gets carries the
// cover letter the Clerk's request wrote and the redacted copy's text, and none of the redacted words.
// (Every file format inside the package is checked byte by byte in package/package.test.ts.)
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity } from '../testing/app.js';
import { comment, testArchiveDeps } from '../testing/archive.js';
import { staffContext } from '../accounts/fixtures.js';
import { capture } from '../archive/capture.js';
import { verifyArchive } from '../archive/verify.js';
import { intakeRequest } from './requests.commands.js';
import { redactSpan, reviewRecord, searchCandidates } from './review.commands.js';
import { produceRequest } from './produce.js';

function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
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

/** The ZIP's entries, with nested ZIPs (the WACZ) opened and gzip files (WARC) inflated. */
async function contents(bytes: Buffer, prefix = ''): Promise<Map<string, Buffer>> {
  const all = new Map<string, Buffer>();
  for (const [name, data] of await unzip(bytes)) {
    all.set(prefix + name, data);
    if (data.subarray(0, 2).equals(Buffer.from('PK'))) for (const [n, d] of await contents(data, `${prefix}${name}!`)) all.set(n, d);
    if (data[0] === 0x1f && data[1] === 0x8b) all.set(`${prefix}${name}#gunzip`, gunzipSync(data));
  }
  return all;
}

describe.each(await availableBackends())('producing a records request with the real package on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => { database = await openTestDatabase(backend); });
  afterAll(async () => database?.dispose());

  it('the package holds the cover letter and the redacted text, never the redacted words', async () => {
    const town = await createTestCity(database.db, 'bozeman-mt', { slug: 'bozeman' });
    const archive = testArchiveDeps(database.db, database.dialect);
    const text = 'Pickleball courts: text Dana Doe at 406-555-0177 to book.';
    const [record, other] = await capture(archive, town.orgId, [comment(1, { text }), comment(2, { text: 'Pickleball is loud at night.' })]);
    const clerk = await staffContext(database.db, town.orgId, town.staffByRole.city_clerk!);
    const request = await intakeRequest(clerk, { requesterName: 'Rae Requester', requesterContact: 'rae@example.org', scope: 'Comments about pickleball' });
    await searchCandidates(clerk, archive, request.id, { text: 'Pickleball' });
    await reviewRecord(clerk, request.id, { recordId: record!.id, decision: 'include', reason: 'Responsive' });
    await reviewRecord(clerk, request.id, { recordId: other!.id, decision: 'include', reason: 'Responsive' });
    for (const secret of ['Dana Doe', '406-555-0177']) {
      await redactSpan(clerk, request.id, { recordId: record!.id, start: text.indexOf(secret), end: text.indexOf(secret) + secret.length, code: 'third-party-private' });
    }
    const produced = await produceRequest(clerk, { archive, productionsDir: mkdtempSync(join(tmpdir(), 'civicdesk-productions-')) }, request.id);
    expect(produced).toMatchObject({ status: 'partially_denied', records: 2 });

    const row = await database.db.selectFrom('records_request_productions').selectAll().where('id', '=', produced.productionId).executeTakeFirstOrThrow();
    const files = await contents(readFileSync(row.file_path));
    expect(files.get('cover-letter.txt')?.toString('utf8')).toContain(`Re: Records produced, public records request ${request.number}`);
    const everything = [...files.values()].map((b) => b.toString('latin1')).join('\n');
    expect(everything).toContain('Pickleball courts: text [REDACTED: third-party-private] at [REDACTED: third-party-private] to book.');
    expect(everything).toContain('Pickleball is loud at night.');
    expect(everything).not.toContain('Dana Doe');
    expect(everything).not.toContain('406-555-0177');
    expect((await verifyArchive(archive, town.orgId)).problems).toEqual([]);
  });
});
