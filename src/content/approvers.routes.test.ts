// Approvers who write nothing still open and decide drafts through the API: under policy 702 the
// Supervisor approves content (LX-2) but holds no content.submit, and the route gate once asked
// for that grant, so a Supervisor could never reach the draft they had to approve.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, signIn, testApp, type TestCity } from '../testing/app.js';
import { insertTestAccount } from '../accounts/fixtures.js';

describe.each(await availableBackends())('draft approvers on %s', (backend) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let town: TestCity;
  let accountId: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    town = await createTestCity(database.db, 'policy-702', { slug: 'lakeside' });
    const parks = await database.db.selectFrom('departments').select('id').where('org_id', '=', town.orgId).where('name', '=', 'Parks').executeTakeFirstOrThrow();
    await database.db.updateTable('users').set({ department_id: parks.id }).where('org_id', '=', town.orgId).execute();
    accountId = await insertTestAccount(database.db, town.orgId, { platform: 'facebook', handle: 'LakesideParks', status: 'active', department_id: parks.id });
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('the Supervisor sees the submitted draft, approves their step, and cannot write one', async () => {
    const author = await signIn(app, town.staffByRole.authorized_employee!, { city: town.slug });
    const created = await author.request('POST', '/api/content/drafts', {
      text: 'The Lakeside pool opens Saturday at 10 a.m. Details: https://example.gov/pool', accountIds: [accountId], websiteUrl: 'https://example.gov/pool',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    const submitted = await author.request('POST', `/api/content/drafts/${id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);

    const supervisor = await signIn(app, town.staffByRole.supervisor!, { city: town.slug });
    const list = await supervisor.request('GET', '/api/content/drafts');
    expect(list.statusCode, list.body).toBe(200);
    expect(JSON.stringify(list.json())).toContain(id);
    const draft = await supervisor.request('GET', `/api/content/drafts/${id}`);
    expect(draft.statusCode, draft.body).toBe(200);
    const decided = await supervisor.request('POST', `/api/content/drafts/${id}/decision`, { decision: 'approved', acknowledged: ackIds(draft.json()) });
    expect(decided.statusCode, decided.body).toBe(200);
    const after = (await supervisor.request('GET', `/api/content/drafts/${id}`)).json() as { decisions?: Array<{ decision: string }> };
    expect(JSON.stringify(after)).toContain('approved');

    // Approving is not writing: composing still needs content.submit.
    const own = await supervisor.request('POST', '/api/content/drafts', { text: 'A post of my own', accountIds: [accountId] });
    expect(own.statusCode).toBe(403);
  });

  it('someone with no content grant at all is still refused', async () => {
    const clerk = await signIn(app, town.staffByRole.city_clerk!, { city: town.slug });
    const res = await clerk.request('GET', '/api/content/drafts');
    expect(res.statusCode).toBe(403);
  });
});

/** The ids of the findings an approver must acknowledge, as the page sends them. */
function ackIds(draft: unknown): string[] {
  const findings = (draft as { findings?: Array<{ id: string; severity: string }> }).findings ?? [];
  return findings.filter((f) => f.severity === 'acknowledge').map((f) => f.id);
}
