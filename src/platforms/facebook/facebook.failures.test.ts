// What a city notices when Facebook misbehaves: throttling and outages are waited out, a dead
// token asks for a person, and a lost response never turns into a second post.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordInputSchema } from '../../archive/record.js';
import type { PublishInput } from '../connector.js';
import { ConnectorError } from '../errors.js';
import type { RetryOptions } from '../retry.js';
import { FacebookConnector } from './facebook.connector.js';
import { startFakeGraph, type FakeGraph } from './fake-graph.js';

const RESIDENT = { id: '7000000000001', name: 'Pat Resident' };

function input(text: string, extra: Partial<PublishInput> = {}): PublishInput {
  return { idempotencyKey: randomUUID(), firstAttemptAt: new Date().toISOString(), text, ...extra };
}

let fake: FakeGraph;
let waits: number[];

function connector(retry: RetryOptions = {}): FacebookConnector {
  return new FacebookConnector({
    pageId: fake.pageId, pageToken: fake.pageToken, accountId: 'acct-1', graphUrl: fake.url,
    retry: { sleep: async (ms) => { waits.push(ms); }, random: () => 1, ...retry },
  });
}

const writes = (path: string) => fake.state.requests.filter((r) => r.method === 'POST' && r.path === path).length;

beforeEach(async () => {
  fake = await startFakeGraph();
  waits = [];
});
afterEach(() => fake.close());

describe('throttling and outages', () => {
  it('retries server errors with growing backoff, publishing once', async () => {
    fake.faults.serverErrorNext(2, { match: { method: 'POST' } });
    const result = await connector().publish(input('Leaf pickup this week.'));
    expect(result.alreadyPublished).toBe(false);
    expect(waits).toEqual([250, 500]);
    expect(fake.state.posts()).toHaveLength(1);
  });

  it('waits as long as Retry-After says on HTTP 429', async () => {
    fake.faults.rateLimitNext(1, { retryAfterSeconds: 3 });
    await connector({ random: () => 0 }).publish(input('Snow emergency declared.'));
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(2_000);
    expect(waits[0]).toBeLessThanOrEqual(3_000);
  });

  it('without Retry-After, waits for the usage header’s estimated time to regain access', async () => {
    const post = await connector().publish(input('Library hours change.'));
    fake.faults.rateLimitNext(1, { code: 32, regainMinutes: 1 });
    const read = await connector({ random: () => 0 }).readReplies(post.ref);
    expect(read.records).toEqual([]);
    expect(waits[0]).toBeGreaterThan(55_000);
    expect(waits[0]).toBeLessThanOrEqual(60_000);
  });

  it('hands a long rate limit back to the caller with the time to try again', async () => {
    fake.faults.rateLimitNext(1, { code: 4, regainMinutes: 30 });
    const err = await connector().followerSnapshot().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind: 'rate_limited', platformCode: '4' });
    const retryAt = (err as ConnectorError).retryAt?.getTime() ?? 0;
    expect(retryAt - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(waits).toEqual([]);
  });

  it('gives up after the attempts and reports a retryable error', async () => {
    fake.faults.serverErrorNext(10);
    await expect(connector({ attempts: 3 }).followerSnapshot()).rejects.toMatchObject({ kind: 'retryable', platformCode: '2' });
    expect(waits).toHaveLength(2);
  });
});

describe('tokens and permissions', () => {
  it('an expired token asks for re-authorization at once, and health says not ok', async () => {
    fake.faults.expireToken();
    const fb = connector();
    await expect(fb.publish(input('Anyone there?'))).rejects.toMatchObject({ kind: 'reauthorize', platformCode: '190/463', message: expect.stringContaining('expired') });
    expect(waits).toEqual([]);
    const health = await fb.health();
    expect(health.ok).toBe(false);
    expect(health.message).toContain('expired');
  });

  it('a missing write permission is named in the error and in health', async () => {
    fake.faults.revokePermission('pages_manage_posts');
    const fb = connector();
    await expect(fb.publish(input('Hello'))).rejects.toMatchObject({ kind: 'reauthorize', message: expect.stringContaining("'pages_manage_posts'") });
    const health = await fb.health();
    expect(health).toMatchObject({ ok: false, missing: ['pages_manage_posts'] });
    expect(health.message).toContain('pages_manage_posts');
  });

  it('a missing read permission is named from Graph’s own message', async () => {
    const post = await connector().publish(input('Read me.'));
    fake.faults.revokePermission('pages_read_user_content');
    await expect(connector().readReplies(post.ref)).rejects.toMatchObject({ kind: 'reauthorize', platformCode: '10', message: expect.stringContaining("'pages_read_user_content'") });
  });

  it('a token for another Page is not healthy', async () => {
    const fb = new FacebookConnector({ pageId: '999', pageToken: fake.pageToken, accountId: 'acct-1', graphUrl: fake.url });
    expect(await fb.health()).toMatchObject({ ok: false, message: expect.stringContaining('belongs to Page') });
  });
});

describe('a response lost after Facebook committed the write', () => {
  it('a post is found on retry instead of published twice', async () => {
    fake.faults.dropResponseAfterCommitNext();
    const result = await connector().publish(input('Water main repair on 5th.'));
    expect(result.alreadyPublished).toBe(true);
    expect(writes(`/${fake.pageId}/feed`)).toBe(1);
    expect(fake.state.posts()).toHaveLength(1);
    expect(result.ref.id).toBe(fake.state.posts()[0].id);
    expect(RecordInputSchema.safeParse(result.records[0]).success).toBe(true);
    expect(result.records[0]).toMatchObject({ kind: 'post', text: 'Water main repair on 5th.' });
  });

  it('a photo post is found on retry', async () => {
    fake.faults.dropResponseAfterCommitNext();
    const media = [{ bytes: new Uint8Array([1, 2, 3]), mime: 'image/jpeg', alt: 'A new bench' }];
    const result = await connector().publish(input('New benches downtown.', { media }));
    expect(result.alreadyPublished).toBe(true);
    expect(fake.state.posts()).toHaveLength(1);
    expect(writes(`/${fake.pageId}/photos`)).toBe(1);
  });

  it('a scheduled post is found among the scheduled posts', async () => {
    fake.faults.dropResponseAfterCommitNext();
    const scheduledAt = new Date(Date.now() + 3_600_000).toISOString();
    const result = await connector().publish(input('Fireworks tonight.', { scheduledAt }));
    expect(result.alreadyPublished).toBe(true);
    expect(fake.state.scheduledPosts()).toHaveLength(1);
  });

  it('a reply is found among the comments', async () => {
    const post = await connector().publish(input('Ask us anything.'));
    const question = fake.addResidentComment(post.ref.id, { from: RESIDENT, message: 'Is the pool open?' });
    // A resident writing the same words is not the Page's reply.
    fake.addResidentComment(post.ref.id, { from: RESIDENT, message: 'Yes, until 8.', parentId: question });
    fake.faults.dropResponseAfterCommitNext();
    const reply = await connector().publish(input('Yes, until 8.', { replyTo: { root: post.ref, parent: { id: question } } }));
    expect(reply.alreadyPublished).toBe(true);
    const pageReplies = fake.state.comments(question).filter((c) => c.from.id === fake.pageId);
    expect(pageReplies.map((c) => c.id)).toEqual([reply.ref.id]);
  });

  it('a process that restarts with an old first attempt looks before sending', async () => {
    const firstAttemptAt = new Date(Date.now() - 60_000).toISOString();
    const first = await connector().publish(input('Trash pickup delayed a day.', { firstAttemptAt }));
    const again = await connector().publish(input('Trash pickup delayed a day.', { firstAttemptAt }));
    expect(again).toMatchObject({ alreadyPublished: true, ref: { id: first.ref.id } });
    expect(writes(`/${fake.pageId}/feed`)).toBe(1);
  });

  it('a deletion whose response was lost counts as done on retry', async () => {
    const post = await connector().publish(input('Typo post.'));
    fake.faults.dropResponseAfterCommitNext();
    const [record] = await connector().deletePost(post.ref);
    expect(record).toMatchObject({ kind: 'deletion', subjectId: post.ref.id });
    expect(fake.state.posts()).toHaveLength(0);
  });
});
