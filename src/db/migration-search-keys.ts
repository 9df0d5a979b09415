// 0004: search by account and words from the full-text index alone, and verify by two ordered
// scans instead of a join.
//
// At a million records "an account and a common word" was the slow search (p95 ~180 ms SQLite,
// ~250 ms PostgreSQL): the word matched a hundred thousand rows and each had to be joined to its
// record to test the account. The content row now carries copies of its record's account and
// kind, and the full-text index carries an account token, so the index intersects the two lists.
// The content row also carries its record's leaf index, so `archive verify` reads records and
// contents as two scans in log order (a join by record id costs a random index read per record).
// The copies are not trusted: `archive verify` compares them with the record they belong to.
import { createHash } from 'node:crypto';
import { sql, type Migration } from 'kysely';
import type { Dialect } from './database.js';
import type { AnyDb } from './migrations.js';

/**
 * The account's entry in the full-text index, built so that no words a person types can produce
 * it. SQLite: a token in the `keys` column, which word searches never look in (hex() because
 * SQLite has no hash function). PostgreSQL: a lexeme added verbatim (array_to_tsvector), with a
 * colon the text parser never leaves inside a word.
 */
export function accountToken(dialect: Dialect, accountId: string): string {
  if (dialect === 'sqlite') return `a${Buffer.from(accountId, 'utf8').toString('hex')}`;
  return `acct:${createHash('md5').update(accountId, 'utf8').digest('hex')}`;
}

export function searchKeysMigration(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('archive_contents').addColumn('account_id', 'text').execute();
      await db.schema.alterTable('archive_contents').addColumn('kind', 'text').execute();
      await db.schema.alterTable('archive_contents').addColumn('leaf_index', 'integer').execute();
      if (dialect === 'sqlite') await sqliteUp(db);
      else await postgresUp(db);
      await db.schema.createIndex('archive_contents_leaf').on('archive_contents').columns(['org_id', 'leaf_index']).execute();
    },
  };
}

async function sqliteUp(db: AnyDb): Promise<void> {
  // Backfill the copies: the append-only guard is lifted for this one statement, inside the
  // migration's transaction, and put back exactly as 0002 created it.
  await sql.raw('DROP TRIGGER archive_contents_no_update').execute(db);
  await sql.raw(`UPDATE archive_contents SET
      account_id = (SELECT r.account_id FROM archive_records r WHERE r.id = archive_contents.record_id),
      kind = (SELECT r.kind FROM archive_records r WHERE r.id = archive_contents.record_id),
      leaf_index = (SELECT r.leaf_index FROM archive_records r WHERE r.id = archive_contents.record_id)`).execute(db);
  await sql.raw(`CREATE TRIGGER archive_contents_no_update BEFORE UPDATE ON archive_contents
      BEGIN SELECT RAISE(ABORT, 'archive_contents is append-only'); END`).execute(db);

  // FTS5 cannot add a column: rebuild the index with `keys` (the account token).
  await sql.raw('DROP TRIGGER archive_fts_insert').execute(db);
  await sql.raw('DROP TRIGGER archive_fts_delete').execute(db);
  await sql.raw('DROP TABLE archive_fts').execute(db);
  await sql.raw(`CREATE VIRTUAL TABLE archive_fts USING fts5(text, author, keys, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`).execute(db);
  const keys = (row: string) => `coalesce('a' || hex(${row}.account_id), '')`;
  await sql.raw(`INSERT INTO archive_fts(rowid, text, author, keys)
      SELECT rowid, coalesce(text, ''), coalesce(author_handle, '') || ' ' || coalesce(author_name, ''), ${keys('archive_contents')}
      FROM archive_contents`).execute(db);
  await sql.raw(`CREATE TRIGGER archive_fts_insert AFTER INSERT ON archive_contents BEGIN
      INSERT INTO archive_fts(rowid, text, author, keys) VALUES (NEW.rowid, coalesce(NEW.text, ''),
        coalesce(NEW.author_handle, '') || ' ' || coalesce(NEW.author_name, ''), ${keys('NEW')});
    END`).execute(db);
  await sql.raw(`CREATE TRIGGER archive_fts_delete AFTER DELETE ON archive_contents BEGIN
      DELETE FROM archive_fts WHERE rowid = OLD.rowid;
    END`).execute(db);
}

async function postgresUp(db: AnyDb): Promise<void> {
  await sql.raw('ALTER TABLE archive_contents DISABLE TRIGGER archive_contents_guard').execute(db);
  await sql.raw(`UPDATE archive_contents c SET account_id = r.account_id, kind = r.kind, leaf_index = r.leaf_index
      FROM archive_records r WHERE r.id = c.record_id`).execute(db);
  await sql.raw('ALTER TABLE archive_contents ENABLE TRIGGER archive_contents_guard').execute(db);
  // The generated column is recomputed with the account token; its GIN index goes and comes back.
  await sql.raw('ALTER TABLE archive_contents DROP COLUMN tsv').execute(db);
  await sql.raw(`ALTER TABLE archive_contents ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
      to_tsvector('english', coalesce(text, '') || ' ' || coalesce(author_handle, '') || ' ' || coalesce(author_name, ''))
      || CASE WHEN account_id IS NULL THEN ''::tsvector ELSE array_to_tsvector(ARRAY['acct:' || md5(account_id)]) END) STORED`).execute(db);
  await sql.raw('CREATE INDEX archive_contents_tsv ON archive_contents USING gin (tsv)').execute(db);
}
