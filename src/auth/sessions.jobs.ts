// Housekeeping through the job queue: expired sessions are removed every hour. (A session row is
// not a record; sign-in and sign-out themselves are events.)
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { JobQueue } from '../jobs/jobs.js';

export const PRUNE_SESSIONS_JOB = 'sessions.prune';
const HOUR_MS = 60 * 60 * 1000;

export async function scheduleSessionPruning(queue: JobQueue, db: Kysely<DB>): Promise<void> {
  queue.work(PRUNE_SESSIONS_JOB, async () => {
    await db.deleteFrom('sessions').where('expires_at', '<=', new Date().toISOString()).execute();
    await queue.enqueue(PRUNE_SESSIONS_JOB, {}, { runAt: new Date(Date.now() + HOUR_MS), singletonKey: 'hourly' });
  });
  await queue.enqueue(PRUNE_SESSIONS_JOB, {}, { singletonKey: 'hourly' });
}
