// Blocking a person, on both databases. Off in every bundled pack (no seed policy allows it), so it
// is refused there; on a variant pack that enables it, a block needs documented repeat violations
// (standing removals of this person's comments, listed by id), a warning on record, a time limit
// within the pack's maximum, the warnings read, and — where the pack says so — the attorney's
// approval in a second step. Each step is recorded and archived; nothing is applied on the
// platform by itself (the answer says what the moderator must do there).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { testPack } from '../testing/app.js';
import { cityContext } from '../testing/context.js';
import { staffContext } from '../accounts/fixtures.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import type { CommandContext } from '../events/command.js';
import { listBundledPacks } from '../policy/pack.loader.js';
import { moderate } from './moderation.commands.js';
import { recordWarning } from './responses.js';
import { approveBlock, blockUser, liftBlock } from './blocks.js';
import { listBlocks } from './blocks.queries.js';
import { cityWithComments } from './moderation.fixtures.js';

const SPAM = ['BUY CHEAP FOLLOWERS at cheap-followers.example.com, promo code CITY50!!!', 'Followers for sale again, promo code CITY60 at cheap-followers.example.com', 'Third time: cheap followers, promo code CITY70, cheap-followers.example.com'];

function withBlocking(packId: string, blocking: Partial<NonNullable<PolicyPack['moderation']['blocking']>>): PolicyPack {
  const pack = testPack(packId);
  const base = pack.moderation.blocking!;
  return { ...pack, moderation: { ...pack.moderation, blocking: { ...base, enabled: true, minViolations: 2, maxDays: 14, ...blocking } } };
}

const refusal = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (err: unknown) => err as { status: number; code: string; message: string; details: { rule?: string; sources?: string[]; fields?: Array<{ path: string; message: string }> } });

describe('blocking in the bundled packs', () => {
  it('is off in every pack: no seed policy allows blocking a person', () => {
    for (const { id } of listBundledPacks()) expect(testPack(id).moderation.blocking?.enabled, id).toBe(false);
  });
});

describe.each(await availableBackends())('blocking a person on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => { database = await openTestDatabase(backend); });
  afterAll(async () => database?.dispose());

  it('is refused where the pack does not enable it (Kalispell as adopted)', async () => {
    const city = await cityWithComments(database, 'kalispell-mt', SPAM.map((text) => ({ text, author: 1 })));
    const manager = await staffContext(database.db, city.town.orgId, city.town.staffByRole.communications_manager!);
    const err = await refusal(blockUser(manager, city.deps, { itemId: city.items[2]!.id, violations: [city.items[0]!.id, city.items[1]!.id], days: 7, clauseId: 'aup-6b', reason: 'Repeated advertising after a warning.', acknowledgeWarnings: true }));
    expect(err).toMatchObject({ status: 403, details: { rule: 'moderation.blocking' } });
    expect(err.details.sources).toContain('KA-11');
    expect(await database.db.selectFrom('moderation_blocks').select('id').execute()).toEqual([]);
  });

  it('needs repeat violations, a warning, a time limit and the warnings read; then it is recorded, archived and ends on its own', async () => {
    const pack = withBlocking('kalispell-mt', { requiresAttorneyApproval: false, sources: ['KA-11', 'KA-12'] });
    const city = await cityWithComments(database, { pack, slug: `kblock${backend}` }, [...SPAM.map((text) => ({ text, author: 1 })), { text: 'Also selling followers at cheap-followers.example.com, promo code X1', author: 2 }]);
    const { town, deps } = city;
    const [first, second, third, other] = city.items;
    const manager = await staffContext(database.db, town.orgId, town.staffByRole.communications_manager!);
    const commercial = pack.acceptableUse.clauses.find((c) => c.category === 'commercial')!;
    for (const item of [first!, second!, other!]) await moderate(manager, deps, item.id, { action: 'hide', clauseId: commercial.id, reason: 'Advertises a business, which the policy does not allow.' });
    const input = { itemId: third!.id, violations: [first!.id, second!.id], days: 7, clauseId: commercial.id, reason: 'Advertised three times after a removal notice.', acknowledgeWarnings: true };

    // Person-only, and only the roles that may hide.
    await expect(blockUser(await cityContext(database.db, town.orgId), deps, input)).rejects.toMatchObject({ status: 403 });
    await expect(blockUser(await staffContext(database.db, town.orgId, town.staffByRole.employee!), deps, input)).rejects.toMatchObject({ status: 403 });
    // Repeat violations, listed by id: at least minViolations, all this person's standing removals.
    expect(await refusal(blockUser(manager, deps, { ...input, violations: [first!.id] }))).toMatchObject({ status: 400, message: expect.stringContaining('at least 2 removals') });
    const foreign = await refusal(blockUser(manager, deps, { ...input, violations: [first!.id, other!.id] }));
    expect(foreign.details.fields).toEqual([{ path: 'body.violations', message: `${other!.id} is not a standing removal of this person's comment` }]);
    expect(await refusal(blockUser(manager, deps, { ...input, violations: [first!.id, third!.id] }))).toMatchObject({ status: 400 });
    // A warning on record.
    expect(await refusal(blockUser(manager, deps, input))).toMatchObject({ status: 400, message: expect.stringContaining('No warning') });
    const notice = await recordWarning(manager, first!.id, { kind: 'removal_notice', clauseId: commercial.id }, town.slug);
    expect(notice.text).toContain(commercial.text);
    // A time limit: 1 to maxDays, never permanent.
    for (const days of [0, 15, 1.5]) expect(await refusal(blockUser(manager, deps, { ...input, days }))).toMatchObject({ status: 400, details: { fields: [{ path: 'body.days' }] } });
    // The warnings read.
    const warned = await refusal(blockUser(manager, deps, { ...input, acknowledgeWarnings: false }));
    expect(warned).toMatchObject({ status: 400, code: 'warnings' });
    expect(warned.details.fields?.[0]?.message).toContain('First Amendment');
    expect(await database.db.selectFrom('moderation_blocks').select('id').where('org_id', '=', town.orgId).execute()).toEqual([]);

    const before = Date.now();
    const blocked = await blockUser(manager, deps, input);
    expect(blocked).toMatchObject({ status: 'active', platform: { applied: false } });
    expect(blocked.platform.instructions).toContain('block res1.test on Bluesky');
    expect(Date.parse(blocked.expiresAt!) - before).toBeGreaterThanOrEqual(7 * 86_400_000 - 1000);
    expect(Date.parse(blocked.expiresAt!) - before).toBeLessThan(7 * 86_400_000 + 60_000);
    expect(city.fake.hides).toHaveLength(3); // the three removals; the block changed nothing on the platform
    const [view] = await listBlocks(database.db, town.orgId);
    expect(view).toMatchObject({ status: 'active', authorId: 'did:plc:res1', violations: [first!.id, second!.id], warningId: notice.id, clauseId: commercial.id, days: 7 });
    const actions = await database.db.selectFrom('moderation_actions').select(['action', 'item_id']).where('org_id', '=', town.orgId).where('action', 'in', ['warn', 'block']).orderBy('created_at').execute();
    expect(actions).toEqual([{ action: 'warn', item_id: first!.id }, { action: 'block', item_id: third!.id }]);
    const archived = await database.db.selectFrom('archive_records').select(['kind', 'subject_id']).where('org_id', '=', town.orgId).where('subject_id', '=', 'did:plc:res1').execute();
    expect(archived).toEqual([{ kind: 'moderation_action', subject_id: 'did:plc:res1' }]);
    const event = await database.db.selectFrom('events').select(['action', 'after', 'pack_version']).where('org_id', '=', town.orgId).where('action', '=', 'moderation.user_blocked').executeTakeFirstOrThrow();
    expect(JSON.parse(event.after!)).toMatchObject({ violations: [first!.id, second!.id], days: 7, clause: { id: commercial.id } });
    expect(event.pack_version).toBe(manager.packVersion);

    // One block at a time; it ends on its own (expired, computed), or a person lifts it early.
    expect(await refusal(blockUser(manager, deps, input))).toMatchObject({ status: 409 });
    expect((await listBlocks(database.db, town.orgId, {}, new Date(Date.now() + 8 * 86_400_000)))[0]!.status).toBe('expired');
    await expect(liftBlock(manager, deps, blocked.id, 'short')).rejects.toMatchObject({ status: 400 });
    expect(await liftBlock(manager, deps, blocked.id, 'The resident apologised and asked to be unblocked.')).toMatchObject({ status: 'lifted' });
    expect((await listBlocks(database.db, town.orgId))[0]).toMatchObject({ status: 'lifted', liftReason: 'The resident apologised and asked to be unblocked.' });
  });

  it('waits for the attorney where the pack requires it (the two steps of BZ-15), who never approves their own proposal', async () => {
    const pack = withBlocking('bozeman-mt', { requiresAttorneyApproval: true });
    const city = await cityWithComments(database, { pack, slug: `bblock${backend}` }, SPAM.map((text) => ({ text, author: 1 })));
    const { town, deps } = city;
    const parks = await database.db.selectFrom('departments').select('id').where('org_id', '=', town.orgId).where('name', '=', 'Parks').executeTakeFirstOrThrow();
    await database.db.updateTable('users').set({ department_id: parks.id }).where('org_id', '=', town.orgId).where('email', '=', town.staffByRole.content_editor!).execute();
    await database.db.updateTable('accounts').set({ department_id: parks.id }).where('id', '=', city.accountId).execute();
    const editor = await staffContext(database.db, town.orgId, town.staffByRole.content_editor!);
    const attorney = await staffContext(database.db, town.orgId, town.staffByRole.city_attorney!);
    const commercial = pack.acceptableUse.clauses.find((c) => c.category === 'commercial')!;
    const [first, second, third] = city.items;
    for (const item of [first!, second!]) {
      await moderate(editor, deps, item.id, { action: 'escalate', clauseId: commercial.id, reason: 'Advertises a business on the city page.' });
      await moderate(attorney, deps, item.id, { action: 'approve_removal', acknowledgeWarnings: true });
    }
    await recordWarning(editor, second!.id, { kind: 'warning', clauseId: commercial.id, text: 'Please stop advertising here: it breaks clause 5b.' }, town.slug);
    const proposed = await blockUser(editor, deps, { itemId: third!.id, violations: [first!.id, second!.id], days: 14, clauseId: commercial.id, reason: 'Advertised again after a warning.', acknowledgeWarnings: true });
    expect(proposed).toMatchObject({ status: 'proposed', expiresAt: null });
    expect(proposed.platform.instructions).toContain('Nothing is blocked yet');
    const notified = await database.db.selectFrom('notifications').select('text').where('user_id', '=', attorney.actor.userId!).execute();
    expect(notified.some((n) => n.text.includes('block of res1.test awaits your approval'))).toBe(true);

    await expect(approveBlock(editor, deps, proposed.id, { acknowledgeWarnings: true })).rejects.toMatchObject({ status: 403 });
    const asAttorneyProposer: CommandContext = { ...attorney, actor: { ...attorney.actor, userId: editor.actor.userId } };
    await expect(approveBlock(asAttorneyProposer, deps, proposed.id, { acknowledgeWarnings: true })).rejects.toMatchObject({ status: 403, message: expect.stringContaining('own proposal') });
    await expect(approveBlock(attorney, deps, proposed.id, {})).rejects.toMatchObject({ status: 400, code: 'warnings' });
    const approved = await approveBlock(attorney, deps, proposed.id, { acknowledgeWarnings: true });
    expect(approved).toMatchObject({ status: 'active' });
    expect(Date.parse(approved.expiresAt!)).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    expect((await listBlocks(database.db, town.orgId))[0]).toMatchObject({ status: 'active', approvedBy: 'Test City Attorney', proposedBy: 'Test Content Editor' });
    const steps = await database.db.selectFrom('archive_records').select('dedupe_key').where('org_id', '=', town.orgId).where('subject_id', '=', 'did:plc:res1').orderBy('leaf_index').execute();
    expect(steps.map((s) => s.dedupe_key)).toEqual([`block:${proposed.id}:proposed`, `block:${proposed.id}:blocked`]);
  });
});
