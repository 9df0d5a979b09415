// Retention: how long each series of records is kept, and which records are due for disposition.
// The period of a series comes from the City Clerk's schedule (retention_schedule, naming the item
// of the state schedule it applies) or else from the city's policy pack; "permanent", or a series
// neither names, means the records are never due (LX-10, KA-13, BZ-13, MN-10). Nothing here
// destroys anything: approving a disposition is a command (retention.commands.ts).
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { DEFAULT_SERIES } from './record.js';
import { activeHoldSpecs, heldCondition, specCondition, type ArchiveDb, type HoldRef } from './holds.js';

export interface SeriesRetention {
  series: string;
  label: string | null;
  /** Whole years after capture; null = kept permanently (never due). */
  retainYears: number | null;
  /** Who set the period in force: the City Clerk's schedule, the policy pack, or nobody (kept). */
  source: 'clerk' | 'pack' | 'none';
  /** The clerk's reference to the records schedule item, e.g. a Montana schedule item number. */
  scheduleItem: string | null;
  setBy: string | null;
  setAt: string | null;
  /** The pack's statement of the legal authority, and its POLICY-MAP ids. */
  authority: string | null;
  sources: string[];
}

export interface DueRecord {
  id: string;
  leafIndex: number;
  kind: string;
  series: string;
  accountId: string | null;
  capturedAt: string;
  retainUntil: string;
}

export interface DueReport {
  /** Oldest first, at most `limit`; none is destroyed or held. */
  due: DueRecord[];
  /** Due records that active holds keep, counted up to COUNT_CAP. */
  blocked: { count: number; capped: boolean; holds: Array<HoldRef & { count: number; capped: boolean }> };
}

const ARCHIVE_IDS = ['KA-13', 'BZ-13', 'BZ-15', 'LX-10', 'MN-10'];
const COUNT_CAP = 10_000;

/** The archive requirements this city's pack cites, plus the given series' own ids. */
export function archiveSources(pack: PolicyPack, series: readonly string[] = []): string[] {
  const cited = new Set([...pack.retention.flatMap((r) => r.sources), ...(pack.archiving?.sources ?? [])]);
  const out = new Set(ARCHIVE_IDS.filter((id) => cited.has(id)));
  for (const r of pack.retention) if (series.includes(r.series)) r.sources.forEach((s) => out.add(s));
  return [...out].sort();
}

/** Capture date plus the period; null when kept permanently. 29 February rolls to 1 March (never early). */
export function retentionDate(capturedAt: string, retainYears: number | null): string | null {
  if (retainYears === null) return null;
  const d = new Date(capturedAt);
  d.setUTCFullYear(d.getUTCFullYear() + retainYears);
  return d.toISOString();
}

/** Every series the city has (pack, clerk's schedule, record kinds' defaults), with its period in force. */
export async function retentionSchedule(a: Pick<ArchiveDb, 'db'>, orgId: string, pack: PolicyPack): Promise<SeriesRetention[]> {
  const rows = await a.db.selectFrom('retention_schedule').selectAll().where('org_id', '=', orgId).execute();
  const clerk = new Map(rows.map((r) => [r.series, r]));
  const names = [...new Set([...pack.retention.map((r) => r.series), ...rows.map((r) => r.series), ...Object.values(DEFAULT_SERIES)])];
  return names.map((series) => {
    const p = pack.retention.find((r) => r.series === series);
    const c = clerk.get(series);
    const base = { series, label: p?.label ?? null, authority: p?.authority ?? null, sources: p?.sources ?? [] };
    if (c) return { ...base, retainYears: c.retain_years, source: 'clerk', scheduleItem: c.schedule_item, setBy: c.set_by, setAt: c.set_at };
    const years = p && p.retainYears !== 'permanent' ? p.retainYears : null;
    return { ...base, retainYears: years, source: p ? 'pack' : 'none', scheduleItem: null, setBy: null, setAt: null };
  });
}

/**
 * A condition over `r` true for records whose series has a period and whose capture is old
 * enough. One day generous at leap years (29 February), so callers confirm with retentionDate.
 */
export function dueCondition(schedule: readonly SeriesRetention[], now: Date): RawBuilder<SqlBool> | null {
  const parts = schedule.filter((s) => s.retainYears !== null).map((s) => {
    const cutoff = new Date(now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - (s.retainYears ?? 0));
    return sql<SqlBool>`(r.series = ${s.series} AND r.captured_at <= ${cutoff.toISOString()})`;
  });
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` OR `)})` : null;
}

/** Records past their retention date, not destroyed, not held; and what the holds keep back. */
export async function dueForDisposition(
  a: ArchiveDb, orgId: string, pack: PolicyPack, now: Date, options: { limit?: number } = {},
): Promise<DueReport> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 5000);
  const schedule = await retentionSchedule(a, orgId, pack);
  const due = dueCondition(schedule, now);
  const empty: DueReport = { due: [], blocked: { count: 0, capped: false, holds: [] } };
  if (!due) return empty;
  const years = new Map(schedule.map((s) => [s.series, s.retainYears]));
  const specs = await activeHoldSpecs(a, orgId);
  // Only records that still have content: the database deletes content only with a disposition.
  const base = () => a.db.selectFrom('archive_records as r').innerJoin('archive_contents as c', 'c.record_id', 'r.id')
    .where('r.org_id', '=', orgId).where(due);
  const rows = await base().select(['r.id', 'r.leaf_index', 'r.kind', 'r.series', 'r.account_id', 'r.captured_at'])
    .where(sql<SqlBool>`NOT (${heldCondition(a.dialect, specs)})`)
    .orderBy('r.captured_at').orderBy('r.leaf_index').limit(limit).execute();
  const dueRecords = rows.flatMap((r) => {
    const retainUntil = retentionDate(r.captured_at, years.get(r.series) ?? null);
    if (retainUntil === null || retainUntil > now.toISOString()) return [];
    return [{ id: r.id, leafIndex: r.leaf_index, kind: r.kind, series: r.series, accountId: r.account_id, capturedAt: r.captured_at, retainUntil }];
  });
  const count = async (condition: RawBuilder<SqlBool>) => {
    const n = (await base().select('r.id').where(condition).limit(COUNT_CAP + 1).execute()).length;
    return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
  };
  const holds = [];
  for (const { hold, spec } of specs) {
    const c = await count(specCondition(a.dialect, spec));
    if (c.count > 0) holds.push({ id: hold.id, name: hold.name, ...c });
  }
  const blocked = specs.length ? await count(heldCondition(a.dialect, specs)) : { count: 0, capped: false };
  return { due: dueRecords, blocked: { ...blocked, holds } };
}

export interface DispositionEntry {
  id: string;
  recordId: string;
  leafIndex: number;
  kind: string;
  series: string;
  capturedAt: string;
  retainUntil: string;
  scheduleItem: string | null;
  approvedBy: string;
  reason: string;
  destroyedAt: string;
}

/** The disposition log: what was destroyed, when, under which schedule item, approved by whom. */
export async function listDispositions(db: Kysely<DB>, orgId: string, options: { limit?: number; offset?: number } = {}): Promise<DispositionEntry[]> {
  const rows = await db.selectFrom('archive_dispositions').selectAll().where('org_id', '=', orgId)
    .orderBy('destroyed_at', 'desc').orderBy('leaf_index', 'desc')
    .limit(Math.min(Math.max(options.limit ?? 100, 1), 1000)).offset(Math.max(options.offset ?? 0, 0)).execute();
  return rows.map((r) => ({
    id: r.id, recordId: r.record_id, leafIndex: r.leaf_index, kind: r.kind, series: r.series, capturedAt: r.captured_at,
    retainUntil: r.retain_until, scheduleItem: r.schedule_item, approvedBy: r.approved_by, reason: r.reason, destroyedAt: r.destroyed_at,
  }));
}
