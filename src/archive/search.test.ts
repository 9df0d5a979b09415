import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { cityContext } from '../testing/context.js';
import { comment, testArchiveDeps } from '../testing/archive.js';
import type { ArchiveDeps } from './archive.service.js';
import { capture, ensureLog } from './capture.js';
import type { RecordInput } from './record.js';
import { placeHold } from './holds.commands.js';
import { searchArchive, SEARCH_CAP, type ArchiveQuery } from './search.js';
import { accountToken } from '../db/migration-search-keys.js';
import { SEARCH_BUCKET } from '../db/migration-archive-search-pg.js';

const alice = { id: 'did:plc:alice', handle: 'alice.bsky.social', name: 'Alice Walker' };
const bob = { id: 'did:plc:bob', handle: 'bob.bsky.social', name: 'Bob Stone' };
const carol = { id: 'did:plc:carol', handle: 'carol.bsky.social', name: 'Carol Díaz' };
const city = { id: 'acct-1', handle: 'cityofkalispell.bsky.social', name: 'City of Kalispell' };

function rec(key: string, at: string, over: Partial<RecordInput>): RecordInput {
  return {
    kind: 'comment', platform: 'bluesky', accountId: 'acct-1', platformId: `at://test/${key}`, capturedAt: at,
    platformTimes: { created: at }, payload: Buffer.from(JSON.stringify({ key })), payloadType: 'application/json', ...over,
  };
}

/** A small archive a clerk could reason about: who said what, where, when, and what happened to it. */
const FIXTURE: Record<string, RecordInput> = {
  splash: rec('splash', '2024-01-10T15:00:00.000Z', { author: alice, text: 'The splash pad at Woodland Park is broken again' }),
  plow: rec('plow', '2024-02-15T08:00:00.000Z', { author: bob, accountId: 'acct-2', text: 'Snow plow missed our street on Maple Avenue' }),
  trail: rec('trail', '2024-03-01T12:00:00.000Z', { author: alice, text: 'Thanks for clearing the park trail' }),
  meeting: rec('meeting', '2024-03-05T18:00:00.000Z', { kind: 'post', author: city, text: 'City council meeting tonight: budget hearing' }),
  benches: rec('benches', '2025-06-01T09:00:00.000Z', { author: carol, text: 'Broken benches near the pad, splash everywhere <script>alert(1)</script>' }),
  parks: rec('parks', '2025-07-01T09:00:00.000Z', { author: bob, text: 'Park park park! We love the park.' }),
  syntax: rec('syntax', '2025-08-01T09:00:00.000Z', { author: carol, text: 'He said "NEAR" the -park: *stars* AND (more)' }),
  deletion: rec('deletion', '2024-02-20T08:00:00.000Z', { kind: 'deletion', accountId: 'acct-2', platformId: undefined, dedupeKey: 'del-plow', subjectId: 'at://test/plow', text: 'Deleted by its author' }),
  hide: rec('hide', '2025-06-02T09:00:00.000Z', { kind: 'visibility_change', platformId: undefined, dedupeKey: 'vis-benches', subjectId: 'at://test/benches', meta: { visibility: 'hidden' } }),
  hideTrail: rec('hideTrail', '2024-03-02T09:00:00.000Z', { kind: 'visibility_change', platformId: undefined, dedupeKey: 'vis-trail-1', subjectId: 'at://test/trail', meta: { visibility: 'hidden' } }),
  showTrail: rec('showTrail', '2024-03-03T09:00:00.000Z', { kind: 'visibility_change', platformId: undefined, dedupeKey: 'vis-trail-2', subjectId: 'at://test/trail', meta: { visibility: 'visible' } }),
};

describe.each(await availableBackends())('archive search on %s', (backend) => {
  let database: TestDatabase;
  let town: TestCity;
  let deps: ArchiveDeps;
  const ids: Record<string, string> = {};
  const keyOf = (id: string) => Object.keys(ids).find((k) => ids[k] === id) ?? id;
  const find = async (q: ArchiveQuery) => (await searchArchive(deps, town.orgId, q)).results.map((h) => keyOf(h.id));
  const findSorted = async (q: ArchiveQuery) => (await find(q)).sort();

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    town = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    deps = testArchiveDeps(database.db, database.dialect);
    const keys = Object.keys(FIXTURE);
    const captured = await capture(deps, town.orgId, keys.map((k) => FIXTURE[k]!));
    keys.forEach((k, i) => { ids[k] = captured[i]!.id; });
    // Another city's archive says the same words; it must never show up here.
    const other = await createTestCity(database.db, 'kalispell-mt', { slug: 'elsewhere' });
    await capture(deps, other.orgId, [rec('other', '2024-01-10T15:00:00.000Z', { author: alice, text: 'The splash pad is broken' })]);
  });
  afterAll(async () => database?.dispose());

  it('finds records by their words, all words required, and ranks the most relevant first', async () => {
    expect(await findSorted({ text: 'broken' })).toEqual(['benches', 'splash']);
    expect(await findSorted({ text: 'splash pad' })).toEqual(['benches', 'splash']);
    expect(await findSorted({ text: 'maple street' })).toEqual(['plow']);
    expect((await find({ text: 'park' }))[0]).toBe('parks');
    expect(await find({ text: 'nothingmatchesthis' })).toEqual([]);
  });

  it('keeps a "quoted phrase" together', async () => {
    expect(await find({ text: '"splash pad"' })).toEqual(['splash']);
    expect(await find({ text: '"pad splash"' })).toEqual(['benches']);
  });

  it('never lets full-text syntax in what people type reach the engine', async () => {
    for (const text of ['"', '""', '*', '-', ':', 'NEAR', 'park NEAR/3 trail', '-park', 'a:b', '(park', 'AND OR NOT', '"unclosed phrase', 'park*', '^park', "o'brien", '\\', '{text}: park', 'park + - trail']) {
      await expect(searchArchive(deps, town.orgId, { text }), text).resolves.toBeDefined();
    }
    expect(await findSorted({ text: '"NEAR"' })).toEqual(['benches', 'syntax']);
    expect(await findSorted({ text: '-park: *stars*' })).toEqual(['syntax']);
    // Nothing searchable at all is no text filter: newest first.
    expect((await find({ text: '* - :' }))[0]).toBe('syntax');
  });

  it('filters by author handle, name or id, account, kind and capture dates', async () => {
    expect(await findSorted({ author: 'alice.bsky.social' })).toEqual(['splash', 'trail']);
    expect(await findSorted({ author: '@alice.bsky.social' })).toEqual(['splash', 'trail']);
    expect(await findSorted({ author: 'alice walker' })).toEqual(['splash', 'trail']);
    expect(await findSorted({ author: 'did:plc:alice' })).toEqual(['splash', 'trail']);
    expect(await find({ author: 'nobody.bsky.social' })).toEqual([]);
    expect(await find({ author: 'Carol Díaz', text: 'stars' })).toEqual(['syntax']);
    expect(await findSorted({ accountId: 'acct-2' })).toEqual(['deletion', 'plow']);
    expect(await find({ kind: 'post' })).toEqual(['meeting']);
    expect(await findSorted({ kind: ['post', 'deletion'] })).toEqual(['deletion', 'meeting']);
    // A bare `to` date includes that whole day.
    expect(await findSorted({ from: '2024-02-01', to: '2024-03-01' })).toEqual(['deletion', 'plow', 'trail']);
    expect(await find({ from: '2024-02-01', to: '2024-03-01', text: 'trail' })).toEqual(['trail']);
    expect(await findSorted({ accountId: 'acct-1', text: 'park', from: '2025-01-01' })).toEqual(['parks', 'syntax']);
    // An account with words: only that account's matches, and the account's index token is not a word anyone can search.
    expect(await findSorted({ accountId: 'acct-2', text: 'plow' })).toEqual(['plow']);
    expect(await find({ accountId: 'acct-1', text: 'plow' })).toEqual([]);
    expect(await findSorted({ accountId: 'acct-1', text: 'park' })).toEqual(['parks', 'splash', 'syntax', 'trail']);
    for (const token of [accountToken(database.dialect, 'acct-1'), 'keys']) expect(await find({ text: token })).toEqual([]);
  });

  it('knows what later happened on the platform: deleted, and hidden by the latest change', async () => {
    expect(await find({ status: 'deleted' })).toEqual(['plow']);
    // The trail comment was hidden, then shown again; the benches comment is hidden now.
    expect(await find({ status: 'hidden' })).toEqual(['benches']);
    const [hit] = (await searchArchive(deps, town.orgId, { text: 'benches' })).results;
    expect(hit).toMatchObject({ hidden: true, deleted: false, destroyed: false, kind: 'comment', series: 'comments', author: carol });
  });

  it('lists newest first without words, pages, and returns a safe highlighted snippet', async () => {
    const all = await find({ kind: ['comment', 'post'] });
    expect(all.slice(0, 3)).toEqual(['syntax', 'parks', 'benches']);
    expect(await find({ kind: ['comment', 'post'], limit: 2, offset: 1 })).toEqual(['parks', 'benches']);
    const { results, total, totalCapped } = await searchArchive(deps, town.orgId, { text: 'splash' });
    expect({ total, totalCapped }).toEqual({ total: 2, totalCapped: false });
    const benches = results.find((h) => h.id === ids.benches);
    expect(benches?.snippet).toContain('<mark>splash</mark>');
    expect(benches?.snippet).not.toContain('<script>');
    expect(benches?.snippet).toContain('&#60;script&#62;');
    expect(benches?.text).toContain('<script>');
  });

  it('filters by legal hold and names the holds on each hit', async () => {
    expect(await find({ onHold: true })).toEqual([]);
    const attorney = { ...(await cityContext(database.db, town.orgId)) };
    const holdId = await placeHold(attorney, { name: 'Smith v. City', reason: 'Litigation notice', criteria: { author: 'bob.bsky.social' } });
    expect(await findSorted({ onHold: true })).toEqual(['parks', 'plow']);
    expect(await find({ onHold: false, author: 'bob.bsky.social' })).toEqual([]);
    const [hit] = (await searchArchive(deps, town.orgId, { text: 'maple' })).results;
    expect(hit?.holds).toEqual([{ id: holdId, name: 'Smith v. City' }]);
  });

  it('refuses a malformed search with a 400', async () => {
    await expect(searchArchive(deps, town.orgId, { from: 'last tuesday' })).rejects.toMatchObject({ status: 400 });
    await expect(searchArchive(deps, town.orgId, { limit: 501 })).rejects.toMatchObject({ status: 400 });
    await expect(searchArchive(deps, town.orgId, { kind: 'tweet' as never })).rejects.toMatchObject({ status: 400 });
  });

  it(`counts up to ${SEARCH_CAP} and says when there are more`, async () => {
    const big = await createTestCity(database.db, 'kalispell-mt', { slug: 'bigtown' });
    await capture(deps, big.orgId, Array.from({ length: SEARCH_CAP + 5 }, (_, i) => comment(i)));
    const words = await searchArchive(deps, big.orgId, { text: 'resident park', limit: 10 });
    expect(words).toMatchObject({ total: SEARCH_CAP, totalCapped: true });
    expect(words.results).toHaveLength(10);
    const newest = await searchArchive(deps, big.orgId, { kind: 'comment', limit: 5 });
    expect(newest).toMatchObject({ total: SEARCH_CAP, totalCapped: true });
    // Common words within dates, with every other filter: each of SQLite's plans answers the same.
    const filters = { kind: 'comment', accountId: 'acct-1', onHold: false, status: undefined } as const;
    expect(await searchArchive(deps, big.orgId, { ...filters, text: 'park', from: '2000-01-01', limit: 1 })).toMatchObject({ total: SEARCH_CAP, totalCapped: true });
    expect(await searchArchive(deps, big.orgId, { ...filters, text: 'park', from: '2001-01-01', to: '2001-12-31' })).toMatchObject({ total: 0 });
    expect(await searchArchive(deps, big.orgId, { ...filters, text: 'park', author: 'Resident 3', limit: 1 })).toMatchObject({ total: 144, totalCapped: false });
    const few = await searchArchive(deps, big.orgId, { text: '"number 1004"' });
    expect(few).toMatchObject({ total: 1, totalCapped: false });
  });

  // PostgreSQL reads a long log in runs of SEARCH_BUCKET records (0013). Capturing several runs
  // would take minutes, so this log is sparse: rows written straight to the tables at leaf indexes
  // spread over five runs, the log's size set to match.
  it('finds matches in every run of a long log, caps at the documented end, and never crosses cities', async () => {
    const runs = 5;
    const longLog = await createTestCity(database.db, 'kalispell-mt', { slug: 'longlog' });
    const neighbour = await createTestCity(database.db, 'kalispell-mt', { slug: 'longlog-next-door' });
    const leavesOf = (run: number) => Array.from({ length: 300 }, (_, j) => run * SEARCH_BUCKET + 2 * j);
    const park = Array.from({ length: runs }, (_, run) => leavesOf(run)).flat();
    const heron = Array.from({ length: runs }, (_, run) => run * SEARCH_BUCKET + 1001);
    await writeSparseLog(longLog.orgId, runs * SEARCH_BUCKET, [
      ...park.map((leaf) => ({ leaf, text: 'The park', accountId: 'acct-1' })),
      ...heron.map((leaf, run) => ({ leaf, text: 'A heron by the lake', accountId: run % 2 ? 'acct-2' : 'acct-1' })),
    ].sort((a, b) => a.leaf - b.leaf));
    await writeSparseLog(neighbour.orgId, runs * SEARCH_BUCKET, heron.map((leaf) => ({ leaf, text: 'A heron by the lake', accountId: 'acct-2' })));
    const leavesFound = async (q: ArchiveQuery) => {
      const pages = [await searchArchive(deps, longLog.orgId, { ...q, limit: 500 }), await searchArchive(deps, longLog.orgId, { ...q, limit: 500, offset: 500 })];
      return { total: pages[0]!.total, totalCapped: pages[0]!.totalCapped, leaves: pages.flatMap((p) => p.results.map((h) => h.leafIndex)) };
    };

    // A rare word: one match in each run, the last run included; only this city's.
    expect(await leavesFound({ text: 'heron' })).toEqual({ total: runs, totalCapped: false, leaves: [...heron].reverse() });
    expect((await leavesFound({ text: 'heron', accountId: 'acct-2' })).leaves).toEqual([heron[3], heron[1]]);
    // A common word: 1,500 equally relevant matches, of which the first 1,001 found are read and
    // 1,000 ranked. SQLite finds the newest first (listed newest first, as ties). PostgreSQL reads
    // the oldest runs first, in storage order (which can differ a little from log order): all of
    // runs 0-2 but at most one, the rest from run 3, nothing from run 4, nothing twice.
    const common = await leavesFound({ text: 'park' });
    expect(common).toMatchObject({ total: SEARCH_CAP, totalCapped: true });
    if (database.dialect === 'sqlite') expect(common.leaves).toEqual([...park].reverse().slice(0, SEARCH_CAP));
    else {
      const perRun = Array.from({ length: runs }, (_, run) => common.leaves.filter((leaf) => Math.floor(leaf / SEARCH_BUCKET) === run).length);
      expect(new Set(common.leaves).size).toBe(SEARCH_CAP);
      expect(common.leaves.every((leaf) => park.includes(leaf))).toBe(true);
      expect(perRun[0]! + perRun[1]! + perRun[2]!).toBeGreaterThanOrEqual(899);
      expect(perRun.slice(3)).toEqual([SEARCH_CAP - perRun[0]! - perRun[1]! - perRun[2]!, 0]);
    }
  });

  /** Records and contents at the given leaf indexes, and the log's size (see the test above). */
  async function writeSparseLog(orgId: string, size: number, rows: Array<{ leaf: number; text: string; accountId: string }>): Promise<void> {
    await ensureLog(deps, orgId);
    await database.db.updateTable('archive_logs').set({ size }).where('org_id', '=', orgId).execute();
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200).map((r) => ({ ...r, id: randomUUID(), at: new Date(Date.UTC(2024, 0, 1) + r.leaf * 1000).toISOString() }));
      await database.db.insertInto('archive_records').values(chunk.map((r) => ({
        org_id: orgId, leaf_index: r.leaf, id: r.id, kind: 'comment', series: 'comments', platform: 'bluesky', account_id: r.accountId,
        platform_id: `at://sparse/${r.leaf}`, platform_version: null, subject_id: null, parent_id: null, thread_id: null,
        captured_at: r.at, platform_time: r.at, dedupe_key: `sparse:${r.leaf}`, leaf_hash: '00', mac: '00',
      }))).execute();
      await database.db.insertInto('archive_contents').values(chunk.map((r) => ({
        record_id: r.id, org_id: orgId, canonical: '{}', payload: null, evidence: null, text: r.text,
        author_id: null, author_handle: null, author_name: null, account_id: r.accountId, kind: 'comment', leaf_index: r.leaf,
      }))).execute();
    }
  }
});
