// A records request produced with the real package builder: the ZIP the requester gets carries the
// cover letter the Clerk's request wrote and the redacted copy's text, and none of the redacted words.
// (Every file format inside the package is checked byte by byte in package/package.test.ts.)
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity } from '../testing/app.js';
import { comment, testArchiveDeps } from '../testing/archive.js';
import { staffContext } from '../accounts/fixtures.js';
import { readable } from '../testing/zip.js';
import { capture } from '../archive/capture.js';
import { verifyArchive } from '../archive/verify.js';
import { intakeRequest } from './requests.commands.js';
import { redactSpan, reviewRecord, searchCandidates } from './review.commands.js';
import { produceRequest } from './produce.js';

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
    const files = await readable(readFileSync(row.file_path));
    expect(files.get('cover-letter.txt')?.toString('utf8')).toContain(`Re: Records produced, public records request ${request.number}`);
    const everything = [...files.values()].map((b) => b.toString('latin1')).join('\n');
    expect(everything).toContain('Pickleball courts: text [REDACTED: third-party-private] at [REDACTED: third-party-private] to book.');
    expect(everything).toContain('Pickleball is loud at night.');
    expect(everything).not.toContain('Dana Doe');
    expect(everything).not.toContain('406-555-0177');
    expect((await verifyArchive(archive, town.orgId)).problems).toEqual([]);
  });
});
