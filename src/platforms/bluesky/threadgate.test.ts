// Publishing with replies turned off (capability disable_comments, for packs where the public may
// not post: LX-8) on a real local AT Protocol network. The post and a threadgate allowing nobody
// are written in one commit; a retry finds both; hiding a reply later keeps the gate closed; a
// reply in a thread (governed by its root) gets no gate of its own. With the AppView, a resident's
// reply to the closed post is refused by the threadgate: the post says replies are disabled and
// the reply never shows in the thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtpAgent } from '@atproto/api';
import { ADMIN_PG_URL, postgresAvailable } from '../../testing/databases.js';
import { BlueskyConnector } from './bluesky.connector.js';
import { startLocalNetwork, type LocalNetwork } from './local-network.js';

const GATE = 'app.bsky.feed.threadgate';

async function gateOf(network: LocalNetwork, did: string, postUri: string): Promise<{ allow?: unknown[]; hiddenReplies?: string[]; post?: string } | null> {
  const url = new URL('/xrpc/com.atproto.repo.getRecord', network.pdsUrl);
  url.search = new URLSearchParams({ repo: did, collection: GATE, rkey: postUri.split('/').pop()! }).toString();
  const res = await fetch(url);
  return res.ok ? ((await res.json()) as { value: { allow?: unknown[]; hiddenReplies?: string[]; post?: string } }).value : null;
}

async function residentReply(network: LocalNetwork, handle: string, post: { uri: string; cid: string }, text: string): Promise<string> {
  const resident = await network.createAccount(handle);
  const agent = new AtpAgent({ service: network.pdsUrl });
  await agent.login({ identifier: resident.handle, password: resident.password });
  return (await agent.post({ text, reply: { root: post, parent: post } })).uri;
}

describe('Bluesky: posts published with replies turned off (PLC + PDS)', () => {
  let network: LocalNetwork;
  let city: { did: string; handle: string; password: string };
  let connector: BlueskyConnector;

  beforeAll(async () => {
    network = await startLocalNetwork();
    city = await network.createAccount('lxcity.test');
    connector = await BlueskyConnector.connect({ service: network.pdsUrl, identifier: city.handle, password: city.password, accountId: 'acct-lx', appView: false, retry: { baseMs: 50 } });
  }, 60_000);
  afterAll(async () => network?.close());

  it('writes the post and a threadgate allowing nobody together, archives the gate, and a retry finds both', async () => {
    expect(connector.capabilities.has('disable_comments')).toBe(true);
    const first = new Date().toISOString();
    const published = await connector.publish({ idempotencyKey: 'closed-1', firstAttemptAt: first, text: 'Council agenda for Monday is posted.', disableReplies: true });
    expect(published.alreadyPublished).toBe(false);
    expect(await gateOf(network, city.did, published.ref.id)).toMatchObject({ post: published.ref.id, allow: [] });
    expect(published.records.map((r) => r.kind)).toEqual(['post', 'visibility_change']);
    expect(published.records[1]).toMatchObject({ subjectId: published.ref.id, meta: { replies: 'disabled' }, evidenceType: 'application/vnd.ipld.car' });

    // A later attempt with the same key (an answer lost) finds the post and the same gate.
    const again = await connector.publish({ idempotencyKey: 'closed-1', firstAttemptAt: first, text: 'Council agenda for Monday is posted.', disableReplies: true });
    expect(again).toMatchObject({ alreadyPublished: true, ref: { id: published.ref.id } });
    expect(again.records[1]!.dedupeKey).toBe(published.records[1]!.dedupeKey);

    // Hiding a reply later (a person's decision) leaves replies turned off.
    const reply = await residentReply(network, 'dee.test', { uri: published.ref.id, cid: published.ref.version! }, 'Replying anyway.');
    await connector.setReplyHidden({ id: published.ref.id }, { id: reply }, true);
    expect(await gateOf(network, city.did, published.ref.id)).toMatchObject({ allow: [], hiddenReplies: [reply] });
  }, 60_000);

  it('closes a post that an earlier attempt published without its gate, and leaves open posts and thread replies alone', async () => {
    const firstAt = new Date(Date.now() - 60_000).toISOString();
    const open = await connector.publish({ idempotencyKey: 'open-1', firstAttemptAt: firstAt, text: 'Pool opens Saturday.' });
    expect(open.records.map((r) => r.kind)).toEqual(['post']);
    expect(await gateOf(network, city.did, open.ref.id)).toBeNull();
    // The same key again, now asked to close replies (the attempt that wrote the post died before its gate).
    const closed = await connector.publish({ idempotencyKey: 'open-1', firstAttemptAt: firstAt, text: 'Pool opens Saturday.', disableReplies: true });
    expect(closed.alreadyPublished).toBe(true);
    expect(await gateOf(network, city.did, open.ref.id)).toMatchObject({ allow: [] });
    // An update in the thread is a reply: its root's gate governs it.
    const update = await connector.publish({ idempotencyKey: 'update-1', firstAttemptAt: new Date().toISOString(), text: 'Update: pool opens at noon.', disableReplies: true,
      replyTo: { root: { id: open.ref.id, version: open.ref.version }, parent: { id: open.ref.id, version: open.ref.version } } });
    expect(update.records.map((r) => r.kind)).toEqual(['post']);
    expect(await gateOf(network, city.did, update.ref.id)).toBeNull();
  }, 60_000);
});

describe.runIf(await postgresAvailable())('Bluesky with the AppView: a resident\'s reply to a closed post is refused by the threadgate', () => {
  let network: LocalNetwork;
  let connector: BlueskyConnector;

  beforeAll(async () => {
    network = await startLocalNetwork({ appView: true, postgresUrl: ADMIN_PG_URL });
    const city = await network.createAccount('lx-appview.test');
    connector = await BlueskyConnector.connect({ service: network.pdsUrl, identifier: city.handle, password: city.password, accountId: 'acct-lx' });
  }, 90_000);
  afterAll(async () => network?.close());

  it('shows replies disabled to the resident and leaves their reply out of the thread', async () => {
    const closed = await connector.publish({ idempotencyKey: `closed-${Date.now()}`, firstAttemptAt: new Date().toISOString(), text: 'Snow emergency tonight: park on the odd side.', disableReplies: true });
    const resident = await network.createAccount('eve-lx.test');
    const agent = new AtpAgent({ service: network.pdsUrl });
    await agent.login({ identifier: resident.handle, password: resident.password });
    await network.processAll();
    const before = await agent.app.bsky.feed.getPostThread({ uri: closed.ref.id });
    const view = before.data.thread as { post?: { viewer?: { replyDisabled?: boolean }; threadgate?: { record?: { allow?: unknown[] } } } };
    expect(view.post?.viewer?.replyDisabled).toBe(true);
    expect(view.post?.threadgate?.record?.allow).toEqual([]);

    // The PDS stores whatever its account writes; the network refuses it a place in the thread.
    const post = { uri: closed.ref.id, cid: closed.ref.version! };
    const reply = await agent.post({ text: 'Replying where replies are off.', reply: { root: post, parent: post } });
    await network.processAll();
    const thread = (await agent.app.bsky.feed.getPostThread({ uri: closed.ref.id })).data.thread as { replies?: Array<{ post?: { uri?: string } }> };
    expect((thread.replies ?? []).map((r) => r.post?.uri)).not.toContain(reply.uri);
    expect(thread.replies ?? []).toEqual([]);

    // The control: the same resident's reply to a post published normally is in its thread.
    const open = await connector.publish({ idempotencyKey: `open-${Date.now()}`, firstAttemptAt: new Date().toISOString(), text: 'Library hours change next week.' });
    const openRef = { uri: open.ref.id, cid: open.ref.version! };
    const welcome = await agent.post({ text: 'Thanks for the heads-up.', reply: { root: openRef, parent: openRef } });
    await network.processAll();
    const openThread = (await agent.app.bsky.feed.getPostThread({ uri: open.ref.id })).data.thread as { replies?: Array<{ post?: { uri?: string } }> };
    expect((openThread.replies ?? []).map((r) => r.post?.uri)).toEqual([welcome.uri]);
  }, 90_000);
});
