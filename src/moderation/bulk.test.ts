// Bulk moderation through the API, on both databases: several comments in one request, each with
// its own reason (and clause), each through moderate() on its own — one refused, one needing its
// warnings read, one unknown: the others are done anyway and every outcome is reported; each done
// item has its own action, event and archive record. Bozeman's removals still wait for the City
// Attorney item by item (BZ-15).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { signIn } from '../testing/app.js';
import { buildApp } from '../http/server.js';
import { moderationRoutes } from './moderation.routes.js';
import { cityWithComments, type CityWithComments } from './moderation.fixtures.js';
import type { BulkOutcome } from './bulk.js';

const SPAM = 'BUY CHEAP FOLLOWERS at cheap-followers.example.com, promo code CITY50!!!';
const SPAM_TOO = 'Get 1000 followers today, use promo code SAVE20 at followers-fast.example.com!';
const CRITIC = 'The mayor has done a terrible job on parks and should resign.';
const QUESTION = 'Will the splash pad be open on weekends too?';
const CAMPAIGN = 'Vote for Jane Doe for City Commission! Re-elect Jane!';
const CAMPAIGN_TOO = 'Re-elect Commissioner Smith this November, vote Smith!';

describe.each(await availableBackends())('bulk moderation through the API on %s', (backend) => {
  let database: TestDatabase;
  const apps: FastifyInstance[] = [];
  beforeAll(async () => { database = await openTestDatabase(backend); });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await database?.dispose();
  });

  /** The real server's routes, with moderation's connector replaced by the recording fake. */
  async function appFor(city: CityWithComments): Promise<FastifyInstance> {
    const app = await buildApp({ db: database.db, logger: false, loginRateLimit: 10_000, archive: city.archive });
    await app.register(moderationRoutes, city.deps);
    apps.push(app);
    return app;
  }

  const reasons = async (orgId: string) => (await database.db.selectFrom('moderation_actions').select(['item_id', 'action', 'clause_id', 'reason']).where('org_id', '=', orgId).orderBy('created_at').execute());
  const events = async (orgId: string) => (await database.db.selectFrom('events').select(['action', 'target_id']).where('org_id', '=', orgId).where('action', 'like', 'moderation.%').orderBy('seq').execute());

  it('Kalispell: each comment is its own action with its own reason; a failure leaves the others done, and each is reported', async () => {
    const city = await cityWithComments(database, 'kalispell-mt', [SPAM, SPAM_TOO, CRITIC, QUESTION]);
    const { town } = city;
    const [spam, spamToo, critic, question] = city.items;
    const app = await appFor(city);
    const manager = await signIn(app, town.staffByRole.communications_manager!, { city: town.slug });
    const commercial = town.pack.acceptableUse.clauses.find((c) => c.category === 'commercial')!;
    const attack = town.pack.acceptableUse.clauses.find((c) => c.category === 'personal_attack')!;

    const res = await manager.request('POST', '/api/moderation/bulk', { items: [
      { itemId: spam!.id, action: 'hide', clauseId: commercial.id, reason: 'Sells followers: advertising a business.' },
      { itemId: spamToo!.id, action: 'hide', clauseId: commercial.id, reason: 'spam' },
      { itemId: critic!.id, action: 'hide', clauseId: attack.id, reason: 'Checking that warnings stop a bulk removal.' },
      { itemId: 'no-such-item', action: 'keep', reason: 'This comment is not in the queue at all.' },
      { itemId: question!.id, action: 'keep', reason: 'A question about opening hours: on topic.' },
    ] });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { outcomes: BulkOutcome[]; done: number; failed: number };
    expect(body.outcomes.map((o) => [o.itemId, o.ok, o.ok ? o.state : o.error?.code])).toEqual([
      [spam!.id, true, 'hidden'], [spamToo!.id, false, 'bad_request'], [critic!.id, false, 'warnings'], ['no-such-item', false, 'not_found'], [question!.id, true, 'kept'],
    ]);
    expect(body).toMatchObject({ done: 2, failed: 3 });
    expect(body.outcomes[1]!.error?.fields).toEqual([{ path: 'body.reason', message: 'at least 10 characters' }]);
    expect(body.outcomes[2]!.warnings?.join(' ')).toContain('protected speech');
    // Only the spam was hidden on the platform; the criticism was not touched.
    expect(city.fake.hides).toEqual([{ reply: spam!.platform_id, hidden: true }]);
    expect(await reasons(town.orgId)).toEqual([
      { item_id: spam!.id, action: 'hide', clause_id: commercial.id, reason: 'Sells followers: advertising a business.' },
      { item_id: question!.id, action: 'keep', clause_id: null, reason: 'A question about opening hours: on topic.' },
    ]);
    expect(await events(town.orgId)).toEqual([{ action: 'moderation.hide', target_id: spam!.platform_id }, { action: 'moderation.keep', target_id: question!.platform_id }]);
    const archived = await database.db.selectFrom('archive_records').select(['kind', 'subject_id']).where('org_id', '=', town.orgId).where('kind', '=', 'moderation_action').execute();
    expect(archived).toEqual([{ kind: 'moderation_action', subject_id: spam!.platform_id }]);

    // Sent again: the reason written, and the criticism kept (it was never a reason to remove it).
    const again = await manager.request('POST', '/api/moderation/bulk', { items: [
      { itemId: spamToo!.id, action: 'hide', clauseId: commercial.id, reason: 'Sells followers with a promo code.' },
      { itemId: critic!.id, action: 'keep', reason: 'Criticism of the mayor: protected speech.' },
      { itemId: spam!.id, action: 'hide', clauseId: commercial.id, reason: 'Sells followers, a second time.' },
    ] });
    expect((again.json() as { outcomes: BulkOutcome[] }).outcomes.map((o) => o.ok ? o.state : o.error?.code)).toEqual(['hidden', 'kept', 'conflict']);
    expect(city.fake.hides.map((h) => h.reply)).toEqual([spam!.platform_id, spamToo!.platform_id]);
    const states = await database.db.selectFrom('moderation_items').select(['id', 'state']).where('org_id', '=', town.orgId).execute();
    expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({ [spam!.id]: 'hidden', [spamToo!.id]: 'hidden', [critic!.id]: 'kept', [question!.id]: 'kept' });
  });

  it('Bozeman: a bulk hide is refused item by item (the City Attorney approves removals); each escalation carries its own reason and reaches the attorney', async () => {
    const city = await cityWithComments(database, 'bozeman-mt', [CAMPAIGN, CAMPAIGN_TOO]);
    const { town } = city;
    const parks = await database.db.selectFrom('departments').select('id').where('org_id', '=', town.orgId).where('name', '=', 'Parks').executeTakeFirstOrThrow();
    await database.db.updateTable('users').set({ department_id: parks.id }).where('org_id', '=', town.orgId).where('email', '=', town.staffByRole.content_editor!).execute();
    await database.db.updateTable('accounts').set({ department_id: parks.id }).where('id', '=', city.accountId).execute();
    const app = await appFor(city);
    const editor = await signIn(app, town.staffByRole.content_editor!, { city: town.slug });
    const campaign = town.pack.acceptableUse.clauses.find((c) => c.category === 'political_campaign')!;
    const [first, second] = city.items;
    const items = (action: string) => [
      { itemId: first!.id, action, clauseId: campaign.id, reason: 'Campaigns for Jane Doe in a city election.' },
      { itemId: second!.id, action, clauseId: campaign.id, reason: 'Campaigns for Commissioner Smith.' },
    ];
    const hide = (await editor.request('POST', '/api/moderation/bulk', { items: items('hide') })).json() as { outcomes: BulkOutcome[] };
    expect(hide.outcomes.map((o) => [o.ok, o.error?.status, o.error?.rule])).toEqual([[false, 403, 'moderation.removalRequiresAttorneyApproval'], [false, 403, 'moderation.removalRequiresAttorneyApproval']]);
    expect(hide.outcomes[0]!.error?.message).toContain('City Attorney');
    expect(hide.outcomes[0]!.error?.sources).toContain('BZ-15');

    const escalate = (await editor.request('POST', '/api/moderation/bulk', { items: items('escalate') })).json() as { outcomes: BulkOutcome[] };
    expect(escalate.outcomes.map((o) => o.state)).toEqual(['escalated', 'escalated']);
    expect(city.fake.hides).toEqual([]);
    const rows = await database.db.selectFrom('moderation_items').select(['id', 'proposal']).where('org_id', '=', town.orgId).execute();
    const proposals = Object.fromEntries(rows.map((r) => [r.id, (JSON.parse(r.proposal ?? '{}') as { reason?: string }).reason]));
    expect(proposals).toEqual({ [first!.id]: 'Campaigns for Jane Doe in a city election.', [second!.id]: 'Campaigns for Commissioner Smith.' });
    const attorney = await database.db.selectFrom('users').select('id').where('org_id', '=', town.orgId).where('email', '=', town.staffByRole.city_attorney!).executeTakeFirstOrThrow();
    const notified = await database.db.selectFrom('notifications').select('link').where('user_id', '=', attorney.id).execute();
    expect(notified.map((n) => n.link).sort()).toEqual([`/moderation/${first!.id}`, `/moderation/${second!.id}`].sort());
  });

  it('refuses staff who may not see the queue, duplicate comments and empty requests', async () => {
    const city = await cityWithComments(database, 'kalispell-mt', [SPAM]);
    const app = await appFor(city);
    const item = { itemId: city.items[0]!.id, action: 'keep', reason: 'Looks fine to me, keeping it.' };
    const employee = await signIn(app, city.town.staffByRole.employee!, { city: city.town.slug });
    const refused = await employee.request('POST', '/api/moderation/bulk', { items: [item] });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().rule).toBe('comment.view');
    const manager = await signIn(app, city.town.staffByRole.communications_manager!, { city: city.town.slug });
    expect((await manager.request('POST', '/api/moderation/bulk', { items: [item, item] })).statusCode).toBe(400);
    expect((await manager.request('POST', '/api/moderation/bulk', { items: [] })).statusCode).toBe(400);
    expect((await manager.request('POST', '/api/moderation/bulk', { items: [{ ...item, action: 'restore' }] })).statusCode).toBe(400);
    expect(await reasons(city.town.orgId)).toEqual([]);
  });
});
