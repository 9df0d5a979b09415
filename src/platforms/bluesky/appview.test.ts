// The full local network, with the Bluesky AppView (on PostgreSQL): reading a thread's replies,
// the periodic reconciliation that archives what live capture missed, hidden replies as the
// AppView reports them, and follower snapshots.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtpAgent } from '@atproto/api';
import { ADMIN_PG_URL, openTestDatabase, postgresAvailable, type TestDatabase } from '../../testing/databases.js';
import { createTestCity, type TestCity } from '../../testing/app.js';
import { testArchiveDeps } from '../../testing/archive.js';
import { insertTestAccount, staffContext } from '../../accounts/fixtures.js';
import { createVault, type Vault } from '../../accounts/vault.js';
import type { ArchiveDeps } from '../../archive/archive.service.js';
import { capture } from '../../archive/capture.js';
import { verifyArchive } from '../../archive/verify.js';
import { connectAccount } from '../platforms.commands.js';
import { reconcileAccount } from '../platforms.runtime.js';
import { BlueskyConnector } from './bluesky.connector.js';
import { startLocalNetwork, type LocalNetwork } from './local-network.js';

describe.runIf(await postgresAvailable())('Bluesky with the AppView (PLC + PDS + AppView)', () => {
  let network: LocalNetwork;
  let database: TestDatabase;
  let town: TestCity;
  let deps: ArchiveDeps;
  let vault: Vault;
  let accountId: string;
  let city: { did: string; handle: string; password: string };
  let connector: BlueskyConnector;

  beforeAll(async () => {
    network = await startLocalNetwork({ appView: true, postgresUrl: ADMIN_PG_URL });
    database = await openTestDatabase('postgres');
    town = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    deps = testArchiveDeps(database.db, database.dialect);
    vault = createVault(randomBytes(32));
    city = await network.createAccount('kalispell.test');
    accountId = await insertTestAccount(database.db, town.orgId, { platform: 'bluesky', handle: city.handle, status: 'active' });
    await connectAccount(await staffContext(database.db, town.orgId, town.staffByRole.it_director!), vault, {
      accountId, credentials: { service: network.pdsUrl, identifier: city.handle, appPassword: city.password, plc: network.plcUrl, appView: true },
    });
    connector = await BlueskyConnector.connect({ service: network.pdsUrl, identifier: city.handle, password: city.password, accountId });
  }, 90_000);
  afterAll(async () => {
    await network?.close();
    await database?.dispose();
  });

  it('reconciliation archives replies that live capture never saw, once, and the AppView shows hides', async () => {
    const post = await connector.publish({ idempotencyKey: `p-${Date.now()}`, firstAttemptAt: new Date().toISOString(), text: 'Snow emergency: park on the odd side tonight.' });
    await capture(deps, town.orgId, post.records);
    await network.processAll();
    const residents = await Promise.all(['eve', 'finn', 'gus'].map((n) => network.createAccount(`${n}.test`)));
    const uris: string[] = [];
    for (const r of residents) {
      const agent = new AtpAgent({ service: network.pdsUrl });
      await agent.login({ identifier: r.handle, password: r.password });
      const res = await agent.post({ text: `Reply from ${r.handle}`, reply: { root: { uri: post.ref.id, cid: post.ref.version! }, parent: { uri: post.ref.id, cid: post.ref.version! } } });
      uris.push(res.uri);
      await agent.follow(city.did);
    }
    await network.processAll();

    // No firehose ran in this test: every reply is a "missed" one.
    expect(await reconcileAccount({ archive: deps, vault }, town.orgId, accountId)).toBe(3);
    expect(await reconcileAccount({ archive: deps, vault }, town.orgId, accountId)).toBe(0);
    const comments = await database.db.selectFrom('archive_records').select('platform_id').where('org_id', '=', town.orgId).where('kind', '=', 'comment').execute();
    expect(comments.map((c) => c.platform_id).sort()).toEqual([...uris].sort());

    await capture(deps, town.orgId, await connector.setReplyHidden({ id: post.ref.id }, { id: uris[0]! }, true));
    await network.processAll();
    const thread = await connector.agent.app.bsky.feed.getPostThread({ uri: post.ref.id });
    const gate = (thread.data.thread as { post?: { threadgate?: { record?: { hiddenReplies?: string[] } } } }).post?.threadgate?.record;
    expect(gate?.hiddenReplies).toEqual([uris[0]]);

    const followers = await connector.followerSnapshot();
    expect(followers.text).toBe('3 followers');
    await capture(deps, town.orgId, [followers]);
    expect((await verifyArchive(deps, town.orgId)).problems).toEqual([]);
  }, 90_000);
});
