// Staff actions are records too: every event of the foundation's append-only event log is copied
// into the archive as a `staff_event` record. Idempotent (the event id is the dedupe key), so it
// can run after each request, from a job, or before a checkpoint, and a crash in between loses
// nothing: the event table is itself append-only and the copy resumes from the last sequence.
import type { ArchiveDeps } from './archive.service.js';
import { capture, ensureLog } from './capture.js';
import type { RecordInput } from './record.js';

const BATCH = 500;

/** `{"email":"a@b","roles":["x"]}` → `email: a@b; roles: x` */
function describeChange(json: string): string {
  try {
    const value = JSON.parse(json) as unknown;
    if (value === null || typeof value !== 'object') return String(value);
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
      .join('; ');
  } catch {
    return json;
  }
}

export async function archiveEvents(deps: ArchiveDeps, orgId: string): Promise<number> {
  await ensureLog(deps, orgId);
  let copied = 0;
  for (;;) {
    const log = await deps.db.selectFrom('archive_logs').select('events_archived').where('org_id', '=', orgId).executeTakeFirstOrThrow();
    const events = await deps.db.selectFrom('events').selectAll().where('org_id', '=', orgId)
      .where('seq', '>', log.events_archived).orderBy('seq').limit(BATCH).execute();
    if (events.length === 0) return copied;
    const records: RecordInput[] = events.map((e) => ({
      kind: 'staff_event',
      series: e.action.startsWith('account.') ? 'account_changes' : 'staff_events',
      dedupeKey: `event:${e.id}`,
      capturedAt: e.created_at,
      platformTimes: { created: e.created_at },
      author: { id: e.actor_id ?? undefined, name: e.actor_label },
      // The change itself is searchable too (e.g. the e-mail of a staff member added).
      text: [e.actor_label, e.action, e.target_type, e.target_id, e.after ? describeChange(e.after) : ''].join(' ').trim(),
      payload: Buffer.from(JSON.stringify(e), 'utf8'),
      payloadType: 'application/vnd.civicdesk.event+json',
      meta: { action: e.action, targetType: e.target_type, targetId: e.target_id, sources: JSON.parse(e.sources) as unknown, seq: e.seq },
    }));
    await capture(deps, orgId, records);
    const last = events[events.length - 1]!.seq;
    await deps.db.updateTable('archive_logs').set({ events_archived: last }).where('org_id', '=', orgId)
      .where('events_archived', '<', last).execute();
    copied += events.length;
  }
}
