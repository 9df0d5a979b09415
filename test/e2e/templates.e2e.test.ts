// End-to-end for pre-approved emergency templates, under Bozeman's pack (BZ-8: "emergency content may
// go to social media first with the Director's pre-approval"), in Chromium, published to a local AT
// Protocol network. The Content Editor writes a template with blanks; the Department Director finds
// it on the Incidents page, approves it, and opens an emergency; the Content Editor posts an update
// from it: an SSN typed into a blank is refused naming that blank, and with proper values the update
// is published at once (checked on the network), its page saying which template and approver it
// relied on. Editing the template's text makes it "Not approved" again. axe-core checks each state.
//
// Set-up outside the UI: a local PLC + PDS, the city's Bluesky account on it in Parks and Recreation
// (the department of the Director and the Content Editor), connected by the IT Director.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestAccount, staffContext } from '../../src/accounts/fixtures.js';
import { startLocalNetwork, type LocalNetwork } from '../../src/platforms/bluesky/local-network.js';
import { connectAccount } from '../../src/platforms/platforms.commands.js';
import {
  clickNav, enrolAndSignIn, expectAccessible, hasChromium, heading, inCi, screenshot, settled, startE2e, warnIfNoChromium, type E2eServer, type Staff,
} from './helpers.js';

warnIfNoChromium('templates e2e');

const TITLE = 'Road closed';
const BODY = 'Emergency: {{road}} is closed until {{time}}. Please use another route. https://www.bozeman.net/alerts';
const FILLED = 'Emergency: Main Street is closed until 4 pm. Please use another route. https://www.bozeman.net/alerts';

describe.skipIf(!hasChromium && !inCi)('emergency templates in Chromium, published to a local AT Protocol network', { timeout: 90_000 }, () => {
  let server: E2eServer | undefined;
  let network: LocalNetwork | undefined;
  let base: string;
  const contexts: BrowserContext[] = [];
  let editor: Staff;
  let director: Staff;
  let editorPage: Page;
  let directorPage: Page;
  let accountId = '';
  let cityDid = '';

  async function signedIn(who: Staff): Promise<Page> {
    const context = await server!.browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await enrolAndSignIn(page, base, who);
    return page;
  }

  /** Opens the Incidents page from the navigation, or reloads it to see what others did meanwhile. */
  async function incidentsPage(page: Page): Promise<void> {
    if (page.url() === `${base}/incidents`) await page.reload();
    else await clickNav(page, 'Incidents');
    await page.waitForURL(`${base}/incidents`);
    await settled(page);
    await page.getByTestId('templates').waitFor();
  }

  beforeAll(async () => {
    [network, server] = await Promise.all([startLocalNetwork(), startE2e({ archive: true, vault: true, pack: 'bozeman-mt' })]);
    base = server.base;
    editor = server.staffWithRole('content_editor');
    director = server.staffWithRole('department_director');
    const db = server.database.db;
    const orgId = server.city.orgId;
    const parks = (await db.selectFrom('users').select('department_id').where('email', '=', director.email).executeTakeFirstOrThrow()).department_id;
    const city = await network.createAccount('bozeman.test');
    cityDid = city.did;
    accountId = await insertTestAccount(db, orgId, { platform: 'bluesky', handle: city.handle, status: 'active', department_id: parks });
    await connectAccount(await staffContext(db, orgId, server.staffWithRole('it_director').email), server.vault!, {
      accountId, credentials: { service: network.pdsUrl, identifier: city.handle, appPassword: city.password, plc: network.plcUrl, appView: false },
    });
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await server?.close();
    await network?.close();
  });

  it('has the Content Editor write a template with blanks', async () => {
    editorPage = await signedIn(editor);
    const page = editorPage;
    await incidentsPage(page);
    expect(await heading(page)).toBe('Incidents');
    expect(await page.getByTestId('templates').textContent()).toContain('No templates yet.');
    await expectAccessible(page, 'incidents (editor, no templates)');
    await page.getByRole('button', { name: 'Write a new template' }).click();
    const form = page.getByTestId('template-form');
    await form.getByLabel('Title').fill(TITLE);
    await form.getByLabel('Template text').fill(BODY);
    expect(await form.getByTestId('template-blanks').textContent()).toBe('Blanks: Road, Time.');
    await form.locator(`label[for="template-new-accounts-${accountId}"]`).click();
    await expectAccessible(page, 'new template form');
    await form.getByRole('button', { name: 'Save the template' }).click();
    await page.getByText(`The template "${TITLE}" was saved. Its approvers have been asked to approve it.`).waitFor();
    const item = page.getByTestId('templates').locator('li[data-template]');
    expect(await item.getAttribute('data-approved')).toBe('false');
    expect(await item.getByTestId('template-approval-words').textContent()).toContain('Waiting for the Department Director');
    expect(await item.getByTestId('template-text').locator('mark').allTextContents()).toEqual(['[Road]', '[Time]']);
    // The author cannot approve their own template.
    expect(await item.getByTestId('template-approve').count()).toBe(0);
  });

  it('has the Department Director approve it and open an emergency', async () => {
    directorPage = await signedIn(director);
    const page = directorPage;
    await incidentsPage(page);
    const item = page.getByTestId('templates').locator('li[data-template]');
    await item.getByTestId('template-approve').waitFor();
    await expectAccessible(page, 'incidents (director, template awaiting)');
    for (const id of await item.locator('input[name=acknowledged]').evaluateAll((els) => els.map((e) => e.id))) await page.locator(`label[for="${id}"]`).click();
    await item.getByRole('button', { name: /^Approve as / }).click();
    await page.getByText(`You approved "${TITLE}".`).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=templates] li[data-template]')?.getAttribute('data-approved') === 'true');
    expect(await item.getByTestId('template-approval-words').textContent()).toContain(`Approved by ${director.displayName}`);

    await page.getByLabel('What is happening').fill('Water main break on Main Street');
    await page.getByRole('button', { name: 'Open the emergency' }).click();
    await page.getByTestId('emergency').waitFor();
    expect(await page.getByTestId('emergency').locator('h2').textContent()).toBe('Emergency: Water main break on Main Street');
    await expectAccessible(page, 'incidents (emergency open)');
    await screenshot(page, 'incidents-emergency-open');
  });

  it('has the Content Editor post an update from the template: an SSN in a blank is refused; filled properly, it is published at once', async () => {
    const page = editorPage;
    await incidentsPage(page);
    const panel = page.getByTestId('emergency');
    await panel.waitFor();
    const update = panel.getByTestId('template-update');
    await update.getByLabel('Template', { exact: true }).selectOption({ label: TITLE });
    await update.getByLabel('Road', { exact: true }).fill('the house of John Doe, SSN 123-45-6789');
    await update.getByLabel('Time', { exact: true }).fill('4 pm');
    expect(await update.locator(`#update-${await panel.getAttribute('data-incident')}-accounts-${accountId}`).isChecked()).toBe(true);
    await update.getByRole('button', { name: 'Post the update' }).click();
    const summary = update.locator('.error-summary');
    await summary.waitFor();
    const refusal = (await summary.textContent()) ?? '';
    expect(refusal).toContain('cannot be posted');
    expect(refusal).toContain('Road:');
    expect(refusal).toContain('Offending text: "123-45-6789"');
    await expectAccessible(page, 'template update refused');

    await update.getByLabel('Road', { exact: true }).fill('Main Street');
    expect(await update.getByTestId('update-preview').textContent()).toBe(FILLED);
    await update.getByRole('button', { name: 'Post the update' }).click();
    const outcome = update.getByTestId('update-outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-status')).toBe('approved');
    expect(await outcome.textContent()).toContain('pre-approved by the template\'s approval and published');
    await expectAccessible(page, 'template update published');
    await screenshot(page, 'incidents-template-update');

    // Really there, once, with the filled text.
    const list = await fetch(`${network!.pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${encodeURIComponent(cityDid)}&collection=app.bsky.feed.post`);
    const records = ((await list.json()) as { records: Array<{ value: { text: string } }> }).records;
    expect(records.filter((r) => r.value.text === FILLED)).toHaveLength(1);

    // The update's page says which template and approver it relied on.
    await update.getByRole('link', { name: 'Open the update' }).click();
    await page.waitForURL(/\/content\/[^/]+$/);
    await settled(page);
    const chain = (await page.locator('main').textContent()) ?? '';
    expect(chain).toContain(`pre-approved emergency template "${TITLE}" (version 1)`);
    expect(chain).toContain(director.displayName);
    await expectAccessible(page, 'update made from a template');
  });

  it('makes an edited template wait for approval again', async () => {
    const page = editorPage;
    await incidentsPage(page);
    const item = page.getByTestId('templates').locator('li[data-template]');
    await item.getByRole('button', { name: /^Edit/ }).click();
    const form = item.getByTestId('template-form');
    await form.getByLabel('Template text').fill(BODY.replace('Please use another route', 'Use Mendenhall Street instead'));
    await form.getByRole('button', { name: 'Save the template' }).click();
    await page.getByText('Its text changed, so it must be approved again.').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=templates] li[data-template]')?.getAttribute('data-approved') === 'false');
    // No approved template is left to post from.
    expect(await page.getByTestId('template-update').textContent()).toContain('No template is approved yet');
    await expectAccessible(page, 'template edited, awaiting approval again');
  });
});
