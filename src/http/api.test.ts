import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { authenticator } from 'otplib';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, signIn, testApp, TEST_PASSWORD, type TestCity } from '../testing/app.js';
import { listEvents } from '../events/events.queries.js';

describe.each(await availableBackends())('API on %s', (backend) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let kalispell: TestCity;
  let bozeman: TestCity;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    kalispell = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell', emailDomain: 'kalispell.test' });
    bozeman = await createTestCity(database.db, 'bozeman-mt', { slug: 'bozeman', emailDomain: 'bozeman.test' });
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  // One signed-in client per person: a second enrolment would need the first one's secret.
  const clients = new Map<string, Awaited<ReturnType<typeof signIn>>>();
  const clientFor = async (email: string, city: string, fresh = false) => {
    const existing = clients.get(email);
    if (existing && existing.cookie && !fresh) return existing;
    const client = await signIn(app, email, { city, totpSecret: existing?.totpSecret });
    clients.set(email, client);
    return client;
  };

  const adminOf = (city: TestCity) => {
    const role = city.pack.roles.find((r) => r.grants.includes('staff.manage'));
    if (!role) throw new Error('pack has no staff.manage role');
    return city.staffByRole[role.id] as string;
  };

  it('requires a password and then a TOTP second factor before anything else', async () => {
    const email = adminOf(kalispell);
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { city: 'kalispell', email, password: TEST_PASSWORD } });
    expect(login.statusCode).toBe(200);
    expect(login.json().status).toBe('totp_enrolment_required');
    const cookie = login.cookies.find((c) => c.name === 'civicdesk_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    const headers = { cookie: `civicdesk_session=${cookie?.value}`, 'x-csrf-token': login.json().csrfToken };

    const early = await app.inject({ method: 'GET', url: '/api/dashboard', headers });
    expect(early.statusCode).toBe(401);
    expect(early.json().error).toBe('second_factor_required');

    const enrol = await app.inject({ method: 'POST', url: '/api/auth/totp/enrol', headers });
    expect(enrol.json().qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/totp/confirm', headers, payload: { code: '000000' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().fields[0].path).toBe('body.code');
    const enrolCode = authenticator.generate(enrol.json().secret);
    const confirm = await app.inject({ method: 'POST', url: '/api/auth/totp/confirm', headers, payload: { code: enrolCode } });
    expect(confirm.json().recoveryCodes).toHaveLength(10);
    clients.set(email, { csrf: '', cookie: '', totpSecret: enrol.json().secret, request: () => { throw new Error('unused'); } });

    const dash = await app.inject({ method: 'GET', url: '/api/dashboard', headers });
    expect(dash.statusCode).toBe(200);
    expect(dash.json().pack.id).toBe('kalispell-mt');
    expect(dash.json().city.slug).toBe('kalispell');

    // Next sign-in needs the code; a recovery code works once.
    const again = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { city: 'kalispell', email, password: TEST_PASSWORD } });
    expect(again.json().status).toBe('totp_required');
    const h2 = { cookie: `civicdesk_session=${again.cookies[0]?.value}`, 'x-csrf-token': again.json().csrfToken };
    const code = confirm.json().recoveryCodes[0];
    expect((await app.inject({ method: 'POST', url: '/api/auth/totp', headers: h2, payload: { recoveryCode: code } })).statusCode).toBe(200);
    // The code used at enrolment cannot be replayed.
    const replay = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { city: 'kalispell', email, password: TEST_PASSWORD } });
    const hr = { cookie: `civicdesk_session=${replay.cookies[0]?.value}`, 'x-csrf-token': replay.json().csrfToken };
    expect((await app.inject({ method: 'POST', url: '/api/auth/totp', headers: hr, payload: { code: enrolCode } })).statusCode).toBe(400);
    const third = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { city: 'kalispell', email, password: TEST_PASSWORD } });
    const h3 = { cookie: `civicdesk_session=${third.cookies[0]?.value}`, 'x-csrf-token': third.json().csrfToken };
    expect((await app.inject({ method: 'POST', url: '/api/auth/totp', headers: h3, payload: { recoveryCode: code } })).statusCode).toBe(400);
  });

  it('locks a sign-in after five wrong passwords, even against the right one, and logs it', async () => {
    const email = kalispell.staffByRole[kalispell.pack.roles.at(-1)!.id] as string;
    for (let i = 0; i < 4; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { city: 'kalispell', email, password: 'wrong' } });
      expect(r.statusCode).toBe(401);
    }
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { city: 'kalispell', email, password: 'wrong' } })).statusCode).toBe(423);
    const right = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { city: 'kalispell', email, password: TEST_PASSWORD } });
    expect(right.statusCode).toBe(423);
    const events = await listEvents(database.db, kalispell.orgId, { action: 'auth.locked' });
    expect(events.length).toBe(1);
  });

  it('answers bad input with 400 and field errors, unknown routes with JSON 404, and refuses missing CSRF', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'not-an-email' } });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().fields.map((f: { path: string }) => f.path);
    expect(paths).toContain('body.email');
    expect(paths).toContain('body.password');
    expect(bad.body).not.toMatch(/at .*\.ts:\d+/);

    const missing = await app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe('not_found');

    const client = await clientFor(adminOf(bozeman), 'bozeman');
    const noCsrf = await app.inject({ method: 'POST', url: '/api/departments', headers: { cookie: client.cookie }, payload: { name: 'Fire' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error).toBe('csrf');
    const ok = await client.request('POST', '/api/departments', { name: 'Fire' });
    expect(ok.statusCode).toBe(201);
  });

  it('keeps cities apart: staff, events and sign-in are per city', async () => {
    const kClient = await clientFor(adminOf(kalispell), 'kalispell');
    const bClient = await clientFor(adminOf(bozeman), 'bozeman');
    const kPeople = (await kClient.request('GET', '/api/people')).json() as Array<{ email: string }>;
    expect(kPeople.length).toBeGreaterThan(0);
    expect(kPeople.every((p) => p.email.endsWith('@kalispell.test'))).toBe(true);
    const bEvents = (await bClient.request('GET', '/api/events?limit=500')).json() as Array<{ actor: string }>;
    expect(bEvents.some((e) => e.actor.includes('kalispell.test'))).toBe(false);

    // A Kalispell e-mail does not sign in to Bozeman.
    const cross = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { city: 'bozeman', email: adminOf(kalispell), password: TEST_PASSWORD } });
    expect(cross.statusCode).toBe(401);
    // With several cities hosted, the city must be named.
    const unnamed = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: adminOf(kalispell), password: TEST_PASSWORD } });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().fields[0].path).toBe('body.city');
  });

  it('records every change as an event in the same transaction, and a failed change leaves none', async () => {
    const c = await clientFor(adminOf(bozeman), 'bozeman');
    const add = await c.request('POST', '/api/people', { email: 'new.staff@bozeman.test', displayName: 'New Staff', password: 'Another-Passw0rd!', roles: [bozeman.pack.roles[0]!.id] });
    expect(add.statusCode).toBe(201);
    const dup = await c.request('POST', '/api/people', { email: 'new.staff@bozeman.test', displayName: 'Dup', password: 'Another-Passw0rd!', roles: [] });
    expect(dup.statusCode).toBe(409);
    const weak = await c.request('POST', '/api/people', { email: 'weak@bozeman.test', displayName: 'Weak', password: 'password', roles: [] });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().fields[0].path).toBe('body.password');
    const events = await listEvents(database.db, bozeman.orgId, { limit: 500 });
    const added = events.filter((e) => e.action === 'staff.added' && (e.after as { email: string }).email === 'new.staff@bozeman.test');
    expect(added).toHaveLength(1);
    expect(added[0]!.actor).toContain(adminOf(bozeman));
    expect(added[0]!.packVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(added[0]!.requestId).toBeTruthy();
    // The refused changes left nothing behind.
    expect(events.filter((e) => (e.after as { displayName?: string } | null)?.displayName === 'Dup')).toHaveLength(0);
    expect(events.some((e) => (e.after as { email?: string } | null)?.email === 'weak@bozeman.test')).toBe(false);
  });

  it('lets a person change their own password, under the pack\'s rules, and ends their other sessions', async () => {
    const email = bozeman.staffByRole.city_clerk as string;
    const first = await clientFor(email, 'bozeman');
    const second = await clientFor(email, 'bozeman', true);
    const weak = await second.request('POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().fields[0].path).toBe('body.newPassword');
    const wrong = await second.request('POST', '/api/auth/password', { currentPassword: 'nope', newPassword: 'Brand-New-Passw0rd!' });
    expect(wrong.json().fields[0].path).toBe('body.currentPassword');
    const ok = await second.request('POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Brand-New-Passw0rd!' });
    expect(ok.statusCode).toBe(200);
    expect((await first.request('GET', '/api/session')).statusCode).toBe(401);
    expect((await second.request('GET', '/api/session')).statusCode).toBe(200);
    const old = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { city: 'bozeman', email, password: TEST_PASSWORD } });
    expect(old.statusCode).toBe(401);
  });

  it('shows a department-scoped role only its own department\'s staff', async () => {
    const { addPerson } = await import('../people/people.commands.js');
    const { cityContext } = await import('../testing/context.js');
    const { listDepartments } = await import('../people/people.queries.js');
    const ctx = await cityContext(database.db, kalispell.orgId);
    const [parks, comms] = await Promise.all(['Parks', 'Communications'].map(async (n) => (await listDepartments(database.db, kalispell.orgId)).find((d) => d.name === n)!));
    await addPerson(ctx, { email: 'director.parks@kalispell.test', displayName: 'Parks Director', password: TEST_PASSWORD, roles: ['department_director'], departmentId: parks!.id });
    await addPerson(ctx, { email: 'ranger@kalispell.test', displayName: 'Ranger', password: TEST_PASSWORD, roles: ['employee'], departmentId: parks!.id });
    await addPerson(ctx, { email: 'writer@kalispell.test', displayName: 'Writer', password: TEST_PASSWORD, roles: ['employee'], departmentId: comms!.id });
    const director = await clientFor('director.parks@kalispell.test', 'kalispell');
    const session = (await director.request('GET', '/api/session')).json();
    expect(session.scopes['staff.view']).toBe('department');
    const seen = ((await director.request('GET', '/api/people')).json() as Array<{ email: string }>).map((p) => p.email).sort();
    expect(seen).toEqual(['director.parks@kalispell.test', 'ranger@kalispell.test']);
    const depts = (await director.request('GET', '/api/departments')).json() as Array<{ name: string }>;
    expect(depts.map((d) => d.name)).toEqual(['Parks']);
  });

  it('keeps a working second factor while a new enrolment is unconfirmed', async () => {
    const email = kalispell.staffByRole.city_attorney as string;
    const client = await clientFor(email, 'kalispell');
    const restart = await client.request('POST', '/api/auth/totp/enrol');
    expect(restart.statusCode).toBe(200);
    // Abandoned: the old authenticator still signs in, the pending secret does not.
    const again = await clientFor(email, 'kalispell', true);
    expect((await again.request('GET', '/api/session')).json().mfaPassed).toBe(true);
  });

  it('the database itself refuses to update or delete events', async () => {
    const db = database.db;
    await expect(db.updateTable('events').set({ action: 'tampered' }).where('org_id', '=', kalispell.orgId).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('events').where('org_id', '=', kalispell.orgId).execute()).rejects.toThrow(/append-only/);
    if (backend === 'postgres') await expect(sql`truncate events`.execute(db)).rejects.toThrow(/append-only/);
    const rows = await db.selectFrom('events').select('action').where('action', '=', 'tampered').execute();
    expect(rows).toHaveLength(0);
  });

  it('serves the public Acceptable Use and policy pages per city without sign-in', async () => {
    const chooser = await app.inject({ method: 'GET', url: '/p/acceptable-use' });
    expect(chooser.statusCode).toBe(200);
    expect(chooser.body).toContain('/p/bozeman/acceptable-use');
    const aup = await app.inject({ method: 'GET', url: '/p/bozeman/acceptable-use' });
    expect(aup.statusCode).toBe(200);
    expect(aup.headers['content-type']).toMatch(/text\/html/);
    const statement = bozeman.pack.acceptableUse.statement.split(/\s+/).slice(0, 8).join(' ');
    expect(aup.body.replace(/\s+/g, ' ')).toContain(statement.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;'));
    expect(aup.body).toContain('BZ-16');
    const policy = await app.inject({ method: 'GET', url: '/p/kalispell/policy' });
    expect(policy.body).toContain(kalispell.pack.review.nextReviewDue);
    expect((await app.inject({ method: 'GET', url: '/p/nowhere/policy' })).statusCode).toBe(404);
  });

  it('publishes an OpenAPI document describing the API', async () => {
    const doc = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/auth/login', '/api/people', '/api/events', '/api/dashboard']));
    expect((await app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });
});
