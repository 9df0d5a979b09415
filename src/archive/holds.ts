// Legal holds, and what a set of criteria matches. A hold is a saved set of criteria (account,
// capture dates, author, words); while it is active, every record those criteria match is kept
// whatever its retention date (records requests and litigation: KA-13, BZ-13, BZ-15, LX-10, MN-10).
// Search filters use the same criteria, so "what a hold covers" and "what a search with the same
// criteria finds" are one definition, written once here as SQL over `archive_records r` joined to
// `archive_contents c`.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Dialect } from '../db/database.js';
import { accountToken } from '../db/migration-search-keys.js';
import type { ArchiveDeps } from './archive.service.js';

export interface HoldCriteria {
  accountId?: string;
  /** ISO date or date-time, on captured_at; a date alone covers that whole day (UTC). */
  from?: string;
  to?: string;
  /** An author's handle, display name or platform id. */
  author?: string;
  /** Words and "quoted phrases", all of which must appear. */
  query?: string;
}

export interface HoldRef {
  id: string;
  name: string;
}

export interface Hold extends HoldRef {
  reason: string;
  criteria: HoldCriteria;
  createdBy: string;
  createdAt: string;
  releasedAt: string | null;
  releasedBy: string | null;
  active: boolean;
}

/** The database and its dialect: a transaction can stand in for the database. */
export type ArchiveDb = Pick<ArchiveDeps, 'db' | 'dialect'>;

// ---------------------------------------------------------------------------------------------
// Text: what a person typed becomes a query the database cannot misread.

/**
 * The searchable pieces of free text: words, and "quoted phrases" kept together (an unclosed
 * quote runs to the end). Pieces with no letter or digit are dropped, so `*`, `-` or `:` alone
 * never reach the full-text engine; operators such as NEAR, OR or a leading `-` are plain words.
 */
export function parseSearchText(text: string): string[] {
  const pieces: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"?|(\S+)/g)) {
    const piece = (m[1] ?? m[2] ?? '').replace(/"/g, ' ').replace(/\s+/g, ' ').trim();
    if (/[\p{L}\p{N}]/u.test(piece)) pieces.push(piece.slice(0, 200));
  }
  return pieces.slice(0, 32);
}

/** archive_fts as Kysely sees it when a query drives from it (SQLite only; not in the DB type). */
export interface FtsRow {
  rowid: number;
  archive_fts: string;
}

/** FTS5: each piece a quoted phrase (inside quotes only `"` is special, and none are left). */
function ftsPhrase(piece: string): string {
  return `"${piece.replace(/"/g, '""')}"`;
}

/** PostgreSQL: websearch_to_tsquery never raises on input; quoting keeps every piece a phrase. */
function websearch(pieces: readonly string[]): string {
  return pieces.map((p) => `"${p.replace(/"/g, ' ')}"`).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Criteria, checked and resolved, ready to become SQL.

export type AuthorMatch = { by: 'handle'; values: string[] } | { by: 'name' | 'id'; value: string } | 'nobody';

export interface MatchSpec {
  accountId?: string;
  /** Inclusive lower bound on captured_at (ISO). */
  from?: string;
  /** Exclusive upper bound on captured_at (ISO). */
  before?: string;
  author?: AuthorMatch;
  /** Text pieces, all required. */
  pieces?: string[];
}

/** Normalizes a date bound: `to` becomes exclusive (a bare date covers its whole UTC day). Null when not a date. */
export function dateBound(value: string, side: 'from' | 'to'): string | null {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
  if (side === 'from') return new Date(ms).toISOString();
  // captured_at is stored with millisecond precision, so "<= t" is "< t + 1 ms".
  return new Date(dateOnly ? ms + 86_400_000 : ms + 1).toISOString();
}

/**
 * Which author a person meant: a handle (with or without "@"), else a display name (any case),
 * else a platform id. Tried in that order with indexed look-ups, so the search itself filters on
 * one indexed column instead of an OR over three.
 */
export async function resolveAuthor(a: ArchiveDb, orgId: string, input: string): Promise<AuthorMatch> {
  const raw = input.trim();
  if (!raw) return 'nobody';
  const handle = raw.replace(/^@/, '');
  const handles = [...new Set([handle, handle.toLowerCase()])];
  const byHandle = await a.db.selectFrom('archive_contents').select('record_id')
    .where('org_id', '=', orgId).where('author_handle', 'in', handles).limit(1).executeTakeFirst();
  if (byHandle) return { by: 'handle', values: handles };
  const name: AuthorMatch = { by: 'name', value: raw };
  // Names are in the full-text index (SQLite: its author column): candidates come from there.
  const byName = a.dialect === 'postgres'
    ? await a.db.selectFrom('archive_contents as c').select('c.record_id').where('c.org_id', '=', orgId)
      .where(authorCondition(a.dialect, name)).limit(1).executeTakeFirst()
    : await a.db.selectFrom(sql<FtsRow>`archive_fts`.as('f')).crossJoin('archive_contents as c').select('c.record_id')
      .where(sql<SqlBool>`f.archive_fts MATCH ${ftsExpression({ author: name })}`).where(sql<SqlBool>`c.rowid = f.rowid`)
      .where('c.org_id', '=', orgId).where(authorCondition(a.dialect, name)).limit(1).executeTakeFirst();
  if (byName) return name;
  // A handle that matched nothing (it has a dot and no colon, unlike did:… or numeric ids) is not
  // looked up as an id: author_id has no index, so that look-up would read every content row.
  if (/\s/.test(raw) || (raw.includes('.') && !raw.includes(':'))) return 'nobody';
  const byId = await a.db.selectFrom('archive_contents').select('record_id')
    .where('org_id', '=', orgId).where('author_id', '=', raw).limit(1).executeTakeFirst();
  return byId ? { by: 'id', value: raw } : 'nobody';
}

/** Resolves criteria (the author look-up needs the database). */
export async function matchSpec(a: ArchiveDb, orgId: string, criteria: HoldCriteria): Promise<MatchSpec> {
  const spec: MatchSpec = {};
  if (criteria.accountId) spec.accountId = criteria.accountId;
  if (criteria.from) spec.from = dateBound(criteria.from, 'from') ?? undefined;
  if (criteria.to) spec.before = dateBound(criteria.to, 'to') ?? undefined;
  if (criteria.author) spec.author = await resolveAuthor(a, orgId, criteria.author);
  const pieces = criteria.query ? parseSearchText(criteria.query) : [];
  if (pieces.length) spec.pieces = pieces;
  return spec;
}

/** SQLite only: the FTS5 expression for the spec's words and author name, or null. */
export function ftsExpression(spec: MatchSpec): string | null {
  // Words are looked for in the text and author columns only, never in `keys`.
  const parts = (spec.pieces ?? []).map((piece) => `{text author} : ${ftsPhrase(piece)}`);
  const author = spec.author;
  if (author && author !== 'nobody' && author.by === 'name') parts.push(`author : ${ftsPhrase(author.value)}`);
  if (parts.length === 0) return null;
  // An account with words: the index intersects the account's list with the words' (0004).
  if (spec.accountId !== undefined) parts.push(`keys : ${ftsPhrase(accountToken('sqlite', spec.accountId))}`);
  return parts.join(' AND ');
}

/**
 * The author test on `c`. For a name the full-text index finds the candidates (PostgreSQL here;
 * SQLite through ftsExpression) and the exact, case-blind comparison decides.
 */
function authorCondition(dialect: Dialect, author: AuthorMatch): RawBuilder<SqlBool> {
  if (author === 'nobody') return sql<SqlBool>`1 = 0`;
  if (author.by === 'handle') return sql<SqlBool>`c.author_handle IN (${sql.join(author.values)})`;
  if (author.by === 'id') return sql<SqlBool>`c.author_id = ${author.value}`;
  const exact = sql<SqlBool>`lower(c.author_name) = lower(cast(${author.value} as text))`;
  if (dialect === 'postgres') return sql<SqlBool>`(c.tsv @@ phraseto_tsquery('english', ${author.value}) AND ${exact})`;
  return exact;
}

/** A per-row FTS5 test. Never ask for `rank` here: FTS5 would rescan a common word's list per row. */
function ftsProbe(expression: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`EXISTS (SELECT 1 FROM archive_fts WHERE archive_fts MATCH ${expression} AND rowid = c.rowid)`;
}

/**
 * The spec as one SQL condition over `r` and `c`. `fts: 'omit'` leaves out the SQLite full-text
 * part, for a query that already drives from archive_fts with `ftsExpression(spec)`.
 */
export function specCondition(dialect: Dialect, spec: MatchSpec, fts: 'probe' | 'omit' = 'probe'): RawBuilder<SqlBool> {
  const parts: RawBuilder<SqlBool>[] = [];
  if (spec.accountId !== undefined) {
    // With words the content row's copy of the account is tested (the record row may not be read).
    parts.push(spec.pieces?.length ? sql<SqlBool>`c.account_id = ${spec.accountId}` : sql<SqlBool>`r.account_id = ${spec.accountId}`);
    // A quoted tsquery lexeme is taken verbatim (the token is letters, digits and a colon).
    if (dialect === 'postgres' && spec.pieces?.length) parts.push(sql<SqlBool>`c.tsv @@ cast(${`'${accountToken('postgres', spec.accountId)}'`} as tsquery)`);
  }
  if (spec.from !== undefined) parts.push(sql<SqlBool>`r.captured_at >= ${spec.from}`);
  if (spec.before !== undefined) parts.push(sql<SqlBool>`r.captured_at < ${spec.before}`);
  if (spec.author !== undefined) parts.push(authorCondition(dialect, spec.author));
  if (dialect === 'postgres') {
    if (spec.pieces?.length) parts.push(sql<SqlBool>`c.tsv @@ websearch_to_tsquery('english', ${websearch(spec.pieces)})`);
  } else if (fts === 'probe') {
    const expression = ftsExpression(spec);
    if (expression) parts.push(ftsProbe(expression));
  }
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` AND `)})` : sql<SqlBool>`1 = 1`;
}

// ---------------------------------------------------------------------------------------------
// What later happened to the platform object a record captured (search's `status` filter).

/**
 * Written so SQLite cannot pick an index on kind: without statistics it may prefer one over the
 * subject index and read every deletion of the city for each record.
 */
function kindIs(alias: 'd' | 'v', kind: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${alias}.kind`)} || '') = ${kind}`;
}

/** A deletion record names the object `r` captured. */
export function deletedCondition(): RawBuilder<SqlBool> {
  return sql<SqlBool>`EXISTS (SELECT 1 FROM archive_records d WHERE d.org_id = r.org_id AND d.subject_id = r.platform_id AND ${kindIs('d', 'deletion')})`;
}

/**
 * The latest visibility change of the object `r` captured hid it. Sorting on an expression keeps
 * SQLite on the subject index (ordering by the capture-date index would scan the city).
 */
export function hiddenCondition(dialect: Dialect): RawBuilder<SqlBool> {
  const visibility = dialect === 'postgres'
    ? sql`(vc.canonical::jsonb -> 'meta' ->> 'visibility')`
    : sql`json_extract(vc.canonical, '$.meta.visibility')`;
  return sql<SqlBool>`(SELECT ${visibility} FROM archive_records v JOIN archive_contents vc ON vc.record_id = v.id
    WHERE v.org_id = r.org_id AND v.subject_id = r.platform_id AND ${kindIs('v', 'visibility_change')}
    ORDER BY v.captured_at || '' DESC, v.leaf_index DESC LIMIT 1) = 'hidden'`;
}

// ---------------------------------------------------------------------------------------------
// Holds

type HoldRow = DB['legal_holds'];

function toHold(row: HoldRow): Hold {
  return {
    id: row.id, name: row.name, reason: row.reason, criteria: JSON.parse(row.criteria) as HoldCriteria,
    createdBy: row.created_by, createdAt: row.created_at, releasedAt: row.released_at, releasedBy: row.released_by,
    active: row.released_at === null,
  };
}

/** Every hold of the city, active ones first, newest first. */
export async function listHolds(db: Kysely<DB>, orgId: string): Promise<Hold[]> {
  const rows = await db.selectFrom('legal_holds').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').execute();
  const holds = rows.map(toHold);
  return [...holds.filter((h) => h.active), ...holds.filter((h) => !h.active)];
}

export async function getHold(db: Kysely<DB>, orgId: string, holdId: string): Promise<Hold | undefined> {
  const row = await db.selectFrom('legal_holds').selectAll().where('org_id', '=', orgId).where('id', '=', holdId).executeTakeFirst();
  return row ? toHold(row) : undefined;
}

export async function activeHolds(db: Kysely<DB>, orgId: string): Promise<Hold[]> {
  const rows = await db.selectFrom('legal_holds').selectAll().where('org_id', '=', orgId).where('released_at', 'is', null)
    .orderBy('created_at').execute();
  return rows.map(toHold);
}

/** Each active hold with its resolved criteria. */
export async function activeHoldSpecs(a: ArchiveDb, orgId: string): Promise<Array<{ hold: Hold; spec: MatchSpec }>> {
  const holds = await activeHolds(a.db, orgId);
  return Promise.all(holds.map(async (hold) => ({ hold, spec: await matchSpec(a, orgId, hold.criteria) })));
}

/**
 * A condition over `r` and `c` true for records some active hold covers (false when none is
 * active): search's `onHold` filter, and disposition's exclusion, in the same statement.
 */
export function heldCondition(dialect: Dialect, specs: ReadonlyArray<{ spec: MatchSpec }>): RawBuilder<SqlBool> {
  if (specs.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(specs.map((s) => specCondition(dialect, s.spec)), sql` OR `)})`;
}

const CHUNK = 400;

/**
 * `r.org_id = ?` for look-ups by record id. Written so SQLite cannot use it as an index: without
 * statistics it would scan the whole city through (org_id, …) instead of the unique id index.
 */
export function sameOrg(orgId: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(r.org_id || '') = ${orgId}`;
}

/** Which active holds cover each of these records (a destroyed record is covered by none). */
export async function holdsCovering(a: ArchiveDb, orgId: string, recordIds: readonly string[]): Promise<Map<string, HoldRef[]>> {
  const covering = new Map<string, HoldRef[]>();
  if (recordIds.length === 0) return covering;
  const specs = await activeHoldSpecs(a, orgId);
  for (const { hold, spec } of specs) {
    for (let i = 0; i < recordIds.length; i += CHUNK) {
      const rows = await a.db.selectFrom('archive_records as r').innerJoin('archive_contents as c', 'c.record_id', 'r.id')
        .select('r.id').where(sameOrg(orgId)).where('r.id', 'in', recordIds.slice(i, i + CHUNK))
        .where(specCondition(a.dialect, spec)).execute();
      for (const { id } of rows) covering.set(id, [...(covering.get(id) ?? []), { id: hold.id, name: hold.name }]);
    }
  }
  return covering;
}
