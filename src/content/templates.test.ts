// Pre-approved emergency templates on both databases, under Bozeman's pack (BZ-8: "emergency content
// may go to social media first with the Director's pre-approval"). The Department Director approves
// a template the content editor wrote (never their own); editing its text voids the approval. In
// an open emergency, an update from the template with only its blanks filled is approved at once
// and published, recording which template and who approved it; an SSN typed into a blank is still
// refused, naming the blank; an edited wording, an update by the template's own approver, or a
// blank needing acknowledgement falls back to the emergency path (the publisher's step). The
// Incidents list shows emergencies to who writes, approves or leads them; vandalism alerts only to
// holders of account.view.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, TEST_PASSWORD, type TestCity } from '../testing/app.js';
import { testArchiveDeps } from '../testing/archive.js';
import { cityContext } from '../testing/context.js';
import { insertTestAccount, staffContext, userIdByEmail } from '../accounts/fixtures.js';
import { createVault } from '../accounts/vault.js';
import { addPerson } from '../people/people.commands.js';
import type { Connector, PublishInput } from '../platforms/connector.js';
import type { ChainSnapshot } from '../accounts/requests.queries.js';
import { publishDraft } from './publish.js';
import { closeEmergency, openEmergency } from './incidents.commands.js';
import { approveTemplate, createTemplate, updateTemplate } from './templates.commands.js';
import { listTemplates } from './templates.queries.js';
import { listIncidents } from './content.queries.js';
import { startTemplateUpdate } from './template-updates.js';
import { blanksOf, bodyProblems, fillBlanks, valueProblems } from './templates.js';

const BODY = 'Emergency: {{what}} at {{location}}. Avoid the area until {{time}}. Updates: https://www.bozeman.net/alerts';
const VALUES = { what: 'a water main break', location: 'Main Street and Rouse Avenue', time: '4 pm' };

function recordingConnector(sent: PublishInput[]): Connector {
  return {
    platform: 'facebook', accountRef: '777', capabilities: new Set(['publish']),
    async publish(input) {
      sent.push(input);
      const id = `777_${sent.length}`;
      return { ref: { id }, alreadyPublished: false, records: [{ kind: 'post', platform: 'facebook', accountId: 'a', platformId: id, platformVersion: '1', text: input.text, payload: Buffer.from(id), payloadType: 'text/plain' }] };
    },
    deletePost: async () => [], readReplies: async () => ({ records: [] }), setReplyHidden: async () => [],
    followerSnapshot: async () => { throw new Error('not used'); }, health: async () => ({ ok: true, message: 'ok' }),
  };
}

describe('template blanks', () => {
  it('finds, fills and validates named blanks', () => {
    expect(blanksOf('At {{location}} until {{ time }}; {{location}} again')).toEqual(['location', 'time']);
    expect(fillBlanks('At {{location}} until {{ time }}', { location: 'Main St', time: '4 pm' })).toBe('At Main St until 4 pm');
    expect(bodyProblems('At {{Location}}')).toHaveLength(1);
    expect(bodyProblems('At {{location}}')).toEqual([]);
    expect(valueProblems(['location', 'time'], { location: ' ', extra: 'x' }).map((p) => p.path)).toEqual(['body.values.location', 'body.values.time', 'body.values.extra']);
    expect(valueProblems(['location'], { location: 'two\nlines' })[0]?.message).toBe('one line only');
  });
});

describe.each(await availableBackends())('emergency templates on %s', (backend) => {
  let database: TestDatabase;
  let town: TestCity;
  let accountId: string;
  let templateId: string;
  let incident: string;
  const sent: PublishInput[] = [];
  const vault = createVault(randomBytes(32));

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    town = await createTestCity(database.db, 'bozeman-mt', { slug: 'bozeman' });
    const dept = await database.db.selectFrom('departments').select('id').where('org_id', '=', town.orgId).where('name', '=', 'Parks').executeTakeFirstOrThrow();
    await addPerson(await cityContext(database.db, town.orgId), { email: 'editor2@example.test', displayName: 'Second Editor', password: TEST_PASSWORD, roles: ['content_editor'] });
    for (const email of [town.staffByRole.department_director!, town.staffByRole.content_editor!, 'editor2@example.test']) {
      await database.db.updateTable('users').set({ department_id: dept.id }).where('email', '=', email).execute();
    }
    accountId = await insertTestAccount(database.db, town.orgId, { platform: 'facebook', handle: 'BozemanAlerts', status: 'active', department_id: dept.id });
    const sealed = vault.encrypt({ orgId: town.orgId, accountId, kind: 'connector_token' }, JSON.stringify({ pageId: '777', pageToken: 'EAAtesttoken123' }));
    const at = new Date().toISOString();
    await database.db.insertInto('vault_secrets').values({ id: 'v1', org_id: town.orgId, account_id: accountId, kind: 'connector_token', label: null, ...sealed, fingerprint: null, expires_at: null, created_at: at, updated_at: at }).execute();
  });
  afterAll(async () => database?.dispose());

  const as = (email: string) => staffContext(database.db, town.orgId, email);
  const editor = () => as(town.staffByRole.content_editor!);
  const director = () => as(town.staffByRole.department_director!);
  const deps = () => ({ archive: testArchiveDeps(database.db, database.dialect), vault, open: async () => recordingConnector(sent) });
  const view = async (packVersion?: string) => {
    const ctx = await editor();
    return (await listTemplates(database.db, ctx.actor, packVersion ?? ctx.packVersion)).find((t) => t.id === templateId)!;
  };

  it('is approved by the Department Director, never its author; a new text voids the approval', async () => {
    await expect(createTemplate(await editor(), { title: 'Road closure', body: 'Closed at {{Location}}', accountIds: [accountId] }))
      .rejects.toMatchObject({ status: 400, details: { fields: [expect.objectContaining({ path: 'body.body' })] } });
    const created = await createTemplate(await editor(), { title: 'Road closure', body: BODY, category: 'time_sensitive', accountIds: [accountId] });
    templateId = created.id;
    expect(created.blanks).toEqual(['what', 'location', 'time']);
    const directorId = await userIdByEmail(database.db, town.orgId, town.staffByRole.department_director!);
    const asked = await database.db.selectFrom('notifications').select('user_id').where('text', 'like', 'An emergency template awaits%').execute();
    expect(asked.map((n) => n.user_id)).toEqual([directorId]);
    expect((await view()).awaitsMe).toBe(false);

    // The content editor does not hold the step's role; a director does not approve their own template.
    await expect(approveTemplate(await editor(), templateId, {})).rejects.toMatchObject({ status: 403 });
    const own = await createTemplate(await director(), { title: 'Director\'s own', body: BODY });
    await expect(approveTemplate(await director(), own.id, {})).rejects.toMatchObject({ status: 403, details: { rule: 'approvalChains.content.selfApproval' } });

    const ack = created.findings.filter((f) => f.severity === 'acknowledge').map((f) => f.id);
    await expect(approveTemplate(await director(), templateId, { acknowledged: ack })).resolves.toEqual({ approved: true, step: 0 });
    const approved = await view();
    expect(approved.approval).toMatchObject({ approved: true, stale: false, steps: [{ roleTitle: expect.any(String), approvedBy: 'Test Department Director' }] });
    const event = await database.db.selectFrom('events').select(['after', 'pack_version']).where('action', '=', 'content.template_approved').executeTakeFirstOrThrow();
    expect(JSON.parse(event.after!)).toMatchObject({ version: 1, packVersion: event.pack_version });
    // Under another version of the policy, the approval no longer counts.
    expect((await view('another-pack-digest')).approval).toMatchObject({ approved: false, stale: true });

    // A new title keeps the approval; a new text voids it, and it is approved again.
    await expect(updateTemplate(await editor(), templateId, { title: 'Road closed', body: BODY, category: 'time_sensitive', accountIds: [accountId] })).resolves.toMatchObject({ voided: false, version: 1 });
    expect((await view()).approval.approved).toBe(true);
    await expect(updateTemplate(await editor(), templateId, { title: 'Road closed', body: `${BODY} `.trim().replace('Avoid', 'Please avoid'), category: 'time_sensitive', accountIds: [accountId] }))
      .resolves.toMatchObject({ voided: true, version: 2 });
    expect((await view()).approval.approved).toBe(false);
    await approveTemplate(await director(), templateId, { acknowledged: ack });
    expect((await view()).approval.approved).toBe(true);
  });

  it('takes the fast path with only the blanks filled: approved at once, published, and recorded', async () => {
    incident = await openEmergency(await director(), 'Water main break on Main Street');
    const ctx = await editor();
    // Every blank is required; an SSN typed into one is refused, naming that blank, and nothing is saved.
    await expect(startTemplateUpdate(ctx, incident, { templateId, values: { what: 'x', location: 'y' }, accountIds: [accountId] }))
      .rejects.toMatchObject({ status: 400, details: { fields: [{ path: 'body.values.time', message: 'fill in this blank' }] } });
    const drafts = async () => (await database.db.selectFrom('drafts').select('id').where('org_id', '=', town.orgId).execute()).length;
    const before = await drafts();
    const refused = await startTemplateUpdate(ctx, incident, { templateId, values: { ...VALUES, location: 'the home of resident SSN 123-45-6789' }, accountIds: [accountId] })
      .catch((err: unknown) => err as { status: number; details: { fields: Array<{ path: string; message: string }> } });
    expect(refused).toMatchObject({ status: 400 });
    const fields = (refused as { details: { fields: Array<{ path: string; message: string }> } }).details.fields;
    expect(fields[0]).toMatchObject({ path: 'body.values.location', message: expect.stringContaining('123-45-6789') });
    expect(await drafts()).toBe(before);

    const outcome = await startTemplateUpdate(ctx, incident, { templateId, values: VALUES, accountIds: [accountId] });
    expect(outcome).toMatchObject({ status: 'approved', exact: true, text: fillBlanks((await view()).body, VALUES) });
    const row = await database.db.selectFrom('drafts').selectAll().where('id', '=', outcome.id).executeTakeFirstOrThrow();
    const chain = JSON.parse(row.chain!) as ChainSnapshot;
    expect(chain).toMatchObject({ key: 'approvalChains.content.template', steps: [] });
    expect(chain.notes).toContain('"Road closed" (version 2)');
    expect(chain.notes).toContain('Test Department Director');
    expect(chain.sources).toContain('BZ-8');
    const use = await database.db.selectFrom('content_template_uses').selectAll().where('draft_id', '=', outcome.id).executeTakeFirstOrThrow();
    expect(use).toMatchObject({ template_id: templateId, template_version: 2, exact: 1 });
    expect(JSON.parse(use.approvals)).toEqual([expect.objectContaining({ name: 'Test Department Director', packVersion: ctx.packVersion })]);
    expect(JSON.parse(use.blank_values)).toEqual(VALUES);
    const events = await database.db.selectFrom('events').select('action').where('target_id', '=', outcome.id).orderBy('seq').execute();
    expect(events.map((e) => e.action)).toEqual(['content.draft_created', 'content.preapproved']);

    const published = await publishDraft(ctx, deps(), outcome.id);
    expect(published).toEqual([expect.objectContaining({ status: 'published' })]);
    expect(sent.at(-1)!.text).toBe(outcome.text);
  });

  it('falls back to the emergency path when the wording changed, the approver posts, or a blank needs acknowledging', async () => {
    const stepsOf = async (id: string) => {
      const row = await database.db.selectFrom('drafts').select(['chain', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
      const chain = JSON.parse(row.chain!) as ChainSnapshot;
      return { status: row.status, roles: chain.steps.map((s) => s.role), notes: chain.notes ?? '' };
    };
    const edited = await startTemplateUpdate(await editor(), incident, {
      templateId, values: VALUES, text: 'Main Street is closed at Rouse Avenue until 4 pm, and Wallace too. Updates: https://www.bozeman.net/alerts', accountIds: [accountId],
    });
    expect(edited).toMatchObject({ status: 'in_review', exact: false });
    expect(await stepsOf(edited.id)).toMatchObject({ status: 'in_review', roles: ['content_editor'], notes: expect.stringContaining('changed beyond the template\'s blanks') });

    const byApprover = await startTemplateUpdate(await director(), incident, { templateId, values: VALUES, accountIds: [accountId] });
    expect(await stepsOf(byApprover.id)).toMatchObject({ roles: ['content_editor'], notes: expect.stringContaining('approved the template') });

    const phone = await startTemplateUpdate(await editor(), incident, { templateId, values: { ...VALUES, time: '4 pm; questions to 406-555-0142' }, accountIds: [accountId] });
    expect(await stepsOf(phone.id)).toMatchObject({ roles: ['content_editor'], notes: expect.stringContaining('acknowledgement') });
  });

  it('shows emergencies and templates to who works with them, vandalism alerts only with account.view', async () => {
    await database.db.insertInto('incidents').values({
      id: 'vandal-1', org_id: town.orgId, kind: 'vandalism', account_id: accountId, status: 'open', summary: 'A post CivicDesk did not publish', platform_id: 'x', lead_id: null, opened_at: new Date().toISOString(), resolved_at: null,
    }).execute();
    const kinds = async (role: string) => (await listIncidents(database.db, (await as(town.staffByRole[role]!)).actor)).map((i) => i.kind).sort();
    expect(await kinds('content_editor')).toEqual(['emergency', 'vandalism']);
    expect(await kinds('staff_liaison')).toEqual(['emergency']);
    const clerk = (await as(town.staffByRole.city_clerk!)).actor;
    await expect(listIncidents(database.db, clerk)).rejects.toMatchObject({ status: 403 });
    await expect(listTemplates(database.db, clerk, 'x')).rejects.toMatchObject({ status: 403 });
    const emergency = (await listIncidents(database.db, (await editor()).actor)).find((i) => i.id === incident)!;
    expect(emergency).toMatchObject({ leadName: 'Test Department Director' });
    expect(emergency.updates.length).toBeGreaterThanOrEqual(4);
  });

  it('refuses an unapproved template, other accounts, and a closed emergency', async () => {
    const fresh = await createTemplate(await editor(), { title: 'Boil water notice', body: 'Boil water in {{area}} until further notice. https://www.bozeman.net/alerts' });
    await expect(startTemplateUpdate(await editor(), incident, { templateId: fresh.id, values: { area: 'Midtown' }, accountIds: [accountId] }))
      .rejects.toMatchObject({ status: 400, details: { fields: [expect.objectContaining({ path: 'body.templateId' })] } });
    const other = await insertTestAccount(database.db, town.orgId, { platform: 'facebook', handle: 'BozemanLibrary', status: 'active' });
    await expect(startTemplateUpdate(await editor(), incident, { templateId, values: VALUES, accountIds: [other] }))
      .rejects.toMatchObject({ status: 400, details: { fields: [expect.objectContaining({ path: 'body.accountIds' })] } });
    await closeEmergency(await director(), incident, { review: 'Updates went out from the template within minutes; the website followed.', websiteUpdated: true });
    await expect(startTemplateUpdate(await editor(), incident, { templateId, values: VALUES, accountIds: [accountId] })).rejects.toMatchObject({ status: 400 });
  });
});
