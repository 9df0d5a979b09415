// Test helpers: a city from a bundled pack with one staff member per role, and a signed-in
// client (password + TOTP) that carries the session cookie and CSRF token like a browser.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { authenticator } from 'otplib';
import type { DB } from '../db/schema.js';
import { buildApp } from '../http/server.js';
import { createOrganization } from '../org/org.commands.js';
import { addPerson } from '../people/people.commands.js';
import { fillBlanks, findBlanks, loadBundledPack } from '../policy/pack.loader.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { cityContext } from './context.js';
import { testArchiveDeps } from './archive.js';
import { randomBytes } from 'node:crypto';
import { createVault } from '../accounts/vault.js';
import type { Dialect } from '../db/database.js';

export const TEST_PASSWORD = 'Test-Passw0rd!-long';

export interface TestCity {
  orgId: string;
  slug: string;
  pack: PolicyPack;
  /** role id → e-mail of the staff member holding only that role */
  staffByRole: Record<string, string>;
}

export function testPack(packId: string, overrides: { name?: string; emailDomain?: string } = {}): PolicyPack {
  let pack = loadBundledPack(packId);
  const blanks = findBlanks(pack);
  // Templates are filled with the examples the pack itself gives for each blank.
  const examples = new Map((pack.template?.blanks ?? []).map((b) => [b.key, b.example]));
  if (blanks.length) pack = fillBlanks(pack, Object.fromEntries(blanks.map((b) => [b, examples.get(b) ?? `Test ${b}`])));
  return { ...pack, city: { ...pack.city, ...(overrides.name ? { name: overrides.name } : {}), ...(overrides.emailDomain ? { emailDomain: overrides.emailDomain } : {}) } };
}

export async function createTestCity(db: Kysely<DB>, packId: string, overrides: { name?: string; slug?: string; emailDomain?: string } = {}): Promise<TestCity> {
  const pack = testPack(packId, overrides);
  const { orgId, slug } = await createOrganization(db, { pack, slug: overrides.slug, departments: ['Communications', 'Parks'] });
  const ctx = await cityContext(db, orgId);
  const staffByRole: Record<string, string> = {};
  for (const role of pack.roles) {
    const email = `${role.id}@${overrides.emailDomain ?? 'example.test'}`;
    await addPerson(ctx, { email, displayName: `Test ${role.title}`, password: TEST_PASSWORD, roles: [role.id] });
    staffByRole[role.id] = email;
  }
  return { orgId, slug, pack, staffByRole };
}

export async function testApp(database: { db: Kysely<DB>; dialect: Dialect }): Promise<FastifyInstance> {
  return buildApp({ db: database.db, logger: false, loginRateLimit: 10_000, archive: testArchiveDeps(database.db, database.dialect), vault: createVault(randomBytes(32)) });
}

export interface Client {
  csrf: string;
  cookie: string;
  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

function cookieFrom(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'civicdesk_session');
  if (!c) throw new Error(`no session cookie (status ${res.statusCode}: ${res.body})`);
  return `${c.name}=${c.value}`;
}

/** Signs in with password, enrols (or uses) TOTP, and returns a client with the full session. */
export async function signIn(app: FastifyInstance, email: string, opts: { city?: string; password?: string; totpSecret?: string } = {}): Promise<Client & { totpSecret: string }> {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: opts.password ?? TEST_PASSWORD, city: opts.city } });
  if (login.statusCode !== 200) throw new Error(`login failed ${login.statusCode}: ${login.body}`);
  const cookie = cookieFrom(login);
  const { status, csrfToken } = login.json() as { status: string; csrfToken: string };
  const headers = { cookie, 'x-csrf-token': csrfToken };
  let secret = opts.totpSecret ?? '';
  if (status === 'totp_enrolment_required') {
    const enrol = await app.inject({ method: 'POST', url: '/api/auth/totp/enrol', headers });
    secret = (enrol.json() as { secret: string }).secret;
    const confirm = await app.inject({ method: 'POST', url: '/api/auth/totp/confirm', headers, payload: { code: authenticator.generate(secret) } });
    if (confirm.statusCode !== 200) throw new Error(`enrol failed: ${confirm.body}`);
  } else {
    // A code is accepted once; a second sign-in in the same 30 s uses the next step's code (the
    // server tolerates one step of clock drift), and a third waits for the window to move on.
    let done = await app.inject({ method: 'POST', url: '/api/auth/totp', headers, payload: { code: authenticator.generate(secret) } });
    for (let attempt = 0; done.statusCode === 400 && attempt < 2; attempt++) {
      if (attempt === 1) await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 50));
      const next = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret);
      done = await app.inject({ method: 'POST', url: '/api/auth/totp', headers, payload: { code: next } });
    }
    if (done.statusCode !== 200) throw new Error(`totp failed: ${done.body}`);
  }
  return {
    csrf: csrfToken,
    cookie,
    totpSecret: secret,
    request: (method, url, body) => app.inject({
      method, url, headers: { cookie, 'x-csrf-token': csrfToken }, ...(body === undefined ? {} : { payload: body as object }),
    }),
  };
}
