import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { testArchiveDeps } from '../testing/archive.js';
import type { CommandContext } from '../events/command.js';
import { loadOrg } from '../org/org.queries.js';
import type { ArchiveDeps } from './archive.service.js';
import { capture } from './capture.js';
import type { RecordInput } from './record.js';
import { holdsCovering, listHolds } from './holds.js';
import { placeHold, releaseHold } from './holds.commands.js';

/** A command context for the test city's staff member holding `role` (see packs/kalispell-mt.json). */
async function staff(db: Kysely<DB>, town: TestCity, role: string, pack = town.pack): Promise<CommandContext> {
  const email = town.staffByRole[role];
  if (!email) throw new Error(`no role ${role} in the pack`);
  const user = await db.selectFrom('users').select(['id', 'display_name']).where('org_id', '=', town.orgId).where('email', '=', email).executeTakeFirstOrThrow();
  const org = await loadOrg(db, town.orgId);
  return {
    db, packVersion: org!.packDigest,
    actor: { kind: 'user', userId: user.id, orgId: town.orgId, label: `${user.display_name} <${email}>`, roles: [role], departmentId: null, pack },
  };
}

const person = (h: string) => ({ id: `did:plc:${h}`, handle: `${h}.bsky.social`, name: `${h[0]!.toUpperCase()}${h.slice(1)} Resident` });

function rec(key: string, at: string, author: string, text: string, accountId = 'acct-1'): RecordInput {
  return {
    kind: 'comment', platform: 'bluesky', accountId, platformId: `at://test/${key}`, capturedAt: at, author: person(author), text,
    payload: Buffer.from(JSON.stringify({ key })), payloadType: 'application/json',
  };
}

const FIXTURE: Record<string, RecordInput> = {
  splash: rec('splash', '2024-01-10T15:00:00.000Z', 'alice', 'The splash pad at Woodland Park is broken again'),
  trail: rec('trail', '2024-03-01T12:00:00.000Z', 'alice', 'Thanks for clearing the park trail'),
  plow: rec('plow', '2024-02-15T08:00:00.000Z', 'bob', 'Snow plow missed our street on Maple Avenue', 'acct-2'),
  benches: rec('benches', '2025-06-01T09:00:00.000Z', 'carol', 'Broken benches near the pad, splash everywhere'),
};

describe.each(await availableBackends())('legal holds on %s', (backend) => {
  let database: TestDatabase;
  let town: TestCity;
  let deps: ArchiveDeps;
  const ids: Record<string, string> = {};
  const covered = async (holdId: string) => {
    const map = await holdsCovering(deps, town.orgId, Object.values(ids));
    return Object.keys(ids).filter((k) => map.get(ids[k]!)?.some((h) => h.id === holdId)).sort();
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    town = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    deps = testArchiveDeps(database.db, database.dialect);
    const keys = Object.keys(FIXTURE);
    const captured = await capture(deps, town.orgId, keys.map((k) => FIXTURE[k]!));
    keys.forEach((k, i) => { ids[k] = captured[i]!.id; });
  });
  afterAll(async () => database?.dispose());

  it('covers exactly the records all of its criteria match', async () => {
    const attorney = await staff(database.db, town, 'city_attorney');
    const byAuthorInJanuary = await placeHold(attorney, { name: 'Walker request', reason: 'Records request 24-17', criteria: { author: 'alice.bsky.social', from: '2024-01-01', to: '2024-01-31' } });
    const byPhrase = await placeHold(attorney, { name: 'Splash pad claim', reason: 'Injury claim', criteria: { query: '"splash pad"' } });
    const byAccount = await placeHold(attorney, { name: 'Account 2 audit', reason: 'Audit', criteria: { accountId: 'acct-2' } });
    const byName = await placeHold(attorney, { name: 'Resident Walker', reason: 'Subpoena', criteria: { author: 'ALICE RESIDENT', query: 'park' } });
    expect(await covered(byAuthorInJanuary)).toEqual(['splash']);
    expect(await covered(byPhrase)).toEqual(['splash']);
    expect(await covered(byAccount)).toEqual(['plow']);
    expect(await covered(byName)).toEqual(['splash', 'trail']);
  });

  it('covers an author\'s records captured after the hold was placed', async () => {
    const attorney = await staff(database.db, town, 'city_attorney');
    const hold = await placeHold(attorney, { name: 'Dave', reason: 'Litigation hold', criteria: { author: 'dave.bsky.social' } });
    const [later] = await capture(deps, town.orgId, [rec('dave1', '2025-07-01T00:00:00.000Z', 'dave', 'New comment')]);
    expect((await holdsCovering(deps, town.orgId, [later!.id])).get(later!.id)).toEqual([{ id: hold, name: 'Dave' }]);
  });

  it('records who placed it and why in the event log, citing the archive requirements', async () => {
    const clerk = await staff(database.db, town, 'city_clerk');
    const id = await placeHold(clerk, { name: 'Council minutes', reason: 'Pending request', criteria: { query: 'council' } });
    const event = await database.db.selectFrom('events').selectAll().where('target_id', '=', id).executeTakeFirstOrThrow();
    expect(event.action).toBe('archive.hold_placed');
    expect(JSON.parse(event.after ?? '{}')).toMatchObject({ name: 'Council minutes', reason: 'Pending request', criteria: { query: 'council' } });
    expect(JSON.parse(event.sources)).toContain('KA-13');
    expect(event.actor_label).toContain('city_clerk@');
  });

  it('is refused to staff without archive.hold, and when its criteria are missing or wrong', async () => {
    const manager = await staff(database.db, town, 'communications_manager');
    await expect(placeHold(manager, { name: 'x', reason: 'y', criteria: { accountId: 'acct-1' } })).rejects.toMatchObject({ status: 403 });
    const attorney = await staff(database.db, town, 'city_attorney');
    const bad = [
      { name: 'No criteria', reason: 'r', criteria: {} },
      { name: 'No reason', reason: '  ', criteria: { accountId: 'acct-1' } },
      { name: 'Bad date', reason: 'r', criteria: { from: 'yesterday' } },
      { name: 'Backwards', reason: 'r', criteria: { from: '2025-01-01', to: '2024-01-01' } },
      { name: 'Symbols only', reason: 'r', criteria: { query: '* - :' } },
    ];
    for (const input of bad) await expect(placeHold(attorney, input), input.name).rejects.toMatchObject({ status: 400 });
  });

  it('is released once, through the command, and then covers nothing', async () => {
    const attorney = await staff(database.db, town, 'city_attorney');
    const id = await placeHold(attorney, { name: 'Short hold', reason: 'r', criteria: { author: 'bob.bsky.social' } });
    expect(await covered(id)).toEqual(['plow']);
    const manager = await staff(database.db, town, 'communications_manager');
    await expect(releaseHold(manager, id, 'done')).rejects.toMatchObject({ status: 403 });
    await expect(releaseHold(attorney, id, ' ')).rejects.toMatchObject({ status: 400 });
    await releaseHold(attorney, id, 'Matter settled');
    expect(await covered(id)).toEqual([]);
    await expect(releaseHold(attorney, id, 'again')).rejects.toMatchObject({ status: 409 });
    await expect(releaseHold(attorney, 'no-such-hold', 'x')).rejects.toMatchObject({ status: 404 });

    const holds = await listHolds(database.db, town.orgId);
    const released = holds.find((h) => h.id === id);
    expect(released).toMatchObject({ active: false, releasedBy: attorney.actor.label });
    expect(holds.findIndex((h) => h.id === id)).toBeGreaterThan(holds.findIndex((h) => h.active));
    const event = await database.db.selectFrom('events').selectAll().where('target_id', '=', id).where('action', '=', 'archive.hold_released').executeTakeFirstOrThrow();
    expect(JSON.parse(event.before ?? '{}')).toMatchObject({ releasedAt: null });
    expect(JSON.parse(event.after ?? '{}')).toMatchObject({ releasedBy: attorney.actor.label, reason: 'Matter settled' });
  });
});
