// The archive: records (a Merkle log per city), their contents, blobs, checkpoints, complete
// subtree nodes for proofs, legal holds and the disposition log.
//
// Why two tables per record: `archive_records` holds the leaf (index, hash, MAC and the metadata
// needed to find it) and is strictly append-only. `archive_contents` holds what a records schedule
// may one day destroy (text, author, raw payload, evidence); the database refuses to delete a
// content row unless the disposition log already names it, and refuses updates outright. A
// destroyed record's leaf stays, so the log still verifies.
import { sql, type Migration } from 'kysely';
import type { Dialect } from './database.js';
import { appendOnly, type AnyDb } from './migrations.js';

export function archiveMigration(dialect: Dialect): Migration {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('archive_logs')
        .addColumn('org_id', 'text', (c) => c.primaryKey().references('organizations.id'))
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('key_name', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('nodes_size', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('events_archived', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('archive_records')
        .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
        .addColumn('leaf_index', 'integer', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('series', 'text', (c) => c.notNull())
        .addColumn('platform', 'text')
        .addColumn('account_id', 'text')
        .addColumn('platform_id', 'text')
        .addColumn('platform_version', 'text')
        .addColumn('subject_id', 'text')
        .addColumn('parent_id', 'text')
        .addColumn('thread_id', 'text')
        .addColumn('captured_at', 'text', (c) => c.notNull())
        .addColumn('platform_time', 'text')
        .addColumn('dedupe_key', 'text', (c) => c.notNull())
        .addColumn('leaf_hash', 'text', (c) => c.notNull())
        .addColumn('mac', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('archive_records_pk', ['org_id', 'leaf_index'])
        .addUniqueConstraint('archive_records_dedupe', ['org_id', 'dedupe_key'])
        .execute();
      await db.schema.createIndex('archive_records_thread').on('archive_records').columns(['org_id', 'thread_id']).execute();
      await db.schema.createIndex('archive_records_subject').on('archive_records').columns(['org_id', 'subject_id']).execute();
      await db.schema.createIndex('archive_records_captured').on('archive_records').columns(['org_id', 'captured_at']).execute();
      await db.schema.createIndex('archive_records_kind').on('archive_records').columns(['org_id', 'kind', 'captured_at']).execute();
      // Search by account (newest first) starts here when the account is small.
      await db.schema.createIndex('archive_records_account').on('archive_records').columns(['org_id', 'account_id', 'captured_at']).execute();
      await appendOnly(db, dialect, 'archive_records');

      await db.schema.createTable('archive_contents')
        .addColumn('record_id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('canonical', 'text', (c) => c.notNull())
        .addColumn('payload', blob)
        .addColumn('evidence', blob)
        .addColumn('text', 'text')
        .addColumn('author_id', 'text')
        .addColumn('author_handle', 'text')
        .addColumn('author_name', 'text')
        .execute();
      await db.schema.createIndex('archive_contents_author').on('archive_contents').columns(['org_id', 'author_handle']).execute();
      await db.schema.createIndex('archive_contents_author_id').on('archive_contents').columns(['org_id', 'author_id']).execute();

      await db.schema.createTable('archive_dispositions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull().unique())
        .addColumn('leaf_index', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('series', 'text', (c) => c.notNull())
        .addColumn('captured_at', 'text', (c) => c.notNull())
        .addColumn('retain_until', 'text', (c) => c.notNull())
        .addColumn('schedule_item', 'text')
        .addColumn('approved_by', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('destroyed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('archive_dispositions_when').on('archive_dispositions').columns(['org_id', 'destroyed_at']).execute();
      await appendOnly(db, dialect, 'archive_dispositions');

      await db.schema.createTable('archive_checkpoints')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('root', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('archive_checkpoints_pk', ['org_id', 'size'])
        .execute();
      await appendOnly(db, dialect, 'archive_checkpoints');

      await db.schema.createTable('archive_nodes')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('archive_nodes_pk', ['org_id', 'level', 'idx'])
        .execute();
      await appendOnly(db, dialect, 'archive_nodes');

      await db.schema.createTable('archive_blobs')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('archive_blobs_pk', ['org_id', 'sha256'])
        .execute();

      await db.schema.createTable('retention_schedule')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('series', 'text', (c) => c.notNull())
        .addColumn('retain_years', 'integer')
        .addColumn('schedule_item', 'text', (c) => c.notNull())
        .addColumn('set_by', 'text', (c) => c.notNull())
        .addColumn('set_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('retention_schedule_pk', ['org_id', 'series'])
        .execute();

      await db.schema.createTable('legal_holds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('criteria', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('released_at', 'text')
        .addColumn('released_by', 'text')
        .execute();

      await contentGuards(db, dialect);
      await fullText(db, dialect);
    },
  };
}

/** Contents are never updated, and deleted only once the disposition log names the record. */
async function contentGuards(db: AnyDb, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    await sql.raw(`CREATE TRIGGER archive_contents_no_update BEFORE UPDATE ON archive_contents
      BEGIN SELECT RAISE(ABORT, 'archive_contents is append-only'); END`).execute(db);
    await sql.raw(`CREATE TRIGGER archive_contents_delete_needs_disposition BEFORE DELETE ON archive_contents
      WHEN NOT EXISTS (SELECT 1 FROM archive_dispositions d WHERE d.record_id = OLD.record_id)
      BEGIN SELECT RAISE(ABORT, 'archive_contents: deletion needs an approved disposition'); END`).execute(db);
    return;
  }
  await sql.raw(`CREATE OR REPLACE FUNCTION civicdesk_contents_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'archive_contents is append-only'; END IF;
      IF NOT EXISTS (SELECT 1 FROM archive_dispositions d WHERE d.record_id = OLD.record_id) THEN
        RAISE EXCEPTION 'archive_contents: deletion needs an approved disposition';
      END IF;
      RETURN OLD;
    END $$ LANGUAGE plpgsql`).execute(db);
  await sql.raw(`CREATE TRIGGER archive_contents_guard BEFORE UPDATE OR DELETE ON archive_contents
    FOR EACH ROW EXECUTE FUNCTION civicdesk_contents_guard()`).execute(db);
}

/** Full-text search: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL. */
async function fullText(db: AnyDb, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    // External-content FTS5 table over archive_contents (rowid), kept in step by triggers.
    await sql.raw(`CREATE VIRTUAL TABLE archive_fts USING fts5(text, author, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`).execute(db);
    await sql.raw(`CREATE TRIGGER archive_fts_insert AFTER INSERT ON archive_contents BEGIN
      INSERT INTO archive_fts(rowid, text, author) VALUES (NEW.rowid, coalesce(NEW.text, ''), coalesce(NEW.author_handle, '') || ' ' || coalesce(NEW.author_name, ''));
    END`).execute(db);
    await sql.raw(`CREATE TRIGGER archive_fts_delete AFTER DELETE ON archive_contents BEGIN
      DELETE FROM archive_fts WHERE rowid = OLD.rowid;
    END`).execute(db);
    return;
  }
  await sql.raw(`ALTER TABLE archive_contents ADD COLUMN tsv tsvector GENERATED ALWAYS AS
    (to_tsvector('english', coalesce(text, '') || ' ' || coalesce(author_handle, '') || ' ' || coalesce(author_name, ''))) STORED`).execute(db);
  await sql.raw(`CREATE INDEX archive_contents_tsv ON archive_contents USING gin (tsv)`).execute(db);
}
