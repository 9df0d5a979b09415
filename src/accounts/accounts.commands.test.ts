import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { cityContext } from '../testing/context.js';
import { listEvents } from '../events/events.queries.js';
import { AppError } from '../http/errors.js';
import {
  activateAccount, isPublishingAllowed, reactivateAccount, suspendAccount, updateAccountFacts,
} from './accounts.commands.js';
import { getAccount, listAccounts } from './accounts.queries.js';
import { insertTestAccount, staffContext } from './fixtures.js';

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe.each(await availableBackends())('account lifecycle on %s', (backend) => {
  let database: TestDatabase;
  let kalispell: TestCity;
  let redLodge: TestCity;
  const as = (city: TestCity, role: string) => staffContext(database.db, city.orgId, city.staffByRole[role] as string);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    kalispell = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell', emailDomain: 'kalispell.test' });
    redLodge = await createTestCity(database.db, 'red-lodge-mt', { slug: 'red-lodge', emailDomain: 'redlodge.test' });
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('goes approved → active → suspended → active, with an event for each step', async () => {
    const db = database.db;
    const id = await insertTestAccount(db, kalispell.orgId, { status: 'approved', handle: 'lifecycle' });
    expect(await isPublishingAllowed(db, kalispell.orgId, id)).toEqual({ allowed: false, reason: 'the account is approved but not live yet' });

    const manager = await as(kalispell, 'communications_manager');
    await activateAccount(manager, id);
    expect((await getAccount(db, kalispell.orgId, id))?.status).toBe('active');
    expect(await isPublishingAllowed(db, kalispell.orgId, id)).toEqual({ allowed: true });

    await suspendAccount(await as(kalispell, 'city_manager'), id, 'Vandalised: unapproved posts seen');
    expect((await getAccount(db, kalispell.orgId, id))?.status).toBe('suspended');
    const blocked = await isPublishingAllowed(db, kalispell.orgId, id);
    expect(blocked.allowed).toBe(false);
    expect(blocked.reason).toContain('Vandalised: unapproved posts seen');

    await reactivateAccount(manager, id);
    expect(await isPublishingAllowed(db, kalispell.orgId, id)).toEqual({ allowed: true });

    const events = (await listEvents(db, kalispell.orgId, { action: 'account.', limit: 500 })).filter((e) => e.targetId === id).reverse();
    expect(events.map((e) => e.action)).toEqual(['account.activated', 'account.suspended', 'account.reactivated']);
    expect(events[0]!.before).toEqual({ status: 'approved' });
    expect(events[0]!.sources).toEqual(expect.arrayContaining(['KA-5', 'KA-7']));
    expect(events[1]!.after).toEqual({ status: 'suspended', reason: 'Vandalised: unapproved posts seen' });
    expect(events[1]!.actor).toContain('city_manager@kalispell.test');
  });

  it('in Kalispell only roles holding account.suspend may suspend, and they need a reason', async () => {
    const db = database.db;
    const id = await insertTestAccount(db, kalispell.orgId, { handle: 'suspend-perms' });
    // The Communications Manager manages accounts but the policy gives suspension to others.
    const refused = await refusal(suspendAccount(await as(kalispell, 'communications_manager'), id, 'because'));
    expect(refused.status).toBe(403);
    expect(refused.details.rule).toBe('account.suspend');
    expect(refused.message).toMatch(/City Manager/);
    expect((await refusal(suspendAccount(await as(kalispell, 'employee'), id, 'because'))).status).toBe(403);
    expect((await refusal(suspendAccount(await as(kalispell, 'it_director'), id, '   '))).status).toBe(400);
    expect((await getAccount(db, kalispell.orgId, id))?.status).toBe('active');

    await suspendAccount(await as(kalispell, 'it_director'), id, 'Suspected compromise');
    expect((await isPublishingAllowed(db, kalispell.orgId, id)).allowed).toBe(false);
    // Suspending twice, or activating a suspended account, is a state conflict, not a silent no-op.
    expect((await refusal(suspendAccount(await as(kalispell, 'city_manager'), id, 'again'))).status).toBe(409);
    expect((await refusal(activateAccount(await as(kalispell, 'communications_manager'), id))).status).toBe(409);
    // Reactivation needs account.manage, which the IT Director does not hold in Kalispell.
    expect((await refusal(reactivateAccount(await as(kalispell, 'it_director'), id))).status).toBe(403);
  });

  it('never deletes or changes a retired account, and other cities cannot see it', async () => {
    const db = database.db;
    const id = await insertTestAccount(db, kalispell.orgId, { handle: 'retired-one', status: 'retired' });
    const ctx = await cityContext(db, kalispell.orgId);
    expect((await refusal(updateAccountFacts(ctx, id, { purpose: 'New' }))).status).toBe(409);
    expect((await refusal(reactivateAccount(ctx, id))).status).toBe(409);
    expect((await isPublishingAllowed(db, kalispell.orgId, id)).reason).toBe('the account is retired');
    expect((await listAccounts(db, kalispell.orgId, { status: 'retired' })).map((a) => a.id)).toContain(id);
    expect(await getAccount(db, redLodge.orgId, id)).toBeUndefined();
    expect((await refusal(suspendAccount(await as(redLodge, 'mayor'), id, 'not ours'))).status).toBe(404);
    expect((await isPublishingAllowed(db, redLodge.orgId, id)).allowed).toBe(false);
  });

  it('updates facts with validation and records only what changed', async () => {
    const db = database.db;
    const id = await insertTestAccount(db, kalispell.orgId, { handle: 'facts' });
    const manager = await as(kalispell, 'communications_manager');
    const bad = await refusal(updateAccountFacts(manager, id, { handle: '  ', profileUrl: 'javascript:alert(1)', signupEmail: 'nope', departmentId: 'nowhere' }));
    expect(bad.status).toBe(400);
    expect(bad.details.fields?.map((f) => f.path).sort()).toEqual(['body.departmentId', 'body.handle', 'body.profileUrl', 'body.signupEmail']);
    expect((await refusal(updateAccountFacts(manager, id, { twofaAttested: true }))).details.fields?.[0]?.path).toBe('body.twofaAttested');

    const dept = await db.selectFrom('departments').select('id').where('org_id', '=', kalispell.orgId).where('name', '=', 'Parks').executeTakeFirstOrThrow();
    const updated = await updateAccountFacts(manager, id, {
      handle: 'KalispellParks', profileUrl: 'https://facebook.com/KalispellParks', signupEmail: 'Parks@Gmail.com',
      twofaEnabled: true, twofaAttested: true, aupLinkPresent: true, departmentId: dept.id,
    });
    expect(updated).toMatchObject({ handle: 'KalispellParks', signupEmail: 'parks@gmail.com', twofaEnabled: true, aupLinkPresent: true, department: 'Parks' });
    expect(Date.now() - Date.parse(updated.twofaAttestedAt ?? '')).toBeLessThan(60_000);
    const [event] = await listEvents(db, kalispell.orgId, { action: 'account.updated', limit: 1 });
    expect(event!.before).toMatchObject({ handle: 'facts', twofaEnabled: false, twofaAttestedAt: null });
    expect(event!.after).toMatchObject({ handle: 'KalispellParks', twofaEnabled: true, aupLinkPresent: true });
    expect(Object.keys(event!.after as object)).not.toContain('purpose');
    expect(event!.sources).toEqual(expect.arrayContaining(['KA-15', 'KA-3']));

    // Turning 2FA off withdraws the attestation.
    const off = await updateAccountFacts(manager, id, { twofaEnabled: false });
    expect(off.twofaAttestedAt).toBeNull();
    // Nothing to change: no event.
    const before = (await listEvents(db, kalispell.orgId, { limit: 500 })).length;
    await updateAccountFacts(manager, id, { handle: 'KalispellParks' });
    expect((await listEvents(db, kalispell.orgId, { limit: 500 })).length).toBe(before);

    await insertTestAccount(db, kalispell.orgId, { handle: 'taken' });
    expect((await refusal(updateAccountFacts(manager, id, { handle: 'taken' }))).status).toBe(409);
    expect((await refusal(updateAccountFacts(await as(kalispell, 'city_clerk'), id, { purpose: 'x' }))).status).toBe(403);
  });

  it('Red Lodge refuses a sign-up e-mail off the city domain, citing RL-4', async () => {
    const id = await insertTestAccount(database.db, redLodge.orgId, { handle: 'redlodge-fb' });
    const mayor = await as(redLodge, 'mayor');
    const refused = await refusal(updateAccountFacts(mayor, id, { signupEmail: 'mayor@gmail.com' }));
    expect(refused.status).toBe(403);
    expect(refused.details.rule).toBe('security.signupEmailDomainRequired');
    expect(refused.details.sources).toEqual(['RL-4']);
    // Look-alike domains are not the city's.
    const domain = redLodge.pack.city.emailDomain;
    expect((await refusal(updateAccountFacts(mayor, id, { signupEmail: `mayor@evil-${domain}` }))).status).toBe(403);
    const ok = await updateAccountFacts(mayor, id, { signupEmail: `Clerk@${domain}` });
    expect(ok.signupEmail).toBe(`clerk@${domain}`);
    const [event] = await listEvents(database.db, redLodge.orgId, { action: 'account.updated', limit: 1 });
    expect(event!.sources).toContain('RL-4');
  });
});
