import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { testArchiveDeps } from '../testing/archive.js';
import type { CommandContext } from '../events/command.js';
import { loadOrg } from '../org/org.queries.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import type { ArchiveDeps } from './archive.service.js';
import { capture } from './capture.js';
import type { RecordInput } from './record.js';
import { placeHold } from './holds.commands.js';
import { dueForDisposition, listDispositions, retentionDate, retentionSchedule } from './retention.js';
import { approveDisposition, setRetentionPeriod } from './retention.commands.js';
import { searchArchive } from './search.js';
import { verifyArchive } from './verify.js';

const NOW = new Date('2025-07-01T00:00:00.000Z');

/** Kalispell's pack keeps everything until the Clerk decides; this variant gives periods to override. */
function withPeriods(pack: PolicyPack): PolicyPack {
  const years: Record<string, number> = { comments: 3, posts: 2 };
  return { ...pack, retention: pack.retention.map((r) => (years[r.series] ? { ...r, retainYears: years[r.series]! } : r)) };
}

async function staff(db: Kysely<DB>, town: TestCity, role: string, pack: PolicyPack): Promise<CommandContext> {
  const email = town.staffByRole[role]!;
  const user = await db.selectFrom('users').select(['id', 'display_name']).where('org_id', '=', town.orgId).where('email', '=', email).executeTakeFirstOrThrow();
  const org = await loadOrg(db, town.orgId);
  return {
    db, packVersion: org!.packDigest, now: () => NOW,
    actor: { kind: 'user', userId: user.id, orgId: town.orgId, label: `${user.display_name} <${email}>`, roles: [role], departmentId: null, pack },
  };
}

function rec(key: string, at: string, author: string, text: string, kind: 'comment' | 'post' = 'comment'): RecordInput {
  return {
    kind, platform: 'bluesky', accountId: 'acct-1', platformId: `at://test/${key}`, capturedAt: at, text,
    author: { id: `did:plc:${author}`, handle: `${author}.bsky.social`, name: author },
    payload: Buffer.from(JSON.stringify({ key })), payloadType: 'application/json',
  };
}

const FIXTURE: Record<string, RecordInput> = {
  splash: rec('splash', '2024-01-10T15:00:00.000Z', 'alice', 'The splash pad is broken again'),
  plow: rec('plow', '2024-02-15T08:00:00.000Z', 'bob', 'Snow plow missed Maple Avenue'),
  trail: rec('trail', '2024-03-01T12:00:00.000Z', 'alice', 'Thanks for clearing the splash trail'),
  meeting: rec('meeting', '2024-03-05T18:00:00.000Z', 'city', 'Council meeting tonight', 'post'),
  benches: rec('benches', '2025-06-01T09:00:00.000Z', 'carol', 'Broken benches near the splash pad'),
};

describe.each(await availableBackends())('retention and disposition on %s', (backend) => {
  let database: TestDatabase;
  let town: TestCity;
  let deps: ArchiveDeps;
  let pack: PolicyPack;
  const ids: Record<string, string> = {};
  const keyOf = (id: string) => Object.keys(ids).find((k) => ids[k] === id) ?? id;
  const as = (role: string) => staff(database.db, town, role, pack);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    town = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    pack = withPeriods(town.pack);
    deps = { ...testArchiveDeps(database.db, database.dialect), now: () => NOW };
    const keys = Object.keys(FIXTURE);
    const captured = await capture(deps, town.orgId, keys.map((k) => FIXTURE[k]!));
    keys.forEach((k, i) => { ids[k] = captured[i]!.id; });
  });
  afterAll(async () => database?.dispose());

  it('dates retention from capture; 29 February never ends a day early', () => {
    expect(retentionDate('2024-01-10T15:00:00.000Z', 1)).toBe('2025-01-10T15:00:00.000Z');
    expect(retentionDate('2024-02-29T00:00:00.000Z', 1)).toBe('2025-03-01T00:00:00.000Z');
    expect(retentionDate('2024-02-29T00:00:00.000Z', null)).toBeNull();
  });

  it('follows the pack until the City Clerk records a schedule item, then the Clerk\'s period', async () => {
    const before = await retentionSchedule(deps, town.orgId, pack);
    const series = (s: string, list = before) => list.find((x) => x.series === s);
    expect(series('comments')).toMatchObject({ retainYears: 3, source: 'pack', scheduleItem: null });
    expect(series('moderation')).toMatchObject({ retainYears: null, source: 'pack' });
    expect(series('staff_events')).toMatchObject({ retainYears: null, source: 'none' });
    // The real Kalispell pack keeps everything: nothing is ever due under it alone.
    expect((await dueForDisposition(deps, town.orgId, town.pack, NOW)).due).toEqual([]);

    const manager = await as('communications_manager');
    await expect(setRetentionPeriod(manager, { series: 'comments', retainYears: 1, scheduleItem: 'MT LG 12-34' })).rejects.toMatchObject({ status: 403 });
    const clerk = await as('city_clerk');
    await expect(setRetentionPeriod(clerk, { series: 'comments', retainYears: 0, scheduleItem: 'x' })).rejects.toMatchObject({ status: 400 });
    await expect(setRetentionPeriod(clerk, { series: 'comments', retainYears: 1, scheduleItem: ' ' })).rejects.toMatchObject({ status: 400 });
    await setRetentionPeriod(clerk, { series: 'comments', retainYears: 1, scheduleItem: 'MT LG 12-34' });
    const after = await retentionSchedule(deps, town.orgId, pack);
    expect(series('comments', after)).toMatchObject({ retainYears: 1, source: 'clerk', scheduleItem: 'MT LG 12-34', setBy: clerk.actor.label });
    expect(series('posts', after)).toMatchObject({ retainYears: 2, source: 'pack' });
    const event = await database.db.selectFrom('events').selectAll().where('action', '=', 'archive.retention_set').executeTakeFirstOrThrow();
    expect(JSON.parse(event.before ?? '{}')).toMatchObject({ retainYears: 3, source: 'pack' });
    expect(JSON.parse(event.after ?? '{}')).toMatchObject({ retainYears: 1, source: 'clerk', scheduleItem: 'MT LG 12-34' });
  });

  it('lists what is due, oldest first, and what legal holds keep back', async () => {
    const attorney = await as('city_attorney');
    const holdId = await placeHold(attorney, { name: 'Stone v. City', reason: 'Litigation', criteria: { author: 'bob.bsky.social' } });
    const report = await dueForDisposition(deps, town.orgId, pack, NOW);
    // Comments kept 1 year (the Clerk's item); the post is kept 2 years (the pack); benches is recent.
    expect(report.due.map((d) => keyOf(d.id))).toEqual(['splash', 'trail']);
    expect(report.due[0]).toMatchObject({ series: 'comments', retainUntil: '2025-01-10T15:00:00.000Z' });
    expect(report.blocked).toEqual({ count: 1, capped: false, holds: [{ id: holdId, name: 'Stone v. City', count: 1, capped: false }] });
  });

  it('lets only the holder of archive.disposition.approve destroy, and refuses a batch with any held or undue record', async () => {
    for (const role of ['communications_manager', 'city_attorney']) {
      await expect(approveDisposition(await as(role), deps, { recordIds: [ids.splash!], reason: 'Schedule' })).rejects.toMatchObject({ status: 403 });
    }
    const clerk = await as('city_clerk');
    const held = approveDisposition(clerk, deps, { recordIds: [ids.splash!, ids.plow!], reason: 'Schedule' });
    await expect(held).rejects.toMatchObject({ status: 409 });
    await expect(held).rejects.toSatisfy((e: { details: { fields: Array<{ message: string }> } }) =>
      e.details.fields.length === 1 && e.details.fields[0]!.message.includes(ids.plow!) && e.details.fields[0]!.message.includes('Stone v. City'));
    const early = approveDisposition(clerk, deps, { recordIds: [ids.meeting!, ids.benches!], reason: 'Schedule' });
    await expect(early).rejects.toMatchObject({ status: 409, details: { fields: [{ message: expect.stringContaining('not due until 2026-03-05') }, { message: expect.stringContaining('not due until 2026-06-01') }] } });
    await expect(approveDisposition(clerk, deps, { recordIds: [], reason: 'x' })).rejects.toMatchObject({ status: 400 });
    await expect(approveDisposition(clerk, deps, { recordIds: [ids.splash!], reason: '' })).rejects.toMatchObject({ status: 400 });
    // Nothing of a refused batch was destroyed.
    expect(await database.db.selectFrom('archive_dispositions').select('id').execute()).toEqual([]);
    expect((await searchArchive(deps, town.orgId, { text: 'splash pad' })).total).toBe(2);
  });

  it('destroys due content for the Clerk, keeps the log entry, and the archive still verifies', async () => {
    const clerk = await as('city_clerk');
    const done = await approveDisposition(clerk, deps, { recordIds: [ids.splash!, ids.trail!], reason: 'Retention period ended (MT LG 12-34)' });
    expect(done.destroyed).toBe(2);

    const log = await listDispositions(database.db, town.orgId);
    expect(log.map((d) => keyOf(d.recordId)).sort()).toEqual(['splash', 'trail']);
    expect(log[0]).toMatchObject({ kind: 'comment', series: 'comments', scheduleItem: 'MT LG 12-34', approvedBy: clerk.actor.label, reason: 'Retention period ended (MT LG 12-34)', destroyedAt: NOW.toISOString() });
    const contents = await database.db.selectFrom('archive_contents').select('record_id').where('record_id', 'in', [ids.splash!, ids.trail!]).execute();
    expect(contents).toEqual([]);
    // The log entry itself can never be removed or changed.
    await expect(database.db.deleteFrom('archive_dispositions').where('record_id', '=', ids.splash!).execute()).rejects.toThrow();

    const words = await searchArchive(deps, town.orgId, { text: 'splash' });
    expect(words.results.map((h) => keyOf(h.id))).toEqual(['benches']);
    const listed = (await searchArchive(deps, town.orgId, { kind: 'comment' })).results.find((h) => h.id === ids.splash);
    expect(listed).toMatchObject({ destroyed: true, text: null, snippet: null });

    const report = await verifyArchive(deps, town.orgId);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, destroyed: 2 });

    const event = await database.db.selectFrom('events').selectAll().where('action', '=', 'archive.disposition_approved').executeTakeFirstOrThrow();
    expect(JSON.parse(event.after ?? '{}')).toMatchObject({ recordIds: [ids.splash, ids.trail], count: 2, series: ['comments'] });
    expect(event.actor_label).toBe(clerk.actor.label);

    await expect(approveDisposition(clerk, deps, { recordIds: [ids.splash!], reason: 'again' })).rejects.toMatchObject({ status: 409 });
    expect((await dueForDisposition(deps, town.orgId, pack, NOW)).due).toEqual([]);
  });
});
