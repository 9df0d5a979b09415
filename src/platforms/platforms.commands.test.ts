// Connecting an account and keeping watch on its connector, against the fake Graph API: wrong
// credentials store nothing; a token that expires marks the connector and tells the account's
// administrators once; the credentials never appear in the public event log.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { testArchiveDeps } from '../testing/archive.js';
import { addTestAdmin, insertTestAccount, staffContext, userIdByEmail } from '../accounts/fixtures.js';
import { createVault, type Vault } from '../accounts/vault.js';
import { startFakeGraph, type FakeGraph } from './facebook/fake-graph.js';
import { connectAccount } from './platforms.commands.js';
import { checkConnector } from './platforms.runtime.js';

describe.each(await availableBackends())('connecting accounts and watching connectors on %s', (backend) => {
  let database: TestDatabase;
  let town: TestCity;
  let graph: FakeGraph;
  let vault: Vault;
  let accountId: string;
  let itDirector: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    town = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    graph = await startFakeGraph({ pageId: '1234567890' });
    vault = createVault(randomBytes(32));
    accountId = await insertTestAccount(database.db, town.orgId, { platform: 'facebook', handle: 'CityofKalispell', status: 'active' });
    itDirector = await userIdByEmail(database.db, town.orgId, town.staffByRole.it_director!);
    await addTestAdmin(database.db, town.orgId, accountId, itDirector);
  });
  afterAll(async () => {
    await graph?.close();
    await database?.dispose();
  });

  const account = () => database.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
  const secrets = () => database.db.selectFrom('vault_secrets').select('kind').where('account_id', '=', accountId).execute();
  const creds = (pageToken: string) => ({ pageId: graph.pageId, pageToken, graphUrl: graph.url });

  it('refuses credentials the platform rejects, and keeps nothing', async () => {
    const ctx = await staffContext(database.db, town.orgId, town.staffByRole.it_director!);
    await expect(connectAccount(ctx, vault, { accountId, credentials: creds('EAAB-not-a-real-token-000000') }))
      .rejects.toMatchObject({ status: 400, details: { fields: [expect.objectContaining({ path: 'body.credentials' })] } });
    await expect(connectAccount(ctx, vault, { accountId, credentials: { pageId: 'abc', pageToken: 'short' } }))
      .rejects.toMatchObject({ status: 400, details: { fields: expect.arrayContaining([expect.objectContaining({ path: 'body.credentials.pageId' })]) } });
    expect(await secrets()).toEqual([]);
    expect((await account()).connector_status).toBe('not_connected');
  });

  it('only staff who may manage credentials connect an account', async () => {
    const ctx = await staffContext(database.db, town.orgId, town.staffByRole.employee!);
    await expect(connectAccount(ctx, vault, { accountId, credentials: creds(graph.pageToken) })).rejects.toMatchObject({ status: 403 });
    expect(await secrets()).toEqual([]);
  });

  it('connects with working credentials, sealed in the vault and absent from the public record', async () => {
    const ctx = await staffContext(database.db, town.orgId, town.staffByRole.it_director!);
    const view = await connectAccount(ctx, vault, { accountId, credentials: creds(graph.pageToken) });
    expect(view).toMatchObject({ status: 'connected', accountRef: graph.pageId });
    expect(view.capabilities).toEqual(expect.arrayContaining(['publish', 'hide_reply', 'read_replies']));
    expect((await account()).connector_status).toBe('connected');
    expect((await secrets()).map((s) => s.kind)).toEqual(['connector_token']);
    const events = await database.db.selectFrom('events').selectAll().where('org_id', '=', town.orgId).execute();
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['credentials.stored', 'account.connector_connected']));
    expect(JSON.stringify(events)).not.toContain(graph.pageToken);
  });

  it('an expired token marks the connector and tells the account\'s administrators, once', async () => {
    graph.faults.expireToken();
    expect(await checkConnector({ archive: testArchiveDeps(database.db, database.dialect), vault }, town.orgId, accountId)).toBe('needs_reauthorization');
    const after = await account();
    expect(after.connector_status).toBe('needs_reauthorization');
    expect(after.connector_message).toMatch(/expired|session/i);
    const notes = await database.db.selectFrom('notifications').select(['user_id', 'text', 'link']).where('org_id', '=', town.orgId).execute();
    expect(notes).toEqual([expect.objectContaining({ user_id: itDirector, link: `/accounts/${accountId}` })]);
    expect(notes[0]!.text).toMatch(/needs to be reconnected/);
    const changed = await database.db.selectFrom('events').select('action').where('org_id', '=', town.orgId).where('action', '=', 'account.connector_health_changed').execute();
    expect(changed).toHaveLength(1);

    // The next scheduled check finds the same problem: no new event, no second notification.
    await checkConnector({ archive: testArchiveDeps(database.db, database.dialect), vault }, town.orgId, accountId);
    expect(await database.db.selectFrom('notifications').select('id').where('org_id', '=', town.orgId).execute()).toHaveLength(1);
  });
});
