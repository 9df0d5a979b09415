// Archive search: one interface over SQLite FTS5 and PostgreSQL tsvector.
//
// Speed at a million records comes from never touching more than about CAP matching rows: the
// candidates are at most the CAP + 1 newest records that match (enough to say "1000+"), found by
// whichever index is most selective, and only the page shown is read in full. With words, those
// candidates are ranked by relevance in process (the same scoring on both databases; FTS5's
// bm25 per row would rescan a common word's whole posting list). So a common word ranks the
// newest CAP matches, and `totalCapped` tells the person to narrow the search.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import { badRequest } from '../http/errors.js';
import type { ArchiveDeps } from './archive.service.js';
import { RECORD_KINDS, type RecordKind } from './record.js';
import {
  activeHoldSpecs, dateBound, ftsExpression, heldCondition, holdsCovering, matchSpec, sameOrg, specCondition,
  type FtsRow, type HoldRef, type MatchSpec,
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
  captured_at: string;
  leaf_index: number;
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

  const extra: RawBuilder<SqlBool>[] = [sql<SqlBool>`r.org_id = ${orgId}`];
  const kinds = q.kind === undefined ? [] : [q.kind].flat();
  if (kinds.length) extra.push(sql<SqlBool>`r.kind IN (${sql.join(kinds)})`);
  if (q.status) extra.push(statusCondition(deps, q.status));
  if (q.onHold !== undefined) {
    const held = heldCondition(deps.dialect, await activeHoldSpecs(deps, orgId));
    extra.push(q.onHold ? held : sql<SqlBool>`NOT (${held})`);
  }
  const where = sql<SqlBool>`${sql.join(extra, sql` AND `)}`;
  // Ranked results page within a fixed window; newest-first results can page further back.
  const window = spec.pieces ? SEARCH_CAP : Math.max(SEARCH_CAP, offset + limit);
  const found = deps.dialect === 'postgres'
    ? await postgresCandidates(deps, spec, where, window)
    : await sqliteCandidates(deps, orgId, spec, where, window);
  const candidates = found.slice(0, window);
  const words: Phrase[] = spec.pieces ? wordsOf(spec.pieces) : [];
  if (spec.pieces) {
    const scored = candidates.map((c, i) => ({ c, i, score: relevance(c.text ?? '', spec.pieces ?? []) }));
    scored.sort((a, b) => b.score - a.score || a.i - b.i);
    candidates.splice(0, candidates.length, ...scored.map((s) => s.c));
  }
  const page = candidates.slice(offset, offset + limit).map((c) => c.id);
  return { total: candidates.length, totalCapped: found.length > window, results: await hydrate(deps, orgId, page, words) };
}

function candidateColumns(spec: MatchSpec) {
  const key = [sql<string>`r.id`.as('id'), sql<string>`r.captured_at`.as('captured_at'), sql<number>`r.leaf_index`.as('leaf_index')];
  return spec.pieces ? [...key, sql<string | null>`substr(c.text, 1, ${RANK_CHARS})`.as('text')] : key;
}

/** Newest first, as the databases order them. */
function newestFirst(a: Candidate, b: Candidate): number {
  return a.captured_at < b.captured_at ? 1 : a.captured_at > b.captured_at ? -1 : b.leaf_index - a.leaf_index;
}

/** PostgreSQL plans well from its statistics: one statement, newest first. */
async function postgresCandidates(deps: ArchiveDeps, spec: MatchSpec, where: RawBuilder<SqlBool>, window: number): Promise<Candidate[]> {
  return deps.db.selectFrom('archive_records as r').leftJoin('archive_contents as c', 'c.record_id', 'r.id')
    .select(candidateColumns(spec)).where(where).where(specCondition(deps.dialect, spec))
    .orderBy('r.captured_at', 'desc').orderBy('r.leaf_index', 'desc').limit(window + 1).execute();
}

/**
 * SQLite has no statistics on how common a word is, so the plan is chosen here (CROSS JOIN
 * fixes SQLite's join order): by an author's index; from the full-text index when the words
 * are rare or nothing narrower is given; else from the capture-date index, testing the words
 * row by row. Each path stops after window + 1 matches.
 */
async function sqliteCandidates(deps: ArchiveDeps, orgId: string, spec: MatchSpec, where: RawBuilder<SqlBool>, window: number): Promise<Candidate[]> {
  const { db, dialect } = deps;
  const author = spec.author;
  const fts = ftsExpression(spec);
  const byAuthor = author !== undefined && author !== 'nobody' && author.by !== 'name';
  let fromFts = fts !== null && !byAuthor;
  if (fromFts && fts !== null && (spec.from !== undefined || spec.before !== undefined)) {
    const words = await db.selectFrom(sql<FtsRow>`archive_fts`.as('f')).select(sql<number>`f.rowid`.as('rowid'))
      .where(sql<SqlBool>`f.archive_fts MATCH ${fts}`).limit(SMALL).execute();
    if (words.length >= SMALL) {
      let range = db.selectFrom('archive_records as r').select('r.leaf_index').where('r.org_id', '=', orgId);
      if (spec.from !== undefined) range = range.where('r.captured_at', '>=', spec.from);
      if (spec.before !== undefined) range = range.where('r.captured_at', '<', spec.before);
      fromFts = (await range.limit(SMALL).execute()).length >= SMALL;
    }
  }
  if (fromFts && fts !== null) {
    // Full-text rowids follow capture order, not captured_at: a backfill is re-sorted below.
    const found = await db.selectFrom(sql<FtsRow>`archive_fts`.as('f')).crossJoin('archive_contents as c').crossJoin('archive_records as r')
      .select(candidateColumns(spec))
      .where(sql<SqlBool>`f.archive_fts MATCH ${fts}`).where(sql<SqlBool>`c.rowid = f.rowid`).where(sql<SqlBool>`r.id = c.record_id`)
      .where(where).where(specCondition(dialect, spec, 'omit'))
      .orderBy(sql`f.rowid`, 'desc').limit(window + 1).execute();
    return found.sort(newestFirst);
  }
  if (byAuthor) {
    return db.selectFrom('archive_contents as c').crossJoin('archive_records as r').select(candidateColumns(spec))
      .where(sql<SqlBool>`r.id = c.record_id AND c.org_id = r.org_id`).where(where).where(specCondition(dialect, spec))
      .orderBy('r.captured_at', 'desc').orderBy('r.leaf_index', 'desc').limit(window + 1).execute();
  }
  return db.selectFrom('archive_records as r').leftJoin('archive_contents as c', 'c.record_id', 'r.id')
    .select(candidateColumns(spec)).where(where).where(specCondition(dialect, spec))
    .orderBy('r.captured_at', 'desc').orderBy('r.leaf_index', 'desc').limit(window + 1).execute();
}

/** The platform object a record captured was later deleted, or its latest visibility change hid it. */
function statusCondition(deps: ArchiveDeps, status: 'deleted' | 'hidden'): RawBuilder<SqlBool> {
  if (status === 'deleted') return deletedExpr();
  return sql<SqlBool>`${latestVisibility(deps)} = 'hidden'`;
}

function deletedExpr(): RawBuilder<SqlBool> {
  return sql<SqlBool>`EXISTS (SELECT 1 FROM archive_records d WHERE d.org_id = r.org_id AND d.subject_id = r.platform_id AND d.kind = 'deletion')`;
}

/** Sorting on an expression keeps SQLite on the subject index (ordering by the date index scans the city). */
function latestVisibility(deps: ArchiveDeps): RawBuilder<string | null> {
  const visibility = deps.dialect === 'postgres'
    ? sql`(vc.canonical::jsonb -> 'meta' ->> 'visibility')`
    : sql`json_extract(vc.canonical, '$.meta.visibility')`;
  return sql<string | null>`(SELECT ${visibility} FROM archive_records v JOIN archive_contents vc ON vc.record_id = v.id
    WHERE v.org_id = r.org_id AND v.subject_id = r.platform_id AND v.kind = 'visibility_change'
    ORDER BY v.captured_at || '' DESC, v.leaf_index DESC LIMIT 1)`;
}

/** The page's records in full, in the given order. */
async function hydrate(deps: ArchiveDeps, orgId: string, ids: string[], words: Phrase[]): Promise<ArchiveHit[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.selectFrom('archive_records as r').leftJoin('archive_contents as c', 'c.record_id', 'r.id')
    .select(['r.id', 'r.leaf_index', 'r.kind', 'r.series', 'r.platform', 'r.account_id', 'r.platform_id', 'r.thread_id',
      'r.captured_at', 'r.platform_time', 'c.record_id as content_id', 'c.text', 'c.author_id', 'c.author_handle', 'c.author_name',
      sql<number>`CASE WHEN ${deletedExpr()} THEN 1 ELSE 0 END`.as('deleted'),
      sql<number>`CASE WHEN ${latestVisibility(deps)} = 'hidden' THEN 1 ELSE 0 END`.as('hidden')])
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
// accent-blind with plural and -ing/-ed endings dropped (near enough to both engines' tokens).

type Phrase = string[];

function fold(word: string): string {
  const w = word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return w.length > 4 ? w.replace(/(ing|ed|[^s]s)$/, (m) => (m.length === 2 && m.endsWith('s') ? m.charAt(0) : '')) : w;
}

function tokens(text: string): Array<{ word: string; start: number; end: number }> {
  return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ word: fold(m[0]), start: m.index, end: m.index + m[0].length }));
}

/** Each piece of the query as folded words. */
export function wordsOf(pieces: readonly string[]): Phrase[] {
  return pieces.map((p) => tokens(p).map((t) => t.word)).filter((p) => p.length > 0);
}

/** Token positions where each phrase occurs. */
function occurrences(words: readonly string[], phrases: readonly Phrase[]): number[][] {
  return phrases.map((phrase) => {
    const at: number[] = [];
    for (let i = 0; i + phrase.length <= words.length; i++) if (phrase.every((w, k) => words[i + k] === w)) at.push(i);
    return at;
  });
}

/** BM25-like: occurrences of every phrase, saturating, shorter texts first on a tie. */
function relevance(text: string, pieces: readonly string[]): number {
  const words = tokens(text).map((t) => t.word);
  const norm = 0.25 + 0.75 * (words.length / 40);
  return occurrences(words, wordsOf(pieces)).reduce((sum, at) => sum + (at.length * 2.2) / (at.length + 1.2 * norm), 0);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** About 240 characters around the first match, HTML-escaped, matched words in <mark>. */
function highlight(text: string, phrases: readonly Phrase[]): string {
  const toks = tokens(text);
  const marked = new Set<number>();
  occurrences(toks.map((t) => t.word), phrases).forEach((at, p) => at.forEach((i) => {
    for (let k = 0; k < (phrases[p]?.length ?? 0); k++) marked.add(i + k);
  }));
  const first = marked.size ? Math.min(...marked) : 0;
  const start = toks[Math.max(0, first - 8)]?.start ?? 0;
  const end = Math.min(text.length, start + 240);
  let out = start > 0 ? '…' : '';
  let at = start;
  for (const [i, t] of toks.entries()) {
    if (!marked.has(i) || t.start < start || t.end > end) continue;
    out += `${escapeHtml(text.slice(at, t.start))}<mark>${escapeHtml(text.slice(t.start, t.end))}</mark>`;
    at = t.end;
  }
  return out + escapeHtml(text.slice(at, end)) + (end < text.length ? '…' : '');
}
