import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Dialect } from '../db/database.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { FolderBlobStore, FolderKeyStore } from '../archive/stores.js';
import type { RecordInput } from '../archive/record.js';

export function testArchiveDeps(db: Kysely<DB>, dialect: Dialect): ArchiveDeps {
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-archive-'));
  return { db, dialect, blobs: new FolderBlobStore(join(dir, 'blobs')), keys: new FolderKeyStore(join(dir, 'keys')), host: 'civicdesk.test' };
}

/** Tests of tampering play the attacker: switch off the database's own guards first. */
export async function dropGuards(db: Kysely<DB>, dialect: Dialect, table: string): Promise<void> {
  if (dialect === 'postgres') {
    await sql.raw(`ALTER TABLE ${table} DISABLE TRIGGER USER`).execute(db);
    return;
  }
  const triggers = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ${table}`.execute(db);
  for (const t of triggers.rows) {
    if (!t.name.startsWith('archive_fts')) await sql.raw(`DROP TRIGGER ${t.name}`).execute(db);
  }
}

export function comment(n: number, extra: Partial<RecordInput> = {}): RecordInput {
  const body = { id: `c${n}`, text: `Resident comment number ${n} about the park`, author: { did: `did:plc:res${n % 7}`, handle: `resident${n % 7}.test` } };
  return {
    kind: 'comment', platform: 'bluesky', accountId: 'acct-1', platformId: `at://did:plc:res${n % 7}/app.bsky.feed.post/c${n}`,
    platformVersion: `cid-${n}`, parentId: 'at://city/post/1', threadId: 'at://city/post/1',
    platformTimes: { created: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString() },
    author: { id: `did:plc:res${n % 7}`, handle: `resident${n % 7}.test`, name: `Resident ${n % 7}` },
    text: body.text, payload: Buffer.from(JSON.stringify(body)), payloadType: 'application/json', ...extra,
  };
}
