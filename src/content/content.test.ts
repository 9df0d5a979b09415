// The content workflow through its commands, on both databases: policy checks block a submission
// and name the rule, the clause and the text; Kalispell's chain (submitter → Department Director →
// Communications Manager) with no self-approval and no one deciding two steps; an edit sends a
// draft back; publishing goes through the connector once per account, is archived, and stops when
// the city pauses publishing.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { testArchiveDeps } from '../testing/archive.js';
import { insertTestAccount, insertTestSecret, staffContext } from '../accounts/fixtures.js';
import { createVault } from '../accounts/vault.js';
import type { Connector, PublishInput } from '../platforms/connector.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import type { CommandContext } from '../events/command.js';
import { createDraft, decideDraft, submitDraft, updateDraft } from './drafts.commands.js';
import { publishDraft, setPublishingPaused } from './publish.js';
import { publishDue } from './content.jobs.js';
import { publishCorrection } from './corrections.js';

/** A connector that records what it was asked to publish (the real ones have their own tests). */
function fakeConnector(published: PublishInput[]): Connector {
  return {
    platform: 'facebook', accountRef: '1234567890', capabilities: new Set(['publish']),
    async publish(input) {
      published.push(input);
      const id = `1234567890_${published.length}`;
      return { ref: { id, url: `https://facebook.com/${id}` }, alreadyPublished: false, records: [{
        kind: 'post', platform: 'facebook', accountId: 'acct', platformId: id, platformVersion: '1', text: input.text,
        payload: Buffer.from(JSON.stringify({ id, message: input.text })), payloadType: 'application/json',
      }] };
    },
    deletePost: async () => [], readReplies: async () => ({ records: [] }), setReplyHidden: async () => [],
    followerSnapshot: async () => { throw new Error('not used'); }, health: async () => ({ ok: true, message: 'ok' }),
  };
}

describe.each(await availableBackends())('content workflow on %s', (backend) => {
  let database: TestDatabase;
  let town: TestCity;
  let archive: ArchiveDeps;
  let accountId: string;
  let as: (role: string) => Promise<CommandContext>;
  const published: PublishInput[] = [];
  const vault = createVault(randomBytes(32));

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    town = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    archive = testArchiveDeps(database.db, database.dialect);
    // The submitter and the Director work in Parks; the Communications Manager city-wide.
    const parks = await database.db.selectFrom('departments').select('id').where('org_id', '=', town.orgId).where('name', '=', 'Parks').executeTakeFirstOrThrow();
    for (const role of ['content_submitter', 'department_director']) {
      await database.db.updateTable('users').set({ department_id: parks.id }).where('email', '=', town.staffByRole[role]!).execute();
    }
    accountId = await insertTestAccount(database.db, town.orgId, { platform: 'facebook', handle: 'KalispellParks', status: 'active', department_id: parks.id });
    await insertTestSecret(database.db, town.orgId, accountId, 'connector_token');
    as = (role: string) => staffContext(database.db, town.orgId, town.staffByRole[role]!);
  });
  afterAll(async () => database?.dispose());

  const deps = () => ({ archive, vault, open: async () => fakeConnector(published) });
  // credentialsOf decrypts the stored token; the test secret is random bytes, so publishing here
  // uses a stored JSON token sealed with this vault instead.
  const seal = async () => {
    const sealed = vault.encrypt({ orgId: town.orgId, accountId, kind: 'connector_token' }, JSON.stringify({ pageId: '1234567890', pageToken: 'EAAtesttoken123' }));
    await database.db.updateTable('vault_secrets').set(sealed).where('account_id', '=', accountId).where('kind', '=', 'connector_token').execute();
  };

  it('blocks a post with an SSN, naming the rule, the clause and the offending text', async () => {
    const submitter = await as('content_submitter');
    const { id, findings } = await createDraft(submitter, { text: 'Resident John Doe, SSN 123-45-6789, won the pool raffle.', accountIds: [accountId] });
    expect(findings.some((f) => f.severity === 'block' && /ssn/i.test(f.id))).toBe(true);
    const refused = await submitDraft(submitter, id).catch((err: unknown) => err as { status: number; details: { fields: Array<{ message: string }> } });
    expect(refused).toMatchObject({ status: 400 });
    const message = (refused as { details: { fields: Array<{ message: string }> } }).details.fields.map((f) => f.message).join(' ');
    expect(message).toContain('123-45-6789');
    expect(message).toMatch(/Policy: "/);
  });

  it('goes submitter → Department Director → Communications Manager, then publishes once and archives it', async () => {
    await seal();
    const submitter = await as('content_submitter');
    const { id } = await createDraft(submitter, { text: 'The Woodland Park splash pad opens Monday at 10 am. Details: https://www.kalispell.com/parks', accountIds: [accountId] });
    await submitDraft(submitter, id);
    // Nobody approves their own post; a step belongs to its role.
    await expect(decideDraft(submitter, id, { decision: 'approved' })).rejects.toMatchObject({ status: 403 });
    await expect(decideDraft(await as('communications_manager'), id, { decision: 'approved' })).rejects.toMatchObject({ status: 403 });
    const director = await as('department_director');
    const acknowledged = (await database.db.selectFrom('drafts').select('findings').where('id', '=', id).executeTakeFirstOrThrow()).findings;
    const ack = (JSON.parse(acknowledged) as Array<{ id: string; severity: string }>).filter((f) => f.severity === 'acknowledge').map((f) => f.id);
    expect(await decideDraft(director, id, { decision: 'approved', acknowledged: ack })).toMatchObject({ status: 'in_review', step: 1 });
    const last = await decideDraft(await as('communications_manager'), id, { decision: 'approved', acknowledged: ack });
    expect(last).toMatchObject({ status: 'approved', publishNow: true });
    const outcomes = await publishDraft(await as('communications_manager'), deps(), id);
    expect(outcomes).toEqual([expect.objectContaining({ accountId, status: 'published' })]);
    // A second press of "publish" (or a retry) posts nothing new.
    await expect(publishDraft(await as('communications_manager'), deps(), id)).rejects.toMatchObject({ status: 409 });
    expect(published).toHaveLength(1);
    expect(published[0]!.idempotencyKey).toBe(`${id}:v1:${accountId}`);
    const archived = await database.db.selectFrom('archive_records').select('platform_id').where('org_id', '=', town.orgId).where('kind', '=', 'post').execute();
    expect(archived.map((a) => a.platform_id)).toContain('1234567890_1');
    const actions = (await database.db.selectFrom('events').select('action').where('target_id', '=', id).orderBy('seq').execute()).map((e) => e.action);
    expect(actions).toEqual(['content.draft_created', 'content.submitted', 'content.step_approved', 'content.approved', 'content.publishing', 'content.published']);
  });

  it('sends a draft back to its author when it is edited after submission', async () => {
    const submitter = await as('content_submitter');
    const { id } = await createDraft(submitter, { text: 'Pool closes early Friday for maintenance. https://www.kalispell.com/parks', accountIds: [accountId] });
    await submitDraft(submitter, id);
    await decideDraft(await as('department_director'), id, { decision: 'approved', acknowledged: [] }).catch(() => undefined);
    const edit = await updateDraft(submitter, id, { text: 'Pool closes early Friday at 3 pm for maintenance. https://www.kalispell.com/parks', accountIds: [accountId] });
    expect(edit.returned).toBe(true);
    const row = await database.db.selectFrom('drafts').select(['status', 'version', 'current_step']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'draft', version: 2, current_step: 0 });
  });

  it('publishes nothing while the city has paused publishing', async () => {
    const manager = await as('communications_manager');
    await setPublishingPaused(manager, true, 'Storm response: all posts on hold');
    const submitter = await as('content_submitter');
    const { id } = await createDraft(submitter, { text: 'Library story time is back on Tuesdays. https://www.kalispell.com/library', accountIds: [accountId] });
    await submitDraft(submitter, id);
    await decideDraft(await as('department_director'), id, { decision: 'approved', acknowledged: await acks(id) });
    await decideDraft(manager, id, { decision: 'approved', acknowledged: await acks(id) });
    const before = published.length;
    await expect(publishDraft(manager, deps(), id)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('Storm response') });
    expect(published).toHaveLength(before);
    await setPublishingPaused(manager, false, null);
    expect(await publishDraft(manager, deps(), id)).toEqual([expect.objectContaining({ status: 'published' })]);
  });

  it('schedules an approved post and publishes it when its time comes; a correction is a linked reply', async () => {
    const submitter = await as('content_submitter');
    const manager = await as('communications_manager');
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const { id } = await createDraft(submitter, { text: 'Fall leaf pickup starts Monday, Oct 7. https://www.kalispell.com/leaves', accountIds: [accountId], scheduledAt: at });
    await submitDraft(submitter, id);
    await decideDraft(await as('department_director'), id, { decision: 'approved', acknowledged: await acks(id) });
    expect((await decideDraft(manager, id, { decision: 'approved', acknowledged: await acks(id) })).status).toBe('scheduled');
    const before = published.length;
    expect(await publishDue(database.db, deps(), new Date())).toBe(0);
    expect(await publishDue(database.db, deps(), new Date(Date.now() + 2 * 3_600_000))).toBe(1);
    expect(published).toHaveLength(before + 1);

    const corrected = await publishCorrection(manager, deps(), id, 'leaf pickup starts Monday, Oct 14, not Oct 7.');
    expect(corrected).toEqual([expect.objectContaining({ status: 'published' })]);
    const correction = published.at(-1)!;
    expect(correction.text).toBe('Correction: leaf pickup starts Monday, Oct 14, not Oct 7.');
    expect(correction.replyTo?.root.id).toBe(`1234567890_${before + 1}`);
    // The original stays in the archive as it was.
    const original = await database.db.selectFrom('archive_records as r').innerJoin('archive_contents as c', 'c.record_id', 'r.id')
      .select('c.text').where('r.platform_id', '=', `1234567890_${before + 1}`).executeTakeFirstOrThrow();
    expect(original.text).toContain('Oct 7');
  });

  async function acks(id: string): Promise<string[]> {
    const row = await database.db.selectFrom('drafts').select('findings').where('id', '=', id).executeTakeFirstOrThrow();
    return (JSON.parse(row.findings) as Array<{ id: string; severity: string }>).filter((f) => f.severity === 'acknowledge').map((f) => f.id);
  }
});
