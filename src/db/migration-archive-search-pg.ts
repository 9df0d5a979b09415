// 0013: archive search on PostgreSQL at a million records (SQLite needs nothing: its plans are
// chosen in code and were already fast).
//
// 1. Words. A GIN index yields a bitmap of *every* row containing a word before a single row is
//    read, so a common word cost time in proportion to the whole archive although search reads
//    only the first 1,001 matches. At 1M records "playground" meant 234,730 postings, ANDed with
//    a bitmap of the city's 1,000,001 rows from a btree on org_id (the planner's guess without
//    statistics), too big for work_mem, so pages went lossy and were rechecked row by row. The
//    index now also holds two keys per content row, in a second column of the same GIN index: the
//    city, and the city's run of SEARCH_BUCKET leaves the row belongs to. Keys of one index scan
//    are intersected by skipping through their sorted posting lists, so "these words in run 0"
//    costs what run 0 holds (1,909 postings), and search walks runs oldest first until it has
//    enough (search.ts).
// 2. Newest first. The capture-date indexes end in leaf_index, the tie-break of every newest-first
//    listing, so such a listing reads 1,001 index entries and stops instead of sorting all
//    matches (a month of comments at 1M: 26,832 rows). They replace the indexes 0002 created.
// 3. Statistics for the new indexes, so the planner's estimates are not defaults on a server that
//    does not analyze by itself.
import { createHash } from 'node:crypto';
import { sql, type Migration } from 'kysely';
import type { Dialect } from './database.js';
import type { AnyDb } from './migrations.js';

/** Leaves per search run: large enough that a common word fills 1,001 matches in one or two. */
export const SEARCH_BUCKET = 16_384;

/**
 * The GIN key of a city (`bucket` omitted) or of one run of its log. Verbatim lexemes with colons,
 * which no parsed text produces, in a column of their own that word searches never look in.
 */
export function searchKey(orgId: string, bucket?: number): string {
  const city = `o:${createHash('md5').update(orgId, 'utf8').digest('hex')}`;
  return bucket === undefined ? city : `${city}:${bucket}`;
}

/**
 * The keys as SQL over a content row (`alias.` prefix, or none in the index definition). A query
 * must spell it exactly like this for PostgreSQL to match it to the index. Never NULL
 * (array_to_tsvector rejects NULL lexemes): a row without a leaf index gets run -1.
 */
export function searchKeysSql(alias?: string): string {
  const col = (name: string) => (alias ? `${alias}.${name}` : name);
  const city = `'o:' || md5(${col('org_id')})`;
  return `array_to_tsvector(ARRAY[${city}, ${city} || ':' || coalesce(${col('leaf_index')} / ${SEARCH_BUCKET}, -1)::text])`;
}

export function archiveSearchPgMigration(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      if (dialect !== 'postgres') return;
      // Index builds over an existing archive sort in memory; the default 64 MB makes them spill.
      await sql.raw(`SET LOCAL maintenance_work_mem = '256MB'`).execute(db);
      await sql.raw(`CREATE INDEX archive_contents_search ON archive_contents USING gin (tsv, (${searchKeysSql()}))`).execute(db);
      // The new index serves every query the old one did (a GIN column is searched on its own too).
      await sql.raw('DROP INDEX archive_contents_tsv').execute(db);
      for (const [name, columns] of [
        ['archive_records_captured', 'org_id, captured_at, leaf_index'],
        ['archive_records_kind', 'org_id, kind, captured_at, leaf_index'],
        ['archive_records_account', 'org_id, account_id, captured_at, leaf_index'],
      ] as const) {
        await sql.raw(`DROP INDEX ${name}`).execute(db);
        await sql.raw(`CREATE INDEX ${name} ON archive_records (${columns})`).execute(db);
      }
      await sql.raw('ANALYZE archive_records').execute(db);
      await sql.raw('ANALYZE archive_contents').execute(db);
    },
  };
}
