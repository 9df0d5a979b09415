import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordInputSchema, type RecordInput } from '../../archive/record.js';
import type { PublishInput } from '../connector.js';
import { exchangeForLongLivedUserToken, FacebookConnector, pageTokensFor } from './facebook.connector.js';
import { startFakeGraph, type FakeGraph } from './fake-graph.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const RESIDENT = { id: '7000000000001', name: 'Pat Resident' };

function expectArchivable(records: RecordInput[]): void {
  for (const record of records) {
    const parsed = RecordInputSchema.safeParse(record);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(record.platform).toBe('facebook');
    expect(record.accountId).toBe('acct-1');
  }
}

function json(record: RecordInput): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(record.payload)) as Record<string, unknown>;
}

function input(text: string, extra: Partial<PublishInput> = {}): PublishInput {
  return { idempotencyKey: randomUUID(), firstAttemptAt: new Date().toISOString(), text, ...extra };
}

let fake: FakeGraph;
let fb: FacebookConnector;

beforeEach(async () => {
  fake = await startFakeGraph({ maxPageSize: 2 });
  fb = new FacebookConnector({ pageId: fake.pageId, pageToken: fake.pageToken, accountId: 'acct-1', graphUrl: fake.url, retry: { sleep: async () => {} } });
});
afterEach(() => fake.close());

describe('publishing', () => {
  it('publishes a post to the Page feed and archives Graph’s own JSON for it', async () => {
    const result = await fb.publish(input('Street sweeping starts Monday.'));
    expect(result.alreadyPublished).toBe(false);
    expect(fake.state.posts().map((p) => p.message)).toEqual(['Street sweeping starts Monday.']);
    const post = fake.state.posts()[0];
    expect(result.ref).toEqual({ id: post.id, url: fake.state.permalink(post) });
    const [record] = result.records;
    expectArchivable(result.records);
    expect(record).toMatchObject({ kind: 'post', platformId: post.id, text: 'Street sweeping starts Monday.', author: { id: fake.pageId, name: 'City of Example' } });
    expect(json(record)).toMatchObject({ id: post.id, message: 'Street sweeping starts Monday.', is_published: true });
    // The token travels in the Authorization header, never in the URL.
    const write = fake.state.requests.find((r) => r.method === 'POST');
    expect(write).toMatchObject({ path: `/${fake.pageId}/feed`, token: fake.pageToken });
    expect(write?.params.access_token).toBeUndefined();
  });

  it('shares a link with the text', async () => {
    await fb.publish(input('Council agenda is up.', { link: 'https://example.gov/agenda' }));
    expect(fake.state.posts()[0]).toMatchObject({ message: 'Council agenda is up.', link: 'https://example.gov/agenda' });
  });

  it('schedules a post: Facebook holds it unpublished until the time', async () => {
    const at = new Date(Date.now() + 2 * 3_600_000);
    const result = await fb.publish(input('Polls open at 7.', { scheduledAt: at.toISOString() }));
    expect(fake.state.posts()).toHaveLength(0);
    expect(fake.state.scheduledPosts().map((p) => p.scheduledAt)).toEqual([Math.floor(at.getTime() / 1000)]);
    expectArchivable(result.records);
    expect(result.records[0]).toMatchObject({ kind: 'post', meta: { scheduled: true, isPublished: false } });
    expect(result.records[0].platformTimes?.scheduled).toBe(new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString());
  });

  it.each([
    ['5 minutes', 5 * 60_000],
    ['31 days', 31 * 86_400_000],
    ['in the past', -60_000],
  ])('refuses to schedule %s ahead before calling Facebook', async (_label, offset) => {
    const scheduledAt = new Date(Date.now() + offset).toISOString();
    await expect(fb.publish(input('Too soon or too late', { scheduledAt }))).rejects.toMatchObject({
      kind: 'rejected', message: expect.stringContaining('between 10 minutes and 30 days'),
    });
    expect(fake.state.requests).toHaveLength(0);
  });

  it('uploads a photo with its alt text and caption', async () => {
    const alt = 'Crews repaving Main Street at dusk';
    const result = await fb.publish(input('Main Street is repaved.', { media: [{ bytes: PNG, mime: 'image/png', alt }] }));
    const photo = [...fake.state.objects.values()].find((o) => o.type === 'photo');
    expect(photo?.photo).toMatchObject({ alt, mime: 'image/png', filename: 'photo.png' });
    expect([...(photo?.photo?.bytes ?? [])]).toEqual([...PNG]);
    const post = fake.state.posts()[0];
    expect(post).toMatchObject({ message: 'Main Street is repaved.', attachedPhotoIds: [photo?.id] });
    expectArchivable(result.records);
    expect(result.records[0]).toMatchObject({ platformId: post.id, media: [{ mime: 'image/png', alt }] });
  });

  it('posts several photos as one post, each with its own alt text', async () => {
    const media = [{ bytes: PNG, mime: 'image/png', alt: 'First' }, { bytes: PNG, mime: 'image/jpeg', alt: 'Second' }];
    await fb.publish(input('Two views of the new park.', { media }));
    const [post] = fake.state.posts();
    expect(fake.state.posts()).toHaveLength(1);
    expect(post.attachedPhotoIds.map((id) => fake.state.objects.get(id)?.photo?.alt)).toEqual(['First', 'Second']);
  });

  it('refuses a post with both a link and a photo, and a photo in a comment', async () => {
    const media = [{ bytes: PNG, mime: 'image/png', alt: 'x' }];
    await expect(fb.publish(input('a', { link: 'https://example.gov', media }))).rejects.toMatchObject({ kind: 'rejected' });
    const replyTo = { root: { id: 'p' }, parent: { id: 'p' } };
    await expect(fb.publish(input('b', { replyTo, media }))).rejects.toMatchObject({ kind: 'rejected', message: expect.stringContaining('alt text') });
  });

  it('replies as the Page under a resident’s comment', async () => {
    const post = await fb.publish(input('Questions about the budget?'));
    const question = fake.addResidentComment(post.ref.id, { from: RESIDENT, message: 'When is the hearing?' });
    const reply = await fb.publish(input('Tuesday at 6 pm.', { replyTo: { root: post.ref, parent: { id: question } } }));
    const stored = fake.state.objects.get(reply.ref.id);
    expect(stored).toMatchObject({ type: 'comment', from: { id: fake.pageId }, parentCommentId: question, postId: post.ref.id });
    expectArchivable(reply.records);
    expect(reply.records[0]).toMatchObject({ kind: 'comment', platformId: reply.ref.id, parentId: question, threadId: post.ref.id, author: { id: fake.pageId } });
  });

  it('edits a post and archives the new version', async () => {
    const post = await fb.publish(input('Pool opens at 9.'));
    const [version] = await fb.editPost(post.ref, 'Pool opens at 10.');
    expect(fake.state.objects.get(post.ref.id)?.message).toBe('Pool opens at 10.');
    expectArchivable([version]);
    expect(version).toMatchObject({ kind: 'post_version', platformId: post.ref.id, text: 'Pool opens at 10.' });
  });
});

describe('residents’ comments', () => {
  it('reads comments page by page, then only the new ones from the cursor', async () => {
    const post = await fb.publish(input('Tell us about potholes.'));
    const first = fake.addResidentComment(post.ref.id, { from: RESIDENT, message: 'Elm and 3rd.' });
    fake.addResidentComment(post.ref.id, { from: { id: '7000000000002', name: 'Sam' }, message: 'Oak Ave too.' });
    const answer = fake.addResidentComment(post.ref.id, { from: RESIDENT, message: 'Still there.', parentId: first });

    const read = await fb.readReplies(post.ref);
    expectArchivable(read.records);
    expect(read.records.map((r) => r.text)).toEqual(['Elm and 3rd.', 'Oak Ave too.', 'Still there.']);
    expect(read.records[0]).toMatchObject({
      kind: 'comment', platformId: first, parentId: post.ref.id, threadId: post.ref.id, author: RESIDENT, payloadType: 'application/json', meta: { isHidden: false },
    });
    expect(read.records[2]).toMatchObject({ platformId: answer, parentId: first });
    expect(json(read.records[0])).toMatchObject({ id: first, message: 'Elm and 3rd.', from: RESIDENT });
    expect(read.cursor).toBeTruthy();

    const newer = fake.addResidentComment(post.ref.id, { from: RESIDENT, message: 'And Pine St.' });
    const again = await fb.readReplies(post.ref, read.cursor);
    expect(again.records.map((r) => r.platformId)).toEqual([newer]);
    const nothing = await fb.readReplies(post.ref, again.cursor);
    expect(nothing).toEqual({ records: [], cursor: again.cursor });
  });

  it('an edited comment read again is a new version of the same comment', async () => {
    const post = await fb.publish(input('Feedback welcome.'));
    const id = fake.addResidentComment(post.ref.id, { from: RESIDENT, message: 'Great job' });
    const before = (await fb.readReplies(post.ref)).records[0];
    const stored = fake.state.objects.get(id);
    if (stored) stored.message = 'Great job!!';
    const after = (await fb.readReplies(post.ref)).records[0];
    expect(after.platformId).toBe(before.platformId);
    expect(after.platformVersion).not.toBe(before.platformVersion);
  });

  it('hides and shows a comment, one visibility record per change', async () => {
    const post = await fb.publish(input('Parade route announced.'));
    const id = fake.addResidentComment(post.ref.id, { from: RESIDENT, message: 'spam spam spam' });
    const hidden = await fb.setReplyHidden(post.ref, { id }, true);
    expect(fake.state.objects.get(id)?.isHidden).toBe(true);
    expect((await fb.readReplies(post.ref)).records[0].meta).toMatchObject({ isHidden: true });
    const shown = await fb.setReplyHidden(post.ref, { id }, false);
    expect(fake.state.objects.get(id)?.isHidden).toBe(false);
    expectArchivable([...hidden, ...shown]);
    expect(hidden[0]).toMatchObject({ kind: 'visibility_change', subjectId: id, threadId: post.ref.id, meta: { visibility: 'hidden' } });
    expect(shown[0]).toMatchObject({ kind: 'visibility_change', subjectId: id, meta: { visibility: 'visible' } });
    expect(hidden[0].dedupeKey).not.toBe(shown[0].dedupeKey);
  });

  it('deletes a resident\'s comment (DELETE /{comment-id}) and returns its deletion record', async () => {
    const post = await fb.publish(input('Parade route announced.'));
    const id = fake.addResidentComment(post.ref.id, { from: RESIDENT, message: 'spam spam spam' });
    const records = await fb.deleteReply(post.ref, { id });
    expect(fake.state.objects.get(id)?.deleted).toBe(true);
    expect(fake.state.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/${id}`]);
    expectArchivable(records);
    expect(records[0]).toMatchObject({ kind: 'deletion', subjectId: id, threadId: post.ref.id });
    expect(json(records[0])).toEqual({ success: true });
    expect((await fb.readReplies(post.ref)).records).toEqual([]);
  });
});

describe('deleting, followers, health and tokens', () => {
  it('deletes a post and archives the deletion', async () => {
    const post = await fb.publish(input('Wrong date, sorry.'));
    const records = await fb.deletePost(post.ref);
    expect(fake.state.posts()).toHaveLength(0);
    expectArchivable(records);
    expect(records[0]).toMatchObject({ kind: 'deletion', subjectId: post.ref.id });
  });

  it('takes a follower snapshot (counts only: Graph does not list a Page’s followers)', async () => {
    fake.state.followersCount = 4321;
    const record = await fb.followerSnapshot();
    expectArchivable([record]);
    expect(record).toMatchObject({ kind: 'follower_snapshot', subjectId: fake.pageId, meta: { followersCount: 4321, fanCount: 1100, listed: false } });
    expect(json(record)).toMatchObject({ id: fake.pageId, followers_count: 4321, name: 'City of Example' });
  });

  it('reports a healthy token, with when its data access ends', async () => {
    const health = await fb.health();
    expect(health).toMatchObject({ ok: true, missing: [] });
    const dataAccess = [...fake.state.tokens.values()].find((t) => t.type === 'PAGE')?.dataAccessExpiresAt ?? 0;
    expect(health.expiresAt).toBe(new Date(dataAccess * 1000).toISOString());
  });

  it('exchanges a short-lived user token and lists the Page tokens', async () => {
    const long = await exchangeForLongLivedUserToken({ appId: fake.appId, appSecret: fake.appSecret, shortLivedToken: fake.userToken, graphUrl: fake.url });
    expect(long.access_token).toMatch(/^EAA/);
    expect(long.expires_in).toBeGreaterThan(50 * 86_400);
    const pages = await pageTokensFor(long.access_token, { graphUrl: fake.url });
    expect(pages).toEqual([{ id: fake.pageId, name: 'City of Example', access_token: fake.pageToken, tasks: expect.arrayContaining(['CREATE_CONTENT', 'MODERATE']) }]);
    await expect(exchangeForLongLivedUserToken({ appId: fake.appId, appSecret: 'wrong', shortLivedToken: fake.userToken, graphUrl: fake.url })).rejects.toMatchObject({ kind: 'rejected', message: expect.stringContaining('client secret') });
  });
});
