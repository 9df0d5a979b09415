// The two-pass verify: the screen re-hashes everything, batch seals vouch for metadata, and only
// what disagrees (or is not vouched for) is read again and named. These tests pin down that the
// fast path neither misses a problem nor raises a false one, on SQLite (JavaScript screen, worker
// threads) and PostgreSQL (the same checks in SQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { comment, dropGuards, testArchiveDeps } from '../testing/archive.js';
import { canonicalJson } from '../policy/canonical-json.js';
import type { ArchiveDeps } from './archive.service.js';
import { capture } from './capture.js';
import { createCheckpoint } from './checkpoints.js';
import { authorJson } from './verify-content.js';
import { verifyArchive } from './verify.js';

const TRICKY_TEXTS = [
  'Quotes " and \\ backslashes, a tab\there and a bell \u0007 and \u001f',
  'Line one\nline two — em dash, “curly quotes”, émoji 🚒 and 中文',
  '</script><b>not html</b> & ampersands \u2028 line separator \u007f delete',
  '"threadId":"fake","text":"fake" ,"threadId": inside the text',
];
const TRICKY_AUTHORS = [
  undefined,
  {},
  { handle: '' },
  { id: 'did:plc:x"y', name: 'Name with \\ and "quotes" and \n newline' },
  { handle: 'ünï.test', id: 'did:plc:ünï', name: '🚒 Fire fan' },
];

describe('authorJson', () => {
  it('writes exactly what canonicalJson writes for an author', () => {
    for (const a of TRICKY_AUTHORS.filter((x) => x !== undefined)) {
      const full = { handle: a.handle ?? null, id: 'id' in a ? a.id ?? null : null, name: 'name' in a ? a.name ?? null : null };
      expect(authorJson(full.handle, full.id, full.name)).toBe(canonicalJson({ handle: a.handle, id: 'id' in a ? a.id : undefined, name: 'name' in a ? a.name : undefined }));
    }
  });
});

describe.each(await availableBackends())('two-pass verify on %s', (backend) => {
  let database: TestDatabase;
  let city: TestCity;
  let deps: ArchiveDeps;
  const batches = [12, 9, 15];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    city = await createTestCity(database.db, 'kalispell-mt', { slug: 'verify-city' });
    deps = testArchiveDeps(database.db, database.dialect);
    let n = 0;
    for (const size of batches) {
      await capture(deps, city.orgId, Array.from({ length: size }, () => {
        const i = n++;
        return comment(i, { text: TRICKY_TEXTS[i % TRICKY_TEXTS.length], author: TRICKY_AUTHORS[i % TRICKY_AUTHORS.length] });
      }));
    }
    await createCheckpoint(deps, city.orgId);
  });
  afterAll(async () => database?.dispose());

  const recordCount = async () => Number((await database.db.selectFrom('archive_records').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', city.orgId).executeTakeFirstOrThrow()).n);
  const threaded = { workers: 2, minParallel: 0, rangeSize: 5 };

  it('vouches for sealed batches without re-reading a record, however the text and author are written', async () => {
    for (const options of [{}, threaded]) {
      const report = await verifyArchive(deps, city.orgId, options);
      expect(report.problems).toEqual([]);
      expect(report.records).toBe(await recordCount());
      expect(report.detailed).toBe(0);
    }
  });

  it('re-reads only the batch whose seal fails, and names the record edited in place', async () => {
    await dropGuards(database.db, database.dialect, 'archive_records');
    const target = await database.db.selectFrom('archive_records').select(['id', 'captured_at']).where('org_id', '=', city.orgId).where('leaf_index', '=', 14).executeTakeFirstOrThrow();
    // Backdate the capture time: the leaf and the content still match, only the seal and MAC can tell.
    await database.db.updateTable('archive_records').set({ captured_at: '2020-01-01T00:00:00.000Z' }).where('id', '=', target.id).execute();
    for (const options of [{}, threaded]) {
      const report = await verifyArchive(deps, city.orgId, options);
      expect(report.problems.map((p) => [p.kind, p.recordId])).toEqual([['altered', target.id]]);
      expect(report.detailed).toBe(batches[1]); // leaves 12..20: the second batch
    }
    await database.db.updateTable('archive_records').set({ captured_at: target.captured_at }).where('id', '=', target.id).execute();
    expect((await verifyArchive(deps, city.orgId)).ok).toBe(true);
  });

  it('checks every record on its own where seals are missing or forged', async () => {
    await dropGuards(database.db, database.dialect, 'archive_seals');
    const seals = await database.db.selectFrom('archive_seals').selectAll().where('org_id', '=', city.orgId).orderBy('first_leaf').execute();
    // The three capture batches, then the staff events the checkpoint archived, as one more batch.
    expect(seals.map((s) => [s.first_leaf, s.count]).slice(0, 3)).toEqual([[0, 12], [12, 9], [21, 15]]);
    expect(seals.reduce((n, s) => n + s.count, 0)).toBe(await recordCount());
    // A seal with a MAC made without the key vouches for nothing.
    await database.db.updateTable('archive_seals').set({ mac: 'f'.repeat(64) }).where('org_id', '=', city.orgId).where('first_leaf', '=', 0).execute();
    let report = await verifyArchive(deps, city.orgId, threaded);
    expect(report.problems).toEqual([]);
    expect(report.detailed).toBe(12);
    // Records captured before seals existed: all checked one by one, and still verified.
    await database.db.deleteFrom('archive_seals').where('org_id', '=', city.orgId).execute();
    report = await verifyArchive(deps, city.orgId);
    expect(report.problems).toEqual([]);
    expect(report.detailed).toBe(await recordCount());
    // ... and an edit among them is still named.
    await dropGuards(database.db, database.dialect, 'archive_contents');
    const victim = await database.db.selectFrom('archive_records').select('id').where('org_id', '=', city.orgId).where('leaf_index', '=', 30).executeTakeFirstOrThrow();
    await database.db.updateTable('archive_contents').set({ author_name: 'Someone else' }).where('record_id', '=', victim.id).execute();
    report = await verifyArchive(deps, city.orgId, threaded);
    expect(report.problems.map((p) => [p.kind, p.recordId, p.leafIndex])).toEqual([['altered', victim.id, 30]]);
    expect(report.problems[0]!.message).toContain('text or author');
  });
});
