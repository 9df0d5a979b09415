import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { addTestAdmin, insertTestAccount, userIdByEmail } from './fixtures.js';
import { buildList, csvCell, listFilename, listToCsv, toCsv } from './lists.js';
import { approvedPlatforms, isPlatformApproved } from './platforms.js';

describe('CSV', () => {
  it('quotes per RFC 4180 and ends lines with CRLF', () => {
    const csv = toCsv([{ key: 'a', label: 'A' }, { key: 'b', label: 'B' }], [{ a: 'plain', b: 'with, comma' }, { a: 'say "hi"', b: 'two\nlines' }]);
    expect(csv).toBe('A,B\r\nplain,"with, comma"\r\n"say ""hi""","two\nlines"\r\n');
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('')).toBe('');
  });

  it('names the download after the city, list and date', () => {
    expect(listFilename('kalispell', 'accounts', new Date('2026-05-01T12:00:00Z'))).toBe('kalispell-accounts-2026-05-01.csv');
  });
});

describe.each(await availableBackends())('official lists on %s', (backend) => {
  let database: TestDatabase;
  let kalispell: TestCity;
  let bozeman: TestCity;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    kalispell = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    bozeman = await createTestCity(database.db, 'bozeman-mt', { slug: 'bozeman' });
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('approved platforms merge the policy\'s list with platforms approved by request, leaving withdrawn ones out', async () => {
    const db = database.db;
    const at = new Date().toISOString();
    await db.insertInto('approved_platforms').values([
      { org_id: kalispell.orgId, platform: 'bluesky', name: 'Bluesky', source: 'request', request_id: 'req-1', approved_at: at, withdrawn_at: null },
      { org_id: kalispell.orgId, platform: 'myspace', name: 'Myspace', source: 'request', request_id: 'req-2', approved_at: at, withdrawn_at: at },
      { org_id: bozeman.orgId, platform: 'nextdoor', name: 'Nextdoor', source: 'request', request_id: 'req-3', approved_at: at, withdrawn_at: null },
    ]).execute();
    const platforms = await approvedPlatforms(db, kalispell.orgId, kalispell.pack);
    expect(platforms.map((p) => [p.id, p.source])).toEqual([['facebook', 'pack'], ['twitter', 'pack'], ['bluesky', 'request']]);
    expect(platforms[2]).toMatchObject({ requestId: 'req-1', sources: ['KA-6'] });
    expect(await isPlatformApproved(db, kalispell.orgId, kalispell.pack, 'facebook')).toBe(true);
    expect(await isPlatformApproved(db, kalispell.orgId, kalispell.pack, 'bluesky')).toBe(true);
    expect(await isPlatformApproved(db, kalispell.orgId, kalispell.pack, 'myspace')).toBe(false);
    expect(await isPlatformApproved(db, kalispell.orgId, kalispell.pack, 'nextdoor')).toBe(false);
    // Bozeman's policy names no platforms: IT's list is only what was approved (BZ-2).
    expect((await approvedPlatforms(db, bozeman.orgId, bozeman.pack)).map((p) => p.id)).toEqual(['nextdoor']);

    const csv = listToCsv(await buildList(db, kalispell.orgId, kalispell.pack, 'platforms'));
    expect(csv.split('\r\n')[0]).toBe('Platform,Name,Approved by,Approved on,Note');
    expect(csv).toContain('bluesky,Bluesky,request req-1,');
    expect(csv).not.toContain('myspace');
  });

  it('accounts list carries every account with its administrators, and escapes hostile handles', async () => {
    const db = database.db;
    const parks = await insertTestAccount(db, kalispell.orgId, { handle: 'KalispellParks', profile_url: 'https://facebook.com/KalispellParks' });
    const hostile = await insertTestAccount(db, kalispell.orgId, { platform: 'twitter', handle: '=cmd|"/c calc"!A1', status: 'retired' });
    await insertTestAccount(db, bozeman.orgId, { handle: 'BozemanOnly' });
    await addTestAdmin(db, kalispell.orgId, parks, await userIdByEmail(db, kalispell.orgId, kalispell.staffByRole.it_director!));
    await addTestAdmin(db, kalispell.orgId, parks, await userIdByEmail(db, kalispell.orgId, kalispell.staffByRole.communications_manager!));
    await addTestAdmin(db, kalispell.orgId, hostile, await userIdByEmail(db, kalispell.orgId, kalispell.staffByRole.communications_manager!));

    const list = await buildList(db, kalispell.orgId, kalispell.pack, 'accounts');
    expect(list.sources).toEqual(['KA-6']);
    expect(list.rows.map((r) => r.handle).sort()).toEqual(['=cmd|"/c calc"!A1', 'KalispellParks']);
    const parksRow = list.rows.find((r) => r.handle === 'KalispellParks');
    expect(parksRow?.administrators).toBe(`Test Communications Manager <${kalispell.staffByRole.communications_manager}>; Test IT Director <${kalispell.staffByRole.it_director}> (IT)`);

    const lines = listToCsv(list).split('\r\n');
    expect(lines[0]).toBe('Platform,Handle,Status,Department,Board,Profile,Administrators');
    expect(lines).toContain(`twitter,"'=cmd|""/c calc""!A1",retired,,,,Test Communications Manager <${kalispell.staffByRole.communications_manager}>`);
    expect(lines.some((l) => l.includes('BozemanOnly'))).toBe(false);

    // A department-scoped reader sees only their department's accounts.
    const scoped = await buildList(db, kalispell.orgId, kalispell.pack, 'accounts', { account: (a) => a.departmentId === 'elsewhere' });
    expect(scoped.rows).toEqual([]);
  });

  it('submitters are the active staff holding a role that grants content.submit', async () => {
    const db = database.db;
    const list = await buildList(db, kalispell.orgId, kalispell.pack, 'submitters');
    const submitRoles = kalispell.pack.roles.filter((r) => r.grants.some((g) => g.split('@')[0] === 'content.submit')).map((r) => r.id);
    expect(submitRoles.sort()).toEqual(['communications_manager', 'content_submitter', 'department_director']);
    expect(list.rows.map((r) => r.email).sort()).toEqual(submitRoles.map((r) => kalispell.staffByRole[r]).sort());
    expect(list.rows.find((r) => r.email === kalispell.staffByRole.content_submitter)).toMatchObject({ roles: 'Content Submitter', reach: 'their own items' });
    expect(list.rows.find((r) => r.email === kalispell.staffByRole.communications_manager)?.reach).toBe('the city');

    await db.updateTable('users').set({ status: 'disabled' }).where('email', '=', kalispell.staffByRole.content_submitter!).execute();
    const after = await buildList(db, kalispell.orgId, kalispell.pack, 'submitters');
    expect(after.rows.map((r) => r.email)).not.toContain(kalispell.staffByRole.content_submitter);
    const csv = listToCsv(after).split('\r\n');
    expect(csv[0]).toBe('Name,E-mail,Department,Roles,May submit for');
    expect(csv.length).toBe(after.rows.length + 2);
  });
});
