import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, signIn, testApp, type Client, type TestCity } from '../testing/app.js';
import { accountsRoutes } from './accounts.routes.js';
import { addTestAccess, addTestAdmin, insertTestAccount, userIdByEmail } from './fixtures.js';

describe.each(await availableBackends())('accounts API on %s', (backend) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let kalispell: TestCity;
  let redLodge: TestCity;
  let bozeman: TestCity;
  let parks: string;
  let hostile: string;
  const clients = new Map<string, Client>();

  const client = async (city: TestCity, role: string): Promise<Client> => {
    const email = city.staffByRole[role] as string;
    const existing = clients.get(email);
    if (existing) return existing;
    const c = await signIn(app, email, { city: city.slug });
    clients.set(email, c);
    return c;
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    const db = database.db;
    kalispell = await createTestCity(db, 'kalispell-mt', { slug: 'kalispell', emailDomain: 'kalispell.test' });
    redLodge = await createTestCity(db, 'red-lodge-mt', { slug: 'red-lodge', emailDomain: 'redlodge.test' });
    bozeman = await createTestCity(db, 'bozeman-mt', { slug: 'bozeman', emailDomain: 'bozeman.test' });
    app = await testApp(database);
    // Until the lead wires accountsRoutes into buildApp; afterwards it is already there.
    if (!app.hasRoute({ method: 'GET', url: '/api/accounts' })) await app.register(accountsRoutes);

    parks = await insertTestAccount(db, kalispell.orgId, { handle: 'KalispellParks', aup_link_present: 1 });
    hostile = await insertTestAccount(db, kalispell.orgId, { platform: 'twitter', handle: '@KalispellCity', status: 'approved' });
    await addTestAdmin(db, kalispell.orgId, parks, await userIdByEmail(db, kalispell.orgId, kalispell.staffByRole.communications_manager!));
    await addTestAccess(db, kalispell.orgId, parks, await userIdByEmail(db, kalispell.orgId, kalispell.staffByRole.content_submitter!));
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('lists accounts with filters and shows one with admins, access, compliance and publishing state', async () => {
    const c = await client(kalispell, 'communications_manager');
    const all = (await c.request('GET', '/api/accounts')).json() as Array<{ id: string }>;
    expect(all.map((a) => a.id).sort()).toEqual([parks, hostile].sort());
    const approved = (await c.request('GET', '/api/accounts?status=approved')).json() as Array<{ id: string }>;
    expect(approved.map((a) => a.id)).toEqual([hostile]);
    expect((await c.request('GET', '/api/accounts?status=gone')).statusCode).toBe(400);

    const detail = await c.request('GET', `/api/accounts/${parks}`);
    expect(detail.statusCode).toBe(200);
    const body = detail.json();
    expect(body.account.handle).toBe('KalispellParks');
    expect(body.admins.map((a: { email: string }) => a.email)).toEqual([kalispell.staffByRole.communications_manager]);
    expect(body.access.map((a: { email: string }) => a.email)).toEqual([kalispell.staffByRole.content_submitter]);
    expect(body.publishing).toEqual({ allowed: true });
    const itCheck = body.compliance.find((x: { id: string }) => x.id === 'it-admin');
    expect(itCheck).toMatchObject({ status: 'fail', sources: ['KA-7'] });
    expect((await c.request('GET', '/api/accounts/no-such-id')).statusCode).toBe(404);

    const employee = await client(kalispell, 'employee');
    const refused = await employee.request('GET', '/api/accounts');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().rule).toBe('account.view');
  });

  it('only account.suspend holders suspend; suspension stops publishing; account.manage reactivates', async () => {
    const manager = await client(kalispell, 'communications_manager');
    const refused = await manager.request('POST', `/api/accounts/${parks}/suspend`, { reason: 'test' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().rule).toBe('account.suspend');

    const cityManager = await client(kalispell, 'city_manager');
    expect((await cityManager.request('POST', `/api/accounts/${parks}/suspend`, {})).statusCode).toBe(400);
    const done = await cityManager.request('POST', `/api/accounts/${parks}/suspend`, { reason: 'Unapproved posts appeared' });
    expect(done.statusCode).toBe(200);
    expect(done.json().status).toBe('suspended');
    const detail = (await manager.request('GET', `/api/accounts/${parks}`)).json();
    expect(detail.publishing.allowed).toBe(false);
    expect(detail.publishing.reason).toContain('Unapproved posts appeared');

    expect((await manager.request('POST', `/api/accounts/${parks}/activate`)).statusCode).toBe(409);
    expect((await manager.request('POST', `/api/accounts/${parks}/reactivate`)).json().status).toBe('active');
    expect((await manager.request('POST', `/api/accounts/${hostile}/activate`)).json().status).toBe('active');
  });

  it('PATCH validates fields and Red Lodge refuses an off-domain sign-up e-mail with RL-4', async () => {
    const manager = await client(kalispell, 'communications_manager');
    const bad = await manager.request('PATCH', `/api/accounts/${parks}`, { profileUrl: 'ftp://x', surprise: true });
    expect(bad.statusCode).toBe(400);
    const ok = await manager.request('PATCH', `/api/accounts/${parks}`, { websiteLinkPresent: true, twofaEnabled: true, twofaAttested: true });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ websiteLinkPresent: true, twofaEnabled: true });

    const rl = await insertTestAccount(database.db, redLodge.orgId, { handle: 'RedLodgeMT' });
    const mayor = await client(redLodge, 'mayor');
    const refused = await mayor.request('PATCH', `/api/accounts/${rl}`, { signupEmail: 'mayor@gmail.com' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'forbidden', rule: 'security.signupEmailDomainRequired', sources: ['RL-4'] });
    // Kalispell's account is not Red Lodge's to see or change.
    expect((await mayor.request('GET', `/api/accounts/${parks}`)).statusCode).toBe(404);
    expect((await mayor.request('PATCH', `/api/accounts/${parks}`, { purpose: 'x' })).statusCode).toBe(404);
  });

  it('serves failing checks, platforms and the KA-6 lists as JSON and CSV', async () => {
    const c = await client(kalispell, 'city_manager');
    const failing = (await c.request('GET', '/api/compliance')).json() as Array<{ accountId: string; check: { id: string; status: string } }>;
    expect(failing.some((f) => f.accountId === parks && f.check.id === 'it-admin' && f.check.status === 'fail')).toBe(true);

    const platforms = (await c.request('GET', '/api/platforms')).json() as Array<{ id: string }>;
    expect(platforms.map((p) => p.id)).toEqual(['facebook', 'twitter']);

    const json = (await c.request('GET', '/api/lists/accounts')).json();
    expect(json.kind).toBe('accounts');
    expect(json.rows).toHaveLength(2);

    const csv = await c.request('GET', '/api/lists/accounts.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="kalispell-accounts-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(csv.body.split('\r\n')).toContain(`twitter,'@KalispellCity,active,,,,`);
    const submitters = await c.request('GET', '/api/lists/submitters.csv');
    expect(submitters.body).toContain(kalispell.staffByRole.content_submitter);
    expect((await c.request('GET', '/api/lists/platforms.csv')).body).toContain('facebook,Facebook,adopted policy,');
  });

  it('a department-scoped viewer sees only their department\'s accounts', async () => {
    const db = database.db;
    const [parksDept, commsDept] = await Promise.all(['Parks', 'Communications'].map(async (name) =>
      (await db.selectFrom('departments').select('id').where('org_id', '=', bozeman.orgId).where('name', '=', name).executeTakeFirstOrThrow()).id));
    const mine = await insertTestAccount(db, bozeman.orgId, { handle: 'BozemanParks', department_id: parksDept });
    const theirs = await insertTestAccount(db, bozeman.orgId, { handle: 'BozemanComms', department_id: commsDept });
    await db.updateTable('users').set({ department_id: parksDept }).where('email', '=', bozeman.staffByRole.department_director!).execute();
    const director = await client(bozeman, 'department_director');
    expect(((await director.request('GET', '/api/accounts')).json() as Array<{ id: string }>).map((a) => a.id)).toEqual([mine]);
    expect((await director.request('GET', `/api/accounts/${theirs}`)).statusCode).toBe(404);
    expect((await director.request('GET', `/api/accounts/${mine}`)).statusCode).toBe(200);
    const list = (await director.request('GET', '/api/lists/accounts')).json();
    expect(list.rows.map((r: { handle: string }) => r.handle)).toEqual(['BozemanParks']);
    const failing = (await director.request('GET', '/api/compliance')).json() as Array<{ accountId: string }>;
    expect(failing.every((f) => f.accountId === mine)).toBe(true);
    // IT staff hold account.manage city-wide in Bozeman; the director cannot change accounts at all.
    expect((await director.request('PATCH', `/api/accounts/${mine}`, { purpose: 'x' })).statusCode).toBe(403);
  });
});
