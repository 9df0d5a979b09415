// Approval chains as a clerk meets them, on both databases: Kalispell (the Communications Manager
// manages, the City Manager approves, the IT Director sits on every site) and Red Lodge (employee →
// supervisor → department head → Mayor for staff access; deletion only with the Mayor's permission).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, signIn, testApp, TEST_PASSWORD, type TestCity } from '../testing/app.js';
import { cityContext } from '../testing/context.js';
import { addPerson } from '../people/people.commands.js';
import { listEvents } from '../events/events.queries.js';
import { requestsRoutes } from './requests.routes.js';
import { notificationsRoutes } from '../people/notifications.routes.js';

type Client = Awaited<ReturnType<typeof signIn>>;

describe.each(await availableBackends())('approval requests on %s', (backend) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let ka: TestCity;
  let rl: TestCity;
  const parks = new Map<string, string>();
  const clients = new Map<string, Client>();

  const as = async (city: TestCity, email: string): Promise<Client> => {
    // Both cities have e.g. employee@example.test: people are told apart by city.
    const key = `${city.slug}/${email}`;
    const existing = clients.get(key);
    if (existing) return existing;
    const client = await signIn(app, email, { city: city.slug });
    clients.set(key, client);
    return client;
  };
  const role = (city: TestCity, roleId: string) => as(city, city.staffByRole[roleId] as string);
  const idOf = async (city: TestCity, email: string) => (await database.db.selectFrom('users').select('id')
    .where('org_id', '=', city.orgId).where('email', '=', email).executeTakeFirstOrThrow()).id;
  const roleId = (city: TestCity, r: string) => idOf(city, city.staffByRole[r] as string);
  const extra = async (city: TestCity, email: string, roles: string[]) => {
    await addPerson(await cityContext(database.db, city.orgId), { email, displayName: email.split('@')[0] as string, password: TEST_PASSWORD, roles, departmentId: parks.get(city.orgId) ?? null });
    return idOf(city, email);
  };
  const inbox = async (c: Client) => (await c.request('GET', '/api/notifications')).json() as Array<{ id: string; text: string; link: string }>;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    ka = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    rl = await createTestCity(database.db, 'red-lodge-mt', { slug: 'red-lodge' });
    // Department-scoped grants (a director's account.request@department) need staff in a department.
    for (const city of [ka, rl]) {
      const dept = await database.db.selectFrom('departments').select('id').where('org_id', '=', city.orgId).where('name', '=', 'Parks').executeTakeFirstOrThrow();
      parks.set(city.orgId, dept.id);
      await database.db.updateTable('users').set({ department_id: dept.id }).where('org_id', '=', city.orgId).execute();
    }
    app = await testApp(database);
    // Until the lead wires them into buildApp; skipped once they are there.
    if (!app.hasRoute({ method: 'POST', url: '/api/requests' })) await app.register(requestsRoutes);
    if (!app.hasRoute({ method: 'GET', url: '/api/notifications' })) await app.register(notificationsRoutes);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  const kaSite = async (handle: string, administrators: string[]) => ({
    type: 'newAccount',
    subject: { platform: 'facebook', handle, departmentId: parks.get(ka.orgId), purpose: 'Park closures and events', signupEmail: 'parks@kalispell.com', administrators },
  });

  it('Kalispell: the Communications Manager manages, the City Manager approves, the IT Director is on every site', async () => {
    const director = await role(ka, 'department_director');
    const comms = await role(ka, 'communications_manager');
    const manager = await role(ka, 'city_manager');
    const commsId = await roleId(ka, 'communications_manager');
    const itId = await roleId(ka, 'it_director');

    const noIt = await director.request('POST', '/api/requests', await kaSite('@KalispellParks', [commsId]));
    expect(noIt.statusCode).toBe(403);
    expect(noIt.json().rule).toBe('security.itAdminOnEveryAccount');
    expect(noIt.json().sources).toContain('KA-7');
    expect(noIt.json().message).toContain('IT Director');

    const made = await director.request('POST', '/api/requests', await kaSite('@KalispellParks', [commsId, itId]));
    expect(made.statusCode).toBe(201);
    const id = made.json().id as string;

    // The first approver is told; the City Manager is not, until it is their turn.
    expect((await inbox(comms)).some((n) => n.link === `/requests/${id}` && n.text.includes('Communications Manager'))).toBe(true);
    expect((await inbox(manager)).some((n) => n.link === `/requests/${id}`)).toBe(false);

    const submitter = await role(ka, 'content_submitter');
    const notMine = await submitter.request('POST', `/api/requests/${id}/decision`, { decision: 'approved' });
    expect(notMine.statusCode).toBe(403);
    expect(notMine.json().message).toContain('Communications Manager');
    expect(notMine.json().sources).toContain('KA-5');
    const tooEarly = await manager.request('POST', `/api/requests/${id}/decision`, { decision: 'approved' });
    expect(tooEarly.statusCode).toBe(403);
    expect(tooEarly.json().rule).toBe('approvalChains.newAccount');

    expect(((await comms.request('GET', '/api/requests?queue=mine')).json() as Array<{ id: string }>).map((r) => r.id)).toContain(id);
    const step1 = await comms.request('POST', `/api/requests/${id}/decision`, { decision: 'approved', comment: 'Fits the communications plan' });
    expect(step1.statusCode).toBe(200);
    expect(step1.json().steps[0]).toMatchObject({ role: 'communications_manager', state: 'approved', decision: { byName: 'Test Communications Manager', comment: 'Fits the communications plan' } });
    expect(step1.json().steps[1]).toMatchObject({ role: 'city_manager', roleTitle: 'City Manager', label: 'approves', state: 'awaiting' });
    expect((await inbox(manager)).some((n) => n.link === `/requests/${id}`)).toBe(true);

    const done = await manager.request('POST', `/api/requests/${id}/decision`, { decision: 'approved' });
    expect(done.json().status).toBe('approved');
    const account = await database.db.selectFrom('accounts').selectAll().where('id', '=', done.json().accountId).executeTakeFirstOrThrow();
    expect(account).toMatchObject({ status: 'approved', request_id: id, handle: '@KalispellParks' });
    const admins = await database.db.selectFrom('account_admins').select('user_id').where('account_id', '=', account.id).execute();
    expect(admins.map((a) => a.user_id).sort()).toEqual([commsId, itId].sort());
    expect((await inbox(director)).some((n) => n.link === `/requests/${id}` && n.text.endsWith('approved'))).toBe(true);
    const events = await listEvents(database.db, ka.orgId, { action: 'request.approved' });
    expect(events[0]?.sources).toContain('KA-5');
  });

  it('Kalispell: nobody approves their own request, or two steps of one request', async () => {
    const comms = await role(ka, 'communications_manager');
    const itId = await roleId(ka, 'it_director');
    const own = await comms.request('POST', '/api/requests', await kaSite('@KalispellPolice', [itId]));
    expect(own.statusCode).toBe(201);
    const self = await comms.request('POST', `/api/requests/${own.json().id}/decision`, { decision: 'approved' });
    expect(self.statusCode).toBe(403);
    expect(self.json().rule).toBe('approvalChains.newAccount.selfApproval');
    expect(((await comms.request('GET', '/api/requests?queue=mine')).json() as Array<{ id: string }>).map((r) => r.id)).not.toContain(own.json().id);

    // One person holding both roles decides the first step only.
    await extra(ka, 'both@example.test', ['communications_manager', 'city_manager']);
    const both = await as(ka, 'both@example.test');
    expect((await both.request('POST', `/api/requests/${own.json().id}/decision`, { decision: 'approved' })).statusCode).toBe(200);
    const twice = await both.request('POST', `/api/requests/${own.json().id}/decision`, { decision: 'approved' });
    expect(twice.statusCode).toBe(403);
    expect(twice.json().message).toContain('already decided step 1');

    const manager = await role(ka, 'city_manager');
    const silent = await manager.request('POST', `/api/requests/${own.json().id}/decision`, { decision: 'rejected' });
    expect(silent.statusCode).toBe(400);
    expect(silent.json().fields[0].path).toBe('body.comment');
    const no = await manager.request('POST', `/api/requests/${own.json().id}/decision`, { decision: 'rejected', comment: 'One site per department' });
    expect(no.json()).toMatchObject({ status: 'rejected', steps: [{ state: 'approved' }, { state: 'rejected', decision: { comment: 'One site per department' } }] });
    expect((await inbox(comms)).some((n) => n.text.includes('One site per department'))).toBe(true);
    const after = await database.db.selectFrom('accounts').select('id').where('handle', '=', '@KalispellPolice').execute();
    expect(after).toEqual([]);
  });

  it('Kalispell: only the requester withdraws; the full list needs account.view', async () => {
    const director = await role(ka, 'department_director');
    const made = await director.request('POST', '/api/requests', await kaSite('@KalispellPool', [await roleId(ka, 'it_director')]));
    const comms = await role(ka, 'communications_manager');
    expect((await comms.request('POST', `/api/requests/${made.json().id}/withdraw`)).statusCode).toBe(403);
    const gone = await director.request('POST', `/api/requests/${made.json().id}/withdraw`);
    expect(gone.json()).toMatchObject({ status: 'withdrawn', steps: [{ state: 'not_reached' }, { state: 'not_reached' }] });
    const submitter = await role(ka, 'content_submitter');
    expect((await submitter.request('GET', '/api/requests')).statusCode).toBe(403);
    expect((await submitter.request('GET', '/api/requests?queue=mine')).json()).toEqual([]);
    expect((await submitter.request('GET', `/api/requests/${made.json().id}`)).statusCode).toBe(404);
    const all = (await comms.request('GET', '/api/requests')).json() as Array<{ status: string }>;
    expect(all.map((r) => r.status).sort()).toEqual(['approved', 'rejected', 'withdrawn']);
  });

  it('Red Lodge: staff access runs employee → supervisor → department head → Mayor; deletion only with the Mayor', async () => {
    const head = await role(rl, 'department_head');
    const mayor = await role(rl, 'mayor');
    const site = {
      type: 'newAccount',
      subject: { platform: 'facebook', handle: '@RedLodgeParks', departmentId: parks.get(rl.orgId), purpose: 'Parks', signupEmail: 'parks@gmail.com', administrators: [await roleId(rl, 'site_administrator')] },
    };
    const personal = await head.request('POST', '/api/requests', site);
    expect(personal.statusCode).toBe(400);
    expect(personal.json().fields[0].path).toBe('body.subject.signupEmail');
    expect(personal.json()).toMatchObject({ rule: 'security.signupEmailDomainRequired' });
    expect(personal.json().sources).toContain('RL-4');
    const made = await head.request('POST', '/api/requests', { ...site, subject: { ...site.subject, signupEmail: 'parks@cityofredlodge.net' } });
    expect(made.statusCode).toBe(201);
    // The requesting head cannot forward their own request: a second department head does.
    await extra(rl, 'head2@example.test', ['department_head']);
    const head2 = await as(rl, 'head2@example.test');
    expect((await head2.request('POST', `/api/requests/${made.json().id}/decision`, { decision: 'approved' })).statusCode).toBe(200);
    const accountId = (await mayor.request('POST', `/api/requests/${made.json().id}/decision`, { decision: 'approved' })).json().accountId as string;

    const employee = await role(rl, 'employee');
    const supervisor = await role(rl, 'department_supervisor');
    const forOther = await employee.request('POST', '/api/requests', { type: 'staffAccess', subject: { accountId, userId: await roleId(rl, 'site_administrator'), proposal: 'x' } });
    expect(forOther.statusCode).toBe(403);
    const asked = await employee.request('POST', '/api/requests', { type: 'staffAccess', subject: { accountId, proposal: 'Post trail conditions weekly' } });
    expect(asked.statusCode).toBe(201);
    const id = asked.json().id as string;
    const detail = (await mayor.request('GET', `/api/requests/${id}`)).json();
    expect(detail.steps.map((s: { role: string }) => s.role)).toEqual(['department_supervisor', 'department_head', 'mayor']);
    expect(detail.chain.sources).toEqual(expect.arrayContaining(['RL-2', 'RL-3']));

    expect((await employee.request('POST', `/api/requests/${id}/decision`, { decision: 'approved' })).statusCode).toBe(403);
    const skip = await head.request('POST', `/api/requests/${id}/decision`, { decision: 'approved' });
    expect(skip.statusCode).toBe(403);
    expect(skip.json().message).toContain('Department Supervisor');
    expect(skip.json().sources).toContain('RL-2');
    for (const [client, next] of [[supervisor, head], [head, mayor]] as const) {
      expect((await client.request('POST', `/api/requests/${id}/decision`, { decision: 'approved' })).statusCode).toBe(200);
      expect((await inbox(next)).some((n) => n.link === `/requests/${id}`)).toBe(true);
    }
    expect((await mayor.request('POST', `/api/requests/${id}/decision`, { decision: 'approved' })).json().status).toBe('approved');
    const access = await database.db.selectFrom('account_access').selectAll().where('account_id', '=', accountId).execute();
    expect(access).toMatchObject([{ user_id: await roleId(rl, 'employee'), request_id: id }]);
    expect((await inbox(employee)).some((n) => n.link === `/requests/${id}` && n.text.endsWith('approved'))).toBe(true);

    // RL-6: retiring the site takes the Mayor's permission; until then it stands, and it is never deleted.
    expect((await employee.request('POST', '/api/requests', { type: 'accountDeletion', subject: { accountId, reason: 'x' } })).json().rule).toBe('account.request');
    const retire = await head.request('POST', '/api/requests', { type: 'accountDeletion', subject: { accountId, reason: 'Merged into the city page' } });
    expect(retire.statusCode).toBe(201);
    const byHead = await head2.request('POST', `/api/requests/${retire.json().id}/decision`, { decision: 'approved' });
    expect(byHead.statusCode).toBe(403);
    expect(byHead.json().message).toContain('Mayor or designee');
    expect(byHead.json().sources).toEqual(['RL-6']);
    const still = await database.db.selectFrom('accounts').select('status').where('id', '=', accountId).executeTakeFirstOrThrow();
    expect(still.status).toBe('approved');
    expect((await mayor.request('POST', `/api/requests/${retire.json().id}/decision`, { decision: 'approved' })).statusCode).toBe(200);
    const retired = await database.db.selectFrom('accounts').select('status').where('id', '=', accountId).executeTakeFirstOrThrow();
    expect(retired.status).toBe('retired');
    const again = await head.request('POST', '/api/requests', { type: 'accountDeletion', subject: { accountId, reason: 'again' } });
    expect(again.statusCode).toBe(409);
  });
});
