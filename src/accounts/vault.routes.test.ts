// The vault over HTTP, and the promise that matters most: a stored secret appears in clear text
// nowhere — not in any table or column, not in the SQLite file or its WAL, not in the events or
// their archived public records, not in the logs, not in any response but the reveal itself.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { authenticator } from 'otplib';
import type { LoggerOptions } from 'pino';
import type { DB } from '../db/schema.js';
import { buildApp } from '../http/server.js';
import { archiveEvents } from '../archive/events-archiver.js';
import { testArchiveDeps } from '../testing/archive.js';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, signIn, type Client, type TestCity } from '../testing/app.js';
import { createVault } from './vault.js';
import { MAX_SECRET_LENGTH, vaultRoutes } from './vault.routes.js';

async function insertAccount(db: Kysely<DB>, orgId: string, handle: string): Promise<string> {
  const id = randomUUID();
  const at = new Date().toISOString();
  await db.insertInto('accounts').values({
    id, org_id: orgId, platform: 'facebook', handle, profile_url: null, department_id: null, board_name: null, minutes_reference: null,
    purpose: 'City news', signup_email: null, status: 'active', twofa_enabled: 0, twofa_attested_at: null, website_link_present: 0,
    aup_link_present: 0, connector_status: 'not_connected', connector_expires_at: null, request_id: null, created_at: at, updated_at: at,
  }).execute();
  return id;
}

/** Every cell of every table, as text or bytes. */
async function allCells(db: Kysely<DB>, dialect: 'sqlite' | 'postgres'): Promise<Array<{ where: string; value: unknown }>> {
  const tables = dialect === 'sqlite'
    ? (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(db)).rows.map((r) => r.name)
    : (await sql<{ name: string }>`SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`.execute(db)).rows.map((r) => r.name);
  expect(tables).toContain(dialect === 'sqlite' ? 'vault_secrets' : 'public.vault_secrets');
  const cells: Array<{ where: string; value: unknown }> = [];
  for (const table of tables) {
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db)).rows;
    for (const row of rows) for (const [column, value] of Object.entries(row)) cells.push({ where: `${table}.${column}`, value });
  }
  return cells;
}

/** The forms a leaked value could take: as is, hex, base64. */
function forms(secret: string): Buffer[] {
  const raw = Buffer.from(secret, 'utf8');
  return [raw, Buffer.from(raw.toString('hex')), Buffer.from(raw.toString('base64'))];
}

function contains(haystack: unknown, secret: string): boolean {
  const bytes = haystack instanceof Uint8Array ? Buffer.from(haystack)
    : Buffer.from(typeof haystack === 'string' ? haystack : JSON.stringify(haystack ?? null), 'utf8');
  return forms(secret).some((f) => bytes.includes(f)) || bytes.toString('utf8').toLowerCase().includes(secret.toLowerCase());
}

describe.each(await availableBackends())('credential vault API on %s', (backend) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let city: TestCity;
  const vault = createVault(randomBytes(32), 'test');
  const archive = () => testArchiveDeps(database.db, database.dialect);
  const logs: string[] = [];
  const responses: Array<{ what: string; res: LightMyRequestResponse }> = [];
  const clients = new Map<string, Client & { totpSecret: string }>();

  const clientFor = async (role: string): Promise<Client & { totpSecret: string }> => {
    const existing = clients.get(role);
    if (existing) return existing;
    const signedIn = await signIn(app, city.staffByRole[role] as string, { city: city.slug });
    const recording: Client & { totpSecret: string } = {
      ...signedIn,
      request: async (method, url, body) => {
        const res = await signedIn.request(method, url, body);
        responses.push({ what: `${role} ${method} ${url}`, res });
        return res;
      },
    };
    clients.set(role, recording);
    return recording;
  };

  /** A code the server has not seen: the sign-in used this step, so start the person afresh. */
  const freshCode = async (role: string): Promise<string> => {
    const client = await clientFor(role);
    await database.db.updateTable('users').set({ totp_last_step: null }).where('email', '=', city.staffByRole[role] as string).execute();
    return authenticator.generate(client.totpSecret);
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    city = await createTestCity(database.db, 'red-lodge-mt', { slug: 'red-lodge' });
    const stream = new Writable({ write(chunk, _encoding, done) { logs.push(String(chunk)); done(); } });
    // Fastify hands `stream` to pino; the most verbose level shows whatever could ever be logged.
    const logger: LoggerOptions & { stream: Writable } = { level: 'trace', stream };
    app = await buildApp({ db: database.db, logger, loginRateLimit: 10_000, archive: archive() });
    // Until server.ts registers the vault itself.
    if (!app.hasRoute({ method: 'GET', url: '/api/accounts/:id/secrets' })) await app.register(vaultRoutes, { vault });
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('only the custodian role (Red Lodge: the mayor) manages and reveals; a site administrator may not', async () => {
    const account = await insertAccount(database.db, city.orgId, 'rl-roles');
    const mayor = await clientFor('mayor');
    const admin = await clientFor('site_administrator');
    expect(city.pack.security.credentialsCustodianRole).toBe('mayor');

    const put = await mayor.request('PUT', `/api/accounts/${account}/secrets/username`, { value: 'redlodge.roles', label: 'Login name' });
    expect(put.statusCode).toBe(200);
    expect(put.headers['cache-control']).toBe('no-store');
    expect(Object.keys(put.json()).sort()).toEqual(['accountId', 'expiresAt', 'keyId', 'kind', 'label', 'replaced', 'updatedAt']);

    for (const res of [
      await admin.request('GET', `/api/accounts/${account}/secrets`),
      await admin.request('PUT', `/api/accounts/${account}/secrets/password`, { value: 'Admin-Tries-This-1!' }),
      await admin.request('POST', `/api/accounts/${account}/secrets/username/reveal`, { totpCode: authenticator.generate(admin.totpSecret), reason: 'I would like to see it' }),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().rule).toMatch(/^credentials\./);
    }
    expect((await mayor.request('GET', `/api/accounts/${randomUUID()}/secrets`)).statusCode).toBe(404);
    expect((await mayor.request('PUT', `/api/accounts/${account}/secrets/pin_code`, { value: 'x' })).statusCode).toBe(400);
  });

  it('reveal needs a fresh code and a reason, refuses a replay, and appends credentials.revealed', async () => {
    const account = await insertAccount(database.db, city.orgId, 'rl-reveal');
    const mayor = await clientFor('mayor');
    await mayor.request('PUT', `/api/accounts/${account}/secrets/password`, { value: 'Reveal-Flow-Secret-5!' });
    const url = `/api/accounts/${account}/secrets/password/reveal`;

    const noReason = await mayor.request('POST', url, { totpCode: await freshCode('mayor'), reason: 'why' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields[0].path).toBe('body.reason');

    const code = await freshCode('mayor');
    const ok = await mayor.request('POST', url, { totpCode: code, reason: 'Resetting two-step login on Facebook' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.json()).toMatchObject({ accountId: account, kind: 'password', value: 'Reveal-Flow-Secret-5!' });
    const replay = await mayor.request('POST', url, { totpCode: code, reason: 'Resetting two-step login on Facebook' });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().fields[0].path).toBe('body.totpCode');

    const events = await database.db.selectFrom('events').select(['action', 'after', 'actor_label']).where('org_id', '=', city.orgId)
      .where('target_id', '=', account).orderBy('seq').execute();
    expect(events.map((e) => e.action)).toEqual(['credentials.stored', 'credentials.revealed', 'credentials.reveal_refused']);
    expect(JSON.parse(events[1]!.after!)).toEqual({ accountId: account, kind: 'password', reason: 'Resetting two-step login on Facebook' });
    expect(events[1]!.actor_label).toContain(city.staffByRole.mayor);
  });

  it('never holds, logs, archives or returns a stored secret in clear text', async () => {
    const canary = `Zq7!Vault-Canary-${randomBytes(6).toString('hex')}`;
    const username = `canary-login-${randomBytes(6).toString('hex')}`;
    const refused = `Rq8!Refused-Canary-${randomBytes(6).toString('hex')}`;
    const weak = `Wk9#${randomBytes(2).toString('hex')}`;
    const secrets = [canary, username, refused, weak];
    const account = await insertAccount(database.db, city.orgId, 'rl-canary');
    const mayor = await clientFor('mayor');
    const base = `/api/accounts/${account}/secrets`;

    expect((await mayor.request('PUT', `${base}/password`, { value: canary, label: 'Main login' })).statusCode).toBe(200);
    expect((await mayor.request('PUT', `${base}/username`, { value: username })).statusCode).toBe(200);
    expect((await mayor.request('PUT', `${base}/password`, { value: canary, label: 'Main login' })).statusCode).toBe(200);
    // Refusals and malformed requests carrying a secret must not echo it either.
    expect((await mayor.request('PUT', `${base}/password`, { value: weak })).statusCode).toBe(400);
    expect((await mayor.request('PUT', `${base}/password`, { value: refused.repeat(Math.ceil(MAX_SECRET_LENGTH / refused.length) + 1) })).statusCode).toBe(400);
    expect((await mayor.request('PUT', `${base}/password`, { value: refused, expiresAt: 'next tuesday' })).statusCode).toBe(400);
    expect((await mayor.request('PUT', `${base}/password`, { value: refused, label: refused.repeat(20) })).statusCode).toBe(400);
    const badJson = await app.inject({ method: 'PUT', url: `${base}/password`, headers: { cookie: mayor.cookie, 'x-csrf-token': mayor.csrf, 'content-type': 'application/json' }, payload: `{"value": "${refused}` });
    responses.push({ what: 'malformed JSON', res: badJson });
    expect(badJson.statusCode).toBe(400);
    expect((await mayor.request('GET', base)).statusCode).toBe(200);
    expect((await mayor.request('GET', '/api/events?limit=200')).statusCode).toBe(200);

    const reveal = await mayor.request('POST', `${base}/password/reveal`, { totpCode: await freshCode('mayor'), reason: 'Quarterly check of the login list' });
    expect(reveal.json().value).toBe(canary);
    const archived = await archiveEvents(archive(), city.orgId);
    expect(archived).toBeGreaterThan(0);

    // The archive really holds the vault's events (so the search below searched something).
    const records = await database.db.selectFrom('archive_contents').innerJoin('archive_records', 'archive_records.id', 'archive_contents.record_id')
      .select(['archive_contents.canonical', 'archive_contents.payload', 'archive_contents.text'])
      .where('archive_contents.org_id', '=', city.orgId).where('archive_records.kind', '=', 'staff_event').execute();
    const vaultRecords = records.filter((r) => (r.text ?? '').includes('credentials.'));
    expect(vaultRecords.length).toBeGreaterThanOrEqual(4);
    expect(vaultRecords.some((r) => (r.text ?? '').includes('Quarterly check of the login list'))).toBe(true);
    for (const r of records) for (const s of secrets) for (const v of [r.canonical, r.payload, r.text]) expect(contains(v, s)).toBe(false);

    const cells = await allCells(database.db, database.dialect);
    // Control: the scan does see what is meant to be stored (the label, the reveal's reason).
    expect(cells.some((c) => contains(c.value, 'Quarterly check of the login list'))).toBe(true);
    for (const s of secrets) expect(cells.filter((c) => contains(c.value, s)).map((c) => c.where), s).toEqual([]);

    if (database.dialect === 'sqlite') {
      const file = database.describe.replace(/^SQLite /, '');
      const files = [file, `${file}-wal`, `${file}-shm`].filter((f) => existsSync(f));
      const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
      expect(bytes.includes(Buffer.from('Quarterly check of the login list'))).toBe(true);
      for (const s of secrets) expect(contains(bytes, s), `${s} in ${files.join(', ')}`).toBe(false);
    }

    const logText = logs.join('');
    expect(logText).toContain('incoming request');
    for (const s of secrets) expect(contains(logText, s), `${s} in the log`).toBe(false);

    const shown = responses.filter((r) => r.res !== reveal);
    expect(shown.length).toBeGreaterThan(5);
    for (const { what, res } of shown) {
      const text = `${JSON.stringify(res.headers)}\n${res.body}`;
      for (const s of secrets) expect(contains(text, s), `${s} in the response to ${what}`).toBe(false);
    }
  });
});
