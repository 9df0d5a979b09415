// End-to-end: the real server (SQLite in a temp folder, the Kalispell demo city) and the built web
// app, driven by headless Chromium. An administrator signs in, enrols two-step verification, visits
// every page, adds a person and finds the event for it, signs out and back in. axe-core checks every
// page against WCAG 2.1 A/AA (0 violations), and a full-page screenshot of each lands in test-results/.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickNav, expectAccessible, fillPasswordStep, hasChromium, heading, inCi, navLabels, screenshot, settled, startE2e, totpCode, warnIfNoChromium,
  type E2eServer, type Staff,
} from './helpers.js';

warnIfNoChromium('web e2e');

describe.skipIf(!hasChromium && !inCi)('web app in Chromium (accessibility and main flows)', { timeout: 120_000 }, () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let admin: Staff;
  let city: { slug: string; name: string };
  let secret = '';
  let recoveryCodes: string[] = [];
  const newPerson = { name: 'Avery Example', email: 'avery.example@kalispell.test', password: 'Avery-Passw0rd!-2024' };

  beforeAll(async () => {
    server = await startE2e();
    ({ base, city, browser } = server);
    const first = server.staff[0];
    if (!first) throw new Error('seedDemoCity returned no staff');
    admin = first;
    context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('sends a signed-out visitor to an accessible sign-in page', async () => {
    await page.goto('/people');
    await page.waitForURL('**/signin');
    await settled(page);
    expect(await heading(page)).toBe('Sign in');
    expect(await page.title()).toContain('Sign in');
    // One city hosted: no city chooser.
    expect(await page.getByLabel('City').count()).toBe(0);
    // The skip link is the first thing the keyboard reaches.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'signin');

    // A wrong password: an error summary that takes focus, still accessible.
    await fillPasswordStep(page, { ...admin, password: 'not-the-password' });
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('E-mail or password is wrong');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await expectAccessible(page, 'sign-in with error');
  });

  it('has the administrator enrol two-step verification and shows recovery codes once', async () => {
    await page.goto('/signin');
    await fillPasswordStep(page, admin);
    await page.waitForURL('**/enrol-2fa');
    const secretBox = page.getByTestId('totp-secret');
    await secretBox.waitFor();
    secret = ((await secretBox.textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await expect(page.locator('img.qr-code').getAttribute('alt')).resolves.toMatch(/QR code/);
    await expectAccessible(page, 'enrol-2fa');
    await screenshot(page, 'enrol-2fa');

    // A wrong code first: the message is tied to the field.
    await page.getByLabel('Code from your app').fill('000000');
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await page.locator('.usa-error-message').waitFor();
    const described = await page.getByLabel('Code from your app').getAttribute('aria-describedby');
    expect(described).toContain('enrol-code-error');
    await expectAccessible(page, 'enrol-2fa with error');

    await page.getByLabel('Code from your app').fill(await totpCode(secret));
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    const codes = page.getByTestId('recovery-codes');
    await codes.waitFor();
    recoveryCodes = (await codes.locator('li').allTextContents()).map((c) => c.trim());
    expect(recoveryCodes.length).toBeGreaterThanOrEqual(5);
    await expectAccessible(page, 'recovery codes');
    await screenshot(page, 'recovery-codes');

    await page.getByRole('button', { name: 'I have saved these codes' }).click();
    await page.waitForURL(`${base}/`);
    await settled(page);
    expect(await heading(page)).toBe(`${city.name} dashboard`);
  });

  it('passes axe on every staff page, with per-page titles and focus on the heading', async () => {
    const pages: Array<{ path: string; name: string; nav: string; heading: string; ready: string }> = [
      { path: '/', name: 'dashboard', nav: 'Dashboard', heading: `${city.name} dashboard`, ready: '.civic-count' },
      { path: '/people', name: 'people', nav: 'People', heading: 'People', ready: '[data-testid=people-table]' },
      { path: '/roles', name: 'roles', nav: 'Roles', heading: 'Roles and approvals', ready: '[data-testid=roles]' },
      { path: '/policy', name: 'policy', nav: 'Policy', heading: 'Policy summary', ready: '[data-testid=aup-clauses]' },
      { path: '/events', name: 'events', nav: 'Events', heading: 'Event log', ready: '[data-testid=events-table]' },
    ];
    const titles = new Set<string>();
    for (const p of pages) {
      // Navigate the way a person does, through the header's navigation.
      await clickNav(page, p.nav);
      await page.waitForURL(`${base}${p.path}`);
      await page.locator(p.ready).first().waitFor();
      await settled(page);
      expect(await heading(page)).toBe(p.heading);
      if (p.path !== '/') {
        // Client-side navigation moves focus to the new page's heading.
        expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
      }
      const title = await page.title();
      expect(title).toContain(city.name);
      titles.add(title);
      expect(await page.locator('a[aria-current=page]').textContent()).toBe(p.nav);
      await expectAccessible(page, p.name);
      await screenshot(page, p.name);
    }
    expect(titles.size).toBe(pages.length);

    // Every rule on the roles and policy pages carries its citation tags.
    await page.goto('/roles');
    await page.locator('[data-testid=roles]').waitFor();
    const roleCards = await page.locator('[data-testid=roles] > li').count();
    expect(roleCards).toBeGreaterThan(3);
    expect(await page.locator('[data-testid=roles] .sources__tag').count()).toBeGreaterThanOrEqual(roleCards);
    expect(await page.locator('[data-testid=chain-content] li').count()).toBeGreaterThan(0);
  });

  it('serves the public Acceptable Use and policy pages accessibly', async () => {
    for (const [path, name] of [['/p/acceptable-use', 'public-acceptable-use'], ['/p/policy', 'public-policy']] as const) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      await page.locator('main h1').waitFor();
      await expectAccessible(page, name);
      await screenshot(page, name);
    }
  });

  it('adds a person through the People form, and the Events page shows it', async () => {
    await page.goto('/people');
    await page.locator('[data-testid=people-table]').waitFor();
    await settled(page);

    // A bad e-mail address first: field message in the error summary and next to the field.
    await page.getByLabel('Full name').fill(newPerson.name);
    await page.locator('#person-email').fill('not-an-email');
    await page.getByLabel('Temporary password').fill(newPerson.password);
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.locator('#person-email-error').waitFor();
    expect(await page.locator('#person-email').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await expectAccessible(page, 'people with form errors');
    await screenshot(page, 'people-form-error');

    await page.locator('#person-email').fill(newPerson.email);
    await page.locator('#person-department').selectOption({ label: 'Communications' });
    await page.locator('label[for="person-roles-content_submitter"]').click();
    expect(await page.locator('#person-roles-content_submitter').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.getByText(`Added ${newPerson.name}.`).waitFor();
    const row = page.locator('[data-testid=people-table] tbody tr', { hasText: newPerson.email });
    await row.waitFor();
    expect(await row.textContent()).toContain('Content Submitter');
    expect(await row.textContent()).toContain('Not set up');

    // Change their roles in the dialog (keyboard reachable, closes on save).
    await row.getByRole('button', { name: `Change roles for ${newPerson.name}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expectAccessible(page, 'people roles dialog');
    await dialog.locator('label[for="edit-roles-employee"]').click();
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    await page.getByText(`Roles for ${newPerson.name} updated.`).waitFor();
    await page.waitForFunction((email) => [...document.querySelectorAll('[data-testid=people-table] tbody tr')]
      .some((tr) => tr.textContent?.includes(email) && tr.textContent.includes('Employee')), newPerson.email);

    await clickNav(page, 'Events');
    await page.locator('[data-testid=events-table]').waitFor();
    await settled(page);
    const added = page.locator('tr[data-action="staff.added"]').first();
    expect(await added.textContent()).toContain(admin.email);
    await added.locator('summary').click();
    expect(await added.locator('pre').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(newPerson.email)]));
    expect(await page.locator('tr[data-action="staff.roles_changed"]').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'events with details open');
    await screenshot(page, 'events-after-add');
  });

  it('shows a person without staff permissions only the pages their roles allow', async () => {
    const other = await browser!.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    try {
      const p = await other.newPage();
      await p.goto('/signin');
      await fillPasswordStep(p, { email: newPerson.email, password: newPerson.password });
      await p.waitForURL('**/enrol-2fa');
      const box = p.getByTestId('totp-secret');
      await box.waitFor();
      const theirSecret = ((await box.textContent()) ?? '').trim();
      await p.getByLabel('Code from your app').fill(await totpCode(theirSecret));
      await p.getByRole('button', { name: 'Turn on two-step verification' }).click();
      await p.getByRole('button', { name: 'I have saved these codes' }).click();
      await p.waitForURL(`${base}/`);
      await settled(p);
      // Their own posts (content.submit) and requests (access.request) besides the policy pages; nothing about staff.
      expect(await navLabels(p)).toEqual(['Dashboard', 'Content', 'Report a comment', 'Requests', 'Records requests', 'Roles', 'Policy']);
      // The dashboard links only to what they may open.
      expect(await p.getByRole('link', { name: 'See people' }).count()).toBe(0);
      await p.goto('/people');
      await settled(p);
      expect(await heading(p)).toBe('Not available to you');
      expect(await p.locator('main').textContent()).toContain('staff.view');
      await expectAccessible(p, 'not allowed');
      await screenshot(p, 'not-allowed');
    } finally {
      await other.close();
    }
  });

  it('is usable on a 375 px wide phone screen', async () => {
    const phone = await browser!.newContext({
      baseURL: base,
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      storageState: await context.storageState(),
    });
    try {
      const mobile = await phone.newPage();
      await mobile.goto('/');
      await mobile.locator('.civic-count').first().waitFor();
      await settled(mobile);
      // The page does not scroll sideways.
      expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await expectAccessible(mobile, 'dashboard (mobile)');
      await screenshot(mobile, 'dashboard-mobile');

      const menu = mobile.getByRole('button', { name: 'Menu', exact: true });
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      const nav = mobile.getByRole('navigation', { name: 'Primary navigation' });
      // People sits under "More" now that Content and Incidents are in the bar; Accounts is in it.
      await nav.getByRole('link', { name: 'Accounts', exact: true }).waitFor({ state: 'visible' });
      await expectAccessible(mobile, 'mobile menu open');
      await screenshot(mobile, 'mobile-menu');
      await mobile.keyboard.press('Escape');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');

      await mobile.goto('/people');
      await mobile.locator('[data-testid=people-table]').waitFor();
      await settled(mobile);
      await expectAccessible(mobile, 'people (mobile)');
      await screenshot(mobile, 'people-mobile');
    } finally {
      await phone.close();
    }
  });

  it('signs out, then back in with a recovery code and with a TOTP code', async () => {
    await page.goto('/');
    await settled(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    await page.getByText('You have signed out.').waitFor();
    // Signed out means signed out: staff pages send you back here.
    await page.goto('/events');
    await page.waitForURL('**/signin');

    // Recovery code (each works once).
    await fillPasswordStep(page, admin);
    await page.getByLabel('Verification code').waitFor();
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0] ?? '');
    await page.getByRole('button', { name: 'Continue' }).click();
    // Back to the page that asked for the sign-in.
    await page.waitForURL(`${base}/events`);
    await page.locator('[data-testid=events-table]').waitFor();
    expect(await heading(page)).toBe('Event log');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');

    // TOTP code.
    await fillPasswordStep(page, admin);
    const codeField = page.getByLabel('Verification code');
    await codeField.waitFor();
    expect(await heading(page)).toBe('Enter your verification code');
    await expectAccessible(page, 'sign-in code step');
    await screenshot(page, 'signin-totp');
    await codeField.fill('123');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('.error-summary').waitFor();
    await expectAccessible(page, 'sign-in code step with error');
    await codeField.fill(await totpCode(secret));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/`);
    await settled(page);
    expect(await heading(page)).toBe(`${city.name} dashboard`);
    expect(await page.getByTestId('signed-in-user').textContent()).toBe(admin.displayName);
  });
});
