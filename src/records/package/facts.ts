// What happened to a post or comment after it was captured — deleted, hidden, shown again,
// removed — read from the archive's deletion, visibility-change and moderation-action records about
// it (the facts the thread view in archive.queries.ts shows), in batches rather than one thread
// query per thread. Only times, actors and policy clauses are taken from those records, never their
// text: a moderation note may quote the comment it acts on, and that comment may be redacted.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { ACTING_KINDS, chunks } from './select.js';
import { humanTime } from './text.js';

export type MarkerKind = 'deleted' | 'hidden' | 'shown' | 'removed' | 'action';

export interface Marker {
  kind: MarkerKind;
  at: string;
  by: string | null;
  clause: string | null;
  /** The moderation action's own name, for kind 'action'. */
  action: string | null;
  leafIndex: number;
}

interface Canonical {
  platformTimes?: Record<string, string>;
  author?: { name?: string; handle?: string } | null;
  meta?: { visibility?: unknown; action?: unknown; clause?: unknown; clauseId?: unknown; deletedBy?: unknown; by?: unknown };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
/** A moderation action taken within this long of a visibility change is the same event seen twice. */
const SAME_EVENT_MS = 15 * 60_000;

function jsonObject(bytes: Uint8Array | null): Record<string, unknown> {
  if (!bytes || bytes.byteLength > 65_536) return {};
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Markers per platform object id, oldest first; objects with none are absent. */
export async function loadMarkers(db: Kysely<DB>, orgId: string, objectKeys: readonly string[]): Promise<Map<string, Marker[]>> {
  const out = new Map<string, Marker[]>();
  for (const part of chunks([...new Set(objectKeys)], 500)) {
    const rows = await db.selectFrom('archive_records as r').innerJoin('archive_contents as c', 'c.record_id', 'r.id')
      .select(['r.kind', 'r.subject_id', 'r.leaf_index', 'r.captured_at', 'r.platform_time', 'c.canonical', 'c.author_name', 'c.author_handle', 'c.payload'])
      // Kind and order are handled in code: given `kind IN (…)` or `ORDER BY leaf_index`, SQLite walks
      // an index on (org_id, kind…) or (org_id, leaf_index) — every record of the city — instead of (org_id, subject_id).
      .where('r.org_id', '=', orgId).where('r.subject_id', 'in', part).execute();
    rows.sort((a, b) => a.leaf_index - b.leaf_index);
    const bySubject = new Map<string, typeof rows>();
    for (const r of rows) {
      if (!(ACTING_KINDS as readonly string[]).includes(r.kind)) continue;
      const list = bySubject.get(r.subject_id as string);
      if (list) list.push(r);
      else bySubject.set(r.subject_id as string, [r]);
    }
    for (const [subject, list] of bySubject) {
      const markers: Marker[] = [];
      const actions: Array<{ at: number; hide: boolean }> = [];
      const visibility: Marker[] = [];
      for (const r of list) {
        const c = JSON.parse(r.canonical) as Canonical;
        const times = c.platformTimes ?? {};
        const at = times.deleted ?? times.changed ?? times.created ?? r.platform_time ?? r.captured_at;
        const meta = c.meta ?? {};
        const person = r.author_name ?? (r.author_handle ? `@${r.author_handle}` : null);
        if (r.kind === 'deletion') {
          const by = meta.deletedBy === 'author' ? 'its author' : meta.deletedBy === 'account' || meta.by === 'connector' ? "the city's account" : person;
          markers.push({ kind: 'deleted', at, by, clause: null, action: null, leafIndex: r.leaf_index });
        } else if (r.kind === 'moderation_action') {
          // Who acted is in the payload CivicDesk itself writes for moderation actions ({ by, clauseId, … }).
          const payload = jsonObject(r.payload);
          const action = str(meta.action) ?? (payload.hidden === true ? 'hide' : payload.hidden === false ? 'unhide' : null);
          const by = person ?? str(payload.by);
          const clause = str(meta.clause) ?? str(meta.clauseId) ?? str(payload.clauseId);
          const kind: MarkerKind = action === 'hide' ? 'hidden' : action === 'unhide' || action === 'show' ? 'shown'
            : action === 'remove' || action === 'delete' ? 'removed' : 'action';
          if (kind === 'hidden' || kind === 'shown') actions.push({ at: Date.parse(at), hide: kind === 'hidden' });
          markers.push({ kind, at, by, clause, action, leafIndex: r.leaf_index });
        } else {
          const hidden = meta.visibility === 'hidden';
          const by = meta.by === 'connector' ? null : person;
          visibility.push({ kind: hidden ? 'hidden' : 'shown', at, by, clause: null, action: null, leafIndex: r.leaf_index });
        }
      }
      // A hide done through CivicDesk is archived twice (the platform's change and the city's
      // action, which names who and why): show the action, and the change only when it stands alone.
      for (const v of visibility) {
        const t = Date.parse(v.at);
        if (!actions.some((a) => a.hide === (v.kind === 'hidden') && Math.abs(a.at - t) <= SAME_EVENT_MS)) markers.push(v);
      }
      markers.sort((a, b) => a.leafIndex - b.leafIndex);
      out.set(subject, markers);
    }
  }
  return out;
}

export function markerText(m: Marker): string {
  const by = m.by ? ` by ${m.by}` : '';
  const clause = m.clause ? ` (clause ${m.clause})` : '';
  const when = humanTime(m.at);
  switch (m.kind) {
    case 'deleted': return `Deleted on ${when}${by}`;
    case 'hidden': return `Hidden on ${when}${by}${clause}`;
    case 'shown': return `Shown again on ${when}${by}${clause}`;
    case 'removed': return `Removed on ${when}${by}${clause}`;
    default: return `Moderation action "${m.action ?? 'unknown'}" on ${when}${by}${clause}`;
  }
}
