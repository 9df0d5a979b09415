// End-to-end for comment moderation, in Chromium against the real server and a local AT Protocol
// network (PLC + PDS).
//
// Bozeman (a city from the bundled Bozeman pack, one person per role): the city posts, live
// capture (CaptureRunner on the PDS's firehose) archives a resident's campaign reply and queues it,
// flagged political_campaign. The Content Editor finds it in the queue, tries Hide (refused: a
// removal needs the City Attorney, BZ-15), escalates it with the campaign clause and a reason; the
// City Attorney sees it escalated, reads the warnings (it names an official), acknowledges them and
// approves. On the network the city's threadgate lists the reply in hiddenReplies; the archive
// still has the original comment and a moderation_action record; the public log lists the removal.
//
// Kalispell (the demo city): comments captured with capture() + enqueueComments(). The Employee
// (comment.report only) sees no Moderation page (they report from "Report a comment", tested in
// moderation-report.e2e.test.ts) and the API refuses their hide (403); the
// Communications Manager works the queue with j/k/Enter/? and hides the spam under the commercial
// clause; then ticks two more adverts (a click and x) and hides them in one bulk action, each with
// its own reason — one sent with too short a reason fails alone and is sent again. axe-core checks
// every moderation page and the bulk dialog (0 violations). Screenshots land in test-results/.

import { AtpAgent } from '@atproto/api';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestAccount, staffContext } from '../../src/accounts/fixtures.js';
import { capture } from '../../src/archive/capture.js';
import { enqueueComments } from '../../src/moderation/queue.js';
import { BlueskyConnector } from '../../src/platforms/bluesky/bluesky.connector.js';
import { startLocalNetwork, type LocalNetwork } from '../../src/platforms/bluesky/local-network.js';
import { connectAccount } from '../../src/platforms/platforms.commands.js';
import { CaptureRunner } from '../../src/platforms/platforms.runtime.js';
import { waitFor } from '../../src/testing/wait.js';
import {
  clickNav, enrolAndSignIn, expectAccessible, hasChromium, heading, inCi, navLabels, screenshot, settled, startE2e,
  warnIfNoChromium, type E2eServer, type Staff,
} from './helpers.js';

warnIfNoChromium('moderation e2e');

const CITY_POST = 'Road work on Main Street starts Monday. Expect lane closures between 7 am and 5 pm.';
const CAMPAIGN = 'Vote for Jane Doe for City Commission! Re-elect Jane!';
const SPAM = 'BUY CHEAP FOLLOWERS at cheap-followers.example.com, promo code CITY50!!!';
const SPAM_TOO = 'Get 1000 followers today, use promo code SAVE20 at followers-fast.example.com!';
const CRITIC = 'The mayor has done a terrible job on parks and should resign.';
const SPAM_3 = 'Cheap followers again! Promo code FAST30 at followers-fast.example.com';
const DELIVERIES = 'Will deliveries still reach the shops on Main Street during the road work?';

interface CityOnNetwork {
  accountId: string;
  did: string;
  connector: BlueskyConnector;
  post: { id: string; version: string };
}

/** The city's Bluesky account on the network, its account row (active) connected with the server's vault, and one post, archived. */
async function cityOnNetwork(network: LocalNetwork, server: E2eServer, handle: string, departmentOf: Staff | null): Promise<CityOnNetwork> {
  const db = server.database.db;
  const orgId = server.city.orgId;
  const city = await network.createAccount(handle);
  const departmentId = departmentOf
    ? (await db.selectFrom('users').select('department_id').where('email', '=', departmentOf.email).executeTakeFirstOrThrow()).department_id
    : null;
  const accountId = await insertTestAccount(db, orgId, { platform: 'bluesky', handle: city.handle, status: 'active', department_id: departmentId });
  await connectAccount(await staffContext(db, orgId, server.staffWithRole('it_director').email), server.vault!, {
    accountId, credentials: { service: network.pdsUrl, identifier: city.handle, appPassword: city.password, plc: network.plcUrl, appView: false },
  });
  const connector = await BlueskyConnector.connect({ service: network.pdsUrl, identifier: city.handle, password: city.password, accountId, appView: false, retry: { baseMs: 50 } });
  const published = await connector.publish({ idempotencyKey: `moderation-e2e-${handle}`, firstAttemptAt: new Date().toISOString(), text: CITY_POST });
  await capture(server.archive!, orgId, published.records);
  return { accountId, did: city.did, connector, post: { id: published.ref.id, version: published.ref.version! } };
}

/** A resident replies to the city's post from their own account; returns the reply's at:// URI. */
async function reply(network: LocalNetwork, resident: { handle: string; password: string }, post: CityOnNetwork['post'], text: string): Promise<string> {
  const agent = new AtpAgent({ service: network.pdsUrl });
  await agent.login({ identifier: resident.handle, password: resident.password });
  const res = await agent.post({ text, reply: { root: { uri: post.id, cid: post.version }, parent: { uri: post.id, cid: post.version } } });
  return res.uri;
}

/** The records of the city's threadgate for the post, as the PDS serves it. */
async function threadgate(network: LocalNetwork, cityDid: string, postUri: string): Promise<{ hiddenReplies?: string[] } | null> {
  const url = new URL('/xrpc/com.atproto.repo.getRecord', network.pdsUrl);
  url.search = new URLSearchParams({ repo: cityDid, collection: 'app.bsky.feed.threadgate', rkey: postUri.split('/').pop()! }).toString();
  const res = await fetch(url);
  if (!res.ok) return null;
  return ((await res.json()) as { value: { hiddenReplies?: string[] } }).value;
}

/** The person's own POST to the moderation API from their signed-in browser (cookie and CSRF token). */
async function postAction(page: Page, itemId: string, body: Record<string, unknown>): Promise<{ status: number; body: { message?: string; rule?: string } }> {
  return page.evaluate(async ({ id, payload }) => {
    const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
    const res = await fetch(`/api/moderation/items/${encodeURIComponent(id)}/actions`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: JSON.stringify(payload),
    });
    return { status: res.status, body: (await res.json()) as { message?: string; rule?: string } };
  }, { id: itemId, payload: body });
}

/** A report, as staff who may only report make it. */
async function postReport(page: Page, itemId: string, reason: string): Promise<{ status: number }> {
  return page.evaluate(async ({ id, why }) => {
    const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
    const res = await fetch(`/api/moderation/items/${encodeURIComponent(id)}/report`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: JSON.stringify({ reason: why }),
    });
    return { status: res.status };
  }, { id: itemId, why: reason });
}

describe.skipIf(!hasChromium && !inCi)('comment moderation in Chromium, on a local AT Protocol network', { timeout: 90_000 }, () => {
  let network: LocalNetwork | undefined;
  let bozeman: E2eServer | undefined;
  let kalispell: E2eServer | undefined;
  let runner: CaptureRunner | undefined;
  const contexts: BrowserContext[] = [];
  const runnerWarnings: string[] = [];

  /** A browser context of its own per person, signed in (password, then two-step enrolment). */
  async function signedIn(server: E2eServer, who: Staff): Promise<Page> {
    const context = await server.browser.newContext({ baseURL: server.base, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await enrolAndSignIn(page, server.base, who);
    return page;
  }

  beforeAll(async () => {
    [network, bozeman, kalispell] = await Promise.all([
      startLocalNetwork(),
      startE2e({ pack: 'bozeman-mt', archive: true, vault: true }),
      startE2e({ archive: true, vault: true }),
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await runner?.stop();
    await bozeman?.close();
    await kalispell?.close();
    await network?.close();
    if (runnerWarnings.length) console.warn(`capture runner warnings:\n${runnerWarnings.join('\n')}`);
  });

  describe('Bozeman: flagged → escalated → the City Attorney approves → hidden on the network, kept in the archive', () => {
    let city: CityOnNetwork;
    let replyUri = '';
    let itemId = '';
    let editor: Staff;
    let attorney: Staff;

    beforeAll(async () => {
      const server = bozeman!;
      const db = server.database.db;
      const orgId = server.city.orgId;
      editor = server.staffWithRole('content_editor');
      attorney = server.staffWithRole('city_attorney');
      // Jane Doe is an official: naming her is a warning the moderator must read before removing.
      await db.insertInto('moderation_settings').values({ org_id: orgId, allowlist: '[]', officials: JSON.stringify(['Jane Doe']), updated_at: new Date().toISOString() }).execute();
      // The Content Editor hides only in their department: the account belongs to it.
      city = await cityOnNetwork(network!, server, 'bozeman.test', editor);
      const resident = await network!.createAccount('jane-fan.test');
      // Live capture, as `civicdesk start` runs it: the PDS's firehose, capture first, then the queue.
      runner = new CaptureRunner({
        archive: server.archive!, vault: server.vault!, vandalismGraceMs: 0,
        log: { info: () => undefined, warn: (m) => runnerWarnings.push(m) },
      });
      await runner.refresh();
      replyUri = await reply(network!, resident, city.post, CAMPAIGN);
      await waitFor(async () => Boolean(await db.selectFrom('moderation_items').select('id').where('org_id', '=', orgId).where('platform_id', '=', replyUri).executeTakeFirst()),
        20_000, 'the campaign reply captured from the firehose and queued');
      itemId = (await db.selectFrom('moderation_items').select('id').where('platform_id', '=', replyUri).executeTakeFirstOrThrow()).id;
    }, 60_000);

    it('has the Content Editor find it flagged, be refused Hide (the attorney approves removals) and escalate it with the campaign clause', async () => {
      const page = await signedIn(bozeman!, editor);
      expect(await navLabels(page)).toContain('Moderation');
      await clickNav(page, 'Moderation');
      await page.waitForURL(`${bozeman!.base}/moderation`);
      await settled(page);
      expect(await heading(page)).toBe('Moderation');
      const row = page.locator(`[data-testid=queue] tbody tr[data-item="${itemId}"]`);
      expect(await row.getAttribute('data-state')).toBe('flagged');
      expect(await row.locator('[data-label=political_campaign]').count()).toBe(1);
      expect(await row.textContent()).toContain(CAMPAIGN);
      // The evidence opens on demand.
      await row.locator('[data-label=political_campaign] summary').click();
      await row.locator('[data-label=political_campaign] [data-testid=evidence]').waitFor();
      await expectAccessible(page, 'moderation queue (Bozeman, content editor)');
      await screenshot(page, 'moderation-queue-bozeman');

      await row.getByRole('link').click();
      await page.waitForURL(`${bozeman!.base}/moderation/${itemId}`);
      await settled(page);
      expect(await page.getByTestId('item-text').textContent()).toBe(CAMPAIGN);
      expect(await page.getByTestId('item-warnings').textContent()).toContain('Jane Doe');
      expect(await page.getByTestId('attorney-rule').textContent()).toContain('City Attorney');
      expect(await page.getByTestId('history-none').count()).toBe(1);
      await expectAccessible(page, 'comment detail with warnings (content editor)');
      await screenshot(page, 'moderation-item-editor');

      // aup-5a: the Bozeman pack's political campaign clause.
      await page.getByLabel('Clause of the Acceptable Use Policy').selectOption('aup-5a');
      await page.getByLabel('Reason').fill('Campaigning for a candidate in a city election is not allowed here.');
      // Hide: the API refuses (BZ-15), and says what to do instead.
      await page.getByRole('button', { name: 'Hide the comment' }).click();
      const summary = page.locator('.error-summary');
      await summary.waitFor();
      expect(await summary.textContent()).toContain('Not allowed by your city\'s policy');
      expect(await summary.textContent()).toContain('needs the approval of the City Attorney');
      expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
      await expectAccessible(page, 'comment detail, hide refused');

      await page.getByRole('button', { name: 'Escalate to the City Attorney' }).click();
      await page.getByText('You escalated the comment.').waitFor();
      await page.getByTestId('item-state').filter({ hasText: 'Escalated' }).waitFor();
      expect(await page.getByTestId('proposal-reason').textContent()).toBe('Campaigning for a candidate in a city election is not allowed here.');
      const history = page.getByTestId('history').locator('tbody tr');
      expect(await history.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).toEqual(['escalate']);
      expect(await history.first().textContent()).toContain(editor.displayName);
      expect(await history.first().textContent()).toContain('aup-5a');
      // Nothing is hidden on the network yet.
      expect((await threadgate(network!, city.did, city.post.id))?.hiddenReplies ?? []).toEqual([]);
    });

    it('has the City Attorney read the warnings, acknowledge them and approve: hidden on the network, the original kept', async () => {
      const page = await signedIn(bozeman!, attorney);
      await clickNav(page, 'Moderation');
      await page.waitForURL(`${bozeman!.base}/moderation`);
      await settled(page);
      const row = page.locator(`[data-testid=queue] tbody tr[data-item="${itemId}"]`);
      expect(await row.getAttribute('data-state')).toBe('escalated');
      await row.getByRole('link').click();
      await page.waitForURL(`${bozeman!.base}/moderation/${itemId}`);
      await settled(page);
      expect(await page.getByTestId('proposal').textContent()).toContain('aup-5a');
      // The attorney approves; they do not hide or escalate themselves.
      expect(await page.getByTestId('action-buttons').locator('button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-action')))).not.toContain('hide');

      await page.getByRole('button', { name: 'Approve the removal' }).click();
      const asked = page.getByTestId('asked-warnings');
      await asked.waitFor();
      expect(await asked.textContent()).toContain('Jane Doe');
      await expectAccessible(page, 'comment detail, warnings to acknowledge (attorney)');
      await screenshot(page, 'moderation-item-warnings');
      await page.locator('label[for="moderation-ack"]').click();
      await page.getByRole('button', { name: 'Approve the removal' }).click();
      await page.getByText('You approved the removal').waitFor();
      await page.getByTestId('item-state').filter({ hasText: 'Hidden' }).waitFor();
      const actions = await page.getByTestId('history').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
      expect(actions).toEqual(['escalate', 'approve_removal']);
      await expectAccessible(page, 'comment detail, hidden');

      // On the network: the city's threadgate for the post hides the reply (and only it).
      expect((await threadgate(network!, city.did, city.post.id))?.hiddenReplies).toEqual([replyUri]);
      // In the archive: the original comment, untouched, and the moderation action.
      const db = bozeman!.database.db;
      const original = await db.selectFrom('archive_records as r').innerJoin('archive_contents as c', 'c.record_id', 'r.id')
        .select(['r.kind', 'c.text']).where('r.org_id', '=', bozeman!.city.orgId).where('r.platform_id', '=', replyUri).execute();
      expect(original).toEqual([{ kind: 'comment', text: CAMPAIGN }]);
      const about = await db.selectFrom('archive_records').select('kind').where('org_id', '=', bozeman!.city.orgId).where('subject_id', '=', replyUri).execute();
      expect(about.map((r) => r.kind).sort()).toEqual(['moderation_action', 'visibility_change']);

      // The public log lists the removal with its clause and reason.
      await page.goto(`/p/${bozeman!.city.slug}/moderation`);
      await page.locator('h1').waitFor();
      const log = (await page.locator('main').textContent()) ?? '';
      expect(log).toContain('Hidden (attorney approved)');
      expect(log).toContain('Campaigning for a candidate in a city election is not allowed here.');
      await expectAccessible(page, 'public moderation log');
      await screenshot(page, 'moderation-public-log');
    });
  });

  describe('Kalispell: staff only report; the Communications Manager hides with a clause; the queue is keyboard-driven', () => {
    let city: CityOnNetwork;
    let commsPage: Page;
    const items: Record<'spam' | 'spamToo' | 'critic', { id: string; uri: string }> = { spam: { id: '', uri: '' }, spamToo: { id: '', uri: '' }, critic: { id: '', uri: '' } };

    beforeAll(async () => {
      const server = kalispell!;
      const db = server.database.db;
      const orgId = server.city.orgId;
      city = await cityOnNetwork(network!, server, 'kalispell.test', null);
      const resident = await network!.createAccount('resident.test');
      // Captured directly (no live capture): the reply as the platform serves it, archived, then queued.
      // Oldest first: the queue lists flagged comments newest first, then the rest.
      for (const [key, text] of [['spamToo', SPAM_TOO], ['critic', CRITIC], ['spam', SPAM]] as const) {
        const uri = await reply(network!, resident, city.post, text);
        const view = await city.connector.fetchPost(uri);
        const record = city.connector.toRecord({ ...view!, handle: resident.handle });
        await enqueueComments(db, orgId, [record], await capture(server.archive!, orgId, [record]));
        items[key] = { id: (await db.selectFrom('moderation_items').select('id').where('platform_id', '=', uri).executeTakeFirstOrThrow()).id, uri };
      }
    }, 60_000);

    it('shows the Employee no Moderation page, and the API refuses their hide', async () => {
      const page = await signedIn(kalispell!, kalispell!.staffWithRole('employee'));
      expect(await navLabels(page)).not.toContain('Moderation');
      await page.goto('/moderation');
      await settled(page);
      expect(await heading(page)).toBe('Not available to you');
      expect(await page.locator('main').textContent()).toContain('comment.view');
      const refused = await postAction(page, items.spam.id, { action: 'hide', clauseId: 'aup-6b', reason: 'Advertising a business on the city page.' });
      expect(refused.status).toBe(403);
      expect(refused.body.rule).toBe('comment.view'); // they may not even open the queue
      // Reporting is what the policy lets them do (their "Report a comment" page: moderation-report.e2e.test.ts).
      expect((await postReport(page, items.spam.id, 'Looks like spam to me')).status).toBe(200);
    });

    it('has the Communications Manager move through the queue with j/k, open with Enter, list the keys with ?', async () => {
      const page = await signedIn(kalispell!, kalispell!.staffWithRole('communications_manager'));
      commsPage = page;
      await clickNav(page, 'Moderation');
      await page.waitForURL(`${kalispell!.base}/moderation`);
      await settled(page);
      const rows = page.locator('[data-testid=queue] tbody tr');
      // Flagged first (the two commercial ones, newest first), then the criticism (no label, protected speech).
      expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-item')))).toEqual([items.spam.id, items.spamToo.id, items.critic.id]);
      expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-state')))).toEqual(['flagged', 'flagged', 'new']);
      expect(await rows.nth(0).locator('[data-label=commercial]').count()).toBe(1);
      expect(await rows.nth(2).getByTestId('viewpoint-tag').textContent()).toBe('Criticises the city — protected speech');
      expect(await rows.nth(0).getByTestId('viewpoint-tag').count()).toBe(0);
      expect(await rows.nth(2).textContent()).toContain('resident.test');
      // The evidence, on demand: the words the classifier matched.
      await rows.nth(0).locator('[data-label=commercial] summary').click();
      expect(await rows.nth(0).locator('[data-label=commercial] [data-testid=evidence]').textContent()).toContain('promo code');
      await expectAccessible(page, 'moderation queue (Kalispell)');

      // Filters are the page's address: by category, then cleared.
      const rowCount = (n: number) => page.waitForFunction((count) => document.querySelectorAll('[data-testid=queue] tbody tr[data-item]').length === count, n);
      await page.getByLabel('Category').selectOption('commercial');
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      await page.waitForURL(`${kalispell!.base}/moderation?category=commercial`);
      await rowCount(2);
      expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-item')))).toEqual([items.spam.id, items.spamToo.id]);
      await page.getByRole('button', { name: 'Clear the filters' }).click();
      await page.waitForURL(`${kalispell!.base}/moderation`);
      await rowCount(3);

      const selected = () => rows.evaluateAll((rs) => rs.findIndex((r) => r.getAttribute('data-selected') === 'true'));
      const focusedItem = () => page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-item') ?? null);
      // Roving tabindex: only the selected row's link is in the tab order.
      const tabbable = () => rows.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('tabindex')));
      expect(await tabbable()).toEqual(['0', '-1', '-1']);
      await page.locator('main h1').click();
      await page.keyboard.press('j');
      expect(await selected()).toBe(0);
      expect(await focusedItem()).toBe(items.spam.id);
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      expect(await selected()).toBe(2);
      expect(await focusedItem()).toBe(items.critic.id);
      expect(await tabbable()).toEqual(['-1', '-1', '0']);
      // At the end, j stays there.
      await page.keyboard.press('j');
      expect(await selected()).toBe(2);
      await screenshot(page, 'moderation-queue-selected', { fullPage: false });
      await page.keyboard.press('k');
      await page.keyboard.press('k');
      expect(await selected()).toBe(0);
      expect(await focusedItem()).toBe(items.spam.id);

      // Not while typing in a field: j in a filter changes nothing.
      await page.getByLabel('Category').focus();
      await page.keyboard.press('j');
      expect(await selected()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('queue-category');

      // ? lists the keys in a dialog; Escape closes it.
      await page.locator('main h1').click();
      await page.keyboard.press('?');
      const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await dialog.waitFor();
      expect(await dialog.getByTestId('keys-help').textContent()).toContain('Select the next comment');
      await expectAccessible(page, 'keyboard shortcuts dialog');
      await screenshot(page, 'moderation-keys-help', { fullPage: false });
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });

      // Enter opens the selected comment.
      await page.locator('main h1').click();
      await page.keyboard.press('Enter');
      await page.waitForURL(`${kalispell!.base}/moderation/${items.spam.id}`);
      await settled(page);
      expect(await page.getByTestId('item-text').textContent()).toBe(SPAM);
    });

    it('has the Communications Manager hide the spam under the commercial clause; the criticism comes with its warning', async () => {
      const page = commsPage;
      await page.goto(`/moderation/${items.critic.id}`);
      await settled(page);
      expect(await page.getByTestId('item-warnings').textContent()).toContain('protected speech');
      expect(await page.getByTestId('viewpoint-tag').count()).toBe(1);
      await expectAccessible(page, 'comment detail, criticism');

      await page.goto(`/moderation/${items.spam.id}`);
      await settled(page);
      // The Employee's report is in the history.
      expect(await page.getByTestId('history').locator('tbody tr').first().getAttribute('data-action')).toBe('report');
      // A reason is required: the API's message is linked to the field.
      await page.getByLabel('Clause of the Acceptable Use Policy').selectOption('aup-6b');
      await page.getByRole('button', { name: 'Hide the comment' }).click();
      await page.locator('.error-summary', { hasText: 'Reason: at least 10 characters' }).waitFor();
      expect(await page.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page, 'comment detail, reason missing');
      await page.getByLabel('Reason').fill('Advertises a business, which the policy does not allow.');
      await page.getByRole('button', { name: 'Hide the comment' }).click();
      await page.getByText('The comment is hidden on the platform.').waitFor();
      await page.getByTestId('item-state').filter({ hasText: 'Hidden' }).waitFor();
      const last = page.getByTestId('history').locator('tbody tr').last();
      expect(await last.getAttribute('data-action')).toBe('hide');
      expect(await last.textContent()).toContain('aup-6b');
      expect(await last.textContent()).toContain('Demo Communications Manager');
      // Hidden is restorable: Show it again is offered.
      expect(await page.getByRole('button', { name: 'Show it again' }).count()).toBe(1);
      await expectAccessible(page, 'comment detail, hidden (Kalispell)');
      await screenshot(page, 'moderation-item-hidden');
      expect((await threadgate(network!, city.did, city.post.id))?.hiddenReplies).toEqual([items.spam.uri]);

      // The consistency panel: the other commercial comment, still flagged; from it, this one, hidden.
      const similar = page.locator(`[data-testid=similar] tr[data-item="${items.spamToo.id}"]`);
      expect(await similar.textContent()).toContain('Flagged');
      await similar.getByRole('link').click();
      await page.waitForURL(`${kalispell!.base}/moderation/${items.spamToo.id}`);
      await settled(page);
      await page.getByTestId('item-text').filter({ hasText: SPAM_TOO }).waitFor();
      expect(await page.locator(`[data-testid=similar] tr[data-item="${items.spam.id}"]`).textContent()).toContain('Hidden');
      expect(await page.locator(`[data-testid=similar] tr[data-item="${items.critic.id}"]`).count()).toBe(0);
      await expectAccessible(page, 'comment detail, consistency panel');
    });

    it('has the Communications Manager tick two adverts (a click and x) and hide them in bulk, each with its own reason', async () => {
      const page = commsPage;
      const server = kalispell!;
      const db = server.database.db;
      const orgId = server.city.orgId;
      const resident = await network!.createAccount('resident-two.test');
      const more: Record<'deliveries' | 'spam3', { id: string; uri: string }> = { deliveries: { id: '', uri: '' }, spam3: { id: '', uri: '' } };
      for (const [key, text] of [['deliveries', DELIVERIES], ['spam3', SPAM_3]] as const) {
        const uri = await reply(network!, resident, city.post, text);
        const record = city.connector.toRecord({ ...(await city.connector.fetchPost(uri))!, handle: resident.handle });
        await enqueueComments(db, orgId, [record], await capture(server.archive!, orgId, [record]));
        more[key] = { id: (await db.selectFrom('moderation_items').select('id').where('platform_id', '=', uri).executeTakeFirstOrThrow()).id, uri };
      }
      await page.goto('/moderation');
      await settled(page);
      const row = (id: string) => page.locator(`[data-testid=queue] tbody tr[data-item="${id}"]`);
      await row(more.spam3.id).waitFor();
      expect(await row(more.spam3.id).getAttribute('data-state')).toBe('flagged');

      // One ticked with its box, the other with x on the selected row.
      await row(items.spamToo.id).locator('.usa-checkbox__label').click();
      await row(more.spam3.id).getByRole('link').focus();
      await page.keyboard.press('x');
      expect(await page.locator('[data-testid=queue] tbody tr[data-ticked=true]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-item')).sort()))
        .toEqual([items.spamToo.id, more.spam3.id].sort());
      expect(await page.getByTestId('bulk-bar').textContent()).toContain('2 ticked');
      await page.keyboard.press('?');
      expect(await page.getByTestId('keys-help').textContent()).toContain('Tick or untick the selected comment');
      await page.keyboard.press('Escape');
      await expectAccessible(page, 'moderation queue, two ticked');

      await page.locator('[data-bulk=hide]').click();
      const dialog = page.getByRole('dialog', { name: 'Hide 2 comments' });
      await dialog.waitFor();
      const entry = (id: string) => dialog.locator(`li[data-item="${id}"]`);
      expect(await entry(more.spam3.id).textContent()).toContain(SPAM_3);
      expect(await entry(items.spamToo.id).textContent()).toContain(SPAM_TOO);
      // A shared clause and reason fill the empty fields; one reason is then rewritten, too short.
      await dialog.locator('#bulk-shared-clause').selectOption('aup-6b');
      await dialog.locator('#bulk-shared-reason').fill('Sells followers with a promo code.');
      await dialog.getByRole('button', { name: 'Fill the empty fields' }).click();
      expect(await entry(items.spamToo.id).locator('textarea').inputValue()).toBe('Sells followers with a promo code.');
      await entry(more.spam3.id).locator('textarea').fill('spam');
      await expectAccessible(page, 'bulk dialog');
      await screenshot(page, 'moderation-bulk-dialog', { fullPage: false });
      await dialog.getByRole('button', { name: 'Send 2 decisions' }).click();
      await dialog.getByTestId('bulk-summary').filter({ hasText: '1 done, 1 not done' }).waitFor();
      expect(await entry(items.spamToo.id).getAttribute('data-outcome')).toBe('done');
      expect(await entry(more.spam3.id).getAttribute('data-outcome')).toBe('failed');
      expect(await entry(more.spam3.id).locator('.usa-error-message').textContent()).toContain('at least 10 characters');
      expect(await entry(more.spam3.id).locator('textarea').getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page, 'bulk dialog, one refused');

      await entry(more.spam3.id).locator('textarea').fill('A third advert for followers, with a promo code.');
      await dialog.getByRole('button', { name: 'Send 1 decision' }).click();
      await dialog.getByTestId('bulk-summary').filter({ hasText: 'All 1 done.' }).waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.waitForFunction((ids) => ids.every((id) => document.querySelector(`tr[data-item="${id}"]`)?.getAttribute('data-state') === 'hidden'), [items.spamToo.id, more.spam3.id]);

      // Each comment has its own action, with its own reason; both are hidden on the network.
      const actions = await db.selectFrom('moderation_actions').select(['item_id', 'action', 'clause_id', 'reason']).where('item_id', 'in', [items.spamToo.id, more.spam3.id]).orderBy('created_at').execute();
      expect(actions).toEqual([
        { item_id: items.spamToo.id, action: 'hide', clause_id: 'aup-6b', reason: 'Sells followers with a promo code.' },
        { item_id: more.spam3.id, action: 'hide', clause_id: 'aup-6b', reason: 'A third advert for followers, with a promo code.' },
      ]);
      expect(((await threadgate(network!, city.did, city.post.id))?.hiddenReplies ?? []).sort()).toEqual([items.spam.uri, items.spamToo.uri, more.spam3.uri].sort());
      expect(await row(more.deliveries.id).getAttribute('data-state')).toBe('new');
    });
  });
});
