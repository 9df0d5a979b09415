// Bozeman (BZ-8): content goes on the city website first; an emergency may go to social media first
// with the Director's pre-approval, then onto the website. A post without a website page cannot
// be submitted; an update of an open emergency takes the fast path, updates form one thread, and
// the emergency closes only with its review and the website updated.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, TEST_PASSWORD, type TestCity } from '../testing/app.js';
import { testArchiveDeps } from '../testing/archive.js';
import { cityContext } from '../testing/context.js';
import { insertTestAccount, staffContext } from '../accounts/fixtures.js';
import { createVault } from '../accounts/vault.js';
import { addPerson } from '../people/people.commands.js';
import type { Connector, PublishInput } from '../platforms/connector.js';
import { createDraft, decideDraft, submitDraft } from './drafts.commands.js';
import { publishDraft } from './publish.js';
import { closeEmergency, openEmergency } from './incidents.commands.js';

function recordingConnector(sent: PublishInput[]): Connector {
  return {
    platform: 'facebook', accountRef: '555', capabilities: new Set(['publish']),
    async publish(input) {
      sent.push(input);
      const id = `555_${sent.length}`;
      return { ref: { id }, alreadyPublished: false, records: [{ kind: 'post', platform: 'facebook', accountId: 'a', platformId: id, platformVersion: '1', text: input.text, payload: Buffer.from(id), payloadType: 'text/plain' }] };
    },
    deletePost: async () => [], readReplies: async () => ({ records: [] }), setReplyHidden: async () => [],
    followerSnapshot: async () => { throw new Error('not used'); }, health: async () => ({ ok: true, message: 'ok' }),
  };
}

describe.each(await availableBackends())('Bozeman website first and the emergency path on %s', (backend) => {
  let database: TestDatabase;
  let town: TestCity;
  let accountId: string;
  const sent: PublishInput[] = [];
  const vault = createVault(randomBytes(32));

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    town = await createTestCity(database.db, 'bozeman-mt', { slug: 'bozeman' });
    const dept = await database.db.selectFrom('departments').select('id').where('org_id', '=', town.orgId).where('name', '=', 'Parks').executeTakeFirstOrThrow();
    // A second content editor: the one who writes is never the one who posts.
    await addPerson(await cityContext(database.db, town.orgId), { email: 'editor2@example.test', displayName: 'Second Editor', password: TEST_PASSWORD, roles: ['content_editor'] });
    for (const email of [town.staffByRole.department_director!, town.staffByRole.content_editor!, 'editor2@example.test']) {
      await database.db.updateTable('users').set({ department_id: dept.id }).where('email', '=', email).execute();
    }
    accountId = await insertTestAccount(database.db, town.orgId, { platform: 'facebook', handle: 'BozemanParks', status: 'active', department_id: dept.id });
    const sealed = vault.encrypt({ orgId: town.orgId, accountId, kind: 'connector_token' }, JSON.stringify({ pageId: '555', pageToken: 'EAAtesttoken123' }));
    const at = new Date().toISOString();
    await database.db.insertInto('vault_secrets').values({ id: 'v1', org_id: town.orgId, account_id: accountId, kind: 'connector_token', label: null, ...sealed, fingerprint: null, expires_at: null, created_at: at, updated_at: at }).execute();
  });
  afterAll(async () => database?.dispose());

  const as = (email: string) => staffContext(database.db, town.orgId, email);
  const deps = () => ({ archive: testArchiveDeps(database.db, database.dialect), vault, open: async () => recordingConnector(sent) });

  it('refuses a post with no page on the city website, and accepts one with it', async () => {
    const editor = await as(town.staffByRole.content_editor!);
    const { id } = await createDraft(editor, { text: 'Lindley Park will close at 6 pm on Friday. More: https://www.bozeman.net/parks', accountIds: [accountId] });
    await expect(submitDraft(editor, id)).rejects.toMatchObject({ status: 400, details: { fields: [expect.objectContaining({ message: expect.stringMatching(/emergency/i) })] } });
    const ok = await createDraft(editor, { text: 'Lindley Park will close at 6 pm on Friday. More: https://www.bozeman.net/parks', websiteUrl: 'https://www.bozeman.net/parks/lindley', accountIds: [accountId] });
    await expect(submitDraft(editor, ok.id)).resolves.toMatchObject({ status: 'in_review' });
  });

  it('an emergency\'s updates skip the website and the Director\'s step, form one thread, and closing needs the review', async () => {
    const director = await as(town.staffByRole.department_director!);
    const incident = await openEmergency(director, 'Water main break on Main Street');
    const editor = await as(town.staffByRole.content_editor!);
    const poster = await as('editor2@example.test');
    const update = async (text: string) => {
      const { id, findings } = await createDraft(editor, { text, incidentId: incident, accountIds: [accountId] });
      expect(findings.filter((f) => f.severity === 'block')).toEqual([]);
      await submitDraft(editor, id);
      const row = await database.db.selectFrom('drafts').select('chain').where('id', '=', id).executeTakeFirstOrThrow();
      expect((JSON.parse(row.chain!) as { steps: Array<{ role: string }> }).steps.map((s) => s.role)).toEqual(['content_editor']);
      const ack = findings.filter((f) => f.severity === 'acknowledge').map((f) => f.id);
      expect((await decideDraft(poster, id, { decision: 'approved', acknowledged: ack })).publishNow).toBe(true);
      return publishDraft(poster, deps(), id);
    };
    await update('Main Street is closed between Rouse and Wallace: water main break. Avoid the area. https://www.bozeman.net/alerts');
    await update('Update: crews expect to reopen Main Street by 4 pm. https://www.bozeman.net/alerts');
    expect(sent).toHaveLength(2);
    expect(sent[0]!.replyTo).toBeUndefined();
    expect(sent[1]!.replyTo).toMatchObject({ root: { id: '555_1' }, parent: { id: '555_1' } });

    await expect(closeEmergency(director, incident, { review: 'short' })).rejects.toMatchObject({ status: 400 });
    await closeEmergency(director, incident, { review: 'Two updates went out within 20 minutes; the website page followed at 3:10 pm.', websiteUpdated: true });
    const row = await database.db.selectFrom('incidents').select(['status', 'review']).where('id', '=', incident).executeTakeFirstOrThrow();
    expect(row.status).toBe('resolved');
  });
});
