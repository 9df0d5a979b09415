// End-to-end for public records requests (issue 8: KA-14, BZ-13), in Chromium against the real
// server with the archive on. Kalispell (the demo city) has a Bluesky thread in its archive about
// the Lone Pine trail closure. The Employee forwards a resident's request to the City Clerk
// (KA-14); the Clerk sees it on the dashboard with its due date and the business days left, opens
// it, acknowledges it (the letter shows, with the fee), searches the archive (the result list is
// frozen), includes two comments and excludes an advert with a reason, redacts a name (typed) and
// a phone number (selected in the text) under an exemption, produces the package, downloads it
// (a ZIP with the WACZ, records.pdf, records.csv and the proofs, the redacted words in none of its
// files), reads records.pdf in the browser through pdf.js, and closes the request. axe-core checks
// the dashboard, the request page and the PDF view (0 violations); screenshots land in test-results/.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capture } from '../../src/archive/capture.js';
import { readable } from '../../src/testing/zip.js';
import type { RecordInput } from '../../src/archive/record.js';
import { cityDate, deadlineState, dueOn } from '../../src/records/clock.js';
import {
  clickNav, enrolAndSignIn, expectAccessible, hasChromium, heading, inCi, screenshot, settled, startE2e, warnIfNoChromium,
  type E2eServer,
} from './helpers.js';

warnIfNoChromium('records requests e2e');

const TZ = 'America/Denver';
const POST = 'at://did:plc:kalispellcity/app.bsky.feed.post/3klonepine';
const CITY = { id: 'did:plc:kalispellcity', handle: 'kalispell.gov', name: 'City of Kalispell' };
const REOPEN = 'Will the Lone Pine trail reopen before the fall races?';
const WITNESS = 'Call Dana Whitfield at 406-555-0142 about the Lone Pine trail bridge, she saw the damage.';
const ADVERT = 'Cheap Lone Pine trail passes at example.shop, today only!';
const SECRETS = ['Dana Whitfield', '406-555-0142'];
const REQUEST = { name: 'Avery Quinn', contact: 'avery.quinn@example.org', scope: 'All public comments on the city’s Lone Pine trail closure post on Bluesky.' };

const json = (o: unknown) => Buffer.from(JSON.stringify(o));

function records(): RecordInput[] {
  const inThread = { platform: 'bluesky', accountId: 'bluesky-kalispell', payloadType: 'application/json', threadId: POST } as const;
  const comment = (n: number, who: string, text: string): RecordInput => ({
    ...inThread, kind: 'comment', platformId: `at://did:plc:${who}/app.bsky.feed.post/3klp${n}`, platformVersion: `bafy-lp-${n}`, parentId: POST,
    author: { id: `did:plc:${who}`, handle: `${who}.bsky.social`, name: who.charAt(0).toUpperCase() + who.slice(1) },
    platformTimes: { created: new Date(Date.UTC(2026, 5, 3, 15, n)).toISOString() }, capturedAt: new Date(Date.UTC(2026, 5, 3, 15, n, 30)).toISOString(),
    text, payload: json({ n, text }),
  });
  return [
    {
      ...inThread, kind: 'post', platformId: POST, platformVersion: 'bafy-lp-post', author: CITY,
      platformTimes: { created: '2026-06-03T15:00:00.000Z' }, capturedAt: '2026-06-03T15:00:30.000Z',
      text: 'The Lone Pine trail closes Monday for bridge repairs. Detour maps are at the trailhead.', payload: json({ post: 1 }),
    },
    comment(1, 'jordan', REOPEN),
    comment(2, 'morgan', WITNESS),
    comment(3, 'deals', ADVERT),
  ];
}

describe.skipIf(!hasChromium && !inCi)('records requests in Chromium (forward, work, produce, read the PDF)', { timeout: 120_000 }, () => {
  let server: E2eServer | undefined;
  let productions: string;
  let staffContext: BrowserContext;
  let clerkContext: BrowserContext;
  let page: Page;
  let base: string;
  let number = '';
  const due = dueOn(new Date(), { days: 5, business: true }, TZ);
  const dueWords = new Date(`${due}T12:00:00Z`).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
  const candidate = (text: string) => page.getByTestId('candidate').filter({ hasText: text });

  beforeAll(async () => {
    // Packages go to a temporary folder, not the working directory's data/ (the server reads this at start).
    productions = mkdtempSync(join(tmpdir(), 'civicdesk-e2e-productions-'));
    process.env.CIVICDESK_PRODUCTIONS = productions;
    server = await startE2e({ archive: true });
    base = server.base;
    await capture(server.archive!, server.city.orgId, records());
    staffContext = await server.browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    // The Clerk works in the city's own time zone, as people in the office do.
    clerkContext = await server.browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 }, acceptDownloads: true, timezoneId: TZ });
    page = await clerkContext.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    delete process.env.CIVICDESK_PRODUCTIONS;
    if (productions) rmSync(productions, { recursive: true, force: true });
  });

  it('lets another staff member forward a request to the City Clerk (KA-14), after naming what is missing', async () => {
    const staff = await staffContext.newPage();
    await enrolAndSignIn(staff, base, server!.staffWithRole('employee'));
    await clickNav(staff, 'Records requests');
    await staff.waitForURL(`${base}/records`);
    await settled(staff);
    expect(await heading(staff)).toBe('Records requests');
    // Forwarding only: no deadlines or log, no intake.
    expect(await staff.getByRole('heading', { name: 'Requests and deadlines' }).count()).toBe(0);
    const form = staff.getByTestId('records-forward-form');
    expect(await form.getByRole('heading').first().textContent()).toBe('Forward a request to the City Clerk');
    expect(await form.textContent()).toContain('KA-14');

    await form.getByRole('button', { name: 'Forward to the City Clerk' }).click();
    const summary = staff.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.locator('li').count()).toBe(3);
    await expectAccessible(staff, 'records forwarding with errors');

    await staff.getByLabel('Requester’s name').fill(REQUEST.name);
    await staff.getByLabel('How to answer them').fill(REQUEST.contact);
    await staff.getByLabel('What they asked for').fill(REQUEST.scope);
    await form.getByRole('button', { name: 'Forward to the City Clerk' }).click();
    const done = staff.getByRole('heading', { name: /^Forwarded request R-\d{4}-0001$/ });
    await done.waitFor();
    number = ((await done.textContent()) ?? '').replace('Forwarded request ', '');
    expect(await staff.locator('.usa-alert--success').textContent()).toContain(`due by ${dueWords}`);
    await screenshot(staff, 'records-forwarded');

    // The request itself is the custodian's to work.
    const id = (await server!.database.db.selectFrom('records_requests').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
    await staff.goto(`/records/${id}`);
    await settled(staff);
    expect(await heading(staff)).toBe('Not available to you');
  });

  it('shows the Clerk the forwarded request with its due date and days left, and an overdue one first, in words', async () => {
    await enrolAndSignIn(page, base, server!.staffWithRole('city_clerk'));
    await clickNav(page, 'Records requests');
    await page.waitForURL(`${base}/records`);
    await settled(page);
    const row = page.getByTestId('deadlines').locator('tbody tr', { hasText: number });
    await row.waitFor();
    expect(await row.getByTestId('due-on').textContent()).toBe(dueWords);
    const left = deadlineState(due, new Date(), TZ).businessDaysLeft;
    expect(await row.getByTestId('days-left').textContent()).toBe(`${left} business ${left === 1 ? 'day' : 'days'} left`);
    expect(await row.textContent()).toContain(REQUEST.name);
    expect(await row.textContent()).toContain('Received');
    expect(await page.getByTestId('requests-log').locator('tbody tr', { hasText: number }).count()).toBe(1);
    expect(await page.getByTestId('records-clock').textContent()).toContain('5 business days under MCA 2-6-1006');

    // The Clerk takes in a request made to them two weeks ago: it is overdue, and goes to the top, said in words.
    const received = cityDate(new Date(Date.now() - 14 * 86_400_000), TZ);
    const late = deadlineState(dueOn(new Date(`${received}T18:00:00Z`), { days: 5, business: true }, TZ), new Date(), TZ);
    const overdue = `Overdue by ${-late.daysLeft} ${late.daysLeft === -1 ? 'day' : 'days'}`;
    const intake = page.getByTestId('records-intake-form');
    await intake.getByLabel('Requester’s name').fill('Sam Ortiz');
    await intake.getByLabel('How to answer them').fill('406-555-0100 (telephone)');
    await intake.getByLabel('What they asked for').fill('Messages to the city about the 2026 parade route.');
    await intake.getByLabel('Date the city received it').fill(received);
    await intake.getByRole('button', { name: 'Take in the request' }).click();
    await page.waitForURL(/\/records\/[0-9a-f-]{36}$/);
    await settled(page);
    expect(await heading(page)).toMatch(/^Records request R-\d{4}-0002$/);
    expect(await page.getByTestId('clock').getByTestId('days-left').textContent()).toBe(overdue);
    await page.getByRole('link', { name: 'Back to records requests' }).click();
    await settled(page);
    const first = page.getByTestId('deadlines').locator('tbody tr').first();
    await first.waitFor();
    expect(await first.textContent()).toContain('Sam Ortiz');
    expect(await first.getByTestId('days-left').textContent()).toBe(overdue);
    expect(await page.getByTestId('deadlines').locator('tbody tr').count()).toBe(2);
    await expectAccessible(page, 'records dashboard');
    await screenshot(page, 'records-dashboard');
  });

  it('acknowledges with a fee estimate, searches the archive, and reviews each record with a reason', async () => {
    await page.getByTestId('deadlines').getByRole('link', { name: number }).click();
    await settled(page);
    expect(await heading(page)).toBe(`Records request ${number}`);
    expect(await page.getByTestId('request-facts').textContent()).toContain('Forwarded by Demo Employee');
    expect(await page.getByTestId('clock').getByTestId('due-on').textContent()).toBe(dueWords);
    expect(await page.getByTestId('clock').textContent()).toContain('MCA 2-6-1006(2)');

    await page.getByLabel('Fee estimate (dollars)').fill('12.50');
    await page.getByRole('button', { name: 'Acknowledge and write the letter' }).click();
    const letter = page.getByTestId('letter-acknowledgement');
    await letter.waitFor();
    expect(await letter.locator('pre').textContent()).toMatch(new RegExp(`Dear ${REQUEST.name},[\\s\\S]*\\$12\\.50[\\s\\S]*${number}`));
    const [download] = await Promise.all([page.waitForEvent('download'), letter.getByRole('link', { name: /^Download the acknowledgement letter/ }).click()]);
    expect(download.suggestedFilename()).toBe(`${number}-acknowledgement.txt`);
    expect(readFileSync(await download.path(), 'utf8')).toContain(`Dear ${REQUEST.name},`);
    await expect.poll(() => page.getByTestId('request-status').textContent()).toBe('Acknowledged');
    expect(await page.getByTestId('fee-estimate').textContent()).toBe('$12.50');

    await page.getByLabel('Words', { exact: true }).fill('Lone Pine');
    await page.getByLabel('Kind').selectOption('comment');
    await page.getByRole('button', { name: 'Search and freeze the results' }).click();
    await page.getByText('3 records found').first().waitFor();
    expect(await page.getByTestId('candidate').count()).toBe(3);
    expect(await page.getByTestId('searches').locator('tbody tr').first().textContent()).toContain('words “Lone Pine”, kind comment3 records');
    expect(await page.getByTestId('produce-readiness').textContent()).toBe('3 records still need a decision before the package can be produced.');

    // Excluding needs a reason.
    const advert = candidate(ADVERT);
    await advert.getByText('Exclude: not responsive, or withheld by law').click();
    await advert.getByRole('button', { name: /^Record the decision/ }).click();
    await advert.locator('.error-summary').waitFor();
    expect(await advert.locator('.error-summary').textContent()).toContain('Reason: say why');
    await advert.getByRole('form', { name: /^Decision on/ }).getByLabel('Reason', { exact: true }).fill('An advertisement: not a comment on the closure.');
    await advert.getByRole('button', { name: /^Record the decision/ }).click();
    await expect.poll(() => advert.getByTestId('decision').textContent()).toBe('Excluded: not responsive');
    for (const text of [REOPEN, WITNESS]) {
      const item = candidate(text);
      await item.getByText('Include: produce it').click();
      await item.getByRole('form', { name: /^Decision on/ }).getByLabel('Reason', { exact: true }).fill('Responsive: a comment on the closure post.');
      await item.getByRole('button', { name: /^Record the decision/ }).click();
      await expect.poll(() => item.getByTestId('decision').textContent()).toBe('Included');
    }
    expect(await page.getByTestId('review-counts').textContent()).toContain('2 included, 1 excluded, 0 still to decide');
  });

  it('redacts a typed name and a selected phone number under an exemption, leaving the original as it was', async () => {
    const witness = candidate(WITNESS);
    // Without a pointer: type the words.
    await witness.locator('summary', { hasText: 'Redact a passage' }).click();
    await witness.getByLabel('Words to redact').fill(SECRETS[0]!);
    expect(await witness.getByTestId('redact-preview').textContent()).toContain(`Will redact characters 6–19`);
    await witness.getByLabel('Exemption').selectOption('third-party-private');
    expect(await witness.locator('.usa-hint', { hasText: 'Mont. Const. art. II' }).count()).toBe(1);
    await witness.getByRole('form', { name: /^Redact a passage/ }).getByLabel('Reason', { exact: true }).fill('A private person named by a commenter.');
    await witness.getByRole('button', { name: 'Redact this passage' }).click();
    await expect.poll(() => witness.locator('mark.civic-redaction').allTextContents()).toEqual([SECRETS[0]]);

    // With the mouse: select the number in the text; the form fills itself in.
    await witness.getByTestId('candidate-text').evaluate((el, phone) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(phone) ?? -1;
        if (at >= 0) return void document.getSelection()?.setBaseAndExtent(node, at, node, at + phone.length);
      }
      throw new Error('phone number not in the text');
    }, SECRETS[1]!);
    await expect.poll(() => witness.getByLabel('Words to redact').inputValue()).toBe(SECRETS[1]);
    await witness.getByLabel('Exemption').selectOption('third-party-private');
    await witness.getByRole('form', { name: /^Redact a passage/ }).getByLabel('Reason', { exact: true }).fill('A private person’s telephone number.');
    await witness.getByRole('button', { name: 'Redact this passage' }).click();
    await expect.poll(() => witness.locator('mark.civic-redaction').allTextContents()).toEqual(SECRETS);
    // The original text is shown whole, with the passages marked, and the page says it is not changed.
    expect(await witness.getByTestId('candidate-text').textContent()).toBe(WITNESS);
    expect(await witness.textContent()).toContain('The archived original is never changed');
    expect(await witness.getByTestId('redactions').textContent()).toContain('[third-party-private], Mont. Const. art. II');
    await expectAccessible(page, 'records request under review');
    await screenshot(page, 'records-request-review');
  });

  it('produces the package, showing the wait, then its size, SHA-256 and counts; the ZIP holds no redacted word', async () => {
    expect(await page.getByTestId('produce-readiness').textContent()).toBe('Ready: 2 records will be produced, redacted copies in place of the originals.');
    // Hold the answer back so the wait state can be seen, as it is on a large request.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => { release = r; });
    await page.route('**/produce', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Produce the package' }).click();
    await page.getByTestId('produce-progress').getByText('Building the package').waitFor();
    expect(await page.getByRole('button', { name: 'Producing…' }).isDisabled()).toBe(true);
    release();
    const card = page.getByTestId('production');
    await card.waitFor({ timeout: 60_000 });
    await page.unroute('**/produce');
    expect(await page.getByTestId('records-status').textContent()).toContain('Produced the package: 2 records');
    expect(await page.getByTestId('request-status').textContent()).toBe('Produced, partly withheld');
    const sha = ((await card.getByTestId('production-sha256').textContent()) ?? '').trim();
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(await card.getByTestId('production-records').textContent()).toBe('2 produced, 1 of them redacted copies');
    expect(await card.getByTestId('production-size').textContent()).toMatch(/^\d+(\.\d)? (KB|MB|bytes)$/);

    const [download] = await Promise.all([page.waitForEvent('download'), card.getByTestId('download-zip').click()]);
    const zip = readFileSync(await download.path());
    expect(createHash('sha256').update(zip).digest('hex')).toBe(sha);
    const files = await readable(zip);
    const names = [...files.keys()].filter((n) => !n.includes('!') && !n.includes('#'));
    expect(names.some((n) => n.endsWith('.wacz'))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['records.pdf', 'records.csv', 'cover-letter.txt', 'MANIFEST.txt']));
    expect(names.filter((n) => n.startsWith('proof/')).length).toBeGreaterThan(0);
    const all = [...files.values()].map((b) => b.toString('latin1')).join('\n');
    // The checks read the text: the records and the markers are there, so the words would be found if present.
    expect(files.get('records.csv')?.toString('utf8')).toContain(REOPEN);
    expect(files.get('records.csv')?.toString('utf8')).toContain('[REDACTED: third-party-private] at [REDACTED: third-party-private]');
    expect(files.get('records.pdf#streams')?.toString('latin1')).toContain('REDACTED');
    for (const secret of SECRETS) {
      const holding = [...files].filter(([, b]) => b.toString('latin1').includes(secret)).map(([n]) => n);
      expect(holding, `files holding “${secret}”`).toEqual([]);
    }
    expect(all).not.toContain(ADVERT);

    // The partial denial names the exemption and its law.
    await page.getByTestId('letter-details-denial').locator('summary').click();
    const denial = page.getByTestId('letter-denial');
    await denial.waitFor();
    expect(await denial.textContent()).toMatch(/\[third-party-private\]: Mont\. Const\. art\. II.*\(2 passage\(s\) redacted\)/);
    await expectAccessible(page, 'records request produced');
    await screenshot(page, 'records-request-produced');
  });

  it('shows records.pdf in the browser, with the records and the redaction markers but not the redacted words', async () => {
    await page.getByRole('link', { name: /^View the PDF/ }).click();
    await page.waitForURL(/\/records\/[^/]+\/productions\/[^/]+\/pdf$/);
    await settled(page);
    expect(await heading(page)).toBe(`The PDF of request ${number}`);
    await page.getByTestId('pdf-page-text').first().waitFor({ timeout: 30_000 });
    const count = page.getByTestId('pdf-count');
    const pages = Number((/all (\d+) page/.exec((await count.textContent()) ?? '') ?? [])[1]);
    expect(pages).toBeGreaterThan(1);
    await expect.poll(() => page.getByTestId('pdf-page-text').count()).toBe(pages);
    const text = (await page.getByTestId('pdf-page-text').allTextContents()).join('\n');
    expect(text).toContain(REOPEN);
    expect(text).toContain('[REDACTED');
    expect(text).toContain(`Records request ${number}`);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    // Each page is drawn, not left blank.
    const first = page.getByTestId('pdf-canvas').first();
    await expect.poll(() => first.getAttribute('data-drawn')).toBe('true');
    const inked = await first.evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 128 && data[i + 3]! > 0) dark++;
      return dark;
    });
    expect(inked).toBeGreaterThan(500);
    await expectAccessible(page, 'records PDF view');
    await screenshot(page, 'records-pdf');

    // The file itself: a PDF for the Clerk, refused to a staff member who may only forward requests.
    const href = (await page.getByRole('link', { name: 'Download records.pdf' }).getAttribute('href')) ?? '';
    const pdf = await page.request.get(href);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await staffContext.request.get(href)).status()).toBe(403);
  });

  it('closes the request; it leaves the deadlines and stays in the log', async () => {
    await page.getByRole('link', { name: 'Back to the request' }).click();
    await settled(page);
    await page.locator('summary', { hasText: 'Close the request' }).click();
    await page.getByRole('form', { name: 'Close the request' }).getByRole('button', { name: 'Close the request' }).click();
    await expect.poll(() => page.getByTestId('request-status').textContent()).toBe('Closed');
    await page.getByRole('link', { name: 'Back to records requests' }).click();
    await settled(page);
    await page.getByTestId('deadlines').locator('tbody tr', { hasText: 'Sam Ortiz' }).waitFor();
    expect(await page.getByTestId('deadlines').locator('tbody tr', { hasText: number }).count()).toBe(0);
    await page.getByLabel('Status', { exact: true }).selectOption('closed');
    await expect.poll(() => page.getByTestId('requests-log').locator('tbody tr', { hasText: number }).count()).toBe(1);
  });
});
