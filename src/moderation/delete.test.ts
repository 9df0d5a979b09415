// Deleting a comment (issue 7), on both databases, against the local fake Graph server: the same
// gates as hiding (roles, clause, written reason, warnings, pack version; Bozeman's attorney), only
// where the platform lets the city delete replies, platform first and then the records — and the
// archive keeps the original, so a deletion on the platform never loses what was said.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity } from '../testing/app.js';
import { testArchiveDeps } from '../testing/archive.js';
import { insertTestAccount, staffContext } from '../accounts/fixtures.js';
import { createVault } from '../accounts/vault.js';
import { capture } from '../archive/capture.js';
import { FacebookConnector } from '../platforms/facebook/facebook.connector.js';
import { startFakeGraph, type FakeGraph } from '../platforms/facebook/fake-graph.js';
import { enqueueComments } from './queue.js';
import { moderate, type ModerationDeps } from './moderation.commands.js';
import { cityWithComments } from './moderation.fixtures.js';

const RESIDENT = { id: '7000000000001', name: 'Pat Resident' };
let serial = 0;

/** A city whose Facebook Page (the fake Graph server) has a post with one resident's comment, captured and queued. */
async function cityOnFacebook(db: TestDatabase, graph: FakeGraph, packId: string, text: string) {
  const town = await createTestCity(db.db, packId, { slug: `${packId.split('-')[0]}-fb${++serial}` });
  const vault = createVault(randomBytes(32));
  const archive = testArchiveDeps(db.db, db.dialect);
  const accountId = await insertTestAccount(db.db, town.orgId, { platform: 'facebook', handle: `${town.slug}-page`, status: 'active' });
  const credentials = JSON.stringify({ pageId: graph.pageId, pageToken: graph.pageToken, graphUrl: graph.url });
  const sealed = vault.encrypt({ orgId: town.orgId, accountId, kind: 'connector_token' }, credentials);
  const at = new Date().toISOString();
  await db.db.insertInto('vault_secrets').values({ id: `v-${accountId}`, org_id: town.orgId, account_id: accountId, kind: 'connector_token', label: null, ...sealed, fingerprint: null, expires_at: null, created_at: at, updated_at: at }).execute();
  const fb = new FacebookConnector({ pageId: graph.pageId, pageToken: graph.pageToken, accountId, graphUrl: graph.url, retry: { sleep: async () => {} } });
  const post = await fb.publish({ idempotencyKey: `post-${serial}`, firstAttemptAt: at, text: 'The splash pad at Woodland Park opens Monday.' });
  const commentId = graph.addResidentComment(post.ref.id, { from: RESIDENT, message: text });
  const records = [...post.records, ...(await fb.readReplies(post.ref)).records];
  await enqueueComments(db.db, town.orgId, records, await capture(archive, town.orgId, records));
  const item = await db.db.selectFrom('moderation_items').selectAll().where('org_id', '=', town.orgId).where('platform_id', '=', commentId).executeTakeFirstOrThrow();
  // No `open`: moderate() opens the real Facebook connector from the sealed credentials.
  const deps: ModerationDeps = { archive, vault };
  return { town, item, deps, commentId };
}

describe.each(await availableBackends())('deleting comments on %s', (backend) => {
  let database: TestDatabase;
  let graph: FakeGraph;
  beforeAll(async () => { database = await openTestDatabase(backend); });
  beforeEach(async () => { graph = await startFakeGraph(); });
  afterEach(async () => graph.close());
  afterAll(async () => database?.dispose());

  const deletes = (id: string) => graph.state.requests.filter((r) => r.method === 'DELETE' && r.path === `/${id}`);
  const archived = async (orgId: string, id: string) => {
    const rows = await database.db.selectFrom('archive_records').select(['kind', 'subject_id', 'platform_id']).where('org_id', '=', orgId).execute();
    return { originals: rows.filter((r) => r.platform_id === id && r.kind === 'comment').length, about: rows.filter((r) => r.subject_id === id).map((r) => r.kind).sort() };
  };

  it('Kalispell: the Communications Manager deletes with a clause and a reason; Graph deletes it, the archive keeps the original', async () => {
    const { town, item, deps, commentId } = await cityOnFacebook(database, graph, 'kalispell-mt', 'BUY CHEAP FOLLOWERS at cheap-followers.example.com, promo code CITY50!!!');
    const manager = await staffContext(database.db, town.orgId, town.staffByRole.communications_manager!);
    const employee = await staffContext(database.db, town.orgId, town.staffByRole.employee!);
    const commercial = town.pack.acceptableUse.clauses.find((c) => c.category === 'commercial')!;
    const reason = 'Advertises a business, which the policy does not allow.';

    await expect(moderate(employee, deps, item.id, { action: 'delete', clauseId: commercial.id, reason })).rejects.toMatchObject({ status: 403 });
    await expect(moderate(manager, deps, item.id, { action: 'delete', reason })).rejects.toMatchObject({ status: 400 });
    await expect(moderate(manager, deps, item.id, { action: 'delete', clauseId: commercial.id })).rejects.toMatchObject({ status: 400 });
    expect(deletes(commentId)).toEqual([]);

    expect(await moderate(manager, deps, item.id, { action: 'delete', clauseId: commercial.id, reason })).toMatchObject({ state: 'deleted' });
    expect(deletes(commentId)).toHaveLength(1);
    expect(graph.state.objects.get(commentId)?.deleted).toBe(true);
    const row = await database.db.selectFrom('moderation_items').select('state').where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(row.state).toBe('deleted');
    const action = await database.db.selectFrom('moderation_actions').selectAll().where('item_id', '=', item.id).where('action', '=', 'delete').executeTakeFirstOrThrow();
    expect(action).toMatchObject({ clause_id: commercial.id, reason, pack_version: manager.packVersion });
    expect(await archived(town.orgId, commentId)).toEqual({ originals: 1, about: ['deletion', 'moderation_action'] });

    // Facebook keeps no copy of a deleted comment: it cannot be shown again.
    await expect(moderate(manager, deps, item.id, { action: 'restore', reason: 'It was removed by mistake.' })).rejects.toMatchObject({ status: 409, message: expect.stringContaining('deleted') });
    expect(graph.state.requests.filter((r) => r.method === 'POST' && r.path === `/${commentId}`)).toEqual([]);
  });

  it('a platform without delete_reply (Bluesky) refuses the delete before anything is sent', async () => {
    const { town, items, deps, fake } = await cityWithComments(database, 'kalispell-mt', ['BUY CHEAP FOLLOWERS at cheap-followers.example.com, promo code CITY50!!!']);
    const manager = await staffContext(database.db, town.orgId, town.staffByRole.communications_manager!);
    const commercial = town.pack.acceptableUse.clauses.find((c) => c.category === 'commercial')!;
    const item = items[0]!;
    await expect(moderate(manager, deps, item.id, { action: 'delete', clauseId: commercial.id, reason: 'Advertises a business, which the policy does not allow.' }))
      .rejects.toMatchObject({ status: 409, message: expect.stringContaining('only lets the city hide replies') });
    expect(fake.hides).toEqual([]);
    const row = await database.db.selectFrom('moderation_items').select('state').where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(row.state).toBe(item.state);
    expect(await database.db.selectFrom('moderation_actions').select('id').where('item_id', '=', item.id).where('action', '=', 'delete').execute()).toEqual([]);
  });

  it('Bozeman: the Content Editor cannot delete; the City Attorney approves the removal as a deletion', async () => {
    const { town, item, deps, commentId } = await cityOnFacebook(database, graph, 'bozeman-mt', 'Vote for Jane Doe for City Commission! Re-elect Jane!');
    const parks = await database.db.selectFrom('departments').select('id').where('org_id', '=', town.orgId).where('name', '=', 'Parks').executeTakeFirstOrThrow();
    await database.db.updateTable('users').set({ department_id: parks.id }).where('email', '=', town.staffByRole.content_editor!).execute();
    await database.db.updateTable('accounts').set({ department_id: parks.id }).where('id', '=', item.account_id).execute();
    const editor = await staffContext(database.db, town.orgId, town.staffByRole.content_editor!);
    const campaign = town.pack.acceptableUse.clauses.find((c) => c.category === 'political_campaign')!;
    const reason = 'Campaigning for a candidate on a city page.';

    await expect(moderate(editor, deps, item.id, { action: 'delete', clauseId: campaign.id, reason })).rejects.toMatchObject({ status: 403 });
    expect(await moderate(editor, deps, item.id, { action: 'escalate', clauseId: campaign.id, reason })).toMatchObject({ state: 'escalated' });
    expect(deletes(commentId)).toEqual([]);

    const attorney = await staffContext(database.db, town.orgId, town.staffByRole.city_attorney!);
    expect(await moderate(attorney, deps, item.id, { action: 'approve_removal', removal: 'delete', acknowledgeWarnings: true })).toMatchObject({ state: 'deleted' });
    expect(deletes(commentId)).toHaveLength(1);
    expect(graph.state.objects.get(commentId)?.isHidden).toBe(false);
    const approval = await database.db.selectFrom('moderation_actions').selectAll().where('item_id', '=', item.id).where('action', '=', 'approve_removal').executeTakeFirstOrThrow();
    expect(approval).toMatchObject({ clause_id: campaign.id, pack_version: attorney.packVersion });
    expect(await archived(town.orgId, commentId)).toEqual({ originals: 1, about: ['deletion', 'moderation_action'] });
  });
});
