// Scheduled publishing through the one job queue: every 30 seconds, approved drafts whose time has
// come are published (as the operator, on the approvers' decision).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { JobQueue } from '../jobs/jobs.js';
import { loadOrg } from '../org/org.queries.js';
import { operatorActor } from '../policy/can.js';
import { publishDraft, publishingPaused, type PublishDeps } from './publish.js';

export const PUBLISH_DUE_JOB = 'content.publish_due';

export async function publishDue(db: Kysely<DB>, deps: PublishDeps, now = new Date()): Promise<number> {
  const due = await db.selectFrom('drafts').select(['id', 'org_id']).where('status', '=', 'scheduled').where('scheduled_at', '<=', now.toISOString()).execute();
  let published = 0;
  for (const d of due) {
    if ((await publishingPaused(db, d.org_id)).paused) continue;
    const city = await loadOrg(db, d.org_id);
    if (!city) continue;
    const ctx = { db, actor: operatorActor(d.org_id, city.pack, 'scheduled publishing'), packVersion: city.packDigest };
    const outcomes = await publishDraft(ctx, deps, d.id);
    published += outcomes.filter((o) => o.status === 'published').length;
  }
  return published;
}

export async function scheduleContentJobs(queue: JobQueue, db: Kysely<DB>, deps: PublishDeps): Promise<void> {
  queue.work(PUBLISH_DUE_JOB, async () => {
    await publishDue(db, deps);
    await queue.enqueue(PUBLISH_DUE_JOB, {}, { runAt: new Date(Date.now() + 30_000), singletonKey: 'half-minutely' });
  });
  await queue.enqueue(PUBLISH_DUE_JOB, {}, { singletonKey: 'half-minutely' });
}
