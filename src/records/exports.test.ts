// An export outside a records request, as the Clerk meets it: one account's history leaves as a
// verifiable package holding that account's records and no other, and the export is on record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { testArchiveDeps, comment } from '../testing/archive.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { capture } from '../archive/capture.js';
import { loadOrg } from '../org/org.queries.js';
import type { CommandContext } from '../events/command.js';
import { exportRecords, selectRecordIds } from './exports.commands.js';

function readEntry(zipFile: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipFile, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => { zip.close(); resolve(Buffer.concat(chunks).toString('utf8')); });
        });
      });
      zip.on('end', () => reject(new Error(`${name} is not in the package`)));
      zip.readEntry();
    });
  });
}

describe.each(await availableBackends())('exports outside a request on %s', (backend) => {
  let database: TestDatabase;
  let archive: ArchiveDeps;
  let town: TestCity;
  let dir: string;

  const as = async (role: string): Promise<CommandContext> => {
    const email = town.staffByRole[role]!;
    const user = await database.db.selectFrom('users').select(['id', 'display_name']).where('org_id', '=', town.orgId).where('email', '=', email).executeTakeFirstOrThrow();
    const org = await loadOrg(database.db, town.orgId);
    return { db: database.db, packVersion: org!.packDigest, actor: { kind: 'user', userId: user.id, orgId: town.orgId, label: user.display_name, roles: [role], departmentId: null, pack: town.pack } };
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    archive = testArchiveDeps(database.db, database.dialect);
    town = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    dir = mkdtempSync(join(tmpdir(), 'civicdesk-export-'));
    await capture(archive, town.orgId, [1, 2, 3].map((n) => comment(n, { accountId: 'parks', text: `Parks comment ${n} about the splash pad` })));
    await capture(archive, town.orgId, [4, 5].map((n) => comment(n, { accountId: 'police', text: `Police comment ${n} about parking` })));
  });
  afterAll(async () => {
    await database?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('selects one account\'s records by date, uncapped and in log order', async () => {
    expect(await selectRecordIds(database.db, town.orgId, { accountId: 'parks' })).toHaveLength(3);
    expect(await selectRecordIds(database.db, town.orgId, { accountId: 'police', kinds: ['post'] })).toHaveLength(0);
    expect(await selectRecordIds(database.db, town.orgId, { accountId: 'parks', to: '2000-01-01' })).toHaveLength(0);
  });

  it('the Clerk exports the parks account: only its records, and the export is recorded with the package hash', async () => {
    const out = join(dir, 'parks.zip');
    const summary = await exportRecords(await as('city_clerk'), archive, {
      selection: { accountId: 'parks' }, title: 'Parks account history', purpose: 'The parks account is being retired', outFile: out,
    });
    expect(summary.records).toBe(3);
    const csv = await readEntry(out, 'records.csv');
    expect(csv).toContain('Parks comment 2 about the splash pad');
    expect(csv).not.toContain('Police comment');
    const event = await database.db.selectFrom('events').selectAll().where('org_id', '=', town.orgId).where('action', '=', 'archive.exported').executeTakeFirstOrThrow();
    expect(event.target_id).toBe(summary.sha256);
    expect(JSON.parse(event.after ?? '{}')).toMatchObject({ purpose: 'The parks account is being retired', records: 3 });
  });

  it('refuses someone without archive.export before writing anything, and an empty selection or purpose', async () => {
    const out = join(dir, 'refused.zip');
    await expect(exportRecords(await as('department_director'), archive, { selection: {}, title: 't', purpose: 'curious', outFile: out }))
      .rejects.toMatchObject({ status: 403 });
    expect(existsSync(out)).toBe(false);
    const clerk = await as('city_clerk');
    await expect(exportRecords(clerk, archive, { selection: { accountId: 'nobody' }, title: 't', purpose: 'p', outFile: out })).rejects.toMatchObject({ status: 400 });
    await expect(exportRecords(clerk, archive, { selection: { accountId: 'parks' }, title: 't', purpose: '  ', outFile: out })).rejects.toMatchObject({ status: 400 });
    expect(existsSync(out)).toBe(false);
  });
});
