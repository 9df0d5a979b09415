// What a record's MAC (and its seal digest) covers: its position, its leaf hash and every metadata
// column used to find it, in this order, joined by newlines, NULL as empty. A valid record copied to
// another index, or a kind or date changed in place, is caught. The column list is shared with the
// SQL that assembles the same bytes inside the database for verification.
import type { DB } from '../db/schema.js';

export const MAC_COLUMNS = [
  'org_id', 'leaf_index', 'leaf_hash', 'id', 'kind', 'series', 'platform', 'account_id', 'platform_id', 'platform_version',
  'subject_id', 'parent_id', 'thread_id', 'captured_at', 'platform_time', 'dedupe_key',
] as const satisfies ReadonlyArray<keyof DB['archive_records']>;

export function macInput(row: Pick<DB['archive_records'], (typeof MAC_COLUMNS)[number]>): Buffer {
  return Buffer.from(MAC_COLUMNS.map((c) => row[c] ?? '').join('\n'), 'utf8');
}
