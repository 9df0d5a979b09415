// End-to-end for the content workflow: a browser takes a post from compose to a real publication,
// signed in as each role of Kalispell's content chain. The Content Submitter writes a post and sees
// the live policy check (a Social Security number blocks it, quoting the clause and the offending
// text), Submit is refused naming the rule, the clause and the text; the fixed post is saved and
// submitted. The Department Director finds it in "Waiting for your decision" and approves,
// acknowledging what needs acknowledging; the Communications Manager approves the last step and it
// is published to a local AT Protocol network (checked there with listRecords), the detail page
// linking to it; the content calendar shows it on today. axe-core checks every content page (0
// violations), incidents included (with the emergency templates, which Kalispell's policy gives
// nobody to use: no role leads an emergency), and the compose page fits a 375 px phone.
// Screenshots land in test-results/.
//
// Set-up outside the UI: a local PLC + PDS, the city's Bluesky account on it, an active account
// row for the Director's department connected (as the IT Director) with the vault the server uses,
// and one vandalism incident for the incidents page. A local SMTP server (smtp-server) receives the
// e-mails each next approver gets; the outbox is sent after each step as the mail job would.
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestAccount, staffContext } from '../../src/accounts/fixtures.js';
import { startLocalNetwork, type LocalNetwork } from '../../src/platforms/bluesky/local-network.js';
import { connectAccount } from '../../src/platforms/platforms.commands.js';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { createMailer, sendPendingMail, type Mailer } from '../../src/people/mail.js';
import {
  clickNav, enrolAndSignIn, expectAccessible, hasChromium, heading, inCi, navLabels, screenshot, settled, startE2e,
  warnIfNoChromium, type E2eServer, type Staff,
} from './helpers.js';

warnIfNoChromium('content e2e');

/** RFC 2047 encoded words (nodemailer encodes subjects with quotes or non-ASCII). */
function decodeHeader(value: string): string {
  return value.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) => (enc.toUpperCase() === 'B'
    ? Buffer.from(text, 'base64').toString('utf8')
    : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')));
}

const SSN_TEXT = 'Call about case, SSN 123-45-6789';
// A phone number that is not one of the city's needs the approver's acknowledgement.
const FIXED_TEXT = 'Woodland Park pool opens Saturday at 10 am. Lifeguards are on duty every day. Pool desk: 406-555-0142.';
const ALT = 'The Woodland Park pool in the sun, with its lifeguard chair';
/** A 1×1 PNG. */
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const FAMILY = '👨‍👩‍👧'; // one grapheme, five code points

describe.skipIf(!hasChromium && !inCi)('the content workflow in Chromium, published to a local AT Protocol network', { timeout: 90_000 }, () => {
  let server: E2eServer | undefined;
  let network: LocalNetwork | undefined;
  let base: string;
  const contexts: BrowserContext[] = [];
  let submitter: Staff;
  let director: Staff;
  let comms: Staff;
  let accountId = '';
  let cityDid = '';
  let draftPath = '';
  let submitterPage: Page;
  let commsPage: Page;

  /** A browser context of its own per person. */
  async function signedIn(who: Staff, options: { width?: number } = {}): Promise<Page> {
    const context = await server!.browser.newContext({ baseURL: base, viewport: { width: options.width ?? 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await enrolAndSignIn(page, base, who);
    return page;
  }

  /** Messages the local SMTP server received: envelope recipients and subject. */
  const inbox: Array<{ to: string[]; subject: string; body: string }> = [];
  let smtp: SMTPServer | undefined;
  let mailer: Mailer | undefined;
  /** Sends the outbox (as the mail.send job does) and waits until `to` has a message matching `subject`. */
  async function mailTo(to: string, subject: RegExp): Promise<{ subject: string; body: string }> {
    await sendPendingMail(server!.database.db, mailer!, { now: new Date(Date.now() + 1000) });
    const found = inbox.find((m) => m.to.includes(to) && subject.test(m.subject));
    if (!found) throw new Error(`no e-mail to ${to} matching ${subject}; received: ${JSON.stringify(inbox.map((m) => [m.to, m.subject]))}`);
    return found;
  }

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const folded = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '';
          const subject = decodeHeader(folded);
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), subject, body: raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp!.listen(0, '127.0.0.1', () => resolve()));
    mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, from: 'CivicDesk <no-reply@localhost>' });
    [network, server] = await Promise.all([startLocalNetwork(), startE2e({ archive: true, vault: true })]);
    base = server.base;
    submitter = server.staffWithRole('content_submitter');
    director = server.staffWithRole('department_director');
    comms = server.staffWithRole('communications_manager');
    const itDirector = server.staffWithRole('it_director');
    const db = server.database.db;
    const orgId = server.city.orgId;

    // A draft belongs to its author's department, and the Director approves for their own
    // department only. The demo seed puts both in Parks and Recreation; make sure of it.
    const departmentOf = async (email: string) => (await db.selectFrom('users').select('department_id').where('email', '=', email).executeTakeFirstOrThrow()).department_id;
    const parks = await departmentOf(director.email);
    expect(parks).not.toBeNull();
    expect(await departmentOf(submitter.email)).toBe(parks);

    const city = await network.createAccount('kalispell.test');
    cityDid = city.did;
    accountId = await insertTestAccount(db, orgId, { platform: 'bluesky', handle: city.handle, status: 'active', department_id: parks });
    await connectAccount(await staffContext(db, orgId, itDirector.email), server.vault!, {
      accountId, credentials: { service: network.pdsUrl, identifier: city.handle, appPassword: city.password, plc: network.plcUrl, appView: false },
    });
    await db.insertInto('incidents').values({
      id: randomUUID(), org_id: orgId, kind: 'vandalism', account_id: accountId, status: 'open', lead_id: null, resolved_at: null,
      summary: 'A post CivicDesk did not publish: "Free crypto giveaway! Send 1 BTC to claim 2."', platform_id: `at://${city.did}/app.bsky.feed.post/3kxyz`,
      opened_at: new Date().toISOString(),
    }).execute();
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    mailer?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await server?.close();
    await network?.close();
  });

  it('has the Content Submitter write a post: the live check blocks an SSN, Submit is refused citing the rule; fixed, it is submitted', async () => {
    commsPage = await signedIn(comms);
    const page = await signedIn(submitter);
    submitterPage = page;
    expect(await navLabels(page)).toEqual(['Dashboard', 'Content', 'Report a comment', 'Requests', 'Records requests', 'Roles', 'Policy']);
    await clickNav(page, 'Content');
    await page.waitForURL(`${base}/content`);
    await settled(page);
    expect(await heading(page)).toBe('Content');
    expect(await page.getByTestId('drafts-mine').textContent()).toContain('You have no drafts in progress.');
    // Not a publisher: no switch, and publishing is not paused.
    expect(await page.getByTestId('publishing-switch').count()).toBe(0);
    await expectAccessible(page, 'content (submitter, empty)');

    await page.getByRole('link', { name: 'Write a post' }).click();
    await page.waitForURL(`${base}/content/new`);
    await settled(page);
    expect(await heading(page)).toBe('Write a post');
    await page.locator(`label[for="draft-accounts-${accountId}"]`).click();
    expect(await page.locator(`#draft-accounts-${accountId}`).isChecked()).toBe(true);
    expect(await page.getByLabel('Page on the city website with the same content (website first)').count()).toBe(1);

    // Bluesky counts graphemes: a family emoji is one character.
    const text = page.getByLabel('Post text');
    await text.fill(FAMILY);
    const blueskyCount = page.locator('#draft-text-counts li[data-platform=bluesky]');
    expect(await blueskyCount.textContent()).toBe('Bluesky: 1 of 300 characters');

    // The live check: an SSN blocks, with the clause, the offending text and the policy ids.
    await text.fill(SSN_TEXT);
    expect(await blueskyCount.getAttribute('data-count')).toBe(String(SSN_TEXT.length));
    const ssn = page.getByTestId('live-check').locator('[data-testid=findings-block] li[data-finding="personal-data.ssn"]');
    await ssn.waitFor();
    const ssnClause = (await ssn.getByTestId('finding-clause').textContent()) ?? '';
    expect(ssnClause).toContain('social security numbers');
    expect(await ssn.getByTestId('finding-excerpt').textContent()).toContain('123-45-6789');
    expect(await ssn.locator('.sources__tag').allTextContents()).toContain('KA-15');
    expect(await page.getByTestId('check-summary').textContent()).toMatch(/blocks? submission/);
    expect(await page.getByTestId('check-inline').textContent()).toMatch(/^Policy check: 1 blocks submission/);
    await expectAccessible(page, 'compose with findings');
    await screenshot(page, 'content-compose-findings');

    // Submit saves, then is refused: the error summary names the rule, quotes the clause and the text.
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    const refusal = (await summary.textContent()) ?? '';
    expect(refusal).toContain('cannot be submitted');
    expect(refusal).toContain('Post text:');
    expect(refusal).toContain('Policy: "');
    expect(refusal).toContain('Offending text: "123-45-6789"');
    expect(refusal).toContain('KA-15');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    // Saved as a draft: the address names it, and the form kept what was typed.
    await page.waitForURL(/\/content\/[^/]+\/edit$/);
    draftPath = new URL(page.url()).pathname.replace(/\/edit$/, '');
    expect(await text.inputValue()).toBe(SSN_TEXT);
    await expectAccessible(page, 'compose, submit refused');
    await screenshot(page, 'content-compose-refused');

    // Fixed: the block goes away; the phone number needs the approver's acknowledgement.
    await text.fill(FIXED_TEXT);
    await page.waitForFunction(() => document.querySelector('[data-testid=check-state]')?.textContent === 'Up to date.');
    const check = page.getByTestId('live-check');
    expect(await check.locator('[data-testid=findings-block]').count()).toBe(0);
    await check.locator('[data-testid=findings-acknowledge] li[data-finding="personal-data.phone"]').waitFor();

    // An image is uploaded as it is chosen; saving without its alt text is refused.
    await page.getByLabel(/^Add an image/).setInputFiles({ name: 'pool.png', mimeType: 'image/png', buffer: PIXEL });
    const alt = page.getByLabel('Alt text for pool.png');
    await alt.waitFor();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.locator('.error-summary', { hasText: 'Alt text for pool.png' }).waitFor();
    expect(await alt.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'compose, image without alt text');
    await alt.fill(ALT);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved. Submit it for approval when it is ready.').waitFor();
    expect(await page.locator('.error-summary').count()).toBe(0);
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.waitForURL(`${base}${draftPath}`);
    await settled(page);
    await page.getByRole('heading', { name: 'Submitted for approval' }).waitFor();
    expect(await page.getByTestId('draft-text').textContent()).toBe(FIXED_TEXT);
    expect(await page.getByTestId('draft-facts').textContent()).toContain(ALT);
    expect(await page.getByTestId('awaiting').textContent()).toContain('Department Director (step 1 of 2)');
    const steps = page.getByTestId('draft-steps').locator('li');
    expect(await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['awaiting', 'waiting']);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await expectAccessible(page, 'post submitted');
    await screenshot(page, 'content-submitted');
    // The Department Director is e-mailed that it awaits their decision (and only they, of the staff).
    const mail = await mailTo(director.email, /awaits your decision/);
    expect(mail.body).toContain('/content/');
    expect(inbox.some((m) => m.to.includes(comms.email))).toBe(false);
  });

  it('has the Department Director find it in "Waiting for your decision" and approve step 1', async () => {
    const page = await signedIn(director);
    await clickNav(page, 'Content');
    await page.waitForURL(`${base}/content`);
    await settled(page);
    const waiting = page.getByTestId('drafts-awaiting');
    // The queue's rows arrive with its data; wait for them before counting (flaked under load).
    await waiting.locator('tbody tr').first().waitFor();
    expect(await waiting.locator('tbody tr').count()).toBe(1);
    expect(await waiting.textContent()).toContain(submitter.displayName);
    await expectAccessible(page, 'content (director, waiting)');
    await waiting.getByRole('link').click();
    await page.waitForURL(`${base}${draftPath}`);
    await settled(page);
    const decision = page.getByTestId('decision');
    expect(await decision.locator('h2').textContent()).toBe('Your decision as Department Director');
    // The discussion: the author is told of an approver's comment.
    await page.getByLabel('Add a comment').fill('Checked the opening date with the pool staff.');
    await page.getByRole('button', { name: 'Add the comment' }).click();
    await page.getByText('Your comment was added.').waitFor();
    await page.getByTestId('comments').getByText('Checked the opening date with the pool staff.').waitFor();
    await expectAccessible(page, 'post awaiting the director');
    // Approving needs every acknowledgement.
    await page.getByRole('button', { name: 'Approve' }).click();
    await decision.locator('.error-summary', { hasText: 'Acknowledge: ' }).waitFor();
    expect(await decision.locator('input[name=acknowledged]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toContain('personal-data.phone');
    await approve(page);
    await page.getByText('You approved step 1. The Communications Manager has been told it is their turn.').waitFor();
    const steps = page.getByTestId('draft-steps').locator('li');
    await page.waitForFunction(() => document.querySelector('[data-testid=draft-steps] li')?.getAttribute('data-state') === 'approved');
    expect(await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['approved', 'awaiting']);
    expect(await steps.first().getByTestId('step-decision').textContent()).toContain(`Approved by ${director.displayName}`);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    // Now the Communications Manager gets the e-mail; the author was told of the comment too.
    await mailTo(comms.email, /awaits your decision/);
    await mailTo(submitter.email, /commented on your post/);
  });

  it('has the Communications Manager approve the last step: the post is on the network and linked', async () => {
    const page = commsPage;
    await clickNav(page, 'Content');
    await page.waitForURL(`${base}/content`);
    await settled(page);
    expect(await page.getByTestId('publishing-state').textContent()).toContain('On.');
    await expectAccessible(page, 'content (communications manager)');
    await screenshot(page, 'content-queue');
    await page.getByTestId('drafts-awaiting').getByRole('link').click();
    await page.waitForURL(`${base}${draftPath}`);
    await settled(page);
    await page.getByLabel(/^Comment/).fill('Good to go.');
    await expectAccessible(page, 'decision form');
    await approve(page);

    const outcomes = page.getByTestId('publish-outcomes');
    await outcomes.waitFor();
    expect(await outcomes.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['published']);
    await page.getByTestId('draft-status').filter({ hasText: /^Published$/ }).waitFor();
    const publication = page.locator(`[data-testid=publications] tr[data-account="${accountId}"]`);
    expect(await publication.getAttribute('data-status')).toBe('published');
    const href = (await publication.getByTestId('publication-link').getAttribute('href')) ?? '';
    expect(href).toMatch(new RegExp(`^https://bsky\\.app/profile/${cityDid.replace(/[.:]/g, '\\$&')}/post/[a-z0-9]+$`));

    // Really there: the city's repository on the local PDS holds the post, once.
    const list = await fetch(`${network!.pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${encodeURIComponent(cityDid)}&collection=app.bsky.feed.post`);
    expect(list.status).toBe(200);
    const records = ((await list.json()) as { records: Array<{ uri: string; value: { text: string; embed?: { images?: Array<{ alt: string }> } } }> }).records;
    expect(records.filter((r) => r.value.text === FIXED_TEXT)).toHaveLength(1);
    expect(records[0]!.value.embed?.images?.map((i) => i.alt)).toEqual([ALT]);
    expect(href.endsWith(records[0]!.uri.split('/').pop()!)).toBe(true);
    await expectAccessible(page, 'post published');
    await screenshot(page, 'content-published');

    // The queue lists it as published; the switch pauses only with a reason, and resumes.
    await page.goto('/content');
    await settled(page);
    expect(await page.getByTestId('drafts-published').textContent()).toContain(FIXED_TEXT.slice(0, 30));
    await page.getByRole('button', { name: 'Pause all publishing' }).click();
    await page.locator('#pause-reason-error').waitFor();
    await page.getByLabel('Reason for pausing').fill('Checking a suspicious login on the Bluesky account');
    await page.getByRole('button', { name: 'Pause all publishing' }).click();
    await page.getByText('Publishing is paused for the whole city.').waitFor();
    expect(await page.getByTestId('publishing-state').textContent()).toContain('Checking a suspicious login');
    await expectAccessible(page, 'content (publishing paused)');
    await page.getByRole('button', { name: 'Resume publishing' }).click();
    await page.getByText('Publishing is resumed.').waitFor();
  });

  it('shows the just-published post on today in the content calendar', async () => {
    const page = commsPage;
    await page.goto('/content');
    await settled(page);
    await page.getByRole('link', { name: 'Calendar', exact: true }).click();
    await page.waitForURL(`${base}/content/calendar`);
    await settled(page);
    expect(await heading(page)).toBe('Content calendar');
    const post = page.locator('[data-testid=calendar-grid] td[aria-current=date]').getByRole('link', { name: FIXED_TEXT.slice(0, 30) });
    expect(await post.getAttribute('href')).toBe(draftPath);
    expect(await page.locator('[data-testid=calendar-grid] td[aria-current=date]').textContent()).toContain('Published');
    await expectAccessible(page, 'content calendar');
    await screenshot(page, 'content-calendar');
  });

  it('lists incidents with a link to the account', async () => {
    const page = commsPage;
    await clickNav(page, 'Incidents');
    await page.waitForURL(`${base}/incidents`);
    await settled(page);
    expect(await heading(page)).toBe('Incidents');
    const row = page.getByTestId('incidents').locator('tbody tr[data-kind=vandalism]');
    expect(await row.textContent()).toContain('Free crypto giveaway');
    expect(await row.getByRole('link').getAttribute('href')).toBe(`/accounts/${accountId}`);
    // Kalispell's policy names nobody who leads an emergency: templates could not be used, and the page says so.
    await page.getByTestId('templates').getByTestId('no-leads').waitFor();
    await expectAccessible(page, 'incidents');
    await screenshot(page, 'incidents');
  });

  it('fits a 375 px phone: compose with findings', async () => {
    const phone = await server!.browser.newContext({
      baseURL: base, viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      storageState: await submitterPage.context().storageState(),
    });
    contexts.push(phone);
    const mobile = await phone.newPage();
    await mobile.goto('/content/new');
    await settled(mobile);
    await mobile.getByLabel('Post text').fill(SSN_TEXT);
    await mobile.getByTestId('live-check').locator('[data-testid=findings-block]').waitFor();
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectAccessible(mobile, 'compose (mobile)');
    await screenshot(mobile, 'content-compose-mobile');
  });
});

/** Ticks every acknowledgement the decision form asks for, then approves. */
async function approve(page: Page): Promise<void> {
  const acks = page.getByTestId('decision').locator('input[name=acknowledged]');
  for (const id of await acks.evaluateAll((els) => els.map((e) => e.id))) await page.locator(`label[for="${id}"]`).click();
  await page.getByRole('button', { name: 'Approve' }).click();
}
