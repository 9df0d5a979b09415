// "Killing the network in the middle of a publish and retrying yields exactly one post": the PDS
// commits the post, the network dies before the answer arrives, and the retry finds the post
// instead of making a second one, whether the retry is the connector's own or a later call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlueskyConnector } from './bluesky.connector.js';
import { startLocalNetwork, type LocalNetwork } from './local-network.js';
import { startFaultyProxy, type FaultyProxy } from '../../testing/proxy.js';
import { ConnectorError } from '../errors.js';

describe('publishing through a network that dies mid-request', () => {
  let network: LocalNetwork;
  let proxy: FaultyProxy;
  let city: { did: string; handle: string; password: string };

  beforeAll(async () => {
    network = await startLocalNetwork();
    city = await network.createAccount('whitefish.test');
    proxy = await startFaultyProxy(network.pdsUrl);
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await network?.close();
  });

  /** The city's posts as the PDS itself lists them (not through the proxy). */
  async function postsWith(text: string): Promise<number> {
    const url = new URL('/xrpc/com.atproto.repo.listRecords', network.pdsUrl);
    url.search = new URLSearchParams({ repo: city.did, collection: 'app.bsky.feed.post', limit: '100' }).toString();
    const body = (await (await fetch(url)).json()) as { records: Array<{ value: { text: string } }> };
    return body.records.filter((r) => r.value.text === text).length;
  }

  it('retries after the answer was lost and finds the post it already made', async () => {
    const connector = await BlueskyConnector.connect({ service: proxy.url, identifier: city.handle, password: city.password, accountId: 'a', appView: false, retry: { baseMs: 200, attempts: 10 } });
    const text = 'Water main break on 2nd Ave: crews on site until 5 pm.';
    proxy.cutAfterRequest('com.atproto.repo.createRecord', 1500);
    const result = await connector.publish({ idempotencyKey: 'emergency-1', firstAttemptAt: new Date().toISOString(), text });
    expect(proxy.cuts).toBe(1);
    expect(result.alreadyPublished).toBe(true);
    expect(await postsWith(text)).toBe(1);
  }, 30_000);

  it('a later call with the same key, after the connector gave up, still makes no second post', async () => {
    const connector = await BlueskyConnector.connect({ service: proxy.url, identifier: city.handle, password: city.password, accountId: 'a', appView: false, retry: { baseMs: 50, attempts: 2 } });
    const text = 'Road closure: Main St between 1st and 3rd, Saturday 8-12.';
    const firstAttemptAt = new Date().toISOString();
    proxy.cutAfterRequest('com.atproto.repo.createRecord', 3000);
    const failed = await connector.publish({ idempotencyKey: 'closure-7', firstAttemptAt, text }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(ConnectorError);
    expect((failed as ConnectorError).kind).toBe('retryable');
    await new Promise((resolve) => setTimeout(resolve, 3100)); // the network comes back
    const again = await connector.publish({ idempotencyKey: 'closure-7', firstAttemptAt, text });
    expect(again.alreadyPublished).toBe(true);
    expect(await postsWith(text)).toBe(1);
    // A different key is a different post.
    const other = await connector.publish({ idempotencyKey: 'closure-8', firstAttemptAt: new Date().toISOString(), text });
    expect(other.alreadyPublished).toBe(false);
    expect(await postsWith(text)).toBe(2);
  }, 30_000);
});
