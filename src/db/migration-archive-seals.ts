// 0012: batch seals. Each capture transaction also writes one seal: an HMAC, with the city's record
// MAC key, over the digests of every record it appended (src/archive/seals.ts). Verify checks a
// whole batch's metadata with one MAC instead of one per record, and falls back to the per-record
// MACs only where a seal is missing or fails, to name the record. Append-only like the records.
import type { Migration } from 'kysely';
import type { Dialect } from './database.js';
import { appendOnly, type AnyDb } from './migrations.js';

export function archiveSealsMigration(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('archive_seals')
        .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
        .addColumn('first_leaf', 'integer', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('mac', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('archive_seals_pk', ['org_id', 'first_leaf'])
        .execute();
      await appendOnly(db, dialect, 'archive_seals');
    },
  };
}
