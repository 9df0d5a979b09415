// Walks the whole role x action matrix: for every bundled pack, every role, and every /api route,
// the route answers 403 exactly when the pack does not give that role the route's permission.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, signIn, testApp, type Client, type TestCity } from '../testing/app.js';
import { listBundledPacks } from '../policy/pack.loader.js';
import { parseGrant } from '../policy/grants.js';
import { routeActions } from './context.js';
import { registerGuard } from './guard.js';

describe('route guard', () => {
  it('refuses to start when an /api route declares no permission', async () => {
    const app = Fastify();
    registerGuard(app);
    expect(() => app.get('/api/unguarded', async () => ({}))).toThrow(/declares no permission/);
    expect(() => app.get('/api/guarded', { config: { permission: 'staff.view' } }, async () => ({}))).not.toThrow();
  });
});

describe.each(await availableBackends())('authorization matrix on %s', (backend) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const cities: TestCity[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    for (const p of listBundledPacks()) cities.push(await createTestCity(database.db, p.id, { slug: p.id, emailDomain: `${p.id}.test` }));
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('every route checks its permission for every role of every pack', async () => {
    const routes = app.routeTable.filter((r) => routeActions(r.permission).length > 0);
    expect(routes.length).toBeGreaterThanOrEqual(8);
    let checked = 0;
    for (const city of cities) {
      for (const role of city.pack.roles) {
        const client: Client = await signIn(app, city.staffByRole[role.id] as string, { city: city.slug });
        const held = new Set(role.grants.map((g) => { const p = parseGrant(g); return p.ok ? p.grant.action : null; }));
        for (const route of routes) {
          const url = route.url.replace(/:[a-zA-Z]+/g, 'no-such-id');
          const res = await client.request(route.method as 'GET', url, route.method === 'GET' ? undefined : {});
          const refused = res.statusCode === 403 && res.json().error === 'forbidden';
          expect(refused, `${city.pack.id} ${role.id} ${route.method} ${route.url} -> ${res.statusCode} ${res.body.slice(0, 200)}`)
            .toBe(!routeActions(route.permission).some((a) => held.has(a)));
          if (refused) expect(res.json().rule).toBe(routeActions(route.permission).join('|'));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('signed-out requests to protected routes get 401', async () => {
    for (const route of app.routeTable.filter((r) => r.permission !== 'public')) {
      const res = await app.inject({ method: route.method as 'GET', url: route.url.replace(/:[a-zA-Z]+/g, 'x') });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});
