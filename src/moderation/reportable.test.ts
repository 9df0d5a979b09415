// Report-only staff (KA-2, KA-10), through the API on both databases: Kalispell's Employee lists the
// recent public comments (text, author, account — no labels, evidence, viewpoint flag or history),
// finds one by the link they copied from Bluesky or Facebook, and reports it with a reason (and
// optionally a clause); the comment is flagged and the roles the pack names are told. They never
// reach the moderators' queue, a comment's page or its actions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { signIn } from '../testing/app.js';
import { insertTestAccount, staffContext } from '../accounts/fixtures.js';
import { buildApp } from '../http/server.js';
import { capture } from '../archive/capture.js';
import type { RecordInput } from '../archive/record.js';
import { moderate } from './moderation.commands.js';
import { moderationRoutes } from './moderation.routes.js';
import { enqueueComments } from './queue.js';
import { parseCommentLink, type ReportableComment } from './reportable.js';
import { cityWithComments } from './moderation.fixtures.js';

interface Reportable {
  reportTo: Array<{ id: string; title: string }>;
  sources: string[];
  clauses: Array<{ id: string }>;
  items: ReportableComment[];
}

const SPAM = 'BUY CHEAP FOLLOWERS at cheap-followers.example.com, promo code CITY50!!!';
const QUESTION = 'When does the splash pad open on Saturdays?';
const CRITIC = 'The mayor has done a terrible job on parks and should resign.';
const ITEM_KEYS = ['account', 'accountId', 'author', 'canReport', 'createdAt', 'id', 'platform', 'platformId', 'reported', 'reportedByYou', 'text', 'url'];

describe('parseCommentLink', () => {
  it('reads Bluesky at:// addresses and bsky.app links, Facebook comment links and ids', () => {
    expect(parseCommentLink('at://did:plc:abc123/app.bsky.feed.post/3kabc')).toEqual({ platform: 'bluesky', repo: 'did:plc:abc123', rkey: '3kabc' });
    expect(parseCommentLink(' https://bsky.app/profile/Res1.Test/post/3kabc ')).toEqual({ platform: 'bluesky', repo: 'res1.test', rkey: '3kabc' });
    expect(parseCommentLink('https://bsky.app/profile/did:plc:abc123/post/3kabc')).toEqual({ platform: 'bluesky', repo: 'did:plc:abc123', rkey: '3kabc' });
    expect(parseCommentLink('https://www.facebook.com/123/posts/456?comment_id=789')).toEqual({ platform: 'facebook', commentId: '789' });
    expect(parseCommentLink('https://www.facebook.com/123/posts/456?comment_id=789&reply_comment_id=790')).toEqual({ platform: 'facebook', commentId: '790' });
    expect(parseCommentLink('456_789')).toEqual({ platform: 'facebook', commentId: '456_789' });
    for (const bad of ['', 'hello', 'https://example.com/', 'javascript:alert(1)', 'at://did:plc:abc/app.bsky.feed.like/3k', 'https://bsky.app/profile/x/post/a%25b', 'https://www.facebook.com/123?comment_id=7%25']) {
      expect(parseCommentLink(bad)).toBeNull();
    }
  });
});

describe.each(await availableBackends())('report-only staff on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => { database = await openTestDatabase(backend); });
  afterAll(async () => database?.dispose());

  it('Kalispell: the Employee lists, finds by link and reports comments, and never sees the moderators\' material', async () => {
    const city = await cityWithComments(database, 'kalispell-mt', [SPAM, QUESTION, CRITIC]);
    const { town } = city;
    const [spam, question, critic] = city.items;
    // A Facebook comment on a second account, captured like any other.
    const facebookId = await insertTestAccount(database.db, town.orgId, { platform: 'facebook', handle: 'CityOfKalispell', status: 'active' });
    const fb: RecordInput = {
      kind: 'comment', platform: 'facebook', accountId: facebookId, platformId: '100001_200002', platformVersion: 'f1', parentId: '9_100001', threadId: '9_100001',
      author: { id: '555', handle: 'Pat Resident' }, text: 'Is the pool open on Sunday?', payload: Buffer.from('{"fb":1}'), payloadType: 'application/json',
    };
    await enqueueComments(database.db, town.orgId, [fb], await capture(city.archive, town.orgId, [fb]));
    const fbItem = await database.db.selectFrom('moderation_items').select('id').where('platform_id', '=', fb.platformId!).executeTakeFirstOrThrow();

    const app = await buildApp({ db: database.db, logger: false, loginRateLimit: 10_000, archive: city.archive });
    await app.register(moderationRoutes, city.deps);
    try {
      const employee = await signIn(app, town.staffByRole.employee!, { city: town.slug });
      const list = async (query = ''): Promise<Reportable> => {
        const res = await employee.request('GET', `/api/moderation/reportable${query}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json() as Reportable;
      };
      const first = await list();
      // Who reports go to, from the pack (KA-10), and the clauses a reporter may point to.
      expect(first.reportTo.map((r) => r.id)).toEqual(['communications_manager', 'city_manager', 'city_attorney']);
      expect(first.reportTo[0]!.title).toBe('Communications Manager');
      expect(first.sources).toContain('KA-10');
      expect(first.clauses.length).toBeGreaterThan(0);
      expect(new Set(first.items.map((i) => i.id))).toEqual(new Set([spam!.id, question!.id, critic!.id, fbItem.id]));
      // The comment as the public sees it, and nothing of the moderators' working material.
      for (const item of first.items) expect(Object.keys(item).sort()).toEqual(ITEM_KEYS);
      const shownSpam = first.items.find((i) => i.id === spam!.id)!;
      expect(shownSpam).toMatchObject({ text: SPAM, author: 'res1.test', account: { platform: 'bluesky', handle: `${town.slug}.test` }, reported: false, canReport: true });
      expect(shownSpam.url).toMatch(/^https:\/\/bsky\.app\/profile\/did:plc:res1\/post\//);
      expect(spam!.state).toBe('flagged'); // the classifier flagged it; the list does not say so

      // The moderators' queue, a comment's page and every action stay closed to them.
      expect((await employee.request('GET', '/api/moderation/queue')).statusCode).toBe(403);
      expect((await employee.request('GET', `/api/moderation/items/${spam!.id}`)).statusCode).toBe(403);
      expect((await employee.request('GET', `/api/moderation/items/${spam!.id}/notice?clauseId=x`)).statusCode).toBe(403);
      expect((await employee.request('POST', `/api/moderation/items/${spam!.id}/actions`, { action: 'hide', clauseId: 'aup-6b', reason: 'Advertising a business.' })).statusCode).toBe(403);
      expect((await employee.request('POST', `/api/moderation/items/${spam!.id}/actions`, { action: 'report', reason: 'Looks like spam to me.' })).statusCode).toBe(403);
      expect((await employee.request('POST', '/api/moderation/bulk', { items: [{ itemId: spam!.id, action: 'hide', reason: 'Advertising a business.' }] })).statusCode).toBe(403);

      // Found by the link they copied: by handle or DID on Bluesky, by link or id on Facebook.
      const rkey = question!.platform_id.split('/').pop()!;
      const byLink = async (link: string) => (await list(`?link=${encodeURIComponent(link)}`)).items.map((i) => i.id);
      expect(await byLink(`https://bsky.app/profile/res2.test/post/${rkey}`)).toEqual([question!.id]);
      expect(await byLink(question!.platform_id)).toEqual([question!.id]);
      expect(await byLink(`https://bsky.app/profile/res1.test/post/${rkey}`)).toEqual([]); // someone else's post
      expect(await byLink('https://www.facebook.com/9/posts/100001?comment_id=200002')).toEqual([fbItem.id]);
      expect(await byLink('100001_200002')).toEqual([fbItem.id]);
      expect(await byLink('https://www.facebook.com/9/posts/100001?comment_id=200003')).toEqual([]);
      const garbled = await employee.request('GET', `/api/moderation/reportable?link=${encodeURIComponent('not a link')}`);
      expect(garbled.statusCode).toBe(400);
      expect((garbled.json() as { fields: Array<{ path: string }> }).fields[0]!.path).toBe('querystring.link');
      expect((await list(`?accountId=${facebookId}`)).items.map((i) => i.id)).toEqual([fbItem.id]);

      // A report says why; a clause is optional but must be the policy's.
      const report = (body: Record<string, unknown>) => employee.request('POST', `/api/moderation/items/${question!.id}/report`, body);
      expect((await report({})).statusCode).toBe(400);
      expect((await report({ reason: 'rude' })).statusCode).toBe(400);
      expect((await report({ reason: 'Insults another resident by name.', clauseId: 'no-such-clause' })).statusCode).toBe(400);
      const clause = town.pack.acceptableUse.clauses[0]!;
      const done = await report({ reason: 'Insults another resident by name.', clauseId: clause.id });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toMatchObject({ state: 'flagged' });
      const after = (await list()).items.find((i) => i.id === question!.id)!;
      expect(after).toMatchObject({ reported: true, reportedByYou: true, canReport: true });
      const action = await database.db.selectFrom('moderation_actions').selectAll().where('item_id', '=', question!.id).executeTakeFirstOrThrow();
      expect(action).toMatchObject({ action: 'report', clause_id: clause.id, reason: 'Insults another resident by name.' });

      // The roles the pack names are told; the reporter is not.
      const told = async (role: string) => {
        const who = await staffContext(database.db, town.orgId, town.staffByRole[role]!);
        return (await database.db.selectFrom('notifications').select(['text', 'link']).where('user_id', '=', who.actor.userId!).execute()).filter((n) => n.text.includes('reported a comment'));
      };
      for (const role of ['communications_manager', 'city_manager', 'city_attorney']) {
        expect(await told(role)).toEqual([expect.objectContaining({ link: `/moderation/${question!.id}` })]);
      }
      expect((await told('communications_manager'))[0]!.text).toContain(`clause ${clause.id}`);
      expect(await told('employee')).toEqual([]);

      // Another member of staff sees it reported, not by them.
      const director = await signIn(app, town.staffByRole.department_director!, { city: town.slug });
      const theirs = ((await director.request('GET', '/api/moderation/reportable')).json() as Reportable).items.find((i) => i.id === question!.id)!;
      expect(theirs).toMatchObject({ reported: true, reportedByYou: false });

      // The Communications Manager decides: kept, the report is settled; hidden, it leaves the list; escalated, it cannot be reported.
      const manager = await staffContext(database.db, town.orgId, town.staffByRole.communications_manager!);
      await moderate(manager, city.deps, question!.id, { action: 'keep', reason: 'A question about the splash pad.' });
      expect((await list()).items.find((i) => i.id === question!.id)).toMatchObject({ reported: false, reportedByYou: false, canReport: true });
      const commercial = town.pack.acceptableUse.clauses.find((c) => c.category === 'commercial')!;
      await moderate(manager, city.deps, spam!.id, { action: 'hide', clauseId: commercial.id, reason: 'Advertises a business, which the policy does not allow.' });
      await moderate(manager, city.deps, critic!.id, { action: 'escalate', clauseId: commercial.id, reason: 'Testing an escalation in the list.' });
      const last = await list();
      expect(last.items.map((i) => i.id)).not.toContain(spam!.id);
      expect(last.items.find((i) => i.id === critic!.id)).toMatchObject({ canReport: false });
      expect((await employee.request('POST', `/api/moderation/items/${critic!.id}/report`, { reason: 'It attacks the mayor personally.' })).statusCode).toBe(409);

      // People who may not report (Kalispell's IT Director) have no list at all.
      const it = await signIn(app, town.staffByRole.it_director!, { city: town.slug });
      expect((await it.request('GET', '/api/moderation/reportable')).statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });
});
