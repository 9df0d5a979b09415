// End-to-end, in Chromium: what the policy asks of comments that a platform cannot do, as staff see
// it. Both policies here are models with blanks (LMC, policy 702), so each city is the model filled
// with its own examples, on a server of its own.
//
// LMC (pre-moderation where the platform allows it, MN-7): the queue says Bluesky cannot hold
// comments, that they are reviewed after they appear, and lists the comment not yet reviewed first.
// Policy 702 (the public may not post, LX-8): the queue and the Facebook account's page say to turn
// comments off in Facebook's own settings; Bluesky posts go out with replies turned off.
// A Kalispell variant that enables blocking (no adopted policy does): the Communications Manager
// records the removal notice given to a commenter, then blocks them for 7 days on the strength of
// two standing removals, reads the warnings, and is told to apply the block on Bluesky.
// axe-core finds no violation on any of these pages.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestAccount } from '../../src/accounts/fixtures.js';
import { createVault } from '../../src/accounts/vault.js';
import { archiveDepsFor } from '../../src/archive/archive.setup.js';
import { capture } from '../../src/archive/capture.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { buildApp } from '../../src/http/server.js';
import { commentRecord, POST } from '../../src/moderation/moderation.fixtures.js';
import { enqueueComments } from '../../src/moderation/queue.js';
import { generatePassword } from '../../src/org/demo.js';
import { createOrganization } from '../../src/org/org.commands.js';
import { addPerson } from '../../src/people/people.commands.js';
import { operatorActor } from '../../src/policy/can.js';
import { testPack } from '../../src/testing/app.js';
import type { PolicyPack } from '../../src/policy/pack.schema.js';
import {
  CHROMIUM, CHROMIUM_ARGS, enrolAndSignIn, ensureWebBuilt, expectAccessible, hasChromium, inCi, screenshot, settled, warnIfNoChromium, type Staff,
} from './helpers.js';

warnIfNoChromium('moderation notices e2e');

interface TemplateCity {
  base: string;
  database: Database;
  orgId: string;
  person: Staff;
  app: FastifyInstance;
  dir: string;
}

/** A city from a model pack filled with its examples, one person holding `role`, and the real server. */
async function templateCity(packId: string, role: string, vary: (pack: PolicyPack) => PolicyPack = (p) => p): Promise<TemplateCity> {
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-e2e-notices-'));
  const database = await openDatabase({ sqlitePath: join(dir, 'civicdesk.sqlite') });
  const pack = vary(testPack(packId));
  const { orgId, packDigest } = await createOrganization(database.db, { pack, departments: ['Communications'] });
  const person: Staff = { email: `${role.replace(/_/g, '.')}@${pack.city.emailDomain}`, password: generatePassword(), displayName: `Demo ${role}`, roles: [role] };
  await addPerson({ db: database.db, actor: operatorActor(orgId, pack, 'operator (e2e set-up)'), packVersion: packDigest }, { ...person, departmentId: null });
  const app = await buildApp({ db: database.db, logger: false, loginRateLimit: 1000, archive: archiveDepsFor(database, join(dir, 'data')), vault: createVault(randomBytes(32)) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not report a port');
  return { base: `http://127.0.0.1:${address.port}`, database, orgId, person, app, dir };
}

describe.skipIf(!hasChromium && !inCi)('moderation notices in Chromium (model policies)', { timeout: 90_000 }, () => {
  let browser: Browser | undefined;
  const cities: TemplateCity[] = [];

  async function signedIn(city: TemplateCity): Promise<Page> {
    const context = await browser!.newContext({ baseURL: city.base, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await enrolAndSignIn(page, city.base, city.person);
    return page;
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    for (const c of cities) {
      await c.app.close();
      await c.database.close();
      rmSync(c.dir, { recursive: true, force: true });
    }
  });

  it('LMC: the queue says Bluesky cannot hold comments for review, and lists the unreviewed comment first', async () => {
    const city = await templateCity('lmc-model', 'site_administrator');
    cities.push(city);
    const db = city.database.db;
    const accountId = await insertTestAccount(db, city.orgId, { platform: 'bluesky', handle: 'city.lmc.test', status: 'active' });
    const archive = archiveDepsFor(city.database, join(city.dir, 'data'));
    const post = { kind: 'post' as const, platform: 'bluesky', accountId, platformId: POST, platformVersion: 'p1', threadId: POST, text: 'Pool schedule for the summer.', payload: Buffer.from('{}'), payloadType: 'application/json' };
    const flagged = commentRecord(accountId, { text: 'BUY CHEAP FOLLOWERS at cheap-followers.example.com, promo code CITY50!!!', author: 1 });
    const question = commentRecord(accountId, { text: 'Is the pool open on holidays?', author: 2 });
    const records = [post, flagged, question];
    await enqueueComments(db, city.orgId, records, await capture(archive, city.orgId, records));
    // The question arrived last: under pre-moderation it is first, whatever the labels say.
    const ids = await db.selectFrom('moderation_items').select(['id', 'platform_id']).where('org_id', '=', city.orgId).execute();
    const idOf = (uri: string | undefined) => ids.find((r) => r.platform_id === uri)!.id;
    await db.updateTable('moderation_items').set({ created_at: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', idOf(flagged.platformId)).execute();

    const page = await signedIn(city);
    await page.goto('/moderation');
    await settled(page);
    const notice = page.locator('[data-testid=moderation-notices] [data-notice=pre_moderation_unavailable][data-platform=bluesky]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Bluesky cannot hold comments for review');
    expect(await notice.textContent()).toContain('reviewed after they appear');
    expect(await notice.textContent()).toContain('MN-7');
    expect(await page.locator('[data-testid=queue] tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-item'))))
      .toEqual([idOf(question.platformId), idOf(flagged.platformId)]);
    await expectAccessible(page, 'moderation queue with the MN-7 notice');
    await screenshot(page, 'moderation-notice-mn7', { fullPage: false });

    await page.goto(`/accounts/${accountId}`);
    await settled(page);
    await page.locator('[data-testid=moderation-notices] [data-notice=pre_moderation_unavailable]').waitFor();
    await expectAccessible(page, 'account page with the MN-7 notice');
  });

  it('policy 702: the queue and the Facebook account page say to turn comments off in Facebook\'s settings; Bluesky posts go out with replies off', async () => {
    const city = await templateCity('policy-702', 'mayor');
    cities.push(city);
    const db = city.database.db;
    const facebookId = await insertTestAccount(db, city.orgId, { platform: 'facebook', handle: 'CityOfExample', status: 'active' });
    await insertTestAccount(db, city.orgId, { platform: 'bluesky', handle: 'city.lx.test', status: 'active' });
    const page = await signedIn(city);
    await page.goto('/moderation');
    await settled(page);
    const notices = page.getByTestId('moderation-notices');
    await notices.waitFor();
    const facebook = notices.locator('[data-notice=comments_stay_open][data-platform=facebook]');
    expect(await facebook.textContent()).toContain('Turn comments off in Facebook\'s own settings');
    expect(await facebook.textContent()).toContain('LX-8');
    expect(await notices.locator('[data-notice=replies_closed_on_publish][data-platform=bluesky]').textContent()).toContain('published with replies turned off');
    await expectAccessible(page, 'moderation queue with the LX-8 notices');
    await screenshot(page, 'moderation-notices-lx8', { fullPage: false });

    await page.goto(`/accounts/${facebookId}`);
    await settled(page);
    const onAccount = page.getByTestId('moderation-notices');
    await onAccount.waitFor();
    expect(await onAccount.locator('[data-notice]').evaluateAll((els) => els.map((e) => e.getAttribute('data-notice')))).toEqual(['comments_stay_open']);
    await expectAccessible(page, 'account page with the LX-8 notice');
  });

  it('a Kalispell variant that enables blocking: a removal notice recorded, then a 7-day block on two standing removals, applied by hand on Bluesky', async () => {
    const city = await templateCity('kalispell-mt', 'communications_manager', (p) => ({
      ...p, moderation: { ...p.moderation, blocking: { ...p.moderation.blocking!, enabled: true, minViolations: 2, maxDays: 14, requiresAttorneyApproval: false } },
    }));
    cities.push(city);
    const db = city.database.db;
    const accountId = await insertTestAccount(db, city.orgId, { platform: 'bluesky', handle: 'city.kblock.test', status: 'active' });
    const archive = archiveDepsFor(city.database, join(city.dir, 'data'));
    const post = { kind: 'post' as const, platform: 'bluesky', accountId, platformId: POST, platformVersion: 'p1', threadId: POST, text: 'Splash pad opens Monday.', payload: Buffer.from('{}'), payloadType: 'application/json' };
    const texts = ['Followers for sale, promo code CITY50 at cheap-followers.example.com', 'Again: followers for sale, promo code CITY60', 'Third time, promo code CITY70 for cheap followers'];
    const comments = texts.map((text) => commentRecord(accountId, { text, author: 1 }));
    await enqueueComments(db, city.orgId, [post, ...comments], await capture(archive, city.orgId, [post, ...comments]));
    const rows = await db.selectFrom('moderation_items').select(['id', 'platform_id']).where('org_id', '=', city.orgId).execute();
    const [first, second, third] = comments.map((c) => rows.find((r) => r.platform_id === c.platformId)!.id);
    // Two removals already on record (set up directly: hiding itself is covered by the other e2e).
    const manager = await db.selectFrom('users').select('id').where('org_id', '=', city.orgId).executeTakeFirstOrThrow();
    for (const [i, id] of [first!, second!].entries()) {
      await db.updateTable('moderation_items').set({ state: 'hidden' }).where('id', '=', id).execute();
      await db.insertInto('moderation_actions').values({ id: `hide-${i}`, org_id: city.orgId, item_id: id, action: 'hide', user_id: manager.id, clause_id: 'aup-6b', reason: 'Advertises a business on the city page.', pack_version: 'test', warnings: '[]', created_at: new Date().toISOString() }).execute();
    }

    const page = await signedIn(city);
    await page.goto(`/moderation/${first}`);
    await settled(page);
    const warn = page.getByTestId('warn-commenter');
    expect(await warn.locator('#warn-kind').inputValue()).toBe('removal_notice');
    expect(await warn.locator('#warn-clause').inputValue()).toBe('aup-6b');
    await warn.getByRole('button', { name: 'Record it' }).click();
    await page.getByText('The removal notice is recorded.').waitFor();
    expect(await page.getByTestId('history').locator('tbody tr').last().getAttribute('data-action')).toBe('warn');

    await page.goto(`/moderation/${third}`);
    await settled(page);
    const author = page.getByTestId('author-record');
    expect(await author.textContent()).toContain('2 removals of their comments on record, 1 warning recorded');
    const form = page.getByTestId('block-form');
    expect(await form.locator('input[type=checkbox]:checked').count()).toBe(2);
    await form.getByLabel('Days (1 to 14)').fill('7');
    await form.locator('#block-clause').selectOption('aup-6b');
    await form.getByLabel('Why').fill('Advertised three times after a removal notice.');
    await expectAccessible(page, 'block form');
    await form.getByRole('button', { name: 'Block' }).click();
    await form.getByText('Read these warnings before you go on').waitFor();
    expect(await form.textContent()).toContain('First Amendment');
    await form.locator('label[for="block-ack"]').click();
    await form.getByRole('button', { name: 'Block' }).click();
    await page.getByText('The block is recorded.').waitFor();
    await page.locator('[data-testid=blocks] tr[data-status=active]').waitFor();
    expect(await page.getByTestId('block-instructions').textContent()).toContain('block res1.test on Bluesky from the city\'s account now');
    await expectAccessible(page, 'author record with a block in force');
    await screenshot(page, 'moderation-block');
    const block = await db.selectFrom('moderation_blocks').selectAll().where('org_id', '=', city.orgId).executeTakeFirstOrThrow();
    expect(block).toMatchObject({ state: 'active', days: 7, author_id: 'did:plc:res1', clause_id: 'aup-6b' });
    expect(JSON.parse(block.violations)).toEqual([first, second]);
  });
});
