// Records requests through their commands, on both databases: the Clerk's whole path (intake with
// the pack's clock, a frozen search, reasons for every decision, a redaction under an exemption, a
// production whose redacted copy points to an unchanged original, and a log that still verifies);
// staff who may only forward, with the Clerk told; bad input refused with nothing written; and
// reminders sent once. The package builder is replaced by a recorder here (it is tested on its own).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProductionInput, ProductionSummary } from './package/package.js';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { comment, testArchiveDeps } from '../testing/archive.js';
import { staffContext, userIdByEmail } from '../accounts/fixtures.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { capture } from '../archive/capture.js';
import { archiveEvents } from '../archive/events-archiver.js';
import { verifyArchive } from '../archive/verify.js';
import type { CommandContext } from '../events/command.js';
import { acknowledgeRequest, closeRequest, forwardRequest, intakeRequest } from './requests.commands.js';
import { redactSpan, reviewRecord, searchCandidates } from './review.commands.js';
import { produceRequest, type RecordsDeps } from './produce.js';
import { deadlines, getRequestDetail, listRequests, requestLetter } from './requests.queries.js';
import { sendDeadlineReminders } from './requests.jobs.js';

const builder = vi.hoisted(() => ({ calls: [] as ProductionInput[], fail: false }));
vi.mock('./package/package.js', () => ({
  async buildProductionPackage(_deps: unknown, input: ProductionInput): Promise<ProductionSummary> {
    if (builder.fail) throw new Error('disk full');
    builder.calls.push(input);
    const bytes = Buffer.from(JSON.stringify({ recordIds: input.recordIds, redacted: input.redacted, coverLetter: input.coverLetter }));
    writeFileSync(input.outFile, bytes);
    return {
      file: input.outFile, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, records: input.recordIds.length + input.redacted.length,
      redacted: input.redacted.length, files: ['cover-letter.txt'], checkpoint: { size: 0, rootHash: '' },
    };
  },
}));

const THURSDAY = new Date('2026-03-05T17:00:00Z'); // 10:00 in Montana
const at = (ctx: CommandContext, when: Date): CommandContext => ({ ...ctx, now: () => when });

describe.each(await availableBackends())('records requests on %s', (backend) => {
  let database: TestDatabase;
  let town: TestCity;
  let archive: ArchiveDeps;
  let deps: RecordsDeps;
  let clerk: CommandContext;
  let n = 0;
  const count = async (table: 'events' | 'records_request_redactions' | 'records_request_reviews' | 'records_requests') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    town = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    archive = testArchiveDeps(database.db, database.dialect);
    deps = { archive, productionsDir: mkdtempSync(join(tmpdir(), 'civicdesk-productions-')) };
    clerk = at(await staffContext(database.db, town.orgId, town.staffByRole.city_clerk!), THURSDAY);
  });
  beforeEach(() => {
    builder.calls.length = 0;
    builder.fail = false;
  });
  afterAll(async () => database?.dispose());

  const newRequest = (scope: string) => intakeRequest(clerk, { requesterName: 'Pat Requester', requesterContact: 'pat@example.org', scope, receivedAt: THURSDAY.toISOString() });
  const captureTexts = async (texts: string[]) => capture(archive, town.orgId, texts.map((text) => comment(1000 + n++, { text })));

  it('a Clerk takes a request in, searches, reviews, redacts and produces; the original is unchanged and the log verifies', async () => {
    const [c1, c2, c3] = await captureTexts([
      'Woodland Park splash pad: call Jane Roe at 406-555-0142 about the lost dog.',
      'Woodland Park incident: officer notes on the open burglary investigation.',
      'Woodland Park trail map is great, thanks!',
      'Lions Park opens Monday.',
    ]);
    const request = await newRequest('All public comments about Woodland Park in March 2026');
    // Kalispell's clock: 5 business days, counted in Montana.
    expect(request).toMatchObject({ number: 'R-2026-0001', status: 'received', due_on: '2026-03-12', clock_days: 5, clock_business: 1 });
    expect(request.clock_statute).toContain('MCA 2-6-1006');
    expect((await newRequest('Another request')).number).toBe('R-2026-0002');

    const { letter } = await acknowledgeRequest(clerk, request.id, { feeEstimateCents: 1250, timeEstimateHours: 2 });
    expect(letter).toContain('Thursday, March 12, 2026');
    expect(letter).toContain('$12.50');
    expect(letter).toContain('R-2026-0001');

    const search = await searchCandidates(clerk, archive, request.id, { text: 'Woodland' });
    expect([...search.recordIds].sort()).toEqual([c1!.id, c2!.id, c3!.id].sort());
    // The list is frozen: a record captured later is not among the candidates.
    await captureTexts(['Woodland Park again, later.']);
    const frozen = await getRequestDetail(database.db, clerk.actor, request.id, THURSDAY);
    expect(frozen?.candidates.map((c) => c.recordId)).toEqual(search.recordIds);
    expect(frozen?.request.status).toBe('in_review');

    const original = await database.db.selectFrom('archive_contents').selectAll().where('record_id', '=', c1!.id).executeTakeFirstOrThrow();
    const originalLeaf = await database.db.selectFrom('archive_records').selectAll().where('id', '=', c1!.id).executeTakeFirstOrThrow();
    const text = original.text!;
    await reviewRecord(clerk, request.id, { recordId: c1!.id, decision: 'include', reason: 'About the park, responsive' });
    await reviewRecord(clerk, request.id, { recordId: c2!.id, decision: 'exclude', reason: 'Open investigation', exemption: 'criminal-justice' });
    await reviewRecord(clerk, request.id, { recordId: c3!.id, decision: 'include', reason: 'Responsive' });
    const phone = { start: text.indexOf('406-555-0142'), end: text.indexOf('406-555-0142') + 12 };
    await redactSpan(clerk, request.id, { recordId: c1!.id, ...phone, code: 'third-party-private' });
    const jane = { start: text.indexOf('Jane Roe'), end: text.indexOf('Jane Roe') + 8 };
    await redactSpan(clerk, request.id, { recordId: c1!.id, ...jane, code: 'third-party-private' });

    const produced = await produceRequest(clerk, deps, request.id, { note: 'We searched the social media archive for "Woodland".' });
    expect(produced).toMatchObject({ status: 'partially_denied', records: 2 });
    expect(produced.redacted).toEqual([{ originalRecordId: c1!.id, derivedRecordId: expect.any(String) }]);
    // The package gets the unredacted record as is, and the redacted copy in place of its original.
    expect(builder.calls).toHaveLength(1);
    expect(builder.calls[0]).toMatchObject({ orgId: town.orgId, recordIds: [c3!.id], redacted: produced.redacted });
    expect(builder.calls[0]!.coverLetter).toContain('[REDACTED: code]');
    expect(builder.calls[0]!.coverLetter).toContain('MCA 44-5-303');
    const production = await database.db.selectFrom('records_request_productions').selectAll().where('request_id', '=', request.id).executeTakeFirstOrThrow();
    expect(production.sha256).toBe(createHash('sha256').update(readFileSync(production.file_path)).digest('hex'));

    // The derived record points to its original and holds none of the removed text, anywhere.
    const derivedId = produced.redacted[0]!.derivedRecordId;
    const derived = await database.db.selectFrom('archive_contents').selectAll().where('record_id', '=', derivedId).executeTakeFirstOrThrow();
    const derivedLeaf = await database.db.selectFrom('archive_records').selectAll().where('id', '=', derivedId).executeTakeFirstOrThrow();
    expect(derivedLeaf).toMatchObject({ kind: 'redacted_copy', series: 'records_requests' });
    expect(derived.text).toBe('Woodland Park splash pad: call [REDACTED: third-party-private] at [REDACTED: third-party-private] about the lost dog.');
    const meta = (JSON.parse(derived.canonical) as { meta: Record<string, unknown> }).meta;
    expect(meta).toMatchObject({
      derivedFrom: c1!.id, originalLeafIndex: originalLeaf.leaf_index,
      redactions: [{ ...jane, code: 'third-party-private' }, { ...phone, code: 'third-party-private' }],
    });
    for (const secret of ['406-555-0142', 'Jane Roe']) {
      expect(derived.canonical).not.toContain(secret);
      expect(Buffer.from(derived.payload!).toString('utf8')).not.toContain(secret);
    }
    // The original is exactly as it was.
    expect(await database.db.selectFrom('archive_contents').selectAll().where('record_id', '=', c1!.id).executeTakeFirstOrThrow()).toEqual(original);
    expect(await database.db.selectFrom('archive_records').selectAll().where('id', '=', c1!.id).executeTakeFirstOrThrow()).toEqual(originalLeaf);

    // The staff events of the whole path are archived, none carries the redacted words, and the log verifies.
    await archiveEvents(archive, town.orgId);
    const eventTexts = (await database.db.selectFrom('events').select('after').where('target_id', '=', request.id).execute()).map((e) => e.after ?? '').join('\n');
    expect(eventTexts).not.toContain('406-555-0142');
    expect((await verifyArchive(archive, town.orgId)).problems).toEqual([]);

    const answered = await database.db.selectFrom('records_requests').selectAll().where('id', '=', request.id).executeTakeFirstOrThrow();
    const denial = await requestLetter(database.db, clerk.actor, answered, 'denial', THURSDAY);
    expect(denial).toContain('Re: Partial denial, public records request R-2026-0001');
    expect(denial).toContain('[criminal-justice]: MCA 44-5-303 (Montana Criminal Justice Information Act) (1 record(s) withheld)');
    expect(denial).toContain('[third-party-private]: Mont. Const. art. II, §§ 9 and 10 (the demand of individual privacy clearly exceeds the merits of public disclosure) (2 passage(s) redacted)');
    expect(await requestLetter(database.db, clerk.actor, answered, 'cover', THURSDAY)).toBe(builder.calls[0]!.coverLetter);
    await closeRequest(clerk, request.id);
    const closed = await getRequestDetail(database.db, clerk.actor, request.id, THURSDAY);
    expect(closed?.request.status).toBe('closed');
    expect(closed?.history.map((h) => h.action)).toEqual([
      'records.request_received', 'records.request_acknowledged', 'records.request_searched', 'records.request_reviewed', 'records.request_reviewed',
      'records.request_reviewed', 'records.request_redacted', 'records.request_redacted', 'records.request_produced', 'records.request_closed',
    ]);
  });

  it('other staff may only forward: the request starts received, the Clerk is told in the app and by e-mail (KA-14)', async () => {
    const employee = at(await staffContext(database.db, town.orgId, town.staffByRole.employee!), THURSDAY);
    const input = { requesterName: 'Sam Resident', requesterContact: '406-555-0100', scope: 'Emails about snow plowing on Main Street', receivedAt: THURSDAY.toISOString() };
    await expect(intakeRequest(employee, input)).rejects.toMatchObject({ status: 403 });
    const forwarded = await forwardRequest(employee, input);
    expect(forwarded).toMatchObject({ status: 'received', due_on: '2026-03-12', forwarded_by: employee.actor.userId, assigned_to: null });
    const clerkId = await userIdByEmail(database.db, town.orgId, town.staffByRole.city_clerk!);
    const told = await database.db.selectFrom('notifications').select(['text', 'link']).where('user_id', '=', clerkId).where('text', 'like', `%${forwarded.number}%`).execute();
    expect(told).toEqual([{ text: expect.stringContaining('forwarded public records request'), link: `/records/requests/${forwarded.id}` }]);
    expect(await database.db.selectFrom('mail_outbox').select('subject').where('to_user_id', '=', clerkId).where('subject', 'like', `%${forwarded.number}%`).execute()).toHaveLength(1);
    await expect(acknowledgeRequest(employee, forwarded.id)).rejects.toMatchObject({ status: 403 });
    await expect(searchCandidates(employee, archive, forwarded.id, { text: 'snow' })).rejects.toMatchObject({ status: 403 });
    // The Clerk sees it on the deadlines dashboard.
    expect((await deadlines(database.db, clerk.actor, THURSDAY)).find((d) => d.id === forwarded.id)?.deadline).toMatchObject({ businessDaysLeft: 5, overdue: false });
  });

  it('refuses an unknown exemption, a span out of range and a missing reason with field errors, and writes nothing', async () => {
    const [record] = await captureTexts(['Skate park hours are 8 to 8.']);
    const request = await newRequest('Skate park comments');
    await searchCandidates(clerk, archive, request.id, { text: 'Skate' });
    const before = { events: await count('events'), redactions: await count('records_request_redactions'), reviews: await count('records_request_reviews') };
    await expect(redactSpan(clerk, request.id, { recordId: record!.id, start: 0, end: 5, code: 'embarrassing' }))
      .rejects.toMatchObject({ status: 400, details: { fields: [{ path: 'body.code', message: expect.stringContaining('third-party-private') }] } });
    await expect(redactSpan(clerk, request.id, { recordId: record!.id, start: 10, end: 500, code: 'personnel' }))
      .rejects.toMatchObject({ status: 400, details: { fields: [{ path: 'body.end', message: 'at most 28 (the length of the record\'s text)' }] } });
    await expect(redactSpan(clerk, request.id, { recordId: 'not-a-candidate', start: 0, end: 1, code: 'personnel' }))
      .rejects.toMatchObject({ status: 400, details: { fields: [{ path: 'body.recordId', message: expect.any(String) }] } });
    await expect(reviewRecord(clerk, request.id, { recordId: record!.id, decision: 'exclude', reason: '' }))
      .rejects.toMatchObject({ status: 400, details: { fields: [{ path: 'body.reason', message: 'say why' }] } });
    await expect(reviewRecord(clerk, request.id, { recordId: record!.id, decision: 'exclude', reason: 'Exempt', exemption: 'secret' }))
      .rejects.toMatchObject({ status: 400, details: { fields: [{ path: 'body.exemption', message: expect.any(String) }] } });
    await expect(intakeRequest(clerk, { requesterName: ' ', requesterContact: 'x', scope: 'y' })).rejects.toMatchObject({ status: 400, details: { fields: [{ path: 'body.requesterName', message: 'required' }] } });
    expect({ events: await count('events'), redactions: await count('records_request_redactions'), reviews: await count('records_request_reviews') }).toEqual(before);
    // Production waits until every record found has a decision.
    await expect(produceRequest(clerk, deps, request.id)).rejects.toMatchObject({ status: 409 });
  });

  it('refuses to produce while the redacted words still stand in another included record, then produces once it is excluded', async () => {
    const original = 'Zebrawood dog park: my neighbor Sam Q. Public at 406-555-0199 lets his dog off leash.';
    const [first, quote] = await captureTexts([original, 'Zebrawood reply: do not post 406-555-0199 here, that is a private number.']);
    const request = await newRequest('Dog park comments');
    await searchCandidates(clerk, archive, request.id, { text: 'Zebrawood' });
    const copies = async () => (await database.db.selectFrom('archive_records').select('id').where('kind', '=', 'redacted_copy').where('org_id', '=', town.orgId).execute()).length;
    const copiesBefore = await copies();
    await reviewRecord(clerk, request.id, { recordId: first!.id, decision: 'include', reason: 'Responsive' });
    await reviewRecord(clerk, request.id, { recordId: quote!.id, decision: 'include', reason: 'Responsive' });
    const start = original.indexOf('406-555-0199');
    await redactSpan(clerk, request.id, { recordId: first!.id, start, end: start + 12, code: 'third-party-private' });
    const refused = await produceRequest(clerk, deps, request.id).catch((err: unknown) => err as { status: number; code: string; message: string });
    expect(refused).toMatchObject({ status: 409, code: 'redaction_leak' });
    expect((refused as { message: string }).message).toContain(quote!.id);
    expect(builder.calls).toHaveLength(0);
    expect(await copies()).toBe(copiesBefore);
    await reviewRecord(clerk, request.id, { recordId: quote!.id, decision: 'exclude', reason: 'Repeats a private number', exemption: 'third-party-private' });
    const produced = await produceRequest(clerk, deps, request.id);
    expect(produced.records).toBe(1);
    expect(builder.calls[0]!.recordIds).not.toContain(quote!.id);
  });

  it('a failed package build records nothing; trying again reuses the redacted copy', async () => {
    const [record] = await captureTexts(['Bocce court: contact Ann Example at ann@example.com']);
    const request = await newRequest('Bocce court comments');
    await searchCandidates(clerk, archive, request.id, { text: 'Bocce' });
    await reviewRecord(clerk, request.id, { recordId: record!.id, decision: 'include', reason: 'Responsive' });
    const text = 'Bocce court: contact Ann Example at ann@example.com';
    await redactSpan(clerk, request.id, { recordId: record!.id, start: text.indexOf('ann@'), end: text.length, code: 'third-party-private' });
    builder.fail = true;
    await expect(produceRequest(clerk, deps, request.id)).rejects.toMatchObject({ status: 500, code: 'package_failed' });
    expect(await database.db.selectFrom('records_request_productions').select('id').where('request_id', '=', request.id).execute()).toEqual([]);
    expect((await getRequestDetail(database.db, clerk.actor, request.id, THURSDAY))?.request.status).toBe('in_review');
    const copies = await database.db.selectFrom('archive_records').select('id').where('kind', '=', 'redacted_copy').where('org_id', '=', town.orgId).execute();
    builder.fail = false;
    const produced = await produceRequest(clerk, deps, request.id);
    expect(produced.status).toBe('partially_denied');
    expect(await database.db.selectFrom('archive_records').select('id').where('kind', '=', 'redacted_copy').where('org_id', '=', town.orgId).execute()).toEqual(copies);
  });

  it('reminds the custodian once when two business days are left, and once when overdue', async () => {
    const request = await newRequest('Council agenda comments'); // due Thursday 12 March
    const clerkId = await userIdByEmail(database.db, town.orgId, town.staffByRole.city_clerk!);
    const reminders = async () => (await database.db.selectFrom('notifications').select('text').where('user_id', '=', clerkId).where('text', 'like', `%${request.number}%`).execute()).map((r) => r.text);
    await sendDeadlineReminders(database.db, new Date('2026-03-09T18:00:00Z')); // Monday: three business days left
    expect(await reminders()).toEqual([]);
    await sendDeadlineReminders(database.db, new Date('2026-03-10T18:00:00Z')); // Tuesday: two left
    expect(await sendDeadlineReminders(database.db, new Date('2026-03-11T18:00:00Z'))).toBe(0);
    expect(await reminders()).toEqual([expect.stringContaining('due 2026-03-12: two business days or fewer left')]);
    await sendDeadlineReminders(database.db, new Date('2026-03-13T18:00:00Z')); // Friday: overdue
    expect(await sendDeadlineReminders(database.db, new Date('2026-03-16T18:00:00Z'))).toBe(0);
    expect(await reminders()).toHaveLength(2);
    expect((await reminders())[1]).toContain('OVERDUE');
    const events = await database.db.selectFrom('events').select('action').where('target_id', '=', request.id).where('action', 'like', '%reminder').execute();
    expect(events.map((e) => e.action)).toEqual(['records.request_due_soon_reminder', 'records.request_overdue_reminder']);
  });

  it('Bozeman: a Department Director handles only their department\'s requests; the list filters by words in any case', async () => {
    const bz = await createTestCity(database.db, 'bozeman-mt', { slug: 'bozeman' });
    const parks = await database.db.selectFrom('departments').select('id').where('org_id', '=', bz.orgId).where('name', '=', 'Parks').executeTakeFirstOrThrow();
    await database.db.updateTable('users').set({ department_id: parks.id }).where('email', '=', bz.staffByRole.department_director!).execute();
    const bzClerk = at(await staffContext(database.db, bz.orgId, bz.staffByRole.city_clerk!), THURSDAY);
    const director = at(await staffContext(database.db, bz.orgId, bz.staffByRole.department_director!), THURSDAY);
    const editor = await staffContext(database.db, bz.orgId, bz.staffByRole.content_editor!);
    const input = { requesterName: 'Pat', requesterContact: 'pat@example.org', receivedAt: THURSDAY.toISOString() };
    // The custodian takes requests in; a department-scoped grant does not.
    await expect(intakeRequest(director, { ...input, scope: 'Parks mowing schedule', departmentId: parks.id })).rejects.toMatchObject({ status: 403 });
    const ours = await intakeRequest(bzClerk, { ...input, scope: 'Parks mowing schedule', departmentId: parks.id });
    const theirs = await intakeRequest(bzClerk, { ...input, scope: 'Police overtime' });
    expect((await listRequests(database.db, director.actor, {}, THURSDAY)).map((r) => r.id)).toEqual([ours.id]);
    expect((await listRequests(database.db, bzClerk.actor, { q: 'MOWING' }, THURSDAY)).map((r) => r.id)).toEqual([ours.id]);
    expect(await listRequests(database.db, editor.actor, {}, THURSDAY)).toEqual([]);
    await expect(acknowledgeRequest(director, ours.id)).resolves.toMatchObject({ letter: expect.stringContaining('Parks mowing schedule') });
    await expect(acknowledgeRequest(director, theirs.id)).rejects.toMatchObject({ status: 403 });
  });

  it('a Minnesota data subject is answered within 10 business days (MN-10)', async () => {
    const mn = await createTestCity(database.db, 'lmc-model', { slug: 'quillhaven' });
    const friday = new Date('2026-03-06T15:00:00Z');
    const contact = at(await staffContext(database.db, mn.orgId, mn.staffByRole.data_practices_contact!), friday);
    const request = await intakeRequest(contact, { requesterName: 'Data Subject', requesterContact: 'ds@example.org', scope: 'Data about me', receivedAt: friday.toISOString() });
    expect(request).toMatchObject({ due_on: '2026-03-20', clock_days: 10, number: 'R-2026-0001' });
    expect(request.clock_statute).toContain('13.04, subd. 3');
  });
});
