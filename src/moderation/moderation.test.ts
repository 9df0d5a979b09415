// Comment moderation through its commands, on both databases: comments are captured, then queued
// and flagged — never hidden by a machine; Kalispell staff may only report and the Communications
// Manager hides with a clause and a reason; Bozeman removals wait for the City Attorney; the
// original stays in the archive; and no code path outside a person's action hides anything.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { cityContext } from '../testing/context.js';
import { staffContext } from '../accounts/fixtures.js';
import { moderate } from './moderation.commands.js';
import { removalNotice, respondToComment } from './responses.js';
import { cityWithComments } from './moderation.fixtures.js';

describe.each(await availableBackends())('comment moderation on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => { database = await openTestDatabase(backend); });
  afterAll(async () => database?.dispose());

  it('Kalispell: captured, then flagged (never hidden by the machine); staff only report; the Communications Manager hides with a clause', async () => {
    const { town, items, deps, archive, fake } = await cityWithComments(database, 'kalispell-mt', [
      'BUY CHEAP FOLLOWERS at cheap-followers.example.com, promo code CITY50!!!',
      'The mayor has done a terrible job on parks and should resign.',
    ]);
    const spam = items.find((i) => i.text.startsWith('BUY'))!;
    const critic = items.find((i) => i.text.startsWith('The mayor'))!;
    expect(spam.state).toBe('flagged');
    expect(JSON.parse(spam.labels)).toContain('commercial');
    expect(critic.viewpoint).toBe(1);
    expect(JSON.parse(critic.labels)).toEqual([]);
    // Nothing was hidden by capture and triage.
    expect(fake.hides).toEqual([]);
    expect(await database.db.selectFrom('archive_records').select('id').where('org_id', '=', town.orgId).where('kind', '=', 'visibility_change').execute()).toEqual([]);

    const employee = await staffContext(database.db, town.orgId, town.staffByRole.employee!);
    await expect(moderate(employee, deps, spam.id, { action: 'hide', clauseId: 'aup-commercial', reason: 'Advertising a business.' })).rejects.toMatchObject({ status: 403 });
    await expect(moderate(employee, deps, spam.id, { action: 'report', reason: 'Looks like spam' })).resolves.toMatchObject({ state: 'flagged' });
    // The operator console (or any job) cannot act on speech.
    await expect(moderate(await cityContext(database.db, town.orgId), deps, spam.id, { action: 'hide', clauseId: 'x', reason: 'automatic removal' })).rejects.toMatchObject({ status: 403 });

    const manager = await staffContext(database.db, town.orgId, town.staffByRole.communications_manager!);
    const commercial = town.pack.acceptableUse.clauses.find((c) => c.category === 'commercial')!;
    await expect(moderate(manager, deps, spam.id, { action: 'hide', clauseId: commercial.id, reason: 'too short' })).rejects.toMatchObject({ status: 400 });
    expect(await moderate(manager, deps, spam.id, { action: 'hide', clauseId: commercial.id, reason: 'Advertises a business, which the policy does not allow.' })).toMatchObject({ state: 'hidden' });
    expect(fake.hides).toEqual([{ reply: spam.platform_id, hidden: true }]);
    const action = await database.db.selectFrom('moderation_actions').selectAll().where('item_id', '=', spam.id).where('action', '=', 'hide').executeTakeFirstOrThrow();
    expect(action).toMatchObject({ clause_id: commercial.id, pack_version: manager.packVersion });
    // The original is still in the archive, and the hide and the action are records too.
    const kinds = (await database.db.selectFrom('archive_records').select(['kind', 'subject_id', 'platform_id']).where('org_id', '=', town.orgId).execute());
    expect(kinds.filter((k) => k.platform_id === spam.platform_id && k.kind === 'comment')).toHaveLength(1);
    expect(kinds.filter((k) => k.subject_id === spam.platform_id).map((k) => k.kind).sort()).toEqual(['moderation_action', 'visibility_change']);
    void archive;

    // KA-2, KA-10: the Communications Manager responds; the City Manager only when they are unavailable; staff never.
    await expect(respondToComment(employee, deps, critic.id, 'Thanks for the feedback.')).rejects.toMatchObject({ status: 403 });
    const cityManager = await staffContext(database.db, town.orgId, town.staffByRole.city_manager!);
    await expect(respondToComment(cityManager, deps, critic.id, 'Thanks for the feedback.')).rejects.toMatchObject({ status: 403 });
    await respondToComment(cityManager, deps, critic.id, 'Thanks, we have passed this on to Parks.', { primaryUnavailable: true });
    await respondToComment(manager, deps, critic.id, 'The parks plan is on the agenda Monday.');
    expect(fake.published.map((p) => p.text)).toEqual(['Thanks, we have passed this on to Parks.', 'The parks plan is on the agenda Monday.']);
    expect(removalNotice(manager, commercial.id, town.slug)).toContain(commercial.text);

    // Criticism of an official: removing it needs the warnings acknowledged (and is never a reason).
    const attack = town.pack.acceptableUse.clauses.find((c) => c.category === 'personal_attack') ?? commercial;
    await expect(moderate(manager, deps, critic.id, { action: 'hide', clauseId: attack.id, reason: 'Testing the warning path here.' })).rejects.toMatchObject({ status: 400, code: 'warnings' });
  });

  it('Bozeman: a removal waits for the City Attorney, who approves it; then it is hidden', async () => {
    const { town, items, deps, fake } = await cityWithComments(database, 'bozeman-mt', ['Vote for Jane Doe for City Commission! Re-elect Jane!']);
    const item = items[0]!;
    expect(item.state).toBe('flagged');
    // The content editor moderates their own department's account.
    const parks = await database.db.selectFrom('departments').select('id').where('org_id', '=', town.orgId).where('name', '=', 'Parks').executeTakeFirstOrThrow();
    await database.db.updateTable('users').set({ department_id: parks.id }).where('email', '=', town.staffByRole.content_editor!).execute();
    await database.db.updateTable('accounts').set({ department_id: parks.id }).where('id', '=', item.account_id).execute();
    const editor = await staffContext(database.db, town.orgId, town.staffByRole.content_editor!);
    const campaign = town.pack.acceptableUse.clauses.find((c) => c.category === 'political_campaign')!;
    await expect(moderate(editor, deps, item.id, { action: 'hide', clauseId: campaign.id, reason: 'Campaigning for a candidate.' })).rejects.toMatchObject({ status: 403 });
    expect(await moderate(editor, deps, item.id, { action: 'escalate', clauseId: campaign.id, reason: 'Campaigning for a candidate.' })).toMatchObject({ state: 'escalated' });
    expect(fake.hides).toEqual([]);
    const attorney = await staffContext(database.db, town.orgId, town.staffByRole.city_attorney!);
    const notified = await database.db.selectFrom('notifications').select('text').where('user_id', '=', attorney.actor.userId!).execute();
    expect(notified.some((n) => n.text.includes('awaits your approval'))).toBe(true);
    expect(await moderate(attorney, deps, item.id, { action: 'approve_removal', acknowledgeWarnings: true })).toMatchObject({ state: 'hidden' });
    expect(fake.hides).toEqual([{ reply: item.platform_id, hidden: true }]);
  });
});

describe('no code path hides or deletes speech without a person', () => {
  it('only the moderation command calls a connector\'s hide or reply delete, and only connectors, content (own posts) and tests call delete', () => {
    const root = join(import.meta.dirname, '..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) files.push(path);
      }
    };
    walk(root);
    const callers = (pattern: RegExp) => files.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => f.slice(root.length + 1)).sort();
    // Connectors define setReplyHidden; the only caller outside them is moderate(), which refuses anyone but a person.
    expect(callers(/\.setReplyHidden\(/).filter((f) => !f.startsWith('platforms/'))).toEqual(['moderation/moderation.commands.ts']);
    // The same for letting a held reply appear (capability hold_replies): only a person, through moderate().
    // And for deleting a resident's reply (capability delete_reply): only a person, through moderate().
    expect(callers(/\.deleteReply\(/).filter((f) => !f.startsWith('platforms/'))).toEqual(['moderation/moderation.commands.ts']);
    expect(callers(/\.releaseHeldReply\(/).filter((f) => !f.startsWith('platforms/'))).toEqual(['moderation/moderation.commands.ts']);
    expect(callers(/\.deletePost\(/).filter((f) => !f.startsWith('platforms/'))).toEqual([]);
  });
});
