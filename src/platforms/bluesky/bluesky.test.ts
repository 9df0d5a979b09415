// The Bluesky connector against a real AT Protocol network started in this process: the city
// posts through CivicDesk, residents reply from their own accounts, the firehose capture archives
// everything with CAR evidence that verifies against each author's signing key, the city hides a
// reply and deletes its post, and the archive still verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtpAgent } from '@atproto/api';
import { IdResolver } from '@atproto/identity';
import { verifyRecords } from '@atproto/repo';
import { openTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { createTestCity, type TestCity } from '../../testing/app.js';
import { testArchiveDeps } from '../../testing/archive.js';
import type { ArchiveDeps } from '../../archive/archive.service.js';
import { capture } from '../../archive/capture.js';
import { verifyArchive } from '../../archive/verify.js';
import { BlueskyConnector } from './bluesky.connector.js';
import { FirehoseCapture } from './firehose.js';
import { startLocalNetwork, type LocalNetwork } from './local-network.js';
import { waitFor } from '../../testing/wait.js';

const ACCOUNT = 'acct-bsky-city';

describe('Bluesky connector on a local AT Protocol network (PLC + PDS)', () => {
  let network: LocalNetwork;
  let database: TestDatabase;
  let town: TestCity;
  let deps: ArchiveDeps;
  let city: { did: string; handle: string; password: string };
  let connector: BlueskyConnector;
  let firehose: FirehoseCapture;
  const errors: Error[] = [];

  const archived = (kind?: string) => {
    let q = deps.db.selectFrom('archive_records').select(['id', 'kind', 'platform_id', 'subject_id', 'leaf_index']).where('org_id', '=', town.orgId);
    if (kind) q = q.where('kind', '=', kind);
    return q.orderBy('leaf_index').execute();
  };

  beforeAll(async () => {
    network = await startLocalNetwork();
    database = await openTestDatabase('sqlite');
    town = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    deps = testArchiveDeps(database.db, database.dialect);
    city = await network.createAccount('kalispell.test');
    connector = await BlueskyConnector.connect({ service: network.pdsUrl, identifier: city.handle, password: city.password, accountId: ACCOUNT, appView: false, retry: { baseMs: 50 } });
    firehose = new FirehoseCapture({
      service: network.firehoseUrl, plcUrl: network.plcUrl, accountId: ACCOUNT, accountDid: city.did,
      onRecords: async (records) => { await capture(deps, town.orgId, records); },
      isCaptured: async (uri) => Boolean(await deps.db.selectFrom('archive_records').select('id').where('org_id', '=', town.orgId).where('platform_id', '=', uri).executeTakeFirst()),
      onError: (err) => errors.push(err),
    });
    await firehose.start();
  }, 60_000);

  afterAll(async () => {
    await firehose?.stop();
    await network?.close();
    await database?.dispose();
  });

  it('publishes, captures residents\' replies with verifiable evidence, hides one, and archives deletions', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
    const published = await connector.publish({
      idempotencyKey: 'post-1', firstAttemptAt: new Date().toISOString(),
      text: 'Woodland Park splash pad opens Monday. Details: https://kalispell.com/parks',
      media: [{ bytes: png, mime: 'image/png', alt: 'The splash pad fountains running' }],
    });
    expect(published.alreadyPublished).toBe(false);
    await capture(deps, town.orgId, published.records);
    const post = { id: published.ref.id, version: published.ref.version };

    // Residents reply from their own accounts, as on the real network.
    const residents = await Promise.all(['ana', 'ben'].map((name) => network.createAccount(`${name}.test`)));
    const replies: Array<{ uri: string; cid: string; did: string }> = [];
    for (const [i, r] of residents.entries()) {
      const agent = new AtpAgent({ service: network.pdsUrl });
      await agent.login({ identifier: r.handle, password: r.password });
      const text = i === 0 ? 'Great news for the kids!' : 'Will the restrooms be open too?';
      const res = await agent.post({ text, reply: { root: { uri: post.id, cid: post.version! }, parent: { uri: post.id, cid: post.version! } } });
      replies.push({ uri: res.uri, cid: res.cid, did: r.did });
    }
    // A post elsewhere on the network is not the city's business.
    const other = new AtpAgent({ service: network.pdsUrl });
    await other.login({ identifier: residents[0]!.handle, password: residents[0]!.password });
    await other.post({ text: 'Unrelated post about my garden' });

    await waitFor(async () => (await archived('comment')).length === 2, 10_000, 'both replies captured from the firehose');
    const posts = await archived('post');
    expect(posts.map((p) => p.platform_id)).toEqual([post.id]); // captured by publish and by the firehose: one record

    // Evidence: the CAR proves the reply is in its author's repository, signed by the author's key.
    const reply = await deps.db.selectFrom('archive_records as r').innerJoin('archive_contents as c', 'c.record_id', 'r.id')
      .select(['c.evidence', 'c.text', 'c.author_id']).where('r.platform_id', '=', replies[0]!.uri).executeTakeFirstOrThrow();
    expect(reply.text).toBe('Great news for the kids!');
    const resolver = new IdResolver({ plcUrl: network.plcUrl });
    const key = await resolver.did.resolveAtprotoKey(replies[0]!.did);
    const claims = await verifyRecords(reply.evidence!, replies[0]!.did, key);
    expect(claims.some((c) => `at://${replies[0]!.did}/${c.collection}/${c.rkey}` === replies[0]!.uri)).toBe(true);

    // A person decided to hide the second reply: the threadgate lists it, the archive records it.
    const hidden = await connector.setReplyHidden(post, { id: replies[1]!.uri }, true);
    await capture(deps, town.orgId, hidden);
    const gate = await connector.agent.com.atproto.repo.getRecord({ repo: city.did, collection: 'app.bsky.feed.threadgate', rkey: post.id.split('/').pop()! });
    expect((gate.data.value as { hiddenReplies?: string[] }).hiddenReplies).toEqual([replies[1]!.uri]);
    expect((await archived('visibility_change')).map((v) => v.subject_id)).toEqual([replies[1]!.uri]);
    // Hiding is not deleting: the reply is still on the network and still in the archive.
    expect(await connector.fetchPost(replies[1]!.uri)).not.toBeNull();

    // The resident deletes their own reply; the city deletes its post. Both are records.
    const ana = new AtpAgent({ service: network.pdsUrl });
    await ana.login({ identifier: residents[0]!.handle, password: residents[0]!.password });
    await ana.deletePost(replies[0]!.uri);
    await capture(deps, town.orgId, await connector.deletePost(post));
    await waitFor(async () => (await archived('deletion')).length === 2, 10_000, 'both deletions archived');
    expect((await archived('deletion')).map((d) => d.subject_id).sort()).toEqual([post.id, replies[0]!.uri].sort());
    // The deleted reply's text is still in the archive.
    expect((await archived('comment')).map((c) => c.platform_id)).toContain(replies[0]!.uri);

    const report = await verifyArchive(deps, town.orgId);
    expect(report.problems).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('will not delete a resident\'s reply (hide it instead)', async () => {
    const resident = await network.createAccount('cal.test');
    const agent = new AtpAgent({ service: network.pdsUrl });
    await agent.login({ identifier: resident.handle, password: resident.password });
    const res = await agent.post({ text: 'my own post' });
    await expect(connector.deletePost({ id: res.uri })).rejects.toMatchObject({ kind: 'rejected' });
    expect(await connector.fetchPost(res.uri)).not.toBeNull();
  });
});
