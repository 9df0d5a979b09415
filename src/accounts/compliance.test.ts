import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, testPack, type TestCity } from '../testing/app.js';
import { getAccount } from './accounts.queries.js';
import { checkAccount, complianceOf, failingChecks, policySources, type CheckId, type ComplianceCheck } from './compliance.js';
import { addTestAdmin, insertTestAccount, insertTestSecret, userIdByEmail } from './fixtures.js';

const DAY = 24 * 60 * 60 * 1000;

describe('policySources', () => {
  it('keeps the ids of the policy the pack encodes', () => {
    expect(policySources(testPack('kalispell-mt'), ['KA-7', 'BZ-5'])).toEqual(['KA-7']);
    expect(policySources(testPack('bozeman-mt'), ['KA-7', 'BZ-5'])).toEqual(['BZ-5']);
    expect(policySources(testPack('red-lodge-mt'), ['KA-7', 'BZ-5'])).toEqual([]);
  });
});

describe.each(await availableBackends())('compliance checks on %s', (backend) => {
  let database: TestDatabase;
  let kalispell: TestCity;
  let redLodge: TestCity;
  let bozeman: TestCity;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    kalispell = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    redLodge = await createTestCity(database.db, 'red-lodge-mt', { slug: 'red-lodge' });
    bozeman = await createTestCity(database.db, 'bozeman-mt', { slug: 'bozeman' });
  });
  afterAll(async () => {
    await database?.dispose();
  });

  async function checksOf(city: TestCity, accountId: string, now = new Date()): Promise<Record<CheckId, ComplianceCheck>> {
    const account = await getAccount(database.db, city.orgId, accountId);
    if (!account) throw new Error('no account');
    const checks = (await complianceOf(database.db, city.orgId, city.pack, [account], now)).get(accountId) ?? [];
    return Object.fromEntries(checks.map((c) => [c.id, c])) as Record<CheckId, ComplianceCheck>;
  }

  it('Kalispell: the IT Director must administer every account (KA-7)', async () => {
    const db = database.db;
    const id = await insertTestAccount(db, kalispell.orgId, { handle: 'ka-it' });
    await addTestAdmin(db, kalispell.orgId, id, await userIdByEmail(db, kalispell.orgId, kalispell.staffByRole.communications_manager!));
    let c = await checksOf(kalispell, id);
    expect(c['it-admin']).toMatchObject({ status: 'fail', sources: ['KA-7'] });
    await addTestAdmin(db, kalispell.orgId, id, await userIdByEmail(db, kalispell.orgId, kalispell.staffByRole.it_director!));
    c = await checksOf(kalispell, id);
    expect(c['it-admin'].status).toBe('pass');
    expect(c['it-admin'].detail).toContain('Test IT Director');
    // A disabled IT administrator no longer counts.
    await db.updateTable('users').set({ status: 'disabled' }).where('email', '=', kalispell.staffByRole.it_director!).execute();
    expect((await checksOf(kalispell, id))['it-admin'].status).toBe('fail');
    await db.updateTable('users').set({ status: 'active' }).where('email', '=', kalispell.staffByRole.it_director!).execute();
  });

  it('Bozeman cites BZ-5 for the same rule, with its own IT role', async () => {
    const db = database.db;
    const id = await insertTestAccount(db, bozeman.orgId, { handle: 'bz-it' });
    expect((await checksOf(bozeman, id))['it-admin']).toMatchObject({ status: 'fail', sources: ['BZ-5'] });
    await addTestAdmin(db, bozeman.orgId, id, await userIdByEmail(db, bozeman.orgId, bozeman.staffByRole.it_staff!));
    const c = await checksOf(bozeman, id);
    expect(c['it-admin'].status).toBe('pass');
    expect(c['aup-link']).toMatchObject({ status: 'fail', sources: ['BZ-16'] });
    expect(c['website-link']).toMatchObject({ status: 'fail', sources: ['BZ-9'] });
    expect(c['two-factor'].status).toBe('n/a');
    expect(c.credentials.status).toBe('n/a');
  });

  it('Kalispell: 2FA attestation expires after the pack\'s period (KA-15)', async () => {
    const now = new Date();
    const days = kalispell.pack.security.twoFactorAttestationDays ?? 0;
    expect(days).toBeGreaterThan(0);
    const id = await insertTestAccount(database.db, kalispell.orgId, {
      handle: 'ka-2fa', twofa_enabled: 1, twofa_attested_at: new Date(now.getTime() - (days + 1) * DAY).toISOString(),
    });
    expect((await checksOf(kalispell, id, now))['two-factor']).toMatchObject({ status: 'fail', sources: ['KA-15'] });
    await database.db.updateTable('accounts').set({ twofa_attested_at: new Date(now.getTime() - (days - 5) * DAY).toISOString() }).where('id', '=', id).execute();
    expect((await checksOf(kalispell, id, now))['two-factor'].status).toBe('warn');
    await database.db.updateTable('accounts').set({ twofa_attested_at: now.toISOString() }).where('id', '=', id).execute();
    expect((await checksOf(kalispell, id, now))['two-factor'].status).toBe('pass');
    await database.db.updateTable('accounts').set({ twofa_enabled: 0 }).where('id', '=', id).execute();
    expect((await checksOf(kalispell, id, now))['two-factor'].status).toBe('fail');
  });

  it('Kalispell: AUP and website links (KA-3, KA-8); off-domain sign-up only warns where not required', async () => {
    const id = await insertTestAccount(database.db, kalispell.orgId, { handle: 'ka-links', signup_email: 'someone@gmail.com' });
    let c = await checksOf(kalispell, id);
    expect(c['aup-link']).toMatchObject({ status: 'fail', sources: ['KA-3'] });
    expect(c['website-link']).toMatchObject({ status: 'fail', sources: ['KA-8'] });
    expect(c['signup-email']).toMatchObject({ status: 'warn', sources: [] });
    expect(c.credentials.status).toBe('n/a');
    await database.db.updateTable('accounts').set({ aup_link_present: 1, website_link_present: 1, signup_email: `web@${kalispell.pack.city.emailDomain}` })
      .where('id', '=', id).execute();
    c = await checksOf(kalispell, id);
    expect([c['aup-link'].status, c['website-link'].status, c['signup-email'].status]).toEqual(['pass', 'pass', 'pass']);
  });

  it('Red Lodge: sign-up e-mail off the domain fails RL-4; credentials missing fail RL-5', async () => {
    const db = database.db;
    const id = await insertTestAccount(db, redLodge.orgId, { handle: 'rl-fb', signup_email: 'mayor@gmail.com' });
    let c = await checksOf(redLodge, id);
    expect(c['signup-email']).toMatchObject({ status: 'fail', sources: ['RL-4'] });
    expect(c.credentials).toMatchObject({ status: 'fail', sources: ['RL-5'] });
    expect(c.credentials.detail).toContain('username or password');
    expect(c['it-admin'].status).toBe('n/a');
    expect(c['two-factor'].status).toBe('n/a');

    await db.updateTable('accounts').set({ signup_email: `mayor@${redLodge.pack.city.emailDomain}` }).where('id', '=', id).execute();
    await insertTestSecret(db, redLodge.orgId, id, 'username');
    c = await checksOf(redLodge, id);
    expect(c['signup-email'].status).toBe('pass');
    expect(c.credentials.status).toBe('fail');
    expect(c.credentials.detail).toContain('no password');
    await insertTestSecret(db, redLodge.orgId, id, 'password');
    expect((await checksOf(redLodge, id)).credentials.status).toBe('pass');
  });

  it('connector token: healthy, warned 14 days ahead, failed once expired or broken', async () => {
    const db = database.db;
    const now = new Date();
    const id = await insertTestAccount(db, kalispell.orgId, { handle: 'ka-connector' });
    expect((await checksOf(kalispell, id, now))['connector-token'].status).toBe('n/a');
    await db.updateTable('accounts').set({ connector_status: 'connected' }).where('id', '=', id).execute();
    expect((await checksOf(kalispell, id, now))['connector-token'].status).toBe('fail');
    await insertTestSecret(db, kalispell.orgId, id, 'connector_token', new Date(now.getTime() + 60 * DAY).toISOString());
    expect((await checksOf(kalispell, id, now))['connector-token']).toMatchObject({ status: 'pass', sources: ['KA-15'] });
    await db.updateTable('vault_secrets').set({ expires_at: new Date(now.getTime() + 10 * DAY).toISOString() }).where('account_id', '=', id).execute();
    expect((await checksOf(kalispell, id, now))['connector-token'].status).toBe('warn');
    await db.updateTable('vault_secrets').set({ expires_at: new Date(now.getTime() - DAY).toISOString() }).where('account_id', '=', id).execute();
    expect((await checksOf(kalispell, id, now))['connector-token'].status).toBe('fail');
    await db.updateTable('accounts').set({ connector_status: 'revoked' }).where('id', '=', id).execute();
    expect((await checksOf(kalispell, id, now))['connector-token'].detail).toContain('revoked');
  });

  it('checks only live accounts, and lists failures city-wide, failures first', async () => {
    const db = database.db;
    const approved = await insertTestAccount(db, kalispell.orgId, { handle: 'ka-not-live', status: 'approved' });
    const suspended = await insertTestAccount(db, kalispell.orgId, { handle: 'ka-suspended', status: 'suspended' });
    expect(Object.values(await checksOf(kalispell, approved)).every((c) => c.status === 'n/a')).toBe(true);
    const failing = await failingChecks(db, kalispell.orgId, kalispell.pack);
    expect(failing.some((f) => f.accountId === approved)).toBe(false);
    expect(failing.filter((f) => f.accountId === suspended).map((f) => f.check.id)).toEqual(expect.arrayContaining(['it-admin', 'aup-link', 'two-factor']));
    const statuses = failing.map((f) => f.check.status);
    expect(statuses.indexOf('warn') === -1 || statuses.lastIndexOf('fail') < statuses.indexOf('warn')).toBe(true);
    expect(failing.every((f) => f.check.status === 'fail' || f.check.status === 'warn')).toBe(true);
    // Other cities' accounts never appear.
    const redLodgeIds = new Set((await db.selectFrom('accounts').select('id').where('org_id', '=', redLodge.orgId).execute()).map((r) => r.id));
    expect(failing.some((f) => redLodgeIds.has(f.accountId))).toBe(false);
  });
});

describe('checkAccount without a filled-in domain', () => {
  it('says n/a rather than judging against a template blank', () => {
    const pack = testPack('lmc-model');
    const blank = { ...pack, city: { ...pack.city, emailDomain: '{{email_domain}}' } };
    const account = {
      id: 'a', platform: 'facebook', handle: 'h', profileUrl: null, departmentId: null, department: null, boardName: null, minutesReference: null,
      purpose: 'p', signupEmail: 'x@y.org', status: 'active' as const, twofaEnabled: false, twofaAttestedAt: null, websiteLinkPresent: true,
      aupLinkPresent: false, connectorStatus: 'not_connected', connectorExpiresAt: null, requestId: null, createdAt: '', updatedAt: '',
    };
    const checks = checkAccount(blank, { account, admins: [], secrets: [] }, new Date());
    expect(checks.find((c) => c.id === 'signup-email')?.status).toBe('n/a');
    // LMC's model asks every site to link the official website (MN-3).
    expect(checks.find((c) => c.id === 'website-link')).toMatchObject({ status: 'pass', sources: ['MN-3'] });
    expect(checks.find((c) => c.id === 'aup-link')?.status).toBe('n/a');
  });
});
