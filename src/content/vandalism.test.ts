// "A direct post on the account raises a vandalism incident": on a local AT Protocol network,
// someone posts with the city account's credentials outside CivicDesk; live capture archives it,
// an incident opens, and the IT Director and the account's administrators are told. A post
// published through CivicDesk raises nothing. A change of the account's profile (its display
// name) made the same way is archived as an account change, with the signed commit as evidence,
// and raises an incident too (KA-15: "altered graphics").
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtpAgent } from '@atproto/api';
import { IdResolver } from '@atproto/identity';
import { verifyRecords } from '@atproto/repo';
import { openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { testArchiveDeps } from '../testing/archive.js';
import { waitFor } from '../testing/wait.js';
import { addTestAdmin, insertTestAccount, staffContext, userIdByEmail } from '../accounts/fixtures.js';
import { createVault } from '../accounts/vault.js';
import { connectAccount } from '../platforms/platforms.commands.js';
import { CaptureRunner } from '../platforms/platforms.runtime.js';
import { startLocalNetwork, type LocalNetwork } from '../platforms/bluesky/local-network.js';
import { BlueskyConnector, recordKeyFor } from '../platforms/bluesky/bluesky.connector.js';

describe('vandalism detection on a local AT Protocol network', () => {
  let network: LocalNetwork;
  let database: TestDatabase;
  let town: TestCity;
  let runner: CaptureRunner;
  let accountId: string;
  let city: { did: string; handle: string; password: string };
  let admin: string;

  beforeAll(async () => {
    network = await startLocalNetwork();
    database = await openTestDatabase('sqlite');
    town = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    const vault = createVault(randomBytes(32));
    const archive = testArchiveDeps(database.db, database.dialect);
    city = await network.createAccount('kalispell.test');
    accountId = await insertTestAccount(database.db, town.orgId, { platform: 'bluesky', handle: city.handle, status: 'active' });
    admin = await userIdByEmail(database.db, town.orgId, town.staffByRole.communications_manager!);
    await addTestAdmin(database.db, town.orgId, accountId, admin);
    await connectAccount(await staffContext(database.db, town.orgId, town.staffByRole.it_director!), vault, {
      accountId, credentials: { service: network.pdsUrl, identifier: city.handle, appPassword: city.password, plc: network.plcUrl, appView: false },
    });
    runner = new CaptureRunner({ archive, vault, vandalismGraceMs: 300 });
    await runner.refresh();
  }, 60_000);
  afterAll(async () => {
    await runner?.stop();
    await network?.close();
    await database?.dispose();
  });

  const incidents = () => database.db.selectFrom('incidents').selectAll().where('org_id', '=', town.orgId).execute();

  it('a post made through CivicDesk is recognised; one made directly with the credentials raises an incident', async () => {
    // Through CivicDesk: the publication row names the post before it exists.
    const key = 'draft-1:v1:acct';
    const firstAttemptAt = new Date().toISOString();
    const connector = await BlueskyConnector.connect({ service: network.pdsUrl, identifier: city.handle, password: city.password, accountId, appView: false });
    await database.db.insertInto('publications').values({
      id: 'pub-1', org_id: town.orgId, draft_id: 'draft-1', version: 1, account_id: accountId, platform: 'bluesky', idempotency_key: key, first_attempt_at: firstAttemptAt,
      expected_id: `at://${city.did}/app.bsky.feed.post/${recordKeyFor(key, firstAttemptAt)}`, platform_id: null, url: null, status: 'pending', attempts: 0, last_error: null, published_at: null, updated_at: firstAttemptAt,
    }).execute();
    const ours = await connector.publish({ idempotencyKey: key, firstAttemptAt, text: 'Leaf pickup starts Monday.' });

    // Outside CivicDesk, with the account's password.
    const intruder = new AtpAgent({ service: network.pdsUrl });
    await intruder.login({ identifier: city.handle, password: city.password });
    const theirs = await intruder.post({ text: 'Free crypto giveaway! Send 1 BTC to claim 2.' });

    await waitFor(async () => (await incidents()).length > 0, 15_000, 'a vandalism incident');
    await new Promise((resolve) => setTimeout(resolve, 800)); // let the other post's check finish too
    const opened = await incidents();
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ kind: 'vandalism', account_id: accountId, status: 'open', platform_id: theirs.uri });
    expect(opened[0]!.summary).toContain('Free crypto giveaway');
    expect(opened.some((i) => i.platform_id === ours.ref.id)).toBe(false);

    // The IT Director (the pack's vandalism role) and the account's administrator are told; the post is in the archive.
    const itDirector = await userIdByEmail(database.db, town.orgId, town.staffByRole.it_director!);
    const told = (await database.db.selectFrom('notifications').select('user_id').where('org_id', '=', town.orgId).where('text', 'like', 'Possible vandalism%').execute()).map((n) => n.user_id);
    expect(told).toEqual(expect.arrayContaining([itDirector, admin]));
    const archived = await database.db.selectFrom('archive_records').select('id').where('platform_id', '=', theirs.uri).executeTakeFirst();
    expect(archived).toBeDefined();
    const events = await database.db.selectFrom('events').select('action').where('org_id', '=', town.orgId).where('action', '=', 'incident.vandalism_detected').execute();
    expect(events).toHaveLength(1);
  }, 40_000);

  it('a profile change made directly with the credentials is archived and raises an incident', async () => {
    const intruder = new AtpAgent({ service: network.pdsUrl });
    await intruder.login({ identifier: city.handle, password: city.password });
    await intruder.upsertProfile((existing) => ({ ...existing, displayName: 'Kalispell Crypto Rewards', description: 'Claim your city bonus now' }));
    const profile = await intruder.com.atproto.repo.getRecord({ repo: city.did, collection: 'app.bsky.actor.profile', rkey: 'self' });
    const uri = `at://${city.did}/app.bsky.actor.profile/self`;

    await waitFor(async () => (await incidents()).some((i) => i.platform_id === uri), 15_000, 'a profile vandalism incident');
    const incident = (await incidents()).find((i) => i.platform_id === uri)!;
    expect(incident).toMatchObject({ kind: 'vandalism', account_id: accountId, status: 'open' });
    expect(incident.summary).toContain('profile');
    expect(incident.summary).toContain('display name "Kalispell Crypto Rewards"');

    // The IT Director and the account's administrator are alerted, and offered the suspension.
    const itDirector = await userIdByEmail(database.db, town.orgId, town.staffByRole.it_director!);
    const alerts = await database.db.selectFrom('notifications').select(['user_id', 'text', 'link']).where('org_id', '=', town.orgId).where('text', 'like', '%profile of%').execute();
    expect(alerts.map((n) => n.user_id)).toEqual(expect.arrayContaining([itDirector, admin]));
    expect(alerts[0]!.text).toMatch(/suspend it/);
    expect(alerts[0]!.link).toBe(`/accounts/${accountId}`);

    // The archive holds the change: this version (CID), with a CAR that verifies against the account's key.
    const record = await database.db.selectFrom('archive_records').innerJoin('archive_contents', 'archive_contents.record_id', 'archive_records.id')
      .select(['archive_records.kind', 'archive_records.platform_version', 'archive_contents.text', 'archive_contents.evidence'])
      .where('archive_records.org_id', '=', town.orgId).where('archive_records.platform_id', '=', uri).executeTakeFirstOrThrow();
    expect(record).toMatchObject({ kind: 'account_change', platform_version: profile.data.cid });
    expect(record.text).toContain('Kalispell Crypto Rewards');
    const key = await new IdResolver({ plcUrl: network.plcUrl }).did.resolveAtprotoKey(city.did);
    const claims = await verifyRecords(new Uint8Array(record.evidence!), city.did, key);
    expect(claims.find((c) => c.collection === 'app.bsky.actor.profile' && c.rkey === 'self')?.record).toMatchObject({ displayName: 'Kalispell Crypto Rewards' });
    const detected = await database.db.selectFrom('events').select('after').where('org_id', '=', town.orgId).where('action', '=', 'incident.vandalism_detected').where('target_id', '=', incident.id).executeTakeFirstOrThrow();
    expect(JSON.parse(detected.after!)).toMatchObject({ uri, version: profile.data.cid });
  }, 40_000);
});
