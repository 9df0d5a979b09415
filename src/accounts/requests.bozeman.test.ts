// Bozeman on both databases: the Director of IT approves new tools and every site (after the
// department director), a board's site needs its minutes (BZ-2), training comes before a site is
// created (BZ-4) and before anyone is authorized on an account, and IT stays on every site (BZ-5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, signIn, testApp, TEST_PASSWORD, type TestCity } from '../testing/app.js';
import { cityContext } from '../testing/context.js';
import { addPerson } from '../people/people.commands.js';
import { requestsRoutes } from './requests.routes.js';
import { notificationsRoutes } from '../people/notifications.routes.js';
import { trainingRoutes } from '../people/training.routes.js';

type Client = Awaited<ReturnType<typeof signIn>>;

describe.each(await availableBackends())('Bozeman requests on %s', (backend) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let bz: TestCity;
  let parks = '';
  const clients = new Map<string, Client>();
  const ids = new Map<string, string>();

  const as = async (email: string): Promise<Client> => {
    const existing = clients.get(email);
    if (existing) return existing;
    const client = await signIn(app, email, { city: bz.slug });
    clients.set(email, client);
    return client;
  };
  const role = (r: string) => as(bz.staffByRole[r] as string);
  const id = (r: string) => ids.get(bz.staffByRole[r] ?? r) as string;
  const inbox = async (c: Client) => (await c.request('GET', '/api/notifications')).json() as Array<{ id: string; text: string; link: string; readAt: string | null }>;
  const site = (administrators: string[], extra: Record<string, unknown> = {}) => ({
    type: 'newAccount',
    subject: { platform: 'facebook', handle: '@BozemanParks', departmentId: parks, purpose: 'Parks and trails', signupEmail: 'parks@bozeman.net', administrators, ...extra },
  });

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    bz = await createTestCity(database.db, 'bozeman-mt', { slug: 'bozeman' });
    parks = (await database.db.selectFrom('departments').select('id').where('org_id', '=', bz.orgId).where('name', '=', 'Parks').executeTakeFirstOrThrow()).id;
    await database.db.updateTable('users').set({ department_id: parks }).where('org_id', '=', bz.orgId).execute();
    // The director's delegate (BZ-9): the requesting director cannot approve their own request.
    await addPerson(await cityContext(database.db, bz.orgId), { email: 'deputy@example.test', displayName: 'Deputy Director', password: TEST_PASSWORD, roles: ['department_director'], departmentId: parks });
    await addPerson(await cityContext(database.db, bz.orgId), { email: 'new-it@example.test', displayName: 'New IT Hire', password: TEST_PASSWORD, roles: ['it_staff'], departmentId: parks });
    for (const u of await database.db.selectFrom('users').select(['id', 'email']).where('org_id', '=', bz.orgId).execute()) ids.set(u.email, u.id);
    app = await testApp(database);
    if (!app.hasRoute({ method: 'POST', url: '/api/requests' })) await app.register(requestsRoutes);
    if (!app.hasRoute({ method: 'GET', url: '/api/notifications' })) await app.register(notificationsRoutes);
    if (!app.hasRoute({ method: 'GET', url: '/api/training' })) await app.register(trainingRoutes);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('the Director of IT approves a new tool before any site uses it', async () => {
    const director = await role('department_director');
    const unlisted = await director.request('POST', '/api/requests', site([id('it_staff')]));
    expect(unlisted.statusCode).toBe(400);
    expect(unlisted.json().fields[0].path).toBe('body.subject.platform');

    const asked = await director.request('POST', '/api/requests', { type: 'platform', subject: { platform: 'facebook', name: 'Facebook' } });
    expect(asked.statusCode).toBe(201);
    const deputy = await as('deputy@example.test');
    const wrong = await deputy.request('POST', `/api/requests/${asked.json().id}/decision`, { decision: 'approved' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().message).toContain('Director of IT');
    expect(wrong.json().sources).toContain('BZ-2');
    const it = await role('it_director');
    expect((await inbox(it)).some((n) => n.link === `/requests/${asked.json().id}`)).toBe(true);
    const ok = await it.request('POST', `/api/requests/${asked.json().id}/decision`, { decision: 'approved' });
    expect(ok.json()).toMatchObject({ status: 'approved', steps: [{ role: 'it_director', roleTitle: 'Director of IT', state: 'approved' }] });
    const row = await database.db.selectFrom('approved_platforms').selectAll().where('org_id', '=', bz.orgId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ platform: 'facebook', source: 'request', request_id: asked.json().id });
  });

  it('refuses a board\'s site without the minutes that authorized it (BZ-2)', async () => {
    const director = await role('department_director');
    const board = await director.request('POST', '/api/requests', site([id('it_staff')], { boardName: 'Parks Advisory Board', handle: '@BozemanParksBoard' }));
    expect(board.statusCode).toBe(400);
    const field = (board.json().fields as Array<{ path: string; message: string }>).find((f) => f.path === 'body.subject.minutesReference');
    expect(field?.message).toContain('BZ-2');
  });

  it('requires IT on every site, then site-creation and security training, before a site is requested or created', async () => {
    const director = await role('department_director');
    const it = await role('it_director');
    const noIt = await director.request('POST', '/api/requests', site([id('content_editor')]));
    expect(noIt.statusCode).toBe(403);
    expect(noIt.json().sources).toContain('BZ-5');
    expect(noIt.json().message).toContain('IT Department employee');

    const untrained = await director.request('POST', '/api/requests', site([id('content_editor'), id('it_staff')]));
    expect(untrained.statusCode).toBe(403);
    expect(untrained.json()).toMatchObject({ rule: 'training.site_creation', sources: ['BZ-4'] });
    expect(untrained.json().message).toContain('Social media training required before a site is created');

    // Only the Director of IT (training.manage) records training.
    const record = (c: Client, userId: string, moduleId: string) => c.request('POST', '/api/training/completions', { userId, moduleId, completedOn: '2025-01-15' });
    expect((await record(director, id('department_director'), 'site-creation')).statusCode).toBe(403);
    expect((await record(it, id('department_director'), 'site-creation')).statusCode).toBe(201);

    const admins = await director.request('POST', '/api/requests', site([id('content_editor'), id('it_staff')]));
    expect(admins.statusCode).toBe(403);
    expect(admins.json()).toMatchObject({ rule: 'training.account_access', sources: ['BZ-12'] });
    expect(admins.json().message).toContain('Social media security');
    expect(admins.json().message).toContain('Test Content Editor');

    for (const who of [id('content_editor'), id('it_staff')]) expect((await record(it, who, 'security-awareness')).statusCode).toBe(201);
    const made = await director.request('POST', '/api/requests', site([id('content_editor'), id('it_staff')]));
    expect(made.statusCode).toBe(201);
    const requestId = made.json().id as string;
    expect((await director.request('POST', `/api/requests/${requestId}/decision`, { decision: 'approved' })).json().rule).toBe('approvalChains.newAccount.selfApproval');

    const deputy = await as('deputy@example.test');
    const note = (await inbox(deputy)).find((n) => n.link === `/requests/${requestId}`);
    expect(note?.text).toContain('Department Director');
    expect((await deputy.request('POST', `/api/requests/${requestId}/decision`, { decision: 'approved', comment: 'Parks board agreed' })).statusCode).toBe(200);
    expect((await inbox(it)).some((n) => n.link === `/requests/${requestId}` && n.text.includes('Director of IT'))).toBe(true);
    const done = await it.request('POST', `/api/requests/${requestId}/decision`, { decision: 'approved' });
    expect(done.json().status).toBe('approved');
    expect(done.json().steps.map((s: { decision: { byName: string } }) => s.decision.byName)).toEqual(['Deputy Director', 'Test Director of IT']);

    // The notice is the deputy's alone to mark read.
    expect((await director.request('POST', `/api/notifications/${note?.id}/read`)).statusCode).toBe(403);
    expect((await deputy.request('POST', `/api/notifications/${note?.id}/read`)).statusCode).toBe(200);
    const unread = (await deputy.request('GET', '/api/notifications?unread=true')).json() as Array<{ id: string }>;
    expect(unread.map((n) => n.id)).not.toContain(note?.id);
  });

  it('adds an administrator only once trained, and never removes the last IT administrator', async () => {
    const director = await role('department_director');
    const it = await role('it_director');
    const account = await database.db.selectFrom('accounts').select('id').where('org_id', '=', bz.orgId).where('handle', '=', '@BozemanParks').executeTakeFirstOrThrow();
    const removeIt = await director.request('POST', '/api/requests', { type: 'adminChange', subject: { accountId: account.id, change: 'remove', userId: id('it_staff') } });
    expect(removeIt.statusCode).toBe(403);
    expect(removeIt.json()).toMatchObject({ rule: 'security.itAdminOnEveryAccount' });
    expect(removeIt.json().sources).toContain('BZ-5');

    const newcomer = id('new-it@example.test');
    const add = { type: 'adminChange', subject: { accountId: account.id, change: 'add', userId: newcomer } };
    const untrained = await director.request('POST', '/api/requests', add);
    expect(untrained.json()).toMatchObject({ rule: 'training.account_access', sources: ['BZ-12'] });
    expect(untrained.json().message).toContain('New IT Hire');
    await it.request('POST', '/api/training/completions', { userId: newcomer, moduleId: 'security-awareness', completedOn: '2025-02-01' });
    const made = await director.request('POST', '/api/requests', add);
    expect(made.statusCode).toBe(201);
    await (await as('deputy@example.test')).request('POST', `/api/requests/${made.json().id}/decision`, { decision: 'approved' });
    expect((await it.request('POST', `/api/requests/${made.json().id}/decision`, { decision: 'approved' })).json().status).toBe('approved');
    const admins = await database.db.selectFrom('account_admins').select('user_id').where('account_id', '=', account.id).execute();
    expect(admins.map((a) => a.user_id)).toContain(newcomer);

    // With a second IT administrator on the site, the first may now leave it.
    const now = await director.request('POST', '/api/requests', { type: 'adminChange', subject: { accountId: account.id, change: 'remove', userId: id('it_staff') } });
    expect(now.statusCode).toBe(201);
  });

  it('shows the training matrix: people × the pack\'s modules, with who is missing what', async () => {
    const it = await role('it_director');
    const matrix = (await it.request('GET', '/api/training')).json() as {
      modules: Array<{ id: string }>;
      people: Array<{ userId: string; modules: Array<{ moduleId: string; state: string }>; missing: { site_creation: string[]; account_access: string[] } }>;
    };
    expect(matrix.modules.map((m) => m.id)).toEqual(['site-creation', 'security-awareness']);
    const director = matrix.people.find((p) => p.userId === id('department_director'));
    expect(director?.missing).toMatchObject({ site_creation: [], account_access: ['security-awareness'] });
    expect(matrix.people.find((p) => p.userId === id('content_editor'))?.modules).toMatchObject([{ state: 'missing' }, { state: 'current' }]);
    expect((await (await role('content_editor')).request('GET', '/api/training')).statusCode).toBe(403);
  });
});
