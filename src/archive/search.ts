// Archive search: one interface over SQLite FTS5 and PostgreSQL tsvector.
//
// Speed at a million records comes from never touching more than about CAP matching rows: a
// search finds at most CAP + 1 matches (enough to say "1000+"), in the order its index yields
// them most cheaply, and reads only the page shown in full. With words, those matches are ranked
// by relevance in process (the same scoring on both databases; FTS5's bm25 costs more per row
// than reading the text). With more than CAP matches only the first CAP found are ranked
// (SQLite: the newest; PostgreSQL: the log's oldest runs first, in storage order), and
// `totalCapped` says to narrow the search.
import { sql, type JoinBuilder, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.js';
import { z } from 'zod';
import { badRequest } from '../http/errors.js';
import type { ArchiveDeps } from './archive.service.js';
import { RECORD_KINDS, type RecordKind } from './record.js';
import { SEARCH_BUCKET, searchKey, searchKeysSql } from '../db/migration-archive-search-pg.js';
import {
  activeHoldSpecs, dateBound, deletedCondition, ftsExpression, heldCondition, hiddenCondition, holdsCovering, matchSpec,
  sameOrg, specCondition, type FtsRow, type HoldRef, type MatchSpec,
} from './holds.js';

export interface ArchiveQuery {
  text?: string;
  accountId?: string;
  kind?: RecordKind | RecordKind[];
  /** A handle, display name or platform id. */
  author?: string;
  /** ISO date or date-time, on captured_at; a bare `to` date includes that whole day (UTC). */
  from?: string;
  to?: string;
  /** The platform object was later deleted, or is hidden now (its latest visibility change). */
  status?: 'deleted' | 'hidden';
  /** Only records some active legal hold covers (true), or none covers (false). */
  onHold?: boolean;
  /** Default 50, at most 500. */
  limit?: number;
  offset?: number;
}

export interface ArchiveHit {
  id: string;
  leafIndex: number;
  kind: string;
  series: string;
  platform: string | null;
  accountId: string | null;
  platformId: string | null;
  threadId: string | null;
  capturedAt: string;
  platformTime: string | null;
  author: { id: string | null; handle: string | null; name: string | null };
  /** Null once the record's content was destroyed under an approved disposition. */
  text: string | null;
  /** HTML-escaped fragment of the text with the matched words in <mark>; null when destroyed. */
  snippet: string | null;
  deleted: boolean;
  hidden: boolean;
  holds: HoldRef[];
  destroyed: boolean;
}

export interface ArchiveResults {
  /** Matches, counted up to SEARCH_CAP. */
  total: number;
  /** True when there are more than SEARCH_CAP matches ("1000+"). */
  totalCapped: boolean;
  results: ArchiveHit[];
}

export const SEARCH_CAP = 1000;
const MAX_OFFSET = 10_000;
/** Below this many full-text matches (or records in a date range) a side is "small". */
const SMALL = 1000;
/** Characters of each candidate read for ranking. */
const RANK_CHARS = 4000;

const isoDate = (side: 'from' | 'to') => z.string().trim().refine((v) => dateBound(v, side) !== null, 'expected an ISO 8601 date or date-time');
const QuerySchema = z.strictObject({
  text: z.string().max(1000).optional(),
  accountId: z.string().min(1).max(512).optional(),
  kind: z.union([z.enum(RECORD_KINDS), z.array(z.enum(RECORD_KINDS)).max(RECORD_KINDS.length)]).optional(),
  author: z.string().trim().min(1).max(512).optional(),
  from: isoDate('from').optional(),
  to: isoDate('to').optional(),
  status: z.enum(['deleted', 'hidden']).optional(),
  onHold: z.boolean().optional(),
  limit: z.number().int().min(1).max(500).optional(),
  offset: z.number().int().min(0).max(MAX_OFFSET).optional(),
});

interface Candidate {
  id: string;
  /** PostgreSQL word matches: the row's place in storage. */
  ctid?: string;
  captured_at?: string;
  leaf_index?: number;
  text?: string | null;
}

export async function searchArchive(deps: ArchiveDeps, orgId: string, input: ArchiveQuery): Promise<ArchiveResults> {
  const parsed = QuerySchema.safeParse(input);
  if (!parsed.success) {
    throw badRequest('The search is not valid', parsed.error.issues.map((i) => ({ path: `query.${i.path.join('.')}`, message: i.message })));
  }
  const q = parsed.data;
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const spec = await matchSpec(deps, orgId, { accountId: q.accountId, from: q.from, to: q.to, author: q.author, query: q.text });
  if (spec.author === 'nobody') return { total: 0, totalCapped: false, results: [] };
  const rec: RawBuilder<SqlBool>[] = [];
  const kinds = q.kind === undefined ? [] : [q.kind].flat();
  if (kinds.length) rec.push(sql<SqlBool>`r.kind IN (${sql.join(kinds)})`);
  if (q.status) rec.push(q.status === 'deleted' ? deletedCondition() : hiddenCondition(deps.dialect));
  if (q.onHold !== undefined) {
    const held = heldCondition(deps.dialect, await activeHoldSpecs(deps, orgId));
    rec.push(q.onHold ? held : sql<SqlBool>`NOT (${held})`);
  }
  const scope: Scope = { deps, orgId, spec, rec };
  const words = spec.pieces ? matchersOf(spec.pieces) : [];

  let found: Candidate[];
  if (spec.pieces) {
    // Up to CAP + 1 matches in the order the index yields them most cheaply (SQLite: newest
    // first; PostgreSQL: oldest runs first, storage order, reversed so ties read newest first),
    // then ranked.
    found = deps.dialect === 'postgres'
      ? (await (needsRecords(scope) ? postgresFilteredWordMatches : postgresWordMatches)(scope, SEARCH_CAP + 1)).reverse()
      : await sqliteMatches(scope, SEARCH_CAP + 1);
    const scored = found.slice(0, SEARCH_CAP).map((c, i) => ({ c, i, score: relevance(c.text ?? '', words) }));
    scored.sort((a, b) => b.score - a.score || a.i - b.i);
    found = [...scored.map((x) => x.c), ...found.slice(SEARCH_CAP)];
  } else {
    // Newest first can page past CAP (the count still stops there).
    const window = Math.max(SEARCH_CAP, offset + limit) + 1;
    found = deps.dialect === 'postgres' ? await postgresNewest(scope, window) : await sqliteMatches(scope, window);
  }
  const shown = spec.pieces ? found.slice(0, SEARCH_CAP) : found;
  const page = shown.slice(offset, offset + limit).map((c) => c.id);
  return { total: Math.min(found.length, SEARCH_CAP), totalCapped: found.length > SEARCH_CAP, results: await hydrate(deps, orgId, page, words) };
}

/** What a search asks, ready for SQL over `r` (archive_records) and `c` (archive_contents). */
interface Scope {
  deps: ArchiveDeps;
  orgId: string;
  spec: MatchSpec;
  /** Conditions on `r` beyond the spec: kinds, platform status, holds. */
  rec: RawBuilder<SqlBool>[];
}

/**
 * Whether anything asked needs the record row; words, authors, and an account with words (the
 * content row's copy) live in the content row.
 */
function needsRecords({ spec, rec }: Scope): boolean {
  const account = spec.accountId !== undefined && !spec.pieces?.length;
  return rec.length > 0 || account || spec.from !== undefined || spec.before !== undefined;
}

function columns(spec: MatchSpec, withRecord: boolean) {
  const text = spec.pieces ? [sql<string | null>`substr(c.text, 1, ${RANK_CHARS})`.as('text')] : [];
  return withRecord
    ? [sql<string>`r.id`.as('id'), sql<string>`r.captured_at`.as('captured_at'), sql<number>`r.leaf_index`.as('leaf_index'), ...text]
    : [sql<string>`c.record_id`.as('id'), ...text];
}

/** The content row of `r`; naming its org lets the author index (org_id, author_handle) be used in full. */
const sameCity = (join: JoinBuilder<DB & { r: DB['archive_records'] } & { c: DB['archive_contents'] }, 'r' | 'c'>) =>
  join.onRef('c.record_id', '=', 'r.id').onRef('c.org_id', '=', 'r.org_id');

const recordWhere = ({ orgId, rec }: Scope) => sql<SqlBool>`${sql.join([sql<SqlBool>`r.org_id = ${orgId}`, ...rec], sql` AND `)}`;

/** Newest first, as the databases order them. */
function newestFirst(a: Candidate, b: Candidate): number {
  const x = a.captured_at ?? '';
  const y = b.captured_at ?? '';
  return x < y ? 1 : x > y ? -1 : (b.leaf_index ?? 0) - (a.leaf_index ?? 0);
}

/**
 * PostgreSQL without words, newest first: the capture-date indexes end in leaf_index (0013), so
 * with a kind, an account or neither the first `limit` index entries are the answer, no sort.
 */
async function postgresNewest(s: Scope, limit: number): Promise<Candidate[]> {
  const { deps, spec } = s;
  return deps.db.selectFrom('archive_records as r').leftJoin('archive_contents as c', sameCity)
    .select(columns(spec, true)).where(recordWhere(s)).where(specCondition(deps.dialect, spec))
    .orderBy('r.captured_at', 'desc').orderBy('r.leaf_index', 'desc').limit(limit).execute();
}

/**
 * Pages a scan asks the OS for ahead of reading them. The first 1,001 matches of a word sit on
 * about as many scattered heap pages; read one at a time (the server default, 1) a cold search
 * waits for each in turn, prefetched it waits for about the slowest (half the time at 1M records).
 */
const PREFETCH_PAGES = 32;

/**
 * PostgreSQL, words: the first `limit` matches, oldest runs of the log first (0013), each run in
 * storage order. A GIN scan collects every match before it returns one, so a common word costs
 * time in proportion to the archive unless the scan is narrowed: each scan takes the runs that,
 * at the rate matches turned up so far, should hold what is missing, and once that is most of
 * the rest (or the log is small) one open-ended scan reads the rest. A common word costs one scan
 * of one run, a rare one two scans.
 */
async function postgresWordMatches(s: Scope, limit: number): Promise<Candidate[]> {
  const log = await s.deps.db.selectFrom('archive_logs').select('size').where('org_id', '=', s.orgId).executeTakeFirst();
  const size = log?.size ?? 0;
  const found = await withPrefetch(s.deps.db, async (db) => {
    const t: Scope = { ...s, deps: { ...s.deps, db } };
    const out: Candidate[] = [];
    let next = 0;
    while (out.length < limit) {
      const read = Math.min(next * SEARCH_BUCKET, size);
      const missing = limit - out.length;
      const rest = size - read;
      const perLeaf = read > 0 ? out.length / read : undefined;
      // The last scan is open-ended, so it also sees records captured since `size` was read.
      if (rest <= 2 * SEARCH_BUCKET || (perLeaf !== undefined && perLeaf * rest <= 1.5 * missing)) {
        out.push(...await postgresWordScan(t, { fromBucket: next }, missing));
        break;
      }
      const leaves = perLeaf === undefined ? SEARCH_BUCKET : (1.25 * missing) / perLeaf;
      const runs = Math.max(1, Math.min(Math.ceil(leaves / SEARCH_BUCKET), Math.floor(rest / SEARCH_BUCKET)));
      out.push(...await postgresWordScan(t, { buckets: [next, next + runs] }, missing));
      next += runs;
    }
    return out;
  });
  // Storage order across scans too, as the ranking expects (ties read newest first once reversed).
  return found.sort((a, b) => storagePlace(a) - storagePlace(b));
}

/** Runs `body` with prefetching, in a transaction of its own so that the setting ends with it. */
async function withPrefetch<T>(db: Kysely<DB>, body: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  // Inside a caller's transaction the setting would outlive the search: read without it.
  if (db.isTransaction) return body(db);
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL effective_io_concurrency = ${sql.lit(PREFETCH_PAGES)}`.execute(trx);
    return body(trx);
  });
}

/** A row's place in the table from its ctid "(page,item)"; items per page stay below 2^16. */
function storagePlace(c: Candidate): number {
  const [page = 0, item = 0] = (c.ctid ?? '(0,0)').slice(1, -1).split(',').map(Number);
  return page * 65_536 + item;
}

/**
 * One scan of the content rows matching the words, in runs [from, to) of the log, or in every run
 * from `fromBucket` on. The city is re-checked on the row with an expression no index serves: the
 * run and city keys already narrow the GIN scan, and ANDing in a btree on org_id would read an
 * entry for every record the city has.
 */
function postgresWordScan(s: Scope, runs: { buckets: [number, number] } | { fromBucket: number }, limit: number): Promise<Candidate[]> {
  const { deps: { db, dialect }, orgId, spec } = s;
  const keys = 'buckets' in runs
    ? Array.from({ length: runs.buckets[1] - runs.buckets[0] }, (_, i) => searchKey(orgId, runs.buckets[0] + i))
    : [searchKey(orgId)];
  let query = db.selectFrom('archive_contents as c').select([...columns(spec, false), sql<string>`c.ctid::text`.as('ctid')])
    .where(sql<SqlBool>`(c.org_id || '') = ${orgId}`)
    // Verbatim lexemes (letters, digits, colons) in quotes: the cast takes them as they are.
    .where(sql<SqlBool>`${sql.raw(searchKeysSql('c'))} @@ cast(${keys.map((k) => `'${k}'`).join(' | ')} as tsquery)`)
    .where(specCondition(dialect, spec));
  if ('fromBucket' in runs && runs.fromBucket > 0) query = query.where('c.leaf_index', '>=', runs.fromBucket * SEARCH_BUCKET);
  return query.limit(limit).execute();
}

/**
 * PostgreSQL with words and a filter on the record (dates, kind, status, holds): planned from the
 * statistics, in storage order.
 */
async function postgresFilteredWordMatches(s: Scope, limit: number): Promise<Candidate[]> {
  const { deps, spec } = s;
  return deps.db.selectFrom('archive_records as r').leftJoin('archive_contents as c', sameCity)
    .select(columns(spec, true)).where(recordWhere(s)).where(specCondition(deps.dialect, spec)).limit(limit).execute();
}

/**
 * SQLite has no statistics on how common a word is, so the plan is chosen here (CROSS JOIN
 * fixes SQLite's join order): by an author's index; from the full-text index when the words
 * are rare or nothing narrower is given (its rowids follow capture order, newest last); else
 * from the capture-date index, testing the words row by row. Each stops after `limit` matches.
 */
async function sqliteMatches(s: Scope, limit: number): Promise<Candidate[]> {
  const { deps: { db, dialect }, spec } = s;
  const author = spec.author;
  const fts = ftsExpression(spec);
  const byAuthor = author !== undefined && author !== 'nobody' && author.by !== 'name';
  let fromFts = fts !== null && !byAuthor;
  if (fromFts && fts !== null && (spec.from !== undefined || spec.before !== undefined)) {
    const words = await db.selectFrom(sql<FtsRow>`archive_fts`.as('f')).select(sql<number>`f.rowid`.as('rowid'))
      .where(sql<SqlBool>`f.archive_fts MATCH ${fts}`).limit(SMALL).execute();
    if (words.length >= SMALL) {
      let range = db.selectFrom('archive_records as r').select('r.leaf_index').where('r.org_id', '=', s.orgId);
      if (spec.from !== undefined) range = range.where('r.captured_at', '>=', spec.from);
      if (spec.before !== undefined) range = range.where('r.captured_at', '<', spec.before);
      fromFts = (await range.limit(SMALL).execute()).length >= SMALL;
    }
  }
  if (fromFts && fts !== null) {
    const base = db.selectFrom(sql<FtsRow>`archive_fts`.as('f')).crossJoin('archive_contents as c')
      .where(sql<SqlBool>`f.archive_fts MATCH ${fts}`).where(sql<SqlBool>`c.rowid = f.rowid`)
      .where(specCondition(dialect, spec, 'omit')).orderBy(sql`f.rowid`, 'desc').limit(limit);
    // Words alone need only the content row (its org_id): a third fewer random reads per match.
    if (spec.pieces && !needsRecords(s)) return base.where('c.org_id', '=', s.orgId).select(columns(spec, false)).execute();
    const found = await base.crossJoin('archive_records as r').where(sql<SqlBool>`r.id = c.record_id`).where(recordWhere(s))
      .select(columns(spec, true)).execute();
    // A backfilled record has an older captured_at than its rowid suggests.
    return spec.pieces ? found : found.sort(newestFirst);
  }
  if (byAuthor) {
    return db.selectFrom('archive_contents as c').crossJoin('archive_records as r').select(columns(spec, true))
      .where(sql<SqlBool>`r.id = c.record_id AND c.org_id = r.org_id`).where(recordWhere(s)).where(specCondition(dialect, spec))
      .orderBy('r.captured_at', 'desc').orderBy('r.leaf_index', 'desc').limit(limit).execute();
  }
  return db.selectFrom('archive_records as r').leftJoin('archive_contents as c', sameCity)
    .select(columns(spec, true)).where(recordWhere(s)).where(specCondition(dialect, spec))
    .orderBy('r.captured_at', 'desc').orderBy('r.leaf_index', 'desc').limit(limit).execute();
}

/** The page's records in full, in the given order. */
async function hydrate(deps: ArchiveDeps, orgId: string, ids: string[], words: RegExp[]): Promise<ArchiveHit[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.selectFrom('archive_records as r').leftJoin('archive_contents as c', 'c.record_id', 'r.id')
    .select(['r.id', 'r.leaf_index', 'r.kind', 'r.series', 'r.platform', 'r.account_id', 'r.platform_id', 'r.thread_id',
      'r.captured_at', 'r.platform_time', 'c.record_id as content_id', 'c.text', 'c.author_id', 'c.author_handle', 'c.author_name',
      sql<number>`CASE WHEN ${deletedCondition()} THEN 1 ELSE 0 END`.as('deleted'),
      sql<number>`CASE WHEN ${hiddenCondition(deps.dialect)} THEN 1 ELSE 0 END`.as('hidden')])
    .where(sameOrg(orgId)).where('r.id', 'in', ids).execute();
  const holds = await holdsCovering(deps, orgId, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const destroyed = r.content_id === null;
    return [{
      id: r.id, leafIndex: r.leaf_index, kind: r.kind, series: r.series, platform: r.platform, accountId: r.account_id,
      platformId: r.platform_id, threadId: r.thread_id, capturedAt: r.captured_at, platformTime: r.platform_time,
      author: { id: r.author_id, handle: r.author_handle, name: r.author_name },
      text: destroyed ? null : r.text, snippet: destroyed ? null : highlight(r.text ?? '', words),
      deleted: Number(r.deleted) === 1, hidden: Number(r.hidden) === 1, holds: holds.get(id) ?? [], destroyed,
    }];
  });
}

// ---------------------------------------------------------------------------------------------
// Ranking and snippets, in process: the same on both databases. Words compare case- and
// accent-blind, with plural, -ed and -ing endings (near enough to both engines' stemming).

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower case without accents; the common all-ASCII case skips Unicode normalization. */
function foldText(text: string): string {
  return /^[\x00-\x7f]*$/.test(text) ? text.toLowerCase() : text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function stem(w: string): string {
  if (w.length <= 4) return w;
  if (w.endsWith('ing')) return w.slice(0, -3);
  if (w.endsWith('ed')) return w.slice(0, -2);
  return w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
}

/** One pattern per piece of the query: its words in order, each with an optional ending. */
function matchersOf(pieces: readonly string[]): RegExp[] {
  return pieces.flatMap((piece) => {
    // Words are letters and digits only: nothing in them needs escaping.
    const words = (foldText(piece).match(WORD) ?? []).map(stem);
    if (words.length === 0) return [];
    const body = words.map((w) => `${w}(?:s|es|d|ed|ing|ings)?`).join('[^\\p{L}\\p{N}]+');
    return [new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'gu')];
  });
}

/** BM25-like: occurrences of every piece, saturating; shorter texts win ties. Runs on up to CAP texts. */
function relevance(text: string, matchers: readonly RegExp[]): number {
  const folded = foldText(text);
  const norm = 0.25 + 0.75 * (folded.length / 250);
  return matchers.reduce((sum, m) => {
    const n = folded.match(m)?.length ?? 0;
    return sum + (n * 2.2) / (n + 1.2 * norm);
  }, 0);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** About 240 characters from just before the first match, HTML-escaped, matches in <mark>. */
function highlight(text: string, matchers: readonly RegExp[]): string {
  // Folding keeps positions when accents are precomposed (capture stores NFC); else match as is.
  const folded = foldText(text);
  const haystack = folded.length === text.length ? folded : text.toLowerCase();
  const spans = matchers.flatMap((m) => [...haystack.matchAll(m)].map((x) => [x.index, x.index + x[0].length] as const))
    .sort((a, b) => a[0] - b[0]);
  const first = spans[0]?.[0] ?? 0;
  const back = text.lastIndexOf(' ', Math.max(0, first - 60));
  const start = first === 0 || back < 0 ? 0 : back + 1;
  const end = Math.min(text.length, start + 240);
  let out = start > 0 ? '…' : '';
  let at = start;
  for (const [from, to] of spans) {
    if (from < at || to > end) continue;
    out += `${escapeHtml(text.slice(at, from))}<mark>${escapeHtml(text.slice(from, to))}</mark>`;
    at = to;
  }
  return out + escapeHtml(text.slice(at, end)) + (end < text.length ? '…' : '');
}
