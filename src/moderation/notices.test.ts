// What the pack asks that a platform cannot do, kept honest: pre-moderation (MN-7) is not offered by
// any connector, so the LMC city is told comments are reviewed after they appear and its queue
// lists unreviewed comments first, newest first — nothing is hidden to imitate holding them; were
// a connector to hold replies, held comments wait in the queue for a person to approve. Where the
// public may not post (policy 702, LX-8) a Bluesky post is published with replies turned off and a
// Facebook post comes back with the notice that comments must be turned off on Facebook itself.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { signIn, testPack } from '../testing/app.js';
import { insertTestAccount, staffContext } from '../accounts/fixtures.js';
import { buildApp } from '../http/server.js';
import { publishDraft } from '../content/publish.js';
import { BLUESKY_CAPABILITIES } from '../platforms/bluesky/bluesky.connector.js';
import type { Capability } from '../platforms/connector.js';
import { listQueue } from './moderation.queries.js';
import { moderate } from './moderation.commands.js';
import { moderationRoutes } from './moderation.routes.js';
import { platformNotices } from './notices.js';
import { cityWithComments, fakeConnector, fakePlatform } from './moderation.fixtures.js';

describe('notices: what the pack asks and the platform cannot do', () => {
  it('pre-moderation (MN-7): no connector holds comments, so they are reviewed after they appear', () => {
    const lmc = testPack('lmc-model');
    for (const platform of ['bluesky', 'facebook', 'instagram']) {
      const [notice, ...rest] = platformNotices(lmc, platform);
      expect(rest).toEqual([]);
      expect(notice).toMatchObject({ id: 'pre_moderation_unavailable', tone: 'warning' });
      expect(notice!.sources).toContain('MN-7');
      expect(notice!.text).toContain('reviewed after they appear');
      expect(notice!.text).toContain('Nothing is hidden automatically');
    }
    expect(platformNotices(lmc, 'bluesky', new Set<Capability>([...BLUESKY_CAPABILITIES, 'hold_replies'])).map((n) => n.id)).toEqual(['pre_moderation_held']);
  });

  it('public posting disabled (LX-8): Bluesky posts go out with replies off; Facebook needs its own settings', () => {
    const lx = testPack('policy-702');
    expect(platformNotices(lx, 'bluesky')).toEqual([expect.objectContaining({ id: 'replies_closed_on_publish', tone: 'info', sources: expect.arrayContaining(['LX-8']) })]);
    const [facebook] = platformNotices(lx, 'facebook');
    expect(facebook).toMatchObject({ id: 'comments_stay_open', tone: 'warning', sources: expect.arrayContaining(['LX-8']) });
    expect(facebook!.text).toContain('Turn comments off in Facebook\'s own settings');
  });

  it('a pack that asks for neither has no notices', () => {
    for (const id of ['kalispell-mt', 'bozeman-mt', 'red-lodge-mt']) for (const p of ['bluesky', 'facebook']) expect(platformNotices(testPack(id), p)).toEqual([]);
  });
});

describe.each(await availableBackends())('pre-moderation and public posting on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => { database = await openTestDatabase(backend); });
  afterAll(async () => database?.dispose());

  const age = async (itemId: string, minutesAgo: number) => {
    await database.db.updateTable('moderation_items').set({ created_at: new Date(Date.now() - minutesAgo * 60_000).toISOString() }).where('id', '=', itemId).execute();
  };

  it('LMC: the queue and the account page say comments cannot be held; the queue lists unreviewed comments first, newest first; nothing is hidden', async () => {
    const city = await cityWithComments(database, 'lmc-model', [
      'BUY CHEAP FOLLOWERS at cheap-followers.example.com, promo code CITY50!!!',
      'When does the splash pad open on Saturdays?',
      'Thanks for posting the schedule.',
    ]);
    const [spam, question, thanks] = city.items;
    expect([spam!.state, question!.state, thanks!.state]).toEqual(['flagged', 'new', 'new']);
    await age(spam!.id, 30);
    await age(question!.id, 20);
    await age(thanks!.id, 10);
    const admin = await staffContext(database.db, city.town.orgId, city.town.staffByRole.site_administrator!);
    await moderate(admin, city.deps, question!.id, { action: 'keep', reason: 'An on-topic question.' });
    const order = (rows: Array<{ id: string }>) => rows.map((r) => city.items.findIndex((i) => i.id === r.id));
    // Unreviewed first (newest first, whatever the labels), then the reviewed.
    expect(order(await listQueue(database.db, city.town.orgId, { unreviewedFirst: true }))).toEqual([2, 0, 1]);
    // Without pre-moderation asked for: flagged first.
    expect(order(await listQueue(database.db, city.town.orgId, {}))).toEqual([0, 2, 1]);
    expect(city.fake.hides).toEqual([]);

    const app = await buildApp({ db: database.db, logger: false, loginRateLimit: 10_000, archive: city.archive });
    await app.register(moderationRoutes, city.deps);
    try {
      const client = await signIn(app, city.town.staffByRole.site_administrator!, { city: city.town.slug });
      const queue = (await client.request('GET', '/api/moderation/queue')).json() as Array<{ id: string }>;
      expect(order(queue)).toEqual([2, 0, 1]);
      const notices = (await client.request('GET', `/api/moderation/notices?accountId=${city.accountId}`)).json() as Array<{ id: string; accountIds: string[]; sources: string[] }>;
      expect(notices).toEqual([expect.objectContaining({ id: 'pre_moderation_unavailable', platform: 'bluesky', accountIds: [city.accountId], sources: ['MN-7', 'MN-8'] })]);
      // Every member of staff may read the pack, so every one sees the notices.
      const employee = await signIn(app, city.town.staffByRole.employee!, { city: city.town.slug });
      expect((await employee.request('GET', '/api/moderation/notices')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('were a platform to hold replies: held comments wait first in the queue; keeping one releases it, hiding one keeps it from appearing', async () => {
    const city = await cityWithComments(database, 'lmc-model', [
      { text: 'Is the pool heated this year?', author: 1, meta: { held: true } },
      { text: 'BUY CHEAP FOLLOWERS at cheap-followers.example.com, promo code CITY50!!!', author: 2, meta: { held: true } },
      { text: 'Great news, thank you.', author: 3 },
    ], { capabilities: ['publish', 'hide_reply', 'respond', 'hold_replies'] });
    const [pool, spam, thanks] = city.items;
    expect([pool!.state, spam!.state, thanks!.state]).toEqual(['held', 'held', 'new']);
    await age(thanks!.id, 1);
    expect((await listQueue(database.db, city.town.orgId, {})).slice(0, 2).map((r) => r.state)).toEqual(['held', 'held']);
    const admin = await staffContext(database.db, city.town.orgId, city.town.staffByRole.site_administrator!);
    expect(await moderate(admin, city.deps, pool!.id, { action: 'keep', reason: 'A question about the pool.' })).toMatchObject({ state: 'kept' });
    expect(city.fake.released).toEqual([pool!.platform_id]);
    const commercial = city.town.pack.acceptableUse.clauses.find((c) => c.category === 'commercial')!;
    expect(await moderate(admin, city.deps, spam!.id, { action: 'hide', clauseId: commercial.id, reason: 'Sells followers: commercial promotion.' })).toMatchObject({ state: 'hidden' });
    expect(city.fake.hides).toEqual([{ reply: spam!.platform_id, hidden: true }]);

    // A connector without the capability cannot release: nothing changes.
    const plain = await cityWithComments(database, 'lmc-model', [{ text: 'Held somewhere else', author: 4, meta: { held: true } }]);
    const plainAdmin = await staffContext(database.db, plain.town.orgId, plain.town.staffByRole.site_administrator!);
    await expect(moderate(plainAdmin, plain.deps, plain.items[0]!.id, { action: 'keep', reason: 'Looks fine, approving it.' })).rejects.toMatchObject({ status: 409 });
    expect((await database.db.selectFrom('moderation_items').select('state').where('id', '=', plain.items[0]!.id).executeTakeFirstOrThrow()).state).toBe('held');
  });

  it('policy 702: Bluesky posts are published with replies off; a Facebook post says comments must be turned off on Facebook (LX-8)', async () => {
    const city = await cityWithComments(database, 'policy-702', []);
    const { town } = city;
    const facebookId = await insertTestAccount(database.db, town.orgId, { platform: 'facebook', handle: 'CityPage', status: 'active' });
    const sealed = city.vault.encrypt({ orgId: town.orgId, accountId: facebookId, kind: 'connector_token' }, JSON.stringify({ pageId: '1234567890', pageToken: 'EAAtesttoken123' }));
    const at = new Date().toISOString();
    await database.db.insertInto('vault_secrets').values({ id: randomUUID(), org_id: town.orgId, account_id: facebookId, kind: 'connector_token', label: null, ...sealed, fingerprint: null, expires_at: null, created_at: at, updated_at: at }).execute();
    const publisherRole = town.pack.roles.find((r) => r.grants.includes('content.publish'))!;
    const publisher = await staffContext(database.db, town.orgId, town.staffByRole[publisherRole.id]!);
    const draftId = randomUUID();
    await database.db.insertInto('drafts').values({
      id: draftId, org_id: town.orgId, author_id: publisher.actor.userId!, department_id: null, text: 'Road work on Main Street starts Monday.', variants: '[]', media: '[]', link: null,
      website_url: null, category: null, emergency: 0, incident_id: null, account_ids: JSON.stringify([city.accountId, facebookId]), status: 'approved', version: 1, chain: null,
      current_step: 0, findings: '[]', scheduled_at: null, submitted_at: at, created_at: at, updated_at: at,
    }).execute();
    const bluesky = fakePlatform();
    const facebook = fakePlatform();
    const outcomes = await publishDraft(publisher, {
      archive: city.archive, vault: city.vault,
      open: async (accountId) => accountId === facebookId
        ? fakeConnector(facebook, { platform: 'facebook', capabilities: ['publish', 'hide_reply'] })
        : fakeConnector(bluesky, { capabilities: ['publish', 'hide_reply', 'disable_comments'] }),
    }, draftId);
    expect(bluesky.published.map((p) => p.disableReplies)).toEqual([true]);
    expect(facebook.published.map((p) => p.disableReplies)).toEqual([undefined]);
    const byAccount = Object.fromEntries(outcomes.map((o) => [o.accountId, o]));
    expect(byAccount[city.accountId]).toMatchObject({ status: 'published' });
    expect(byAccount[city.accountId]!.notices).toBeUndefined();
    expect(byAccount[facebookId]).toMatchObject({ status: 'published', notices: [expect.objectContaining({ id: 'comments_stay_open', sources: expect.arrayContaining(['LX-8']) })] });
  });
});
