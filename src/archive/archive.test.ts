import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { comment, dropGuards, testArchiveDeps } from '../testing/archive.js';
import type { ArchiveDeps } from './archive.service.js';
import { capture } from './capture.js';
import { createCheckpoint, proveConsistency, proveInclusion } from './checkpoints.js';
import { verifyArchive } from './verify.js';
import { verifyConsistency, verifyInclusion } from './merkle.js';
import { verifyCheckpoint } from './checkpoint.js';

describe.each(await availableBackends())('archive core on %s', (backend) => {
  let database: TestDatabase;
  let city: TestCity;
  let deps: ArchiveDeps;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    city = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    deps = testArchiveDeps(database.db, database.dialect);
  });
  afterAll(async () => database?.dispose());

  it('captures records once, signs checkpoints and proves inclusion and consistency', async () => {
    const first = await capture(deps, city.orgId, Array.from({ length: 25 }, (_, i) => comment(i)));
    expect(first.map((r) => r.leafIndex)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const again = await capture(deps, city.orgId, [comment(3), comment(25)]);
    expect(again[0]).toMatchObject({ duplicate: true, leafIndex: 3, id: first[3]!.id });
    expect(again[1]).toMatchObject({ duplicate: false, leafIndex: 25 });

    const cp1 = await createCheckpoint(deps, city.orgId);
    // The city's staff events (city created, staff added) were archived before signing.
    expect(cp1.size).toBeGreaterThan(26);
    expect(verifyCheckpoint(cp1.note, cp1.vkey)?.size).toBe(cp1.size);
    await capture(deps, city.orgId, Array.from({ length: 40 }, (_, i) => comment(100 + i)));
    const cp2 = await createCheckpoint(deps, city.orgId);
    expect(cp2.size).toBe(cp1.size + 40);

    const proof = await proveInclusion(database.db, city.orgId, 7);
    expect(proof).not.toBeNull();
    const leaf = await database.db.selectFrom('archive_records').select('leaf_hash').where('org_id', '=', city.orgId).where('leaf_index', '=', 7).executeTakeFirstOrThrow();
    expect(verifyInclusion(Buffer.from(leaf.leaf_hash, 'hex'), 7, proof!.treeSize, proof!.proof.map((h) => Buffer.from(h, 'hex')), Buffer.from(cp2.root, 'hex'))).toBe(true);
    const cons = await proveConsistency(database.db, city.orgId, cp1.size, cp2.size);
    expect(verifyConsistency(cp1.size, cp2.size, Buffer.from(cp1.root, 'hex'), Buffer.from(cp2.root, 'hex'), cons.proof.map((h) => Buffer.from(h, 'hex')))).toBe(true);

    const report = await verifyArchive(deps, city.orgId);
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(cp2.size);
  });

  it('shows a thread: the post, its comments, every version, hides and deletions with their times', async () => {
    const post = 'at://did:plc:city/app.bsky.feed.post/p1';
    const json = (o: unknown) => Buffer.from(JSON.stringify(o));
    const c1 = 'at://did:plc:res1/app.bsky.feed.post/r1';
    const c2 = 'at://did:plc:res2/app.bsky.feed.post/r2';
    await capture(deps, city.orgId, [
      { kind: 'post', platform: 'bluesky', platformId: post, platformVersion: 'v1', threadId: post, text: 'Pool opens Monday', payload: json({ t: 1 }), payloadType: 'application/json' },
      { kind: 'comment', platform: 'bluesky', platformId: c1, platformVersion: 'v1', parentId: post, threadId: post, text: 'Great news', author: { handle: 'res1.test' }, payload: json({ t: 2 }), payloadType: 'application/json' },
      { kind: 'comment', platform: 'bluesky', platformId: c2, platformVersion: 'v1', parentId: post, threadId: post, text: 'Buy cheap watches', author: { handle: 'res2.test' }, payload: json({ t: 3 }), payloadType: 'application/json' },
      { kind: 'comment_version', platform: 'bluesky', platformId: c1, platformVersion: 'v2', parentId: post, threadId: post, text: 'Great news, thanks', author: { handle: 'res1.test' }, payload: json({ t: 4 }), payloadType: 'application/json' },
      { kind: 'moderation_action', platform: 'bluesky', dedupeKey: 'mod-1', subjectId: c2, threadId: post, text: 'Hidden: commercial (KA-12 b)', payload: json({ t: 5 }), payloadType: 'application/json', meta: { action: 'hide', clause: 'aup-6b' } },
      { kind: 'visibility_change', platform: 'bluesky', dedupeKey: 'vis-1', subjectId: c2, threadId: post, payload: json({ t: 6 }), payloadType: 'application/json', meta: { visibility: 'hidden' } },
      { kind: 'deletion', platform: 'bluesky', dedupeKey: 'del-1', subjectId: c1, payload: json({ t: 7 }), payloadType: 'application/json' },
    ]);
    const { getThread } = await import('./archive.queries.js');
    const thread = await getThread(database.db, city.orgId, post);
    expect(thread.post?.versions.map((v) => v.text)).toEqual(['Pool opens Monday']);
    expect(thread.comments.map((c) => c.platformId)).toEqual([c1, c2]);
    const [first, second] = thread.comments;
    expect(first!.versions.map((v) => v.text)).toEqual(['Great news', 'Great news, thanks']);
    expect(first!.deleted).toBe(true);
    expect(first!.deletions[0]!.capturedAt).toBeTruthy();
    expect(second!.hidden).toBe(true);
    expect(second!.moderationActions[0]!.text).toContain('KA-12');
    // Every version is still there in full after the deletion and the hide.
    expect(second!.versions[0]!.text).toBe('Buy cheap watches');
  });

  it('rejects an invalid record whole: nothing of the batch is written', async () => {
    const before = await database.db.selectFrom('archive_records').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', city.orgId).executeTakeFirstOrThrow();
    const bad = { ...comment(500), platformId: undefined, dedupeKey: undefined };
    await expect(capture(deps, city.orgId, [comment(501), bad])).rejects.toThrow(/Record 1 is not valid/);
    const after = await database.db.selectFrom('archive_records').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', city.orgId).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('names every direct edit: altered content, changed metadata, removed and inserted records', async () => {
    const db = database.db;
    await createCheckpoint(deps, city.orgId);
    expect((await verifyArchive(deps, city.orgId)).ok).toBe(true);
    for (const t of ['archive_records', 'archive_contents']) await dropGuards(db, database.dialect, t);
    const at = async (i: number) => db.selectFrom('archive_records').selectAll().where('org_id', '=', city.orgId).where('leaf_index', '=', i).executeTakeFirstOrThrow();

    const altered = await at(2);
    await db.updateTable('archive_contents').set({ canonical: (await db.selectFrom('archive_contents').select('canonical').where('record_id', '=', altered.id).executeTakeFirstOrThrow()).canonical.replace('park', 'PARK') }).where('record_id', '=', altered.id).execute();
    const meta = await at(4);
    await db.updateTable('archive_records').set({ kind: 'post' }).where('id', '=', meta.id).execute();
    const payload = await at(5);
    await db.updateTable('archive_contents').set({ payload: Buffer.from('{"forged":true}') }).where('record_id', '=', payload.id).execute();
    // The plain copies that search, display and exports read: text, author, account.
    const text = await at(6);
    await db.updateTable('archive_contents').set({ text: 'A forged comment' }).where('record_id', '=', text.id).execute();
    const author = await at(7);
    await db.updateTable('archive_contents').set({ author_handle: 'someone-else.test' }).where('record_id', '=', author.id).execute();
    const account = await at(8);
    await db.updateTable('archive_contents').set({ account_id: 'acct-elsewhere' }).where('record_id', '=', account.id).execute();
    const removed = await at(9);
    await db.deleteFrom('archive_contents').where('record_id', '=', removed.id).execute();
    await db.deleteFrom('archive_records').where('id', '=', removed.id).execute();
    // Content alone deleted without a disposition; content filed under another position; a content row with no record.
    const contentGone = await at(12);
    await db.deleteFrom('archive_contents').where('record_id', '=', contentGone.id).execute();
    const moved = await at(13);
    await db.updateTable('archive_contents').set({ leaf_index: 10_000 }).where('record_id', '=', moved.id).execute();
    const source = await db.selectFrom('archive_contents')
      .select(['org_id', 'canonical', 'payload', 'evidence', 'text', 'author_id', 'author_handle', 'author_name', 'account_id', 'kind'])
      .where('record_id', '=', (await at(14)).id).executeTakeFirstOrThrow();
    await db.insertInto('archive_contents').values({ ...source, record_id: 'orphan-content', leaf_index: null }).execute();
    const log = await db.selectFrom('archive_logs').select('size').where('org_id', '=', city.orgId).executeTakeFirstOrThrow();
    const copy = await at(11);
    await db.insertInto('archive_records').values({ ...copy, id: 'forged-record', leaf_index: log.size, dedupe_key: 'forged' }).execute();

    // The same names whichever way the screen runs: in this thread, or on worker threads (SQLite) /
    // concurrent queries (PostgreSQL) over ranges small enough that the tampering spans several.
    for (const options of [{}, { workers: 2, minParallel: 0, rangeSize: 4 }, { workers: 1, rangeSize: 7 }]) {
      const report = await verifyArchive(deps, city.orgId, options);
      const byKind = (k: string) => report.problems.filter((p) => p.kind === k);
      expect(report.ok).toBe(false);
      expect([...new Set(byKind('altered').map((p) => p.recordId))].sort()).toEqual([altered.id, meta.id, payload.id, text.id, author.id, account.id, moved.id].sort());
      expect(byKind('removed').map((p) => p.leafIndex)).toEqual([9, 12]);
      expect(byKind('removed')[1]!.message).toContain('content was deleted without an approved disposition');
      expect(byKind('inserted').map((p) => p.recordId).sort()).toEqual(['forged-record', 'orphan-content']);
      expect(byKind('checkpoint').length).toBeGreaterThan(0);
    }
  });
});

describe('records bundle', () => {
  it('exports records that the standalone verifier accepts offline, and it catches a tampered copy', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { exportBundle } = await import('./export.js');
    const database = await openTestDatabase('sqlite');
    try {
      const city = await createTestCity(database.db, 'bozeman-mt', { slug: 'bozeman' });
      const deps = testArchiveDeps(database.db, database.dialect);
      const captured = await capture(deps, city.orgId, Array.from({ length: 12 }, (_, i) => comment(i)));
      const dir = mkdtempSync(join(tmpdir(), 'civicdesk-bundle-'));
      const summary = await exportBundle(deps, city.orgId, captured.slice(2, 9).map((c) => c.id), dir);
      expect(summary.records).toBe(7);
      const run = () => execFileSync(process.execPath, [join(dir, 'verify-bundle.mjs'), dir], { encoding: 'utf8', stdio: 'pipe' });
      expect(run()).toMatch(/7/);
      const lines = readFileSync(join(dir, 'records.jsonl'), 'utf8').trim().split('\n');
      const third = JSON.parse(lines[2]!) as { canonical: string; leafIndex: number };
      third.canonical = Buffer.from(Buffer.from(third.canonical, 'base64').toString('utf8').replace('park', 'lake')).toString('base64');
      lines[2] = JSON.stringify(third);
      writeFileSync(join(dir, 'records.jsonl'), `${lines.join('\n')}\n`);
      let failed: { status: number; stdout: string } | null = null;
      try { run(); } catch (err) { failed = err as { status: number; stdout: string }; }
      expect(failed?.status).toBe(1);
      expect(failed?.stdout).toContain(String(third.leafIndex));
    } finally {
      await database.dispose();
    }
  });
});
