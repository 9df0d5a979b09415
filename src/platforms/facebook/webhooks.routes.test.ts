// The Facebook webhook endpoint as Meta calls it: the handshake, a signed delivery captured into
// the archive of the city whose connected Page it concerns, and a forged one refused.
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { createTestCity, type TestCity } from '../../testing/app.js';
import { testArchiveDeps } from '../../testing/archive.js';
import { insertTestAccount, staffContext } from '../../accounts/fixtures.js';
import { createVault } from '../../accounts/vault.js';
import { buildApp } from '../../http/server.js';
import { connectAccount } from '../platforms.commands.js';
import { startFakeGraph, type FakeGraph } from './fake-graph.js';

const APP_SECRET = 'app-secret-for-tests';
const VERIFY_TOKEN = 'verify-token-for-tests';

describe('POST /api/webhooks/facebook', () => {
  let database: TestDatabase;
  let town: TestCity;
  let graph: FakeGraph;
  let app: FastifyInstance;
  let accountId: string;

  beforeAll(async () => {
    database = await openTestDatabase('sqlite');
    town = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    graph = await startFakeGraph({ pageId: '1234567890' });
    const vault = createVault(randomBytes(32));
    const archive = testArchiveDeps(database.db, database.dialect);
    accountId = await insertTestAccount(database.db, town.orgId, { platform: 'facebook', handle: 'CityofKalispell', status: 'active' });
    await connectAccount(await staffContext(database.db, town.orgId, town.staffByRole.it_director!), vault, {
      accountId, credentials: { pageId: graph.pageId, pageToken: graph.pageToken, graphUrl: graph.url },
    });
    app = await buildApp({ db: database.db, logger: false, archive, vault, facebookWebhook: { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN } });
  });
  afterAll(async () => {
    await app?.close();
    await graph?.close();
    await database?.dispose();
  });

  const delivery = (message: string) => JSON.stringify({
    object: 'page',
    entry: [{ id: graph.pageId, time: 1714564900, changes: [{ field: 'feed', value: {
      from: { id: '7000000000001', name: 'Pat Resident' }, message, post_id: `${graph.pageId}_1`, comment_id: `${graph.pageId}_1_${message.length}`,
      created_time: 1714564810, item: 'comment', parent_id: `${graph.pageId}_1`, verb: 'add',
    } }] }],
  });
  const sign = (body: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const comments = () => database.db.selectFrom('archive_records as r').innerJoin('archive_contents as c', 'c.record_id', 'r.id')
    .select(['r.account_id', 'c.text']).where('r.org_id', '=', town.orgId).where('r.kind', '=', 'comment').execute();

  it('answers Meta\'s subscription handshake only with the right verify token', async () => {
    const ok = await app.inject({ method: 'GET', url: `/api/webhooks/facebook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('1158201444');
    const bad = await app.inject({ method: 'GET', url: '/api/webhooks/facebook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1' });
    expect(bad.statusCode).toBe(403);
  });

  it('captures a signed delivery for a connected Page and refuses a forged one', async () => {
    const body = delivery('Which roads are closed?');
    const res = await app.inject({ method: 'POST', url: '/api/webhooks/facebook', payload: body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) } });
    expect(res.statusCode).toBe(200);
    expect(await comments()).toEqual([{ account_id: accountId, text: 'Which roads are closed?' }]);

    const forged = delivery('Forged comment');
    for (const header of [sign(forged, 'wrong-secret'), 'sha256=00', undefined]) {
      const refused = await app.inject({ method: 'POST', url: '/api/webhooks/facebook', payload: forged, headers: { 'content-type': 'application/json', ...(header ? { 'x-hub-signature-256': header } : {}) } });
      expect(refused.statusCode).toBe(401);
    }
    expect((await comments()).map((c) => c.text)).toEqual(['Which roads are closed?']);
  });
});
