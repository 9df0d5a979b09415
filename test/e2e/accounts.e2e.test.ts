// End-to-end for official accounts: a browser walks a new-account request through its whole
// Kalispell chain, signed in as each role. The Department Director asks for a Facebook account for
// their department (leaving out the IT Director is refused, citing KA-7); the Communications
// Manager finds it in "My approvals" and in a notification and approves; the City Manager approves
// the last step and finds the account in the registry as approved; the Communications Manager
// activates it, reads its compliance checks with their citations, records 2FA, stores its password
// and reveals it with a code from the authenticator and a reason. A Content Submitter sees no
// approve or reveal controls. axe-core checks every page (0 violations); screenshots land in
// test-results/.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickNav, enrolAndSignIn, expectAccessible, hasChromium, heading, inCi, navLabels, screenshot, settled, startE2e, totpCode,
  warnIfNoChromium, type E2eServer, type Staff,
} from './helpers.js';

warnIfNoChromium('accounts e2e');

const HANDLE = '@KalispellParksRec';
const PASSWORD = 'Parks-Facebook-2026!x';
const REASON = 'Posting the pool closure notice while the page admin is away';

describe.skipIf(!hasChromium && !inCi)('official accounts and their approval chain in Chromium', { timeout: 90_000 }, () => {
  let server: E2eServer | undefined;
  let base: string;
  const contexts: BrowserContext[] = [];
  const secrets = new Map<string, string>();
  let director: Staff;
  let comms: Staff;
  let manager: Staff;
  let itDirector: Staff;
  let submitter: Staff;
  let requestPath = '';
  let accountPath = '';
  let commsPage: Page;

  /** A browser context of its own per person: each stays signed in for the rest of the run. */
  async function signedIn(who: Staff): Promise<Page> {
    const context = await server!.browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    secrets.set(who.email, await enrolAndSignIn(page, base, who));
    return page;
  }

  beforeAll(async () => {
    server = await startE2e({ vault: true });
    base = server.base;
    director = server.staffWithRole('department_director');
    comms = server.staffWithRole('communications_manager');
    manager = server.staffWithRole('city_manager');
    itDirector = server.staffWithRole('it_director');
    submitter = server.staffWithRole('content_submitter');
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await server?.close();
  });

  it('has the Department Director request a Facebook account; without the IT Director it is refused (KA-7)', async () => {
    const page = await signedIn(director);
    // Requests (account.request for their department); no registry (no account.view).
    expect(await navLabels(page)).toEqual(['Dashboard', 'Content', 'Report a comment', 'Requests', 'Records requests', 'People', 'Training', 'Roles', 'Policy']);
    await clickNav(page, 'Requests');
    await page.waitForURL(`${base}/requests`);
    await settled(page);
    expect(await heading(page)).toBe('Requests');
    await expectAccessible(page, 'requests (director, empty)');

    await page.getByRole('link', { name: 'Make a request' }).click();
    await page.waitForURL(`${base}/requests/new`);
    await settled(page);
    await page.locator('label[for="type-newAccount"]').click();
    const chain = page.getByTestId('chain-preview');
    await chain.waitFor();
    // The chain that will apply, before submitting: each step's role, and the policy ids.
    expect(await chain.locator('li').allTextContents()).toEqual([
      expect.stringContaining('Communications Manager'), expect.stringContaining('City Manager'),
    ]);
    const chainSources = await page.locator('aside .sources__tag').allTextContents();
    expect(chainSources).toEqual(expect.arrayContaining(['KA-5', 'KA-7']));

    await page.locator('#na-platform').selectOption({ label: 'Facebook' });
    await page.getByLabel('Handle or page name').fill(HANDLE);
    await page.getByLabel(/^Profile address/).fill('https://www.facebook.com/KalispellParksRec');
    expect(await page.locator('#na-department option:checked').textContent()).toBe('Parks and Recreation');
    await page.getByLabel('Purpose').fill('Pool, park and program news from Parks and Recreation, and closures.');
    await page.getByLabel('Sign-up e-mail').fill('parks@kalispell.com');
    const adminBox = (who: Staff) => page.locator('#na-admins .usa-checkbox', { hasText: who.displayName }).locator('label');
    await adminBox(comms).click();
    await expectAccessible(page, 'new account request form');
    await screenshot(page, 'request-new-account');

    // KA-7: the IT Director must be among the administrators.
    await page.getByRole('button', { name: 'Submit the request' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Not allowed by your city\'s policy');
    expect(await summary.textContent()).toContain('IT Director');
    expect(await summary.locator('.sources__tag').allTextContents()).toContain('KA-7');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await expectAccessible(page, 'new account request refused (KA-7)');
    await screenshot(page, 'request-refused-ka7');

    await adminBox(itDirector).click();
    await page.getByRole('button', { name: 'Submit the request' }).click();
    await page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
    await settled(page);
    requestPath = new URL(page.url()).pathname;
    expect(await heading(page)).toBe(`New facebook account ${HANDLE} for Parks and Recreation`);
    expect(await page.getByText('The Communications Manager has been told').count()).toBe(1);
    const steps = page.getByTestId('request-steps').locator('li');
    expect(await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['awaiting', 'waiting']);
    // The requester may withdraw but not approve.
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Withdraw the request…' }).count()).toBe(1);
    await expectAccessible(page, 'request submitted');
    await screenshot(page, 'request-submitted');
  });

  it('has the Communications Manager find it in My approvals and a notification, and approve', async () => {
    commsPage = await signedIn(comms);
    const page = commsPage;
    const bell = page.getByTestId('notifications-link');
    expect(await bell.getByTestId('unread-count').textContent()).toBe('1');
    await bell.click();
    await page.waitForURL(`${base}/notifications`);
    await settled(page);
    const note = page.getByTestId('notifications').locator('li[data-read=false]').first();
    expect(await note.textContent()).toContain(`New facebook account ${HANDLE}`);
    expect(await note.textContent()).toContain('awaits your decision as Communications Manager');
    await expectAccessible(page, 'notifications');
    await screenshot(page, 'notifications');

    await clickNav(page, 'Requests');
    await page.waitForURL(`${base}/requests`);
    await settled(page);
    const queue = page.getByTestId('requests-mine');
    expect(await queue.locator('tbody tr').count()).toBe(1);
    expect(await queue.textContent()).toContain(`New facebook account ${HANDLE}`);
    await expectAccessible(page, 'requests (my approvals)');
    await screenshot(page, 'requests-my-approvals');

    // Opening it from the notification marks the notification read.
    await page.goto('/notifications');
    await settled(page);
    await page.getByRole('link', { name: /^Open the request/ }).first().click();
    await page.waitForURL(`${base}${requestPath}`);
    await settled(page);
    await page.waitForFunction(() => !document.querySelector('[data-testid=notifications-link] [data-testid=unread-count]'));

    const decision = page.getByTestId('decision');
    expect(await decision.locator('h2').textContent()).toBe('Your decision as Communications Manager');
    await expectAccessible(page, 'request decision form');
    await screenshot(page, 'request-decision');
    await page.getByLabel(/^Comment/).fill('Parks needs its own page for closures. I will manage it.');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('You approved step 1. The City Manager has been told it is their turn.').waitFor();
    const steps = page.getByTestId('request-steps').locator('li');
    expect(await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['approved', 'awaiting']);
    expect(await steps.first().getByTestId('step-decision').textContent()).toContain(`Approved by ${comms.displayName}`);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
  });

  it('has the City Manager approve the last step; the registry shows the account as approved', async () => {
    const page = await signedIn(manager);
    // The dashboard counts what waits for them.
    const waiting = page.getByTestId('count-waiting-for-your-decision');
    await waiting.waitFor();
    expect(await waiting.textContent()).toBe('1');
    await clickNav(page, 'Requests');
    await settled(page);
    await page.getByTestId('requests-mine').getByRole('link', { name: `New facebook account ${HANDLE} for Parks and Recreation` }).click();
    await page.waitForURL(`${base}${requestPath}`);
    await settled(page);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('You approved the last step: the request is approved and has taken effect.').waitFor();
    // The status is re-read after the decision; on a loaded machine that can lag the message.
    await page.getByTestId('request-status').filter({ hasText: /^Approved$/ }).waitFor();
    expect(await page.getByTestId('request-steps').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))))
      .toEqual(['approved', 'approved']);
    await expectAccessible(page, 'request approved');
    await screenshot(page, 'request-approved');

    await clickNav(page, 'Accounts');
    await page.waitForURL(`${base}/accounts`);
    await page.getByTestId('accounts-table').waitFor();
    await settled(page);
    const row = page.locator(`[data-testid=accounts-table] tbody tr[data-account="${HANDLE}"]`);
    expect(await row.getByTestId('account-status').textContent()).toBe('Approved, not live yet');
    expect(await row.textContent()).toContain('Parks and Recreation');
    expect(await row.textContent()).toContain(`${itDirector.displayName} (IT)`);
    expect(await row.getByTestId('compliance-summary').textContent()).toBe('Checked once live');
    await expectAccessible(page, 'accounts registry');
    await screenshot(page, 'accounts');
    // The status filter narrows the registry.
    await page.getByLabel('Status').selectOption('active');
    await page.waitForURL(`${base}/accounts?status=active`);
    await page.locator('#accounts-caption', { hasText: 'Active accounts (0)' }).waitFor();
    await page.getByLabel('Status').selectOption('approved');
    await row.waitFor();

    // The City Manager may see the account but holds no credentials.view: no vault, no reveal.
    await row.getByRole('link').click();
    await settled(page);
    accountPath = new URL(page.url()).pathname;
    expect(await page.getByRole('heading', { name: 'Login information' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Reveal/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /activate/ }).count()).toBe(0);
  });

  it('has the Communications Manager activate it, read its compliance checks, and store and reveal its password', async () => {
    const page = commsPage;
    await page.goto(accountPath);
    await settled(page);
    expect(await heading(page)).toBe(`Facebook ${HANDLE}`);
    expect(await page.getByTestId('publishing').textContent()).toContain('approved but not live yet');
    await page.getByRole('button', { name: 'Mark as live (activate)' }).click();
    await page.getByText(`Facebook ${HANDLE} is now active.`).waitFor();
    expect(await page.getByTestId('account-status').textContent()).toBe('Active');
    expect(await page.getByTestId('publishing').textContent()).toBe('Posts may be published to this account.');

    // Every check shows its result, what it found and the policy ids behind it.
    const checks = page.getByTestId('compliance-table');
    const itAdmin = checks.locator('tr[data-check=it-admin]');
    expect(await itAdmin.getAttribute('data-status')).toBe('pass');
    expect(await itAdmin.locator('.sources__tag').allTextContents()).toContain('KA-7');
    const twoFactor = checks.locator('tr[data-check=two-factor]');
    expect(await twoFactor.getAttribute('data-status')).toBe('fail');
    expect(await twoFactor.locator('.sources__tag').allTextContents()).toContain('KA-15');
    expect(await checks.locator('tr[data-status=fail] .sources__tag').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'account detail');
    await screenshot(page, 'account');

    // City-wide, the same failures, with their citations.
    await clickNav(page, 'Compliance');
    await page.waitForURL(`${base}/compliance`);
    await settled(page);
    const failing = page.getByTestId('failing-checks');
    expect(await failing.locator('tr[data-check=two-factor]').textContent()).toContain(HANDLE);
    expect(await failing.locator('tr[data-check=two-factor] .sources__tag').allTextContents()).toContain('KA-15');
    await expectAccessible(page, 'compliance');
    await screenshot(page, 'compliance');

    // Record that 2FA is on and attest it now: the check passes.
    await page.goto(accountPath);
    await settled(page);
    await page.locator('summary', { hasText: 'Update the record' }).click();
    await page.locator('label[for=fact-2fa]').click();
    await page.locator('label[for=fact-2fa-attest]').click();
    await page.locator('label[for=fact-aup]').click();
    await expectAccessible(page, 'account record form');
    await page.getByRole('button', { name: 'Save the record' }).click();
    await page.getByText('your attestation that two-factor authentication is on was recorded').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=compliance-table] tr[data-check=two-factor]')?.getAttribute('data-status') === 'pass');

    // Store the password: typed in a password field, never shown back.
    const vault = page.getByRole('region', { name: /On file for/ });
    expect(await page.getByTestId('secrets-table').textContent()).toContain('Nothing on file yet.');
    await page.locator('#secret-kind').selectOption('password');
    expect(await page.locator('#secret-value').getAttribute('type')).toBe('password');
    await page.locator('#secret-value').fill(PASSWORD);
    await page.getByLabel(/^Label/).fill('Set up by Parks and Recreation');
    await page.getByRole('button', { name: 'Store in the vault' }).click();
    await page.getByText('Password stored.').waitFor();
    await vault.locator('tr[data-kind=password]').waitFor();
    expect(await page.locator('#secret-value').inputValue()).toBe('');
    expect(await page.content()).not.toContain(PASSWORD);
    await expectAccessible(page, 'account with a stored secret');

    // Reveal: a fresh code from the authenticator and a written reason; the value is shown once.
    await page.getByRole('button', { name: 'Reveal the password' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel('6-digit code from your authenticator app').fill(await totpCode(secrets.get(comms.email) ?? ''));
    await dialog.getByLabel('Why do you need to see it?').fill(REASON);
    await expectAccessible(page, 'reveal dialog');
    await screenshot(page, 'reveal-dialog');
    await dialog.getByRole('button', { name: 'Reveal', exact: true }).click();
    const value = dialog.getByTestId('revealed-value');
    await value.waitFor();
    expect(await value.textContent()).toBe(PASSWORD);
    await expectAccessible(page, 'revealed secret');
    await screenshot(page, 'revealed-secret');
    await dialog.getByRole('button', { name: 'Hide' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(PASSWORD);
    // Focus returns to the button that opened the dialog.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Reveal');
  });

  it('keeps the KA-6 lists and says when the policy requires no training', async () => {
    const page = commsPage;
    // Less used pages sit under "More" for someone with many.
    const more = page.getByRole('navigation', { name: 'Primary navigation' }).getByRole('button', { name: 'More', exact: true });
    await more.click();
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    await expectAccessible(page, 'navigation with More open');
    await screenshot(page, 'nav-more-open', { fullPage: false });
    await page.keyboard.press('Escape');
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('More');
    await clickNav(page, 'Lists');
    await page.waitForURL(`${base}/lists`);
    await settled(page);
    const accounts = page.getByTestId('list-accounts');
    expect(await accounts.textContent()).toContain(HANDLE);
    expect(await accounts.locator('.sources__tag').allTextContents()).toContain('KA-6');
    expect(await accounts.getByRole('link', { name: /Download CSV/ }).getAttribute('href')).toBe('/api/lists/accounts.csv');
    const csv = await page.request.get('/api/lists/accounts.csv');
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(HANDLE);
    await expectAccessible(page, 'lists');
    await screenshot(page, 'lists');

    await clickNav(page, 'Training');
    await page.waitForURL(`${base}/training`);
    await settled(page);
    expect(await page.getByTestId('no-modules').textContent()).toContain('names no training modules');
    await expectAccessible(page, 'training');
    await screenshot(page, 'training');
  });

  it('shows a Content Submitter no approve or reveal controls', async () => {
    const page = await signedIn(submitter);
    expect(await navLabels(page)).toEqual(['Dashboard', 'Content', 'Report a comment', 'Requests', 'Records requests', 'Roles', 'Policy']);
    await page.goto(requestPath);
    await settled(page);
    expect(await page.locator('main').textContent()).toContain('Request was not found');
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reject' }).count()).toBe(0);
    await page.goto(accountPath);
    await settled(page);
    expect(await heading(page)).toBe('Not available to you');
    expect(await page.getByRole('button', { name: /^Reveal/ }).count()).toBe(0);
    await page.goto('/requests');
    await settled(page);
    expect(await page.getByTestId('requests-mine').textContent()).toContain('Nothing is waiting for you.');
    expect(await page.getByTestId('all-requests').count()).toBe(0);
    await expectAccessible(page, 'requests (content submitter)');
    await screenshot(page, 'requests-content-submitter');
  });

  it('fits a 375 px phone: the account page, and the menu with "More"', async () => {
    const phone = await server!.browser.newContext({
      baseURL: base, viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      storageState: await commsPage.context().storageState(),
    });
    contexts.push(phone);
    const mobile = await phone.newPage();
    await mobile.goto(accountPath);
    await settled(mobile);
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await mobile.getByTestId('notifications-link-mobile').isVisible()).toBe(true);
    await expectAccessible(mobile, 'account (mobile)');
    await screenshot(mobile, 'account-mobile');
    await mobile.evaluate(() => window.scrollTo(0, 0));
    await screenshot(mobile, 'account-mobile-top', { fullPage: false });
    await mobile.getByRole('button', { name: 'Menu', exact: true }).click();
    const nav = mobile.getByRole('navigation', { name: 'Primary navigation' });
    await nav.getByRole('button', { name: 'More', exact: true }).click();
    await nav.getByRole('link', { name: 'Lists', exact: true }).waitFor({ state: 'visible' });
    await expectAccessible(mobile, 'mobile menu with More open');
    await screenshot(mobile, 'mobile-menu-more', { fullPage: false });
  });
});
