// End-to-end, in Chromium against the real server: staff who may only report a comment (Kalispell's
// Employee: comment.report, no comment.view; KA-2, KA-10).
//
// Comments on the demo city's Bluesky account are captured with capture() + enqueueComments() (no
// network: reporting never touches the platform). The Employee opens "Report a comment" from the
// navigation (there is no Moderation link for them), reads who reports go to and that they cannot
// hide or remove anything, sees the comments without the classifier's labels, finds one by its
// bsky.app link, is refused without a reason, reports it with a reason and a clause and sees it
// marked reported; /moderation stays closed to them. The Communications Manager is notified, and
// the comment's page shows it flagged with the report (who, clause, reason) in its history.
// axe-core finds no violation on the new page, with the form open and with its error.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestAccount } from '../../src/accounts/fixtures.js';
import { capture } from '../../src/archive/capture.js';
import type { RecordInput } from '../../src/archive/record.js';
import { commentRecord, POST } from '../../src/moderation/moderation.fixtures.js';
import { enqueueComments } from '../../src/moderation/queue.js';
import {
  clickNav, enrolAndSignIn, expectAccessible, hasChromium, heading, inCi, navLabels, screenshot, settled, startE2e, warnIfNoChromium,
  type E2eServer, type Staff,
} from './helpers.js';

warnIfNoChromium('moderation report e2e');

const SPAM = 'BUY CHEAP FOLLOWERS at cheap-followers.example.com, promo code CITY50!!!';
const QUESTION = 'When does the splash pad open on Saturdays?';
const OFF_TOPIC = 'My neighbour on 5th Avenue keeps parking his truck on the sidewalk, someone should tow it.';
const REASON = 'Off topic: a complaint about a neighbour, nothing to do with the splash pad.';

describe.skipIf(!hasChromium && !inCi)('report a comment (staff who may only report) in Chromium', { timeout: 90_000 }, () => {
  let server: E2eServer | undefined;
  const contexts: BrowserContext[] = [];
  const items: Record<'spam' | 'question' | 'offTopic', { id: string; uri: string; author: string }> = {
    spam: { id: '', uri: '', author: '' }, question: { id: '', uri: '', author: '' }, offTopic: { id: '', uri: '', author: '' },
  };

  async function signedIn(who: Staff): Promise<Page> {
    const context = await server!.browser.newContext({ baseURL: server!.base, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await enrolAndSignIn(page, server!.base, who);
    return page;
  }

  beforeAll(async () => {
    server = await startE2e({ archive: true, vault: true });
    const db = server.database.db;
    const orgId = server.city.orgId;
    const accountId = await insertTestAccount(db, orgId, { platform: 'bluesky', handle: 'kalispell.test', status: 'active' });
    const post: RecordInput = {
      kind: 'post', platform: 'bluesky', accountId, platformId: POST, platformVersion: 'p1', threadId: POST, text: 'The splash pad at Woodland Park opens Monday.',
      payload: Buffer.from('{"post":1}'), payloadType: 'application/json',
    };
    // Oldest first: the list shows the newest first.
    const comments = (['offTopic', 'question', 'spam'] as const).map((key, i) => ({ key, record: commentRecord(accountId, { text: { spam: SPAM, question: QUESTION, offTopic: OFF_TOPIC }[key], author: i + 1 }) }));
    for (const records of [[post], ...comments.map((c) => [c.record])]) {
      await enqueueComments(db, orgId, records, await capture(server.archive!, orgId, records));
    }
    for (const { key, record } of comments) {
      const row = await db.selectFrom('moderation_items').select(['id', 'author_handle']).where('platform_id', '=', record.platformId!).executeTakeFirstOrThrow();
      items[key] = { id: row.id, uri: record.platformId!, author: row.author_handle! };
    }
    const states = await db.selectFrom('moderation_items').select(['id', 'state']).where('org_id', '=', orgId).execute();
    expect(states.find((s) => s.id === items.offTopic.id)?.state).toBe('new');
    expect(states.find((s) => s.id === items.spam.id)?.state).toBe('flagged');
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await server?.close();
  });

  it('has the Employee report a comment found by its link, with a reason; /moderation stays closed to them', async () => {
    const page = await signedIn(server!.staffWithRole('employee'));
    const labels = await navLabels(page);
    expect(labels).toContain('Report a comment');
    expect(labels).not.toContain('Moderation');
    await clickNav(page, 'Report a comment');
    await page.waitForURL(`${server!.base}/report-comment`);
    await settled(page);
    expect(await heading(page)).toBe('Report a comment');
    // Who decides (the pack's reportTo, KA-10), and what they cannot do.
    const to = (await page.getByTestId('report-to').textContent()) ?? '';
    expect(to).toContain('the Communications Manager, the City Manager or the City Attorney');
    expect(to).toContain('KA-10');
    expect(await page.getByTestId('report-limits').textContent()).toContain('You cannot hide, remove or answer comments yourself');
    // Newest first, as the public sees them: no labels, evidence or state.
    const rows = page.locator('[data-testid=reportable] > li');
    expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-item')))).toEqual([items.spam.id, items.question.id, items.offTopic.id]);
    expect(await page.getByTestId('reportable-text').allTextContents()).toEqual([SPAM, QUESTION, OFF_TOPIC]);
    expect(await page.locator('main [data-testid=labels], main [data-testid=evidence], main [data-testid=viewpoint-tag]').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toMatch(/Flagged|Commercial/);
    await expectAccessible(page, 'report a comment');
    await screenshot(page, 'moderation-report');

    // Found by the link copied from Bluesky (the author's handle in it).
    const rkey = items.offTopic.uri.split('/').pop()!;
    await page.getByLabel('Link to the comment').fill(`https://bsky.app/profile/${items.offTopic.author}/post/${rkey}`);
    await page.getByRole('button', { name: 'Find the comment' }).click();
    await page.waitForURL(/\/report-comment\?link=/);
    await page.getByRole('heading', { name: 'The comment at that link' }).waitFor();
    // The previous list stays until the answer arrives.
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-item')).toBe(items.offTopic.id);

    const card = page.locator(`[data-item="${items.offTopic.id}"]`);
    await card.getByRole('button', { name: /^Report this comment/ }).click();
    // Focus moves to the form; without a reason the server's message is tied to the field.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('report-form-heading');
    await card.getByRole('button', { name: 'Send the report' }).click();
    await page.locator('.error-summary', { hasText: 'Why you are reporting it: at least 10 characters' }).waitFor();
    expect(await page.getByLabel('Why you are reporting it').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'report a comment, reason missing');
    await page.getByLabel('Why you are reporting it').fill(REASON);
    await page.getByLabel('Clause of the Acceptable Use Policy it may break').selectOption('aup-2');
    await card.getByRole('button', { name: 'Send the report' }).click();
    await page.getByText('You reported the comment. The Communications Manager, the City Manager or the City Attorney have been told').waitFor();
    await card.getByTestId('reported').filter({ hasText: 'Reported by you' }).waitFor();
    expect(await card.getAttribute('data-reported')).toBe('true');
    expect(await card.getByRole('button', { name: /Report/ }).count()).toBe(0);
    await expectAccessible(page, 'report a comment, reported');
    await screenshot(page, 'moderation-report-done');

    // Back to the recent comments: still marked reported.
    await page.getByRole('button', { name: 'Show recent comments' }).click();
    await page.getByRole('heading', { name: 'Recent comments on the city\'s accounts' }).waitFor();
    await expect.poll(() => rows.count()).toBe(3);
    await page.locator(`[data-item="${items.offTopic.id}"] [data-testid=reported]`).waitFor();
    expect(await page.locator(`[data-item="${items.question.id}"] [data-testid=reported]`).count()).toBe(0);

    await page.goto('/moderation');
    await settled(page);
    expect(await heading(page)).toBe('Not available to you');
    await page.goto(`/moderation/${items.offTopic.id}`);
    await settled(page);
    expect(await heading(page)).toBe('Not available to you');
  });

  it('has the Communications Manager told of the report, and see it on the comment\'s page: flagged, with who, clause and reason', async () => {
    const page = await signedIn(server!.staffWithRole('communications_manager'));
    const labels = await navLabels(page);
    expect(labels).toContain('Moderation');
    expect(labels).not.toContain('Report a comment');
    await page.goto('/notifications');
    await settled(page);
    const note = page.getByTestId('notifications').locator('li', { hasText: 'reported a comment (clause aup-2)' });
    await note.getByRole('link').first().click();
    await page.waitForURL(`${server!.base}/moderation/${items.offTopic.id}`);
    await settled(page);
    expect(await page.getByTestId('item-text').textContent()).toBe(OFF_TOPIC);
    expect(await page.getByTestId('item-state').textContent()).toBe('Flagged');
    const report = page.getByTestId('history').locator('tbody tr[data-action=report]');
    expect(await report.count()).toBe(1);
    const cells = (await report.locator('th, td').allTextContents()).join(' | ');
    expect(cells).toContain(server!.staffWithRole('employee').displayName);
    expect(cells).toContain('aup-2');
    expect(cells).toContain(REASON);
    await expectAccessible(page, 'comment detail, reported by staff');
  });
});
