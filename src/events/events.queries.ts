import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export interface EventView {
  seq: number;
  id: string;
  actor: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
  sources: string[];
  packVersion: string | null;
  requestId: string | null;
  createdAt: string;
}

export async function listEvents(
  db: Kysely<DB>,
  orgId: string,
  opts: { afterSeq?: number; beforeSeq?: number; limit?: number; action?: string } = {},
): Promise<EventView[]> {
  let q = db.selectFrom('events').selectAll().where('org_id', '=', orgId);
  if (opts.afterSeq !== undefined) q = q.where('seq', '>', opts.afterSeq);
  if (opts.beforeSeq !== undefined) q = q.where('seq', '<', opts.beforeSeq);
  if (opts.action) q = q.where('action', 'like', `${opts.action}%`);
  // Newest first for pages; `after` (tail) reads oldest first so nothing is skipped.
  q = opts.afterSeq !== undefined ? q.orderBy('seq', 'asc') : q.orderBy('seq', 'desc');
  const rows = await q.limit(Math.min(opts.limit ?? 50, 500)).execute();
  return rows.map((r) => ({
    seq: r.seq,
    id: r.id,
    actor: r.actor_label,
    actorId: r.actor_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    before: r.before ? JSON.parse(r.before) : null,
    after: r.after ? JSON.parse(r.after) : null,
    sources: JSON.parse(r.sources) as string[],
    packVersion: r.pack_version,
    requestId: r.request_id,
    createdAt: r.created_at,
  }));
}

export async function countEvents(db: Kysely<DB>, orgId: string): Promise<number> {
  const row = await db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId).executeTakeFirstOrThrow();
  return Number(row.n);
}
