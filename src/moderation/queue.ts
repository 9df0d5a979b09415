// Capture first, then triage: every comment enters the moderation queue only after it is in the
// archive, with the classifier's labels as a hint for ordering and annotation. Nothing here hides,
// deletes or changes anything on a platform — machines flag, people decide.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { RecordInput } from '../archive/record.js';
import type { Captured } from '../archive/capture.js';
import { classify } from './classifier/index.js';

export async function moderationSettings(db: Kysely<DB>, orgId: string): Promise<{ allowlist: string[]; officials: string[] }> {
  const row = await db.selectFrom('moderation_settings').select(['allowlist', 'officials']).where('org_id', '=', orgId).executeTakeFirst();
  return { allowlist: row ? (JSON.parse(row.allowlist) as string[]) : [], officials: row ? (JSON.parse(row.officials) as string[]) : [] };
}

/**
 * Queues the comments among `records` (as `capture()` returned them, in order). Idempotent: a
 * comment already queued (the same platform id) is left as it is; a new version of a comment
 * updates its text and triage but never its state.
 */
export async function enqueueComments(db: Kysely<DB>, orgId: string, records: readonly RecordInput[], captured: readonly Captured[]): Promise<number> {
  const settings = await moderationSettings(db, orgId);
  let queued = 0;
  for (const [i, r] of records.entries()) {
    if ((r.kind !== 'comment' && r.kind !== 'comment_version') || !r.platformId || !r.accountId) continue;
    const record = captured[i];
    if (!record) continue;
    const post = r.threadId ? await db.selectFrom('archive_records as a').innerJoin('archive_contents as c', 'c.record_id', 'a.id')
      .select('c.text').where('a.org_id', '=', orgId).where('a.platform_id', '=', r.threadId).executeTakeFirst() : undefined;
    const triage = classify({ text: r.text ?? '', post: post?.text ?? undefined }, settings);
    const now = new Date().toISOString();
    const values = {
      text: r.text ?? '', labels: JSON.stringify(triage.labels), viewpoint: triage.viewpoint ? 1 : 0, evidence: JSON.stringify(triage.evidence), record_id: record.id, updated_at: now,
    };
    const existing = await db.selectFrom('moderation_items').select('id').where('org_id', '=', orgId).where('platform_id', '=', r.platformId).executeTakeFirst();
    if (existing) {
      await db.updateTable('moderation_items').set(values).where('id', '=', existing.id).execute();
      continue;
    }
    await db.insertInto('moderation_items').values({
      id: randomUUID(), org_id: orgId, account_id: r.accountId, platform: r.platform ?? 'unknown', platform_id: r.platformId, thread_id: r.threadId ?? null,
      author_id: r.author?.id ?? null, author_handle: r.author?.handle ?? null, state: stateOf(r, triage.labels.length > 0), proposal: null, created_at: now, ...values,
    }).onConflict((oc) => oc.columns(['org_id', 'platform_id']).doNothing()).execute();
    queued++;
  }
  return queued;
}

/** A reply the platform is holding for approval (a connector with hold_replies says so) waits as held. */
function stateOf(r: RecordInput, labelled: boolean): 'held' | 'flagged' | 'new' {
  if (r.meta?.held === true) return 'held';
  return labelled ? 'flagged' : 'new';
}
